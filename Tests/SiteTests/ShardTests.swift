import Fixture
import Foundation
import Testing
import TestSite
@testable import Site

/// Issue 27: a site built as shards (`sitegen build --region R`, one per region) and joined by
/// `sitegen merge` is byte for byte the site one full build makes.
@Suite struct ShardTests {
    /// A generated site of 9 departments × 2 years over 3 regions; `enclosing`: the three declared
    /// inside one city, whose pages (region page, comparison, bulk downloads) only the merge can make;
    /// `sitemapURLs`: `feeds.sitemap_urls` of its site.yaml.
    func site(enclosing: Bool, sitemapURLs: Int? = nil) throws -> (root: URL, content: URL, regions: [String]) {
        let root = temporaryFolder("shards")
        let content = root.appendingPathComponent("content")
        try Fixture.write(FixtureOptions(departments: 9, years: 2, seed: 27, regions: 3), to: content)
        let site = content.appendingPathComponent("site.yaml")
        if let sitemapURLs { try (read(site) + "feeds:\n  sitemap_urls: \(sitemapURLs)\n").write(to: site, atomically: true, encoding: .utf8) }
        guard enclosing else { return (root, content, ["region-1", "region-2", "region-3"]) }
        let declared = """
            regions:
              - {slug: nanchang, name: 南昌市}
              - {slug: donghu, name: 南昌市东湖区, parent: nanchang}
              - {slug: xihu, name: 南昌市西湖区, parent: nanchang}
              - {slug: qingyunpu, name: 南昌市青云谱区, parent: nanchang}

            """
        try (read(site) + declared).write(to: site, atomically: true, encoding: .utf8)
        return (root, content, ["donghu", "xihu", "qingyunpu"])
    }

    func built(_ options: BuildOptions) -> Bool {
        switch SiteBuilder.build(options) {
        case .success: return true
        case .failure(let f):
            Issue.record("build failed: \(f.diagnostics.prefix(5).map(\.description))")
            return false
        }
    }

    /// Builds the shard of each of `regions` into `root`/shard-<region> (again, when there is one),
    /// then calls `check` with its region and folder; nil when a build failed (recorded).
    func buildShards(content: URL, root: URL, regions: some Sequence<String>,
                     check: (String, URL) throws -> Void = { _, _ in }) throws -> [URL]? {
        var shards: [URL] = []
        for region in regions {
            var options = BuildOptions(content: content, output: root.appendingPathComponent("shard-\(region)"))
            options.region = region
            guard built(options) else { return nil }
            shards.append(options.output)
            try check(region, options.output)
        }
        return shards
    }

