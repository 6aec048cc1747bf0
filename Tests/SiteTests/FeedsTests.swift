import Fixture
import Foundation
import Model
import Testing
import TestSite
@testable import Site

/// Issue 27: the site-wide lists that grow with the site stay within what one file should hold — the
/// sitemap as an index of parts (site.yaml `feeds.sitemap_urls`), the feed as the latest disclosures
/// (`feeds.feed_entries`) — in full and incremental builds alike.
@Suite struct FeedsTests {
    static let base = "https://example.gov.cn/"

    /// A generated site of 9 departments × 2 years over 3 regions, with `feeds` added to its site.yaml.
    func site(_ feeds: String?) throws -> (root: URL, content: URL) {
        let root = temporaryFolder("feeds")
        let content = root.appendingPathComponent("content")
        try Fixture.write(FixtureOptions(departments: 9, years: 2, seed: 27, regions: 3), to: content)
        if let feeds { try setFeeds(feeds, in: content) }
        return (root, content)
    }

    /// Replaces the `feeds:` of site.yaml (nil: none, the defaults).
    func setFeeds(_ feeds: String?, in content: URL) throws {
        let file = content.appendingPathComponent("site.yaml")
        let kept = read(file).components(separatedBy: "feeds:\n")[0]
        try (kept + (feeds.map { "feeds:\n" + $0 } ?? "")).write(to: file, atomically: true, encoding: .utf8)
    }

    func build(_ content: URL, _ output: URL) throws -> BuildReport {
        try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
    }

    /// What a full build of `content` into a new folder of `root` publishes.
    func fullBuild(_ content: URL, in root: URL) throws -> [String: Data] {
        let output = root.appendingPathComponent("full-\(UUID().uuidString)")
        _ = try build(content, output)
        return snapshot(output)
    }

    /// The `<loc>`s of a sitemap file, in order.
    func locations(_ text: String) -> [String] {
        text.components(separatedBy: "<loc>").dropFirst().map { String($0.prefix { $0 != "<" }) }
    }

    /// The sitemap files of a built site (`sitemap.xml`, `sitemap-N.xml`).
    func sitemapFiles(_ files: [String: Data]) -> Set<String> {
        Set(files.keys.filter { $0 == TopLevel.sitemap || ($0.hasPrefix("sitemap-") && $0.hasSuffix(".xml")) })
    }

    /// Checks the sitemap of a built site against its pages: with at most `limit` URLs, one urlset;
    /// else an index of parts of `limit` URLs (the last fewer) that hold every page once, in sorted order.
    func expectSitemap(_ output: URL, limit: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let files = snapshot(output)
        let pages = files.keys.filter { !$0.hasPrefix(".") && $0.hasSuffix(".html") && $0 != TopLevel.notFound }.sorted()
        let expected = pages.map { Feeds.url(Self.base, $0) }
        let top = String(decoding: files[TopLevel.sitemap] ?? Data(), as: UTF8.self)
        guard expected.count > limit else {
            #expect(top.contains("<urlset") && locations(top) == expected, sourceLocation: sourceLocation)
            #expect(sitemapFiles(files) == [TopLevel.sitemap], sourceLocation: sourceLocation)
            return
        }
        let count = (expected.count + limit - 1) / limit
        let parts = (1...count).map { TopLevel.sitemapPart($0) }
        #expect(top.contains("<sitemapindex") && locations(top) == parts.map { Self.base + $0 }, sourceLocation: sourceLocation)
        #expect(sitemapFiles(files) == Set(parts + [TopLevel.sitemap]), "stale or missing parts", sourceLocation: sourceLocation)
        let listed = parts.map { locations(String(decoding: files[$0] ?? Data(), as: UTF8.self)) }
        #expect(listed.dropLast().allSatisfy { $0.count == limit } && listed.last!.count <= limit, sourceLocation: sourceLocation)
        #expect(listed.flatMap { $0 } == expected, "every page once, in sorted order", sourceLocation: sourceLocation)
    }

