import Foundation
import Testing

/// Every internal link and fragment in the built site resolves.
enum LinkChecker {
    /// Returns "page: href" for every broken link under `root`.
    static func broken(in root: URL) -> [String] {
        let files = snapshot(root)
        var ids: [String: Set<String>] = [:]
        for (path, data) in files where path.hasSuffix(".html") {
            ids[path] = Set(attributes("id", in: String(decoding: data, as: UTF8.self)))
        }
        var broken: [String] = []
        for (path, data) in files.sorted(by: { $0.key < $1.key }) where path.hasSuffix(".html") && path != "404.html" {
            let html = String(decoding: data, as: UTF8.self)
            for href in attributes("href", in: html) + attributes("src", in: html) {
                if href.hasPrefix("http://") || href.hasPrefix("https://") || href.hasPrefix("mailto:") { continue }
                var target = href
                var fragment: String?
                if let hash = target.firstIndex(of: "#") {
                    fragment = String(target[target.index(after: hash)...])
                    target = String(target[..<hash])
                }
                let resolved: String
                if target.isEmpty {
                    resolved = path
                } else {
                    var parts = path.split(separator: "/").dropLast().map(String.init)
                    for seg in target.split(separator: "/", omittingEmptySubsequences: false).map(String.init) {
                        if seg == ".." { if !parts.isEmpty { parts.removeLast() } } else if seg != "." && !seg.isEmpty { parts.append(seg) }
                    }
                    var joined = parts.joined(separator: "/")
                    if target.hasSuffix("/") || files[joined] == nil { joined += joined.isEmpty ? "index.html" : "/index.html" }
                    resolved = files[parts.joined(separator: "/")] != nil ? parts.joined(separator: "/") : joined
                }
                guard files[resolved] != nil else { broken.append("\(path): \(href)"); continue }
                if let fragment, !fragment.isEmpty, resolved.hasSuffix(".html"), !(ids[resolved]?.contains(fragment) ?? false) {
                    broken.append("\(path): \(href) (no id '\(fragment)')")
                }
            }
        }
        return broken
    }

    static func attributes(_ name: String, in html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        let marker = " \(name)=\""
        while let r = rest.range(of: marker) {
            rest = rest[r.upperBound...]
            if let end = rest.firstIndex(of: "\"") { out.append(HTMLTables.decode(String(rest[..<end]))); rest = rest[end...] }
        }
        return out
    }
}

@Suite struct LinkTests {
    @Test func everyInternalLinkOfTheExampleSiteResolves() throws {
        _ = try exampleBuild.result.get()
        let broken = LinkChecker.broken(in: exampleBuild.output)
        #expect(broken.isEmpty, "\(broken.prefix(20).joined(separator: "\n"))")
    }

    @Test func theCheckerFindsABrokenLink() throws {
        let root = temporaryFolder("links")
        try "<a href=\"missing/\">x</a><a href=\"#nowhere\">y</a>".write(to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        #expect(LinkChecker.broken(in: root).count == 2)
    }

    @Test func sitemapAndFeedListThePages() throws {
        _ = try exampleBuild.result.get()
        let sitemap = read(exampleBuild.output.appendingPathComponent("sitemap.xml"))
        #expect(sitemap.contains("<loc>https://example.gov.cn/donghu-sme/2022/</loc>"))
        let feed = read(exampleBuild.output.appendingPathComponent("feed.xml"))
        #expect(feed.contains("南昌市东湖区中小企业服务局2022年度部门决算"))
        #expect(feed.components(separatedBy: "<entry>").count - 1 == 5)
    }
}
