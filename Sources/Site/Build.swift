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

    public init(content: URL, output: URL, themeFolders: [URL]? = nil, threads: Int? = nil) {
        self.content = content
        self.output = output
        self.themeFolders = themeFolders
        self.threads = threads
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
    /// Per template (or download kind): time building view models, time in the template, pages — summed over threads.
    public var templates: [(String, Duration, Duration, Int)] = []
}

/// What one process keeps between builds (`serve`): decoded disclosures, derived and checked
/// results, and the bytes of every page with the inputs they came from.
public final class BuildCache: @unchecked Sendable {
    let content = ContentLoader.Cache()
    let lock = NSLock()
    /// Disclosure id → (stamp, completed disclosure).
    var derived: [String: (String, Disclosure)] = [:]
    /// Disclosure id → (stamp of it and of last year, findings).
    var checked: [String: (String, [Finding])] = [:]
    /// Disclosure id → (stamp, fingerprints of its headline figures and table cells).
    var digests: [String: (String, (figures: String, tables: String))] = [:]
    /// Page path → (key, bytes) as last published.
    var pages: [String: (String, [UInt8])] = [:]
    /// Where that was published.
    var output: URL?

    public init() {}
}

/// The whole pipeline: load → derive → check → views → render → publish.
public enum SiteBuilder {
    /// The loaded, derived and checked site, before rendering; `check` stops here.
    public struct Model: Sendable {
        public var content: SiteContent
        /// Completed disclosures, sorted by department and year.
        public var disclosures: [Disclosure]
        public var findings: [Finding]
        public var diagnostics: [Diagnostic]
        /// What each disclosure and everything else was read from (incremental builds).
        public var stamps: [String: String] = [:]
        public var sharedStamp: String = ""
    }

    public static func analyse(content root: URL, stages: inout [(String, Duration, Int)], cache: BuildCache? = nil) -> Result<Model, BuildFailure> {
        let clock = ContinuousClock()
        var start = clock.now
        let loaded = ContentLoader.load(from: root, cache: cache?.content)
        stages.append(("load", clock.now - start, loaded.content?.disclosures.count ?? 0))
        guard let content = loaded.content, !loaded.hasErrors else { return .failure(BuildFailure(loaded.diagnostics)) }
        let stamps = loaded.stamps
        // Derived and checked results depend on the disclosure, last year's, the catalogues and the departments.
        let sharedStamp = loaded.sharedStamp
        @Sendable func key(_ id: String) -> String? { stamps[id].map { sharedStamp + "|" + $0 } }

        start = clock.now
        let sorted = content.disclosures.sorted { ($0.department, $0.year) < ($1.department, $1.year) }
        let previousDerived = cache?.lock.withLock { cache!.derived } ?? [:]
        let derived = parallelMap(sorted) { d -> Disclosure in
            if let k = key(d.id), let hit = previousDerived[d.id], hit.0 == k { return hit.1 }
            return Derive.complete(d, catalog: content.catalogs[d.year] ?? Catalog(year: d.year))
        }
        stages.append(("derive", clock.now - start, derived.count))

        start = clock.now
        let departments = Dictionary(uniqueKeysWithValues: content.departments.map { ($0.slug, $0) })
        var byID: [String: Disclosure] = [:]
        for d in derived { byID[d.id] = d }
        let previousOf = byID
        let previousChecked = cache?.lock.withLock { cache!.checked } ?? [:]
        let checkKeys = derived.map { d in (key(d.id) ?? "?") + "|" + (key("\(d.department)/\(d.year - 1)") ?? "-") }
        let perDisclosure = parallelMap(Array(zip(derived, checkKeys))) { d, k -> [Finding] in
            if let hit = previousChecked[d.id], hit.0 == k { return hit.1 }
            return Checker.check(d, department: departments[d.department], previous: previousOf["\(d.department)/\(d.year - 1)"],
                                 options: CheckOptions(yearOnYearFactor: content.config.yearOnYearFactor))
        }
        let findings = perDisclosure.flatMap { $0 }
        stages.append(("check", clock.now - start, findings.count))
        if let cache {
            cache.lock.withLock {
                cache.derived = Dictionary(uniqueKeysWithValues: derived.compactMap { d in key(d.id).map { (d.id, ($0, d)) } })
                cache.checked = Dictionary(uniqueKeysWithValues: zip(derived, zip(checkKeys, perDisclosure)).map { ($0.id, ($1.0, $1.1)) })
            }
        }
        return .success(Model(content: content, disclosures: derived, findings: findings, diagnostics: loaded.diagnostics,
                              stamps: stamps, sharedStamp: loaded.sharedStamp))
    }

