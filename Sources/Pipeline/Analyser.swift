import Check
import Content
import Derive
import Foundation
import Incremental
import Model
import Support

/// The loaded, derived and checked site, before rendering; `sitegen check` stops here.
public struct AnalysedSite: Sendable {
    public var content: SiteContent
    /// Completed disclosures, sorted by department and year.
    public var disclosures: DisclosureList
    public var findings: [Finding]
    public var diagnostics: [Diagnostic]
    /// What each disclosure and everything else was read from (incremental builds).
    public var stamps: [String: String] = [:]
    public var sharedStamp: String = ""
    /// Of each disclosure, by position: its id, and a fingerprint of what it was read from and of
    /// everything else it is derived with (made in one pass: every pass over all disclosures'
    /// boxes costs cache misses).
    public var ids: [String] = []
    public var keys: [UInt64] = []
    /// Of each disclosure, the position of last year's disclosure of its department, if any.
    public var previous: [Int?] = []
    /// Drafts, by id, with why each is one (left out of `disclosures` unless drafts were included).
    public var drafts: [String: [String]] = [:]

    public init(content: SiteContent, disclosures: DisclosureList, findings: [Finding], diagnostics: [Diagnostic],
                stamps: [String: String] = [:], sharedStamp: String = "", ids: [String] = [], keys: [UInt64] = [],
                previous: [Int?] = [], drafts: [String: [String]] = [:]) {
        self.content = content
        self.disclosures = disclosures
        self.findings = findings
        self.diagnostics = diagnostics
        self.stamps = stamps
        self.sharedStamp = sharedStamp
        self.ids = ids
        self.keys = keys
        self.previous = previous
        self.drafts = drafts
    }
}

/// The stages every command shares: load → derive → check. `sitegen build` and `serve` go on to
/// render (Site); `sitegen check` stops here.
public enum Analyser {
    /// `store`: what the last build kept (`PipelineShelves`); disclosures whose files are unchanged
    /// since are not read (`DisclosureList` reads one when a page needs it), nor derived or checked
    /// again. This build's results are kept there for the next.
    /// `includeDrafts`: drafts are analysed like the others (`serve`, `check`, `build --drafts`);
    /// otherwise they are left out of everything after loading. `selection`: the year folders read
    /// (a shard reads one region's).
    public static func analyse(content root: URL, stages: inout [(String, Duration, Int)], store: any Store = MemoryStore(),
                               walked: FolderMemo? = nil, followLinks: Bool = false, includeDrafts: Bool = false,
                               selection: ContentLoader.Selection = .all) -> Result<AnalysedSite, BuildFailure> {
        let clock = ContinuousClock()
        var start = clock.now
        let reuse = PipelineShelves.reuse(store)
        var loaded = ContentLoader.load(from: root, cache: store.kept(PipelineShelves.reading)?.values.first,
                                        reuse: reuse, walked: walked, followLinks: followLinks,
                                        selection: selection)
        stages.append(("load", clock.now - start, loaded.content?.disclosures.count ?? 0))
        guard var content = loaded.content, !loaded.hasErrors else { return .failure(BuildFailure(loaded.diagnostics)) }
        loaded.content = nil
        let stamps = loaded.stamps
        // Derived and checked results depend on the disclosure, last year's, the catalogues and the departments.
        let sharedStamp = loaded.sharedStamp

        start = clock.now
        let catalogs = content.catalogs
        var read: [Disclosure] = []
        swap(&read, &content.disclosures)
        func key(_ id: String) -> UInt64 {
            var key = Digest.Stream()
            key.add(sharedStamp)
            key.add(stamps[id] ?? "?")
            return key.value
        }
        // Every disclosure, read or kept, in order of department and year: its id and its position in `read` (-1: kept).
        var kept = loaded.kept
        let everyID = (read.map(\.id) + kept.map { Disclosure.id($0.department, $0.year) }).sorted()
        PipelineShelves.keep(loaded, ids: everyID, reused: reuse, in: store)
        // Drafts stay off every public output unless asked for (`serve`, `build --drafts`, `check`).
        let drafts = PipelineShelves.drafts(read, ids: everyID, loaded: loaded, in: store)
        if !includeDrafts && !drafts.isEmpty {
            read.removeAll { drafts[$0.id] != nil }
            kept.removeAll { drafts[Disclosure.id($0.department, $0.year)] != nil }
        }
        var order = read.indices.map { (department: read[$0].department, year: read[$0].year, id: read[$0].id, read: $0) }
            + kept.map { (department: $0.department, year: $0.year, id: Disclosure.id($0.department, $0.year), read: -1) }
        order.sort { ($0.department, $0.year) < ($1.department, $1.year) }
        let ids = order.map(\.id)
        let keys = ids.map(key)
        var readIds = [String](repeating: "", count: read.count), readKeys = [UInt64](repeating: 0, count: read.count)
        for (i, o) in order.enumerated() where o.read >= 0 { (readIds[o.read], readKeys[o.read]) = (o.id, keys[i]) }
        let derived = store.reuse(PipelineShelves.derived, consume read, ids: readIds, keys: readKeys) { d in
            Derive.complete(d, catalog: catalogs[d.year] ?? Catalog(year: d.year))
        }
        let limits = content.config.limits, forms = content.forms
        let all = DisclosureList(ids: ids, departments: order.map(\.department), years: order.map(\.year),
                                 read: order.map { $0.read < 0 ? nil : derived[$0.read] }) { department, year in
            ContentLoader.disclosure(in: root, department: department, year: year, catalogs: catalogs, followLinks: followLinks,
                                     limits: limits, forms: forms)
                .map { Derive.complete($0, catalog: catalogs[year] ?? Catalog(year: year)) }
        }
        stages.append(("derive", clock.now - start, derived.count))

        start = clock.now
        let previous = all.lastYear
        let options = CheckOptions(yearOnYearFactor: content.config.yearOnYearFactor)
        let site = content
        let withLastYear = keys.indices.map { i in
            var key = Digest.Stream()
            key.add(keys[i])
            if let p = previous[i] { key.add(keys[p]) }
            return key.value
        }
        let perDisclosure = store.reuse(PipelineShelves.checked, Array(all.indices), ids: ids, keys: withLastYear) { i in
            Checker.check(all[i], department: site.department(all.departments[i]), previous: previous[i].map { all[$0] }, options: options)
        }
        let findings = perDisclosure.flatMap { $0 }
        stages.append(("check", clock.now - start, findings.count))
        return .success(AnalysedSite(content: content, disclosures: all, findings: findings, diagnostics: loaded.diagnostics,
                                     stamps: stamps, sharedStamp: loaded.sharedStamp, ids: ids, keys: keys, previous: previous,
                                     drafts: drafts))
    }
}