    /// `sitemapURLs`: a sitemap too large for one file, made an index of parts by the merge as by the build.
    @Test(arguments: [(false, nil), (true, nil), (true, 10)] as [(Bool, Int?)])
    func threeShardsMergedAreByteIdenticalToOneFullBuild(enclosing: Bool, sitemapURLs: Int?) throws {
        let (root, content, regions) = try site(enclosing: enclosing, sitemapURLs: sitemapURLs)
        defer { try? FileManager.default.removeItem(at: root) }
        let full = root.appendingPathComponent("full")
        guard built(BuildOptions(content: content, output: full)) else { return }
        let made = try buildShards(content: content, root: root, regions: regions) { region, folder in
            // A shard holds its own departments' pages only, and no site-wide page.
            let files = snapshot(folder)
            let manifest = try ShardManifest.read(folder).get()
            #expect(manifest.disclosures.count == 6 && manifest.region == region)
            #expect(Set(files.keys.filter { !$0.hasPrefix(".") }) == Set(manifest.paths))
            #expect(files["index.html"] == nil && files["sitemap.xml"] == nil && files["search/index.json"] == nil)
        }
        guard let shards = made else { return }
        let merged = root.appendingPathComponent("public")
        switch SiteBuilder.merge(MergeOptions(shards: shards, content: content, output: merged)) {
        case .failure(let f):
            Issue.record("merge failed: \(f.diagnostics.prefix(5).map(\.description))")
        case .success(let report):
            #expect(report.disclosures == 18)
            let expected = snapshot(full), got = snapshot(merged)
            #expect(expected.count > 100)
            #expect(Set(got.keys) == Set(expected.keys), "only in the merge: \(Set(got.keys).subtracting(expected.keys).sorted().prefix(5)); missing: \(Set(expected.keys).subtracting(got.keys).sorted().prefix(5))")
            let differing = expected.keys.filter { got[$0] != nil && got[$0] != expected[$0] }.sorted()
            #expect(differing.isEmpty, "files that differ: \(differing.prefix(10))")
            if enclosing { #expect(expected["compare/nanchang/2023/index.html"] != nil) }
            #expect((expected["sitemap-2.xml"] != nil) == (sitemapURLs != nil))
        }
    }

    @Test func anEditedShardBuiltAgainMergesToTheFullBuildOfTheEdit() throws {
        let (root, content, regions) = try site(enclosing: true)
        defer { try? FileManager.default.removeItem(at: root) }
        guard let shards = try buildShards(content: content, root: root, regions: regions) else { return }
        // A headline figure (在职人员, the per-person measures of the comparison) and the publication
        // date (the feed): what the manifest carries to the merge.
        let file = content.appendingPathComponent("departments/donghu-rd/2023/disclosure.yaml")
        let text = read(file)
        let edited = text.replacingOccurrences(of: #"published: (\d{4})-(\d{2})-\d{2}"#, with: "published: $1-$2-28", options: .regularExpression)
            .replacingOccurrences(of: #"在职人员: (\d+)"#, with: "在职人员: 1$1", options: .regularExpression)
            .replacingOccurrences(of: #"年末实有人数: (\d+)"#, with: "年末实有人数: 1$1", options: .regularExpression)
        try #require(edited != text)
        try edited.write(to: file, atomically: false, encoding: .utf8)
        guard try buildShards(content: content, root: root, regions: regions) == shards else { return }
        let merged = root.appendingPathComponent("public"), full = root.appendingPathComponent("full")
        guard built(BuildOptions(content: content, output: full)) else { return }
        _ = try SiteBuilder.merge(MergeOptions(shards: shards, content: content, output: merged)).get()
        let expected = snapshot(full), got = snapshot(merged)
        #expect(Set(got.keys) == Set(expected.keys))
        let differing = expected.keys.filter { got[$0] != expected[$0] }.sorted()
        #expect(differing.isEmpty, "files that differ: \(differing.prefix(10))")
    }

    @Test func aMergeOfShardsThatMissARegionFailsAndLeavesTheOutputAsItWas() throws {
        let (root, content, regions) = try site(enclosing: false)
        defer { try? FileManager.default.removeItem(at: root) }
        guard let shards = try buildShards(content: content, root: root, regions: regions.prefix(2)) else { return }
        let merged = root.appendingPathComponent("public")
        guard built(BuildOptions(content: content, output: merged)) else { return }
        let before = snapshot(merged)
        switch SiteBuilder.merge(MergeOptions(shards: shards, content: content, output: merged)) {
        case .success: Issue.record("a merge without region-3's shard succeeded")
        case .failure(let f): #expect(f.diagnostics.contains { $0.message.contains("region") || $0.message.contains("地区") })
        }
        #expect(snapshot(merged) == before)
        // A folder that is not a shard's is named.
        switch SiteBuilder.merge(MergeOptions(shards: [merged], content: content, output: root.appendingPathComponent("other"))) {
        case .success: Issue.record("a merge of a full build's folder succeeded")
        case .failure(let f): #expect(f.diagnostics.contains { $0.message.contains(ShardManifest.path) })
        }
    }

    @Test func aShardBuiltAgainIsANoOpAndAnotherRegionReplacesIt() throws {
        let (root, content, regions) = try site(enclosing: false)
        defer { try? FileManager.default.removeItem(at: root) }
        var options = BuildOptions(content: content, output: root.appendingPathComponent("shard"))
        options.region = regions[0]
        guard built(options) else { return }
        let again = try SiteBuilder.build(options).get()
        #expect(again.upToDate != nil, "nothing changed: a no-op")
        options.region = regions[1]
        let other = try SiteBuilder.build(options).get()
        #expect(other.upToDate == nil, "the region is part of what a shard is built from")
        let manifest = try ShardManifest.read(options.output).get()
        #expect(manifest.region == regions[1])
        let files = snapshot(options.output)
        #expect(Set(files.keys.filter { !$0.hasPrefix(".") }) == Set(manifest.paths))
        #expect(!manifest.paths.contains { $0.hasPrefix("regions/\(regions[0])/") })
    }

    @Test func aRegionTheSiteDoesNotHaveIsRefused() throws {
        let (root, content, _) = try site(enclosing: false)
        defer { try? FileManager.default.removeItem(at: root) }
        var options = BuildOptions(content: content, output: root.appendingPathComponent("shard"))
        options.region = "atlantis"
        guard case .failure(let f) = SiteBuilder.build(options) else { Issue.record("built a shard of no region"); return }
        #expect(f.diagnostics.contains { $0.message.contains("atlantis") })
        #expect(!FileManager.default.fileExists(atPath: options.output.appendingPathComponent(ShardManifest.path).path))
    }
}