    public static func build(_ options: BuildOptions, cache: BuildCache? = nil) -> Result<BuildReport, BuildFailure> {
        var stages: [(String, Duration, Int)] = []
        let model: Model
        switch analyse(content: options.content, stages: &stages, cache: cache) {
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

        let clock = ContinuousClock()
        var start = clock.now
        let siteRoot = options.content.standardizedFileURL.deletingLastPathComponent()
        var folders = options.themeFolders ?? [siteRoot.appendingPathComponent("themes").appendingPathComponent(config.theme)]
        if let builtIn = DefaultTheme.folder { folders.append(builtIn) }
        folders = folders.filter { FileManager.default.fileExists(atPath: $0.path) }
        let theme: Theme
        switch Theme.load(folders: folders) {
        case .failure(let f): return .failure(f)
        case .success(let t): theme = t
        }
        stages.append(("theme", clock.now - start, theme.origins.count))

        start = clock.now
        let shared = Digest.fnv1a(model.sharedStamp + "|" + Theme.stamp(folders))
        let known = cache?.lock.withLock { cache!.digests } ?? [:]
        let stamps = model.stamps
        let digestList = parallelMap(model.disclosures) { d -> (String, String, (figures: String, tables: String)) in
            let stamp = stamps[d.id] ?? ""
            if let hit = known[d.id], hit.0 == stamp, !stamp.isEmpty { return (d.id, stamp, hit.1) }
            return (d.id, stamp, PageGraph.digests(d))
        }
        cache?.lock.withLock { cache!.digests = Dictionary(uniqueKeysWithValues: digestList.map { ($0.0, ($0.1, $0.2)) }) }
        let pages = PageGraph.pages(model, config: config, stamps: model.stamps, shared: shared,
                                    digests: Dictionary(uniqueKeysWithValues: digestList.map { ($0.0, $0.2) }))
        // Pages whose inputs are unchanged since the last publish to this output keep their bytes.
        let output = options.output.standardizedFileURL
        let previous: [String: (String, [UInt8])] = cache.flatMap { c in c.lock.withLock { c.output == output ? c.pages : nil } } ?? [:]
        let outputExists = FileManager.default.fileExists(atPath: output.path)
        let stale = pages.filter { page in !(outputExists && previous[page.path]?.0 == page.key) }
        stages.append(("views", clock.now - start, stale.count))

        start = clock.now
        let rendered = parallelMap(stale, threads: options.threads) { page -> (Output.File, [Diagnostic], String, Duration, Duration) in
            let clock = ContinuousClock()
            let t0 = clock.now
            if let data = page.data {
                let kind = "data ." + (page.path.split(separator: ".").last.map(String.init) ?? "")
                return (Output.File(path: page.path, bytes: data()), [], kind, clock.now - t0, .zero)
            }
            var bag = DiagnosticBag()
            let model = page.make(&bag)
            let t1 = clock.now
            let html = theme.render(page.template, model)
            return (Output.File(path: page.path, text: html), bag.items, page.template, t1 - t0, clock.now - t1)
        }
        var bag = DiagnosticBag()
        var perTemplate: [String: (Duration, Duration, Int)] = [:]
        for (_, diagnostics, template, viewTime, renderTime) in rendered {
            bag.add(contentsOf: diagnostics)
            let old = perTemplate[template] ?? (.zero, .zero, 0)
            perTemplate[template] = (old.0 + viewTime, old.1 + renderTime, old.2 + 1)
        }
        if bag.hasErrors { return .failure(BuildFailure(model.diagnostics + bag.sorted)) }
        var files = rendered.map(\.0)
        for (path, source) in theme.staticFiles {
            if let data = FileManager.default.contents(atPath: source.path) { files.append(Output.File(path: "static/" + path, bytes: [UInt8](data))) }
        }
        files += PageGraph.extraFiles(model, pages: pages, theme: theme)
        stages.append(("render", clock.now - start, rendered.count))

        start = clock.now
        let fresh = Set(stale.map(\.path))
        let reused = pages.map(\.path).filter { !fresh.contains($0) }
        do {
            if outputExists && !previous.isEmpty {
                // The folder holds what this process last published: change only what changed.
                let current = Set(pages.map(\.path))
                try Output.update(files, removing: previous.keys.filter { !current.contains($0) }.sorted(), in: output)
            } else {
                try Output.publish(files, reuse: reused, to: output)
            }
        } catch {
            return .failure(BuildFailure([.error(SourceLocation(file: options.output.path), "cannot write the site: \(error.localizedDescription)")]))
        }
        stages.append(("write", clock.now - start, files.count))
        if let cache {
            var pageBytes: [String: (String, [UInt8])] = [:]
            let keys = Dictionary(uniqueKeysWithValues: pages.map { ($0.path, $0.key) })
            for path in reused { if let old = previous[path] { pageBytes[path] = old } }
            for file in files { if let k = keys[file.path] { pageBytes[file.path] = (k, file.bytes) } }
            cache.lock.withLock {
                cache.pages = pageBytes
                cache.output = output
            }
        }
        return .success(BuildReport(pages: pages.count, files: files.count + reused.count, disclosures: model.disclosures.count,
                                    warnings: (model.diagnostics + bag.sorted).filter { $0.severity == .warning },
                                    findings: model.findings, stages: stages, rendered: stale.count,
                                    templates: perTemplate.keys.sorted().map { ($0, perTemplate[$0]!.0, perTemplate[$0]!.1, perTemplate[$0]!.2) }))
    }
}

