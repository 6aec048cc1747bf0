import Check
import Content
import DefaultTheme
import Derive
import Dispatch
import Foundation
import Model
import Theme
import Views

/// What a build needs to know.
public struct BuildOptions: Sendable {
    public var content: URL
    public var output: URL
    /// Theme folders searched before the built-in theme (default: `<site>/themes/<theme>/`).
    public var themeFolders: [URL]?
    /// Render with this many threads (nil = all cores).
    public var threads: Int?
    /// Ignore what the last build left (`.<output>.sitegen-state`): render and write every page.
    public var force: Bool
    /// Leave changed bulk downloads (a region's long CSV and ZIP) as they are, for a build right
    /// after this one to make (`serve`: the edited page is shown without waiting for them).
    /// Only in a folder that already has them; `BuildReport.waiting` counts the groups left.
    public var downloadsLater: Bool
    /// Follow symbolic links in the content and theme folders that lead to files inside the site
    /// root (`--follow-symlinks`); by default every link is refused.
    public var followSymlinks: Bool
    /// A failure made on purpose (tests; `SITEGEN_FAULT`).
    public var fault: Fault?

    public init(content: URL, output: URL, themeFolders: [URL]? = nil, threads: Int? = nil, force: Bool = false,
                downloadsLater: Bool = false, followSymlinks: Bool = false, fault: Fault? = Fault.fromEnvironment()) {
        self.content = content
        self.output = output
        self.themeFolders = themeFolders
        self.threads = threads
        self.force = force
        self.downloadsLater = downloadsLater
        self.followSymlinks = followSymlinks
        self.fault = fault
    }
}

extension BuildOptions {
    /// The links a theme folder may hold: those of the content folder's rule.
    var themeLinks: Theme.Links {
        let site = content.standardizedFileURL.deletingLastPathComponent().resolvingSymlinksInPath().path
        return Theme.Links(follow: followSymlinks, root: site)
    }
}

/// What a build did.
public struct BuildReport: Sendable {
    public var pages: Int
    public var files: Int
    public var disclosures: Int
    public var warnings: [Diagnostic]
    public var findings: [Finding]
    public var stages: [(String, Duration, Int)]
    /// Pages rendered this time (the others were unchanged and kept).
    public var rendered: Int = 0
    /// Per template (or download kind): time building view models (or the download), in the template,
    /// writing the file, and pages — summed over threads.
    public var templates: [(name: String, views: Duration, template: Duration, write: Duration, pages: Int)] = []
    /// Set when nothing changed since the last build into this folder: what that build reported.
    public var upToDate: String?
    /// Groups of bulk downloads left as they were (`BuildOptions.downloadsLater`), for the next build.
    public var waiting = 0
}

/// What one process keeps between builds (`serve`): decoded disclosures, derived and checked
/// results, and the bytes of every page with the inputs they came from.
public final class BuildCache: @unchecked Sendable {
    let content: ContentLoader.Cache
    let lock = NSLock()
    /// Per disclosure, in the order of the last build: completed disclosures; findings (made from
    /// it and last year's); its headline figures and the parts of page keys it gives.
    var derived = Kept<Disclosure>()
    var checked = Kept<[Finding]>()
    var digests = Kept<PageGraph.Fingerprints>()
    /// What the last build published, group by group.
    var published = Published()
    /// The theme as last loaded, with the stamp of its folders.
    var theme: (stamp: String, theme: Theme)?
    /// The regions as last made, with the stamp of what they are made from (site.yaml, department.yaml files).
    var regions: (stamp: String, regions: PageGraph.Regions)?
    /// Where that was published.
    var output: URL?

    /// `reportsChanges`: the owner calls `forget(_:content:)` with every path that changes between
    /// builds (a watcher), so a rebuild looks only at those instead of walking the content folder.
    public init(reportsChanges: Bool = false) { content = ContentLoader.Cache(reportsChanges: reportsChanges) }

    /// Absolute paths that changed since the last build; those outside `content` are ignored.
    public func forget(_ changed: Set<String>, content root: URL) {
        let base = root.standardizedFileURL.path
        let relative = changed.compactMap { path -> String? in
            if path == base || path == base + "/" { return "" }
            return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : nil
        }
        content.forget(relative.sorted())
    }
}

/// Results of the last build, one per item, with the item's id and key (what it was made from).
struct Kept<V: Sendable>: Sendable {
    var ids: [String] = []
    var keys: [UInt64] = []
    var values: [V] = []
}

