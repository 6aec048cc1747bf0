import Derive
import Foundation
import Incremental
import Model
import Support
import Views

/// Which of the site's page groups a build makes: all of them; a shard's (`sitegen build --region
/// R`: the groups of R and of every region inside it, its departments' included); or a merge's
/// (`sitegen merge`: every group no shard made — the site's own pages and the regions around the
/// shards').
struct BuildScope: Sendable {
    /// nil: every group.
    private let made: Set<String>?
    /// Whether groups of no region (the site's own) are made.
    private let siteWide: Bool

    /// `shard`: the region a shard build makes; `merged`: the regions of the shards a merge joins.
    init(shard: String?, merged: [String], tree: RegionTree) {
        let inside = tree.enclosed(by:)
        if let shard {
            made = inside(shard)
            siteWide = false
        } else if !merged.isEmpty {
            let shards = merged.reduce(into: Set<String>()) { $0.formUnion(inside($1)) }
            made = Set(tree.regions.map(\.slug)).subtracting(shards)
            siteWide = true
        } else {
            made = nil
            siteWide = true
        }
    }

    func makes(_ group: PageGroup) -> Bool {
        guard let made else { return true }
        return group.region.map(made.contains) ?? siteWide
    }
}

/// What a shard leaves for `sitegen merge` beside its pages: every disclosure it built with what
/// the site's own pages show of it (department, year, publication date, headline figures), and the
/// paths of every file it publishes. Written as `.sitegen-shard.json` at the top of the shard's
/// output; deterministic (sorted keys, disclosures in order of department and year).
public struct ShardManifest: Codable, Sendable, Equatable {
    public static let path = ".sitegen-shard.json"
    public static let currentFormat = "sitegen-shard 2"

    public struct Entry: Codable, Sendable, Equatable {
        public var department: String
        public var year: Int
        public var published: String?
        /// Headline figures by key, as exact decimal text.
        public var headline: [String: String]
        /// What the search index takes from it: [name, the id of its line on the page] (`SearchIndex`).
        public var terms: [[String]]
    }

    public var format = currentFormat
    /// The region the shard was built for.
    public var region: String
    public var disclosures: [Entry]
    /// Every file the shard publishes besides this manifest and the output marker, sorted.
    public var paths: [String]

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(self)).map { [UInt8]($0) } ?? []) + [0x0A]
    }

    /// The manifest of a shard's output folder; an error names the folder and what is wrong.
    static func read(_ folder: URL) -> Result<ShardManifest, Diagnostic> {
        let file = folder.appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            return .failure(.error(SourceLocation(file: file.path), localized(
                "不是分片的输出文件夹：缺少 \(path)（用 sitegen build --region 地区 生成分片）",
                en: "not a shard's output folder: \(path) is missing (shards are made by sitegen build --region R)")))
        }
        guard let manifest = try? JSONDecoder().decode(ShardManifest.self, from: data), manifest.format == currentFormat else {
            return .failure(.error(SourceLocation(file: file.path), localized(
                "无法读取分片清单（应为 \(currentFormat) 格式）；请用同一版本的 sitegen 重新生成分片",
                en: "the shard manifest cannot be read (expected format \(currentFormat)); build the shard again with this sitegen")))
        }
        return .success(manifest)
    }

    /// The stamps pages take from each disclosure of the manifest (`PageInput`): a disclosure's
    /// entry stands for it.
    func stamps() -> [DisclosureStamps] {
        disclosures.map { e in
            let id = Disclosure.id(e.department, e.year)
            var values: [String: Amount] = [:]
            for (key, text) in e.headline { if case .success(let v) = Amount.parse(text) { values[key] = v } }
            let figures = id + "=" + Digest.fnv1a(e.headline.keys.sorted().map { "\($0):\(e.headline[$0]!)" }.joined(separator: ";"))
            let terms = e.terms.compactMap { $0.count == 2 ? SearchTerm($0[0], anchor: $0[1]) : nil }
            var stamps = DisclosureStamps(files: figures, figures: figures, cells: figures, headline: Headline(values: values), published: e.published,
                                          terms: PageGraph.termsStamp(id, terms))
            stamps.searchTerms = terms
            return stamps
        }
    }
}

extension PageGraph {
    /// A shard's files group: its manifest, listing the paths every other group of the shard
    /// publishes (`paths`, one list per group; `shapes` fingerprint those lists) and what the site's
    /// own pages show of each of its disclosures.
    static func shardFiles(region: String, listing: Listing, shared: String, shapes: [String],
                           paths: @escaping @Sendable () -> [[String]]) -> PageGroup {
        let sources = listing.sources, all = sources.all
        let pathList = Digest.fnv1a(shapes.joined(separator: "|"))
        let inputs = PageDependencies([.shared, .paths] + all.indices.flatMap { [PageInput.figures($0), .published($0), .terms($0)] },
                                      stamp: { $0 == .paths ? pathList : sources.stamp($0, shared: shared) })
        return PageGroup(id: filesGroup, inputs: inputs) {
            [Page.text(ShardManifest.path, inputs: inputs) { r in
                let entries = all.indices.map { i in
                    let values = r.headline(i).values
                    return ShardManifest.Entry(department: all.departments[i], year: all.years[i], published: r.published(i),
                                               headline: values.mapValues(\.description), terms: r.terms(i).map { [$0.text, $0.anchor] })
                }
                let manifest = ShardManifest(region: region, disclosures: entries, paths: paths().flatMap { $0 }.sorted())
                return String(decoding: manifest.encoded(), as: UTF8.self)
            }]
        }
    }
}