    @Test("a sitemap of more URLs than feeds.sitemap_urls is an index of sorted parts")
    func aLargeSitemapIsAnIndexOfParts() throws {
        let (root, content) = try site("  sitemap_urls: 10\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        _ = try build(content, output)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(TopLevel.sitemapPart(3)).path))
        expectSitemap(output, limit: 10)
    }

    /// The parts are the files group's pages: a site that shrinks drops the parts it no longer has,
    /// and one below the limit has no part left — the incremental build gives what a full build does.
    @Test("a sitemap that shrinks, then fits one file, leaves no stale part")
    func aShrinkingSitemapLeavesNoStalePart() throws {
        let (root, content) = try site("  sitemap_urls: 10\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        _ = try build(content, output)
        let before = sitemapFiles(snapshot(output)).count
        // A region's disclosures of 2023 removed (not its departments: department.yaml is read by every
        // page): their pages and the region's comparison of 2023 go.
        for slug in ["qingyunpu-rd", "qingyunpu-rd-u1", "qingyunpu-zx"] {
            try FileManager.default.removeItem(at: content.appendingPathComponent("departments/\(slug)/2023"))
        }
        let shrunk = try build(content, output)
        #expect(shrunk.rendered < shrunk.pages, "an incremental build")
        #expect(sitemapFiles(snapshot(output)).count < before)
        expectSitemap(output, limit: 10)
        #expect(snapshot(output) == (try fullBuild(content, in: root)))
        // The default limit: one urlset, no part.
        try setFeeds(nil, in: content)
        _ = try build(content, output)
        expectSitemap(output, limit: SiteConfig.maxSitemapURLs)
        #expect(sitemapFiles(snapshot(output)) == [TopLevel.sitemap])
        #expect(snapshot(output) == (try fullBuild(content, in: root)))
    }

    /// The lines of a feed before its first entry, and its entries.
    func feed(_ output: URL) -> (head: [String], entries: [String]) {
        let lines = read(output.appendingPathComponent(TopLevel.feed)).components(separatedBy: "\n")
        return (lines.prefix { !$0.hasPrefix("<entry>") }, lines.filter { $0.hasPrefix("<entry>") })
    }

    @Test("the feed lists the latest feeds.feed_entries disclosures, and follows a publication date")
    func theFeedListsTheLatest() throws {
        let (root, content) = try site(nil)
        defer { try? FileManager.default.removeItem(at: root) }
        let all = root.appendingPathComponent("all"), latest = root.appendingPathComponent("latest")
        _ = try build(content, all)
        let full = feed(all)
        #expect(full.entries.count == 18, "fewer than 100 disclosures: every one")
        try setFeeds("  feed_entries: 5\n", in: content)
        _ = try build(content, latest)
        let capped = feed(latest)
        #expect(capped.head == full.head && capped.entries == Array(full.entries.prefix(5)))
        #expect(capped.entries.allSatisfy { $0.contains("/2023/") }, "the 2023 disclosures are the latest")

        // A disclosure of 2022 published after all the others: first in the feed of the next build.
        let file = content.appendingPathComponent("departments/donghu-rd/2022/disclosure.yaml")
        let text = read(file), edited = text.replacingOccurrences(of: "published: 2023-09-07", with: "published: 2024-09-30")
        try #require(edited != text)
        try edited.write(to: file, atomically: false, encoding: .utf8)
        let again = try build(content, latest)
        #expect(again.rendered < again.pages, "an incremental build")
        let moved = feed(latest)
        #expect(moved.entries.count == 5 && moved.entries[0].contains("<id>\(Self.base)donghu-rd/2022/</id>"))
        #expect(moved.entries[0].contains("<updated>2024-09-30T00:00:00Z</updated>") && moved.head.contains("<updated>2024-09-30T00:00:00Z</updated>"))
        #expect(moved.entries.dropFirst() == full.entries.prefix(4))
    }

    @Test("feeds: settings out of range are refused at their line")
    func settingsOutOfRangeAreRefused() throws {
        let (root, content) = try site("  sitemap_urls: 50001\n  feed_entries: 0\n")
        defer { try? FileManager.default.removeItem(at: root) }
        guard case .failure(let f) = SiteBuilder.build(BuildOptions(content: content, output: root.appendingPathComponent("public"))) else {
            Issue.record("built with feeds out of range"); return
        }
        let messages = f.diagnostics.map(\.message)
        #expect(messages.contains { $0.hasPrefix("feeds.sitemap_urls：写的是 50001；应为 1 到 50000 之间的整数") })
        #expect(messages.contains { $0.hasPrefix("feeds.feed_entries：写的是 0；应为正整数") })
    }
}