extension Optional where Wrapped == BuildCache {
    /// `make` of each item, or, in a process that keeps a cache, what it gave for the item's id in
    /// the last build when the item's key (what the result is made from) is the same. Items to make
    /// are made in parallel, each let go as soon as it is made. When the items are the last build's
    /// (an edit), results are matched by position, without a lookup by id.
    /// `kept`: results of a build in another process (`Analysis`), for a process without a cache.
    func reuse<T: Sendable, V: Sendable>(_ field: ReferenceWritableKeyPath<BuildCache, Kept<V>>, _ items: consuming [T],
                                         ids: [String], keys: [UInt64], kept disk: Kept<V>? = nil,
                                         _ make: @escaping @Sendable (T) -> V) -> [V] {
        var values = [V?](repeating: nil, count: ids.count)
        var misses: [Int] = []
        if let kept = self.map({ cache in cache.lock.withLock { cache[keyPath: field] } }) ?? disk {
            if kept.ids == ids {
                for i in ids.indices {
                    if kept.keys[i] == keys[i] { values[i] = kept.values[i] } else { misses.append(i) }
                }
            } else {
                let position = Dictionary(zip(kept.ids, kept.ids.indices), uniquingKeysWith: { first, _ in first })
                for i in ids.indices {
                    if let j = position[ids[i]], kept.keys[j] == keys[i] { values[i] = kept.values[j] } else { misses.append(i) }
                }
            }
        } else {
            misses = Array(ids.indices)
        }
        // Each item to make is let go as soon as it is made (a disclosure as read, once completed:
        // one copy in memory, not two).
        let work = misses.map { items[$0] }
        items = []
        for (i, value) in zip(misses, parallelConsume(consume work, make)) { values[i] = value }
        let made = values.map { $0! }
        if let cache = self {
            cache.lock.withLock { cache[keyPath: field] = Kept(ids: ids, keys: keys, values: made) }
        }
        return made
    }
}

/// The whole pipeline: load → derive → check → views → render → publish.
public enum SiteBuilder {
    /// The loaded, derived and checked site, before rendering; `check` stops here.
    public struct Model: Sendable {
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
        /// Of each disclosure, by position: its findings, and what they are made from (it and last year's).
        public var checked: [[Finding]] = []
        public var checkKeys: [UInt64] = []
        /// What reading each year folder reported (`departments/<slug>/<year>`).
        public var folderDiagnostics: [String: [Diagnostic]] = [:]
        /// What each department.yaml gave (`ContentLoader.Result.departments`).
        public var departmentFiles: [String: ContentLoader.KeptDepartment] = [:]
    }

