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
    /// The disclosures read are derived and checked a batch of departments at a time as the load
    /// reads them (`Batches`); `inHand` of them are kept in the result, the others let go and read
    /// again when asked for, so memory does not grow with the site. `visit` sees each disclosure
    /// derived anew (not kept by `store`), with the stamp of its files, while it is in hand.
    public static func analyse(content root: URL, stages: inout [(String, Duration, Int)], store: any Store = MemoryStore(),
                               walked: FolderMemo? = nil, followLinks: Bool = false, includeDrafts: Bool = false,
                               selection: ContentLoader.Selection = .all, inHand: Int = .max, batchSize: Int = 256,
                               visit: (@Sendable (Disclosure, _ files: String) -> Void)? = nil) -> Result<AnalysedSite, BuildFailure> {
        let clock = ContinuousClock()
        let start = clock.now
        let reuse = PipelineShelves.reuse(store)
        let taker = BatchQueue {
            Batches(store: store, root: root, followLinks: followLinks, includeDrafts: includeDrafts, inHand: inHand, visit: visit)
        }
        var loaded = ContentLoader.load(from: root, cache: store.kept(PipelineShelves.reading)?.values.first,
                                        reuse: reuse, walked: walked, followLinks: followLinks,
                                        selection: selection, batchSize: batchSize, batch: taker.take)
        var batches = taker.finish()
        guard var content = loaded.content, !loaded.hasErrors else {
            stages.append(("load", clock.now - start, 0))
            return .failure(BuildFailure(loaded.diagnostics))
        }
        loaded.content = nil
        let stamps = loaded.stamps, sharedStamp = loaded.sharedStamp
        // A load with a cache (`serve`) returns the disclosures at once: they are one batch.
        if !content.disclosures.isEmpty {
            var rest = content
            rest.disclosures = []
            batches.take(ContentLoader.Batch(content: rest, sharedStamp: sharedStamp, stamps: stamps, read: content.disclosures,
                                             kept: loaded.kept))
            content = rest
        }
        stages.append(("load", clock.now - start - batches.deriving - batches.checking, batches.drafts.count))
        stages.append(("derive", batches.deriving, batches.read.count))

        let checkStart = clock.now
        // Every disclosure, read or kept, in order of department and year.
        let keptIDs = loaded.kept.map { Disclosure.id($0.department, $0.year) }
        let everyID = (Array(batches.drafts.keys) + keptIDs).sorted()
        PipelineShelves.keep(loaded, ids: everyID, reused: reuse, in: store)
        // Drafts stay off every public output unless asked for (`serve`, `build --drafts`, `check`).
        let drafts = PipelineShelves.drafts(read: batches.drafts, ids: everyID, loaded: loaded, in: store)
        var order = batches.read + zip(loaded.kept, keptIDs).compactMap { kept, id in
            includeDrafts || drafts[id] == nil ? (department: kept.department, year: kept.year, id: id) : nil
        }
        order.sort { ($0.department, $0.year) < ($1.department, $1.year) }
        let ids = order.map(\.id)
        let keys = ids.map { PipelineShelves.readKey(shared: sharedStamp, stamp: stamps[$0] ?? "?") }
        let whole = ids.indices.filter { batches.inHand[ids[$0]] != nil }
        store.keep(PipelineShelves.derived, Kept(ids: whole.map { ids[$0] }, keys: whole.map { keys[$0] },
                                                 values: whole.map { batches.inHand[ids[$0]]! }))
        let all = DisclosureList(ids: ids, departments: order.map(\.department), years: order.map(\.year),
                                 read: ids.map { batches.inHand[$0] }, load: reader(root, content, followLinks: followLinks))
        batches.inHand = [:]

        // Findings of the disclosures read were made batch by batch; those kept are the last
        // build's, unless last year's disclosure changed.
        let previous = all.lastYear
        let options = CheckOptions(yearOnYearFactor: content.config.yearOnYearFactor)
        let site = content, made = batches.findings
        let withLastYear = keys.indices.map { i in Batches.checkKey(keys[i], previous: previous[i].map { keys[$0] }) }
        let perDisclosure = store.reuse(PipelineShelves.checked, Array(all.indices), ids: ids, keys: withLastYear) { i in
            if let made = made[ids[i]], made.key == withLastYear[i] { return made.findings }
            return Checker.check(all[i], department: site.department(all.departments[i]), previous: previous[i].map { all[$0] }, options: options)
        }
        let findings = perDisclosure.flatMap { $0 }
        stages.append(("check", batches.checking + (clock.now - checkStart), findings.count))
        return .success(AnalysedSite(content: content, disclosures: all, findings: findings, diagnostics: loaded.diagnostics,
                                     stamps: stamps, sharedStamp: sharedStamp, ids: ids, keys: keys, previous: previous,
                                     drafts: drafts))
    }

    /// One completed disclosure read again from its year folder (nil: it no longer reads without errors).
    static func reader(_ root: URL, _ content: SiteContent, followLinks: Bool) -> @Sendable (String, Int) -> Disclosure? {
        let catalogs = content.catalogs, limits = content.config.limits, forms = content.forms
        return { department, year in
            ContentLoader.disclosure(in: root, department: department, year: year, catalogs: catalogs, followLinks: followLinks,
                                     limits: limits, forms: forms)
                .map { Derive.complete($0, catalog: catalogs[year] ?? Catalog(year: year)) }
        }
    }
}

