import Content
import Foundation
import Incremental
import Model
import Pipeline
import Support

/// What `sitegen merge` needs to know.
public struct MergeOptions: Sendable {
    /// The shards' output folders (`sitegen build --region R --output …`).
    public var shards: [URL]
    /// The content folder the shards were built from: site.yaml, the catalogues and the
    /// department.yaml files are read (no year folder), and its theme.
    public var content: URL
    public var output: URL
    public var threads: Int?
    public var followSymlinks: Bool

    public init(shards: [URL], content: URL, output: URL, threads: Int? = nil, followSymlinks: Bool = false) {
        self.shards = shards
        self.content = content
        self.output = output
        self.threads = threads
        self.followSymlinks = followSymlinks
    }
}

/// What a merge plans from: the shards' regions, the stamps of their disclosures and the paths
/// they publish (one list per shard).
struct Merging: Sendable {
    var regions: [String]
    var stamps: [DisclosureStamps]
    var paths: [[String]]
}

extension SiteBuilder {
    /// Joins shards into one site: the shards' files are hard-linked (or copied) into a staging
    /// folder, the pages no shard made (home, search, feed, sitemap, the regions around the shards,
    /// the theme's files) are made by the same page graph as a full build's, fed from the shards'
    /// manifests, and the whole is published like a full build (`Output`, `.replace`). The result
    /// is byte for byte what one full build of the content makes.
    public static func merge(_ options: MergeOptions) -> Result<BuildReport, BuildFailure> {
        var build = BuildOptions(content: options.content, output: options.output, threads: options.threads, force: true,
                                 followSymlinks: options.followSymlinks)
        build.drafts = false
        var run = BuildRun(options: build, memory: nil)
        do throws(BuildFailure) {
            var manifests: [ShardManifest] = []
            var problems: [Diagnostic] = []
            for folder in options.shards {
                switch ShardManifest.read(folder) {
                case .success(let m): manifests.append(m)
                case .failure(let d): problems.append(d)
                }
            }
            if !problems.isEmpty { throw BuildFailure(problems) }
            let folder = try OutputFolder.claim(options.output, content: options.content, protected: run.themeInputs + options.shards).get()
            let (model, merging) = try run.mergedSite(manifests)
            let theme = try run.theme(model.content.config, store: MemoryStore())
            let plan = run.plan(model, theme: theme, folder: folder, last: LastBuild(store: MemoryStore()), merge: merging)
            let copies = zip(options.shards, manifests).flatMap { shard, m in
                m.paths.map { (path: $0, source: shard.standardizedFileURL.path + "/" + $0) }
            }
            let rendering = try run.render(plan, model: model, theme: theme, folder: folder, copies: copies)
            // The state of an earlier build no longer describes the folder.
            BuildState.remove(for: folder.url)
            try run.publish(plan, rendering.writer)
            let files = plan.published.files + copies.count
            let pages = files - plan.groups.last!.record.paths.count
            return .success(BuildReport(pages: pages, files: files, disclosures: model.disclosures.count,
                                        warnings: model.diagnostics.filter { $0.severity == .warning }, findings: [],
                                        stages: run.stages, rendered: pages))
        } catch {
            return .failure(error)
        }
    }
}

extension BuildRun {
    /// The site as the shards built it: the content's shared part (no year folder is read) and each
    /// shard's disclosures as its manifest describes them. Every department must be in exactly one
    /// shard, and no shard's region inside another's.
    mutating func mergedSite(_ manifests: [ShardManifest]) throws(BuildFailure) -> (AnalysedSite, Merging) {
        let start = clock.now
        let loaded = ContentLoader.load(from: options.content, followLinks: options.followSymlinks, selection: .none)
        guard let content = loaded.content, !loaded.hasErrors else { throw BuildFailure(loaded.diagnostics) }
        let tree = RegionTree(declared: content.config.regions, departments: content.departments)
        var bag = DiagnosticBag()
        let site = SourceLocation(file: "site.yaml")
        var shardOf: [String: String] = [:]   // region → the shard's region it is in
        for m in manifests {
            guard tree.region(m.region) != nil else {
                bag.error(site, localized("分片的地区 '\(m.region)' 不是网站的地区", en: "the shard's region '\(m.region)' is not a region of the site"))
                continue
            }
            for r in tree.enclosed(by: m.region).sorted() {
                if let other = shardOf[r] {
                    bag.error(site, localized("分片 '\(other)' 与 '\(m.region)' 重叠（都含地区 \(r)）",
                                              en: "the shards '\(other)' and '\(m.region)' overlap (both hold the region \(r))"))
                }
                shardOf[r] = m.region
            }
        }
        for dept in content.departments where tree.regionOf[dept.slug].flatMap({ shardOf[$0] }) == nil {
            bag.error(dept.location, localized("单位 \(dept.slug) 不在任何分片的地区中；合并需要覆盖全部地区的分片",
                                               en: "the department \(dept.slug) is in no shard's region; a merge needs shards that cover every region"))
        }
        var entries: [ShardManifest.Entry] = []
        var owner: [String: String] = [:]
        for m in manifests {
            for path in m.paths {
                if let other = owner.updateValue(m.region, forKey: path) {
                    bag.error(site, localized("分片 '\(other)' 与 '\(m.region)' 都发布了 \(path)", en: "the shards '\(other)' and '\(m.region)' both publish \(path)"))
                    break
                }
            }
            for e in m.disclosures where tree.regionOf[e.department].flatMap({ shardOf[$0] }) != m.region {
                bag.error(site, localized("分片 '\(m.region)' 含有不属于它的单位 \(e.department)（内容已变？请重新生成分片）",
                                          en: "the shard '\(m.region)' holds \(e.department), which is not in its region (content changed? build the shards again)"))
            }
            entries += m.disclosures
        }
        if bag.hasErrors { throw BuildFailure(loaded.diagnostics + bag.sorted) }
        let order = entries.indices.sorted { (entries[$0].department, entries[$0].year) < (entries[$1].department, entries[$1].year) }
        let sorted = order.map { entries[$0] }
        let ids = sorted.map { Disclosure.id($0.department, $0.year) }
        // Pages of a merge never read a disclosure; one that did would fail the build (`failures`).
        let list = DisclosureList(ids: ids, departments: sorted.map(\.department), years: sorted.map(\.year),
                                  read: Array(repeating: nil, count: ids.count)) { _, _ in nil }
        let all = ShardManifest(region: "", disclosures: sorted, paths: [])
        stages.append(("load", clock.now - start, ids.count))
        let model = AnalysedSite(content: content, disclosures: list, findings: [], diagnostics: loaded.diagnostics,
                                 sharedStamp: loaded.sharedStamp, ids: ids, keys: ids.map { _ in 0 }, previous: list.lastYear)
        return (model, Merging(regions: manifests.map(\.region), stamps: all.stamps(), paths: manifests.map(\.paths)))
    }
}
