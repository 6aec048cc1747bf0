import Foundation

/// Every internal link and fragment in the built site resolves.
public enum LinkChecker {
    /// Returns "page: href" for every broken link under `root`.
    public static func broken(in root: URL) -> [String] {
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

    public static func attributes(_ name: String, in html: String) -> [String] {
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