/// The load's batches, taken in order on another thread: the load reads the next batch while one is
/// derived and checked (an edited disclosure's check no longer holds up the reading of the rest).
/// At most one batch of disclosures read waits, so memory stays bounded; batches of disclosures
/// kept from the last build (nothing read) hold little and never wait.
final class BatchQueue: @unchecked Sendable {
    private var batches: Batches?
    private let queue = DispatchQueue(label: "sitegen.batches")
    private let room = DispatchSemaphore(value: 1)

    /// `make` runs on the queue too: what the last build checked is indexed there, while the load
    /// begins (the store may still be decoding it).
    init(_ make: @escaping @Sendable () -> Batches) {
        queue.async { self.batches = make() }
    }

    func take(_ batch: ContentLoader.Batch) {
        let holds = !batch.read.isEmpty
        if holds { room.wait() }
        queue.async {
            self.batches!.take(batch)
            if holds { self.room.signal() }
        }
    }

    /// Every batch taken.
    func finish() -> Batches { queue.sync { batches! } }
}

/// The disclosures a load reads, derived and checked a batch at a time (`ContentLoader.Batch`: whole
/// departments, so last year's disclosure is in the same batch). Of each it keeps the findings and
/// whether it is a draft, and the first `inHand` whole.
struct Batches {
    let root: URL
    let followLinks: Bool
    let includeDrafts: Bool
    /// How many disclosures to keep whole (`inHand`).
    let limit: Int
    let visit: (@Sendable (Disclosure, String) -> Void)?
    /// What the last build derived and checked (`serve` keeps completed disclosures too).
    let lastDerived: KeptIndex<Disclosure>
    let lastChecked: KeptIndex<[Finding]>
    let lastDrafts: KeptIndex<[String]>

    /// Of every disclosure read: why it is a draft (empty: it is not one).
    var drafts: [String: [String]] = [:]
    /// The disclosures derived and checked (drafts left out unless included), in the order read.
    var read: [(department: String, year: Int, id: String)] = []
    var inHand: [String: Disclosure] = [:]
    var findings: [String: (key: UInt64, findings: [Finding])] = [:]
    var deriving = Duration.zero, checking = Duration.zero

    init(store: any Store, root: URL, followLinks: Bool, includeDrafts: Bool, inHand: Int,
         visit: (@Sendable (Disclosure, String) -> Void)?) {
        self.root = root
        self.followLinks = followLinks
        self.includeDrafts = includeDrafts
        limit = inHand
        self.visit = visit
        lastDerived = KeptIndex(store.kept(PipelineShelves.derived))
        lastChecked = KeptIndex(store.kept(PipelineShelves.checked))
        lastDrafts = KeptIndex(store.kept(PipelineShelves.drafts))
    }

    /// What the findings of a disclosure are made from: it (`key`), and last year's disclosure.
    static func checkKey(_ key: UInt64, previous: UInt64?) -> UInt64 {
        var stream = Digest.Stream()
        stream.add(key)
        if let previous { stream.add(previous) }
        return stream.value
    }

    mutating func take(_ batch: ContentLoader.Batch) {
        let clock = ContinuousClock()
        var start = clock.now
        let shared = batch.sharedStamp, stamps = batch.stamps
        @Sendable func key(_ id: String) -> UInt64 { PipelineShelves.readKey(shared: shared, stamp: stamps[id] ?? "?") }
        for d in batch.read { drafts[d.id] = d.draft }
        // Left out: drafts read, and those kept that the last build found to be drafts.
        let left = includeDrafts ? [] : Set(batch.read.filter(\.isDraft).map(\.id)
            + batch.kept.map { Disclosure.id($0.department, $0.year) }.filter {
                PipelineShelves.keptDraft($0, last: lastDrafts, shared: shared, stamps: stamps) != nil
            })
        let catalogs = batch.content.catalogs, lastDerived = lastDerived
        // Of each: whether it is derived anew (else `serve` kept it, with what the pages need of it).
        let made = parallelMap(batch.read.filter { !left.contains($0.id) }) { d -> (Disclosure, new: Bool) in
            lastDerived.value(d.id, key: key(d.id)).map { ($0, false) } ?? (Derive.complete(d, catalog: catalogs[d.year] ?? Catalog(year: d.year)), true)
        }
        let derived = made.map(\.0), new = Set(made.filter(\.new).map(\.0.id))
        deriving += clock.now - start

        start = clock.now
        let byID = Dictionary(derived.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let kept = Set(batch.kept.map { Disclosure.id($0.department, $0.year) }).subtracting(left)
        let content = batch.content, lastChecked = lastChecked, visit = visit
        let reread = Analyser.reader(root, content, followLinks: followLinks)
        let options = CheckOptions(yearOnYearFactor: content.config.yearOnYearFactor)
        let checked = parallelMap(derived) { d -> (key: UInt64, findings: [Finding]) in
            let lastID = Disclosure.id(d.department, d.year - 1)
            let hasLast = byID[lastID] != nil || kept.contains(lastID)
            let checkKey = Self.checkKey(key(d.id), previous: hasLast ? key(lastID) : nil)
            if new.contains(d.id) { visit?(d, stamps[d.id] ?? "?") }
            if let hit = lastChecked.value(d.id, key: checkKey) { return (checkKey, hit) }
            // Last year's, when not read: read now (and let go).
            let previous = byID[lastID] ?? (hasLast ? reread(d.department, d.year - 1) : nil)
            return (checkKey, Checker.check(d, department: content.department(d.department), previous: previous, options: options))
        }
        for (d, result) in zip(derived, checked) {
            read.append((d.department, d.year, d.id))
            findings[d.id] = result
            if inHand.count < limit { inHand[d.id] = d }
        }
        checking += clock.now - start
    }
}