    /// `kept`: what the last build in another process made of each disclosure; those whose files are
    /// unchanged are not read (`DisclosureList` reads one when a page needs it).
    static func analyse(content root: URL, stages: inout [(String, Duration, Int)], cache: BuildCache? = nil,
                        kept: Analysis?, walked: FolderMemo?, followLinks: Bool) -> Result<Model, BuildFailure> {
        let clock = ContinuousClock()
        var start = clock.now
        var loaded = ContentLoader.load(from: root, cache: cache?.content, reuse: kept?.reuse, walked: walked, followLinks: followLinks)
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
        var order = read.indices.map { (department: read[$0].department, year: read[$0].year, id: read[$0].id, read: $0) }
            + loaded.kept.map { (department: $0.department, year: $0.year, id: Disclosure.id($0.department, $0.year), read: -1) }
        order.sort { ($0.department, $0.year) < ($1.department, $1.year) }
        let ids = order.map(\.id)
        let keys = ids.map(key)
        var readIds = [String](repeating: "", count: read.count), readKeys = [UInt64](repeating: 0, count: read.count)
        for (i, o) in order.enumerated() where o.read >= 0 { (readIds[o.read], readKeys[o.read]) = (o.id, keys[i]) }
        let derived = cache.reuse(\.derived, consume read, ids: readIds, keys: readKeys) { d in
            Derive.complete(d, catalog: catalogs[d.year] ?? Catalog(year: d.year))
        }
        let limits = content.config.limits
        let all = DisclosureList(ids: ids, departments: order.map(\.department), years: order.map(\.year),
                                 read: order.map { $0.read < 0 ? nil : derived[$0.read] }) { department, year in
            ContentLoader.disclosure(in: root, department: department, year: year, catalogs: catalogs, followLinks: followLinks,
                                     limits: limits)
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
        let perDisclosure = cache.reuse(\.checked, Array(all.indices), ids: ids, keys: withLastYear, kept: kept?.checked) { i in
            Checker.check(all[i], department: site.department(all.departments[i]), previous: previous[i].map { all[$0] }, options: options)
        }
        let findings = perDisclosure.flatMap { $0 }
        stages.append(("check", clock.now - start, findings.count))
        return .success(Model(content: content, disclosures: all, findings: findings, diagnostics: loaded.diagnostics,
                              stamps: stamps, sharedStamp: loaded.sharedStamp, ids: ids, keys: keys, previous: previous,
                              checked: perDisclosure, checkKeys: withLastYear, folderDiagnostics: loaded.folderDiagnostics,
                              departmentFiles: loaded.departments))
    }

    public static func analyse(content root: URL, stages: inout [(String, Duration, Int)], cache: BuildCache? = nil,
                               followLinks: Bool = false) -> Result<Model, BuildFailure> {
        analyse(content: root, stages: &stages, cache: cache, kept: nil, walked: nil, followLinks: followLinks)
    }

    /// The state and the analysis a build left beside the output folder, read at the same time; the
    /// analysis only with a state that still describes the folder.
    static func lastBuild(_ output: URL, content: URL) -> (BuildState?, Analysis?) {
        let (state, analysis) = concurrently { BuildState.read(for: output) } _: { Analysis.read(for: output, content: content) }
        return (state, state == nil ? nil : analysis)
    }

    public static func build(_ options: BuildOptions, cache: BuildCache? = nil) -> Result<BuildReport, BuildFailure> {
        let clock = ContinuousClock()
        var stages: [(String, Duration, Int)] = []
        let siteRoot = options.content.standardizedFileURL.deletingLastPathComponent()
        let themeInputs = (options.themeFolders ?? [siteRoot.appendingPathComponent("themes")]) + [DefaultTheme.folder].compactMap { $0 }
        // The folder is sitegen's, no other build publishes there, and what a killed build left is undone.
        let folder: OutputFolder
        switch OutputFolder.claim(options.output, content: options.content, protected: themeInputs) {
        case .failure(let failure): return .failure(failure)
        case .success(let claimed): folder = claimed
        }
        let output = folder.url

        // Nothing changed since the last build into this folder (by any process): stop here.
        // `serve` keeps its own state in memory; the file's would be out of date as soon as it rebuilds.
        var start = clock.now
        var inputs = "", state: BuildState?
        // What the last build made of each disclosure, for a build into a folder it published.
        var kept: Analysis?
        // What the walk of the no-op check found in the content folder, for the load.
        var walked: FolderMemo?
        // Content files too recent to trust their stamps: hashed now, and again by the next build.
        var freshness = Freshness()
        if cache == nil {
            let recorded = BuildState.inputs(of: output)
            let last = options.force ? nil : recorded
            freshness = Freshness(recorded: recorded?.fresh ?? [:])
            (inputs, walked) = BuildState.inputs(content: options.content, themeFolders: themeInputs, links: options.themeLinks,
                                                 freshness: freshness)
            if let last, last.inputs == inputs {
                // Files no longer fresh need no hashing next time (only after recent edits).
                if last.fresh != freshness.fresh, var state = BuildState.read(for: output) {
                    state.fresh = freshness.fresh
                    state.write(for: output)
                }
                stages.append(("stat", clock.now - start, last.files))
                return .success(BuildReport(pages: 0, files: last.files, disclosures: 0, warnings: [], findings: [], stages: stages,
                                            upToDate: last.summary))
            }
            if last != nil { (state, kept) = lastBuild(output, content: options.content) }
        } else if cache!.lock.withLock({ cache!.output == nil }) {
            (state, kept) = lastBuild(output, content: options.content)
            BuildState.remove(for: output)
        }

        let model: Model
        switch analyse(content: options.content, stages: &stages, cache: cache, kept: kept, walked: walked, followLinks: options.followSymlinks) {
        case .failure(let f): return .failure(f)
        case .success(let m): model = m
        }
        let config = model.content.config
        let checkErrors = model.findings.filter { $0.severity == .error }
        if config.checkErrorsStopBuild && !checkErrors.isEmpty {
            return .failure(BuildFailure(model.diagnostics + model.findings.map(\.diagnostic) + [
                .error(SourceLocation(file: "site.yaml"), "\(checkErrors.count) consistency error(s) stop the build; fix them, or publish them as they are with `checks: {errors_stop_build: false}` in site.yaml"),
            ]))
        }

        start = clock.now
        var folders = options.themeFolders ?? [siteRoot.appendingPathComponent("themes").appendingPathComponent(config.theme)]
        if let builtIn = DefaultTheme.folder { folders.append(builtIn) }
        folders = folders.filter { FileManager.default.fileExists(atPath: $0.path) }
        // Parsed again only when a file of its folders changed (serve keeps the last one).
        let links = options.themeLinks
        let themeStamp = Theme.stamp(folders, links: links)
        let theme: Theme
        if let kept = cache?.lock.withLock({ cache!.theme }), kept.stamp == themeStamp {
            theme = kept.theme
        } else {
            switch Theme.load(folders: folders, links: links) {
            case .failure(let f): return .failure(f)
            case .success(let t): theme = t
            }
            cache?.lock.withLock { cache!.theme = (themeStamp, theme) }
        }
        stages.append(("theme", clock.now - start, theme.origins.count))

        start = clock.now
        // Everything every page depends on, including the sitegen binary (a new version renders all again).
        let shared = Digest.fnv1a(model.sharedStamp + "|" + themeStamp + "|" + BuildState.binary)
        let stamps = model.stamps
        let all = model.disclosures
        let digests = cache.reuse(\.digests, Array(all.indices), ids: model.ids, keys: model.keys, kept: kept?.digests) {
            PageGraph.digests(all[$0], stamp: stamps[all.ids[$0]] ?? "?")
        }
        // serve: made again only when site.yaml or a department.yaml changed (not free in a large site:
        // bench/README.md#figures-that-were-in-code-comments).
        var regions = cache?.lock.withLock { cache!.regions }.flatMap { $0.stamp == model.sharedStamp ? $0.regions : nil }
        if regions == nil, let cache {
            regions = PageGraph.Regions(config: config, departments: model.content.departments)
            cache.lock.withLock { cache.regions = (model.sharedStamp, regions!) }
        }
        let groups = PageGraph.groups(model, config: config, shared: shared, digests: digests, regions: regions)
        // What is published there now: this process's last build (serve), else the state a build left
        // beside the folder. A group whose key is unchanged keeps its files without being listed page
        // by page; in a changed group, pages whose key is unchanged keep theirs.
        let previous = cache.flatMap { c in c.lock.withLock { c.output == output ? c.published : nil } } ?? state?.published ?? Published()
        let update = !previous.groups.isEmpty && FileManager.default.fileExists(atPath: output.path)
        let later = options.downloadsLater
        @Sendable func resolve(_ group: PageGroup) -> (id: String, record: Published.Group, stale: [Page]?, waits: Bool) {
            let old = update ? previous.groups[group.id] : nil
            // Kept as published, with the old key: the next build finds it changed and makes it.
            if let old, old.key == group.key || (later && group.canWait) { return (group.id, old, nil, old.key != group.key) }
            let pages = group.pages()
            let keys = pages.map { Digest.fnv1a($0.key) }
            let oldKeys = old.map { Dictionary(zip($0.paths, $0.keys), uniquingKeysWith: { a, _ in a }) } ?? [:]
            return (group.id, Published.Group(key: group.key, paths: pages.map(\.path), keys: keys),
                    zip(pages, keys).filter { oldKeys[$0.0.path] != $0.1 }.map(\.0), false)
        }
        var resolved = parallelMap(groups, resolve)
        // The sitemap and the theme's files come last: the sitemap lists the pages of all the others.
        let listed = resolved.map(\.record)
        resolved.append(resolve(PageGraph.files(theme: theme, shared: shared, baseURL: config.baseURL, shapes: listed.map(\.shape)) {
            listed.map(\.paths)
        }))
        let stale = resolved.flatMap { $0.stale ?? [] }
        let staleFiles = resolved.last!.stale?.count ?? 0
        stages.append(("views", clock.now - start, stale.count))

        start = clock.now
        let writer: Output
        do throws(SystemError) {
            writer = try Output(folder, mode: update ? .update : .replace, fault: options.fault)
        } catch {
            return .failure(BuildFailure([publishFailure([error], output: options.output)]))
        }
        // Rendered and written at once by each thread: no page is held in memory. Files made from
        // other files (the region ZIPs) come after all the others, and read them as written.
        let render = { @Sendable (page: Page) -> (kind: String, diagnostics: [Diagnostic], times: [Duration], failure: SystemError?) in
            let clock = ContinuousClock()
            let t0 = clock.now
            var bag = DiagnosticBag()
            let kind: String
            let bytes: [UInt8]
            var t1 = t0
            if let data = page.data {
                kind = "data ." + (page.path.split(separator: ".").last.map(String.init) ?? "")
                bytes = data(writer.read)
                t1 = clock.now
            } else {
                kind = page.template
                let model = page.make(&bag)
                t1 = clock.now
                bytes = Array(theme.render(page.template, model).utf8)
            }
            let t2 = clock.now
            do throws(SystemError) {
                if !bag.hasErrors { try writer.write(page.path, bytes) }
            } catch {
                return (kind, bag.items, [t1 - t0, t2 - t1, .zero], error)
            }
            return (kind, bag.items, [t1 - t0, t2 - t1, clock.now - t2], nil)
        }
        let rendered = parallelMap(stale.filter { !$0.madeFromFiles }, threads: options.threads, render)
            + parallelMap(stale.filter(\.madeFromFiles), threads: options.threads, render)
        var bag = DiagnosticBag()
        var perTemplate: [String: ([Duration], Int)] = [:]
        let failures = rendered.compactMap(\.failure)
        if !failures.isEmpty { bag.add(publishFailure(failures, output: options.output)) }
        for page in rendered {
            bag.add(contentsOf: page.diagnostics)
            let old = perTemplate[page.kind] ?? ([.zero, .zero, .zero], 0)
            perTemplate[page.kind] = (zip(old.0, page.times).map { $0 + $1 }, old.1 + 1)
        }
        // A disclosure kept from the last build that no longer reads as it did (its files changed
        // during this build): its pages would show what is no longer there.
        for id in all.failures {
            bag.error(SourceLocation(file: "departments/\(id)"), "changed while the site was built; build again")
        }
        if bag.hasErrors {
            writer.abort()
            return .failure(BuildFailure(model.diagnostics + bag.sorted))
        }
        stages.append(("render", clock.now - start, rendered.count))

        // Files that are no longer made are removed, and the new files take the place of the old.
        start = clock.now
        var published = Published()
        published.groups.reserveCapacity(resolved.count)
        for r in resolved { published.groups[r.id] = r.record }
        do throws(SystemError) {
            // From the first rename on, the old state no longer describes the folder.
            if update { BuildState.remove(for: output) }
            try writer.commit(removing: update ? published.removed(since: previous, remade: Set(resolved.filter { $0.stale != nil }.map(\.id))) : [])
        } catch {
            return .failure(BuildFailure([publishFailure([error], output: options.output)]))
        }
        stages.append(("publish", clock.now - start, writer.count))

        let warnings = (model.diagnostics + bag.sorted).filter { $0.severity == .warning }
        let files = published.files
        let pageCount = files - (published.groups[PageGraph.filesGroup]?.paths.count ?? 0)
        let summary = "\(pageCount) pages, \(files) files; \(warnings.count) warning(s) and \(model.findings.count) finding(s) in that build"
        if cache == nil, let identity = BuildState.folderIdentity(output) {
            let state = BuildState(inputs: inputs, folder: identity, summary: summary, published: published, fresh: freshness.fresh)
            let content = options.content
            _ = concurrently { state.write(for: output) } _: { Analysis(model, content: content, digests: digests).write(for: output) }
        }
        cache?.lock.withLock {
            cache!.published = published
            cache!.output = output
        }
        return .success(BuildReport(pages: pageCount, files: files, disclosures: model.disclosures.count,
                                    warnings: warnings, findings: model.findings, stages: stages, rendered: stale.count - staleFiles,
                                    templates: perTemplate.keys.sorted().map { (name: $0, views: perTemplate[$0]!.0[0], template: perTemplate[$0]!.0[1],
                                                                                 write: perTemplate[$0]!.0[2], pages: perTemplate[$0]!.1) },
                                    waiting: resolved.filter(\.waits).count))
    }
}

/// One error for the files a build could not write, by cause: what failed, how often, the system's
/// reason in words and the first path; the output folder as it was.
func publishFailure(_ failures: [SystemError], output: URL) -> Diagnostic {
    var causes: [String: (count: Int, first: SystemError)] = [:]
    for f in failures {
        let cause = "\(f.operation.rawValue) \(f.code)"
        let first = causes[cause].map { $0.first.path < f.path ? $0.first : f } ?? f
        causes[cause] = ((causes[cause]?.count ?? 0) + 1, first)
    }
    let lines = causes.values.sorted { $0.first.path < $1.first.path }.map { cause in
        cause.count == 1 ? cause.first.description
            : localized("\(cause.first.verb) \(cause.count) 个文件：\(cause.first.reason)；第一个是 \(cause.first.path)",
                        en: "\(cause.first.verb) \(cause.count) files: \(cause.first.reason); the first is \(cause.first.path)")
    }
    return .error(SourceLocation(file: output.path), lines.joined(separator: "\n") + localized("；输出文件夹保持原样", en: "; the output folder was left as it was"))
}
