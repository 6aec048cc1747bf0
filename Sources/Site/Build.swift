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
    }

    public static func analyse(content root: URL, stages: inout [(String, Duration, Int)]) -> Result<Model, BuildFailure> {
        let clock = ContinuousClock()
        var start = clock.now
        let loaded = ContentLoader.load(from: root)
        stages.append(("load", clock.now - start, loaded.content?.disclosures.count ?? 0))
        guard let content = loaded.content, !loaded.hasErrors else { return .failure(BuildFailure(loaded.diagnostics)) }

        start = clock.now
        let sorted = content.disclosures.sorted { ($0.department, $0.year) < ($1.department, $1.year) }
        let derived = parallelMap(sorted) { d in Derive.complete(d, catalog: content.catalogs[d.year] ?? Catalog(year: d.year)) }
        stages.append(("derive", clock.now - start, derived.count))

        start = clock.now
        let departments = Dictionary(uniqueKeysWithValues: content.departments.map { ($0.slug, $0) })
        var byID: [String: Disclosure] = [:]
        for d in derived { byID[d.id] = d }
        let previousOf = byID
        let findings = parallelMap(derived) { d in
            Checker.check(d, department: departments[d.department], previous: previousOf["\(d.department)/\(d.year - 1)"],
                          options: CheckOptions(yearOnYearFactor: content.config.yearOnYearFactor))
        }.flatMap { $0 }
        stages.append(("check", clock.now - start, findings.count))
        return .success(Model(content: content, disclosures: derived, findings: findings, diagnostics: loaded.diagnostics))
    }

    public static func build(_ options: BuildOptions) -> Result<BuildReport, BuildFailure> {
        var stages: [(String, Duration, Int)] = []
        let model: Model
        switch analyse(content: options.content, stages: &stages) {
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
        let theme: Theme
        switch Theme.load(folders: folders.filter { FileManager.default.fileExists(atPath: $0.path) }) {
        case .failure(let f): return .failure(f)
        case .success(let t): theme = t
        }
        stages.append(("theme", clock.now - start, theme.origins.count))

        start = clock.now
        var bag = DiagnosticBag()
        let pages = PageGraph.pages(model, config: config, into: &bag)
        stages.append(("views", clock.now - start, pages.count))
        if bag.hasErrors { return .failure(BuildFailure(model.diagnostics + bag.sorted)) }

        start = clock.now
        let rendered = parallelMap(pages, threads: options.threads) { page in
            Output.File(path: page.path, text: theme.render(page.template, page.model))
        }
        var files = rendered
        for (path, source) in theme.staticFiles {
            if let data = FileManager.default.contents(atPath: source.path) { files.append(Output.File(path: "static/" + path, bytes: [UInt8](data))) }
        }
        files += PageGraph.extraFiles(model, pages: pages, theme: theme)
        stages.append(("render", clock.now - start, rendered.count))

        start = clock.now
        do {
            try Output.publish(files, to: options.output)
        } catch {
            return .failure(BuildFailure([.error(SourceLocation(file: options.output.path), "cannot write the site: \(error.localizedDescription)")]))
        }
        stages.append(("write", clock.now - start, files.count))
        return .success(BuildReport(pages: pages.count, files: files.count, disclosures: model.disclosures.count,
                                    warnings: (model.diagnostics + bag.sorted).filter { $0.severity == .warning },
                                    findings: model.findings, stages: stages))
    }
}

/// Order-preserving parallel map over all cores (deterministic output).
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], threads: Int? = nil, _ transform: @Sendable (T) -> R) -> [R] {
    let count = items.count
    guard count > 1, threads != 1 else { return items.map(transform) }
    let results = Slots<R>(count: count)
    let workers = min(count, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    let next = Slots<Int>(count: 1)
    next[0] = 0
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let i = next.increment()
            if i >= count { break }
            results[i] = transform(items[i])
        }
    }
    return results.values
}

final class Slots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.withLock { storage[i] } }
        set { lock.withLock { storage[i] = newValue } }
    }
    /// For the counter slot 0: returns the current value and adds one.
    func increment() -> Int where T == Int {
        lock.withLock { let v = storage[0]!; storage[0] = v + 1; return v }
    }
    var values: [T] { lock.withLock { storage.map { $0! } } }
}
