import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import TestSite
@testable import Site
import Incremental
import Model

/// Issue 23: an incremental build gives the bytes of a full build. A copy of the example site goes
/// through a scripted sequence of edits, one after another, covering every kind of input; after each,
/// the site is built three ways from the same content and every published file is compared
/// (`EditSequence`):
///
/// - **new process**: `SiteBuilder.build` without a cache into one folder, as `sitegen build` run
///   again does (it reads the state and the analysis the last build left beside the folder);
/// - **serve**: one `MemoryStore.watched()` kept across the sequence, told the changed
///   paths through `forget` as the watcher reports them, building as `Rebuilder.rebuild` does (bulk
///   downloads left for a second build right after the first, when the first left any);
/// - **full**: a build into a new folder, with nothing kept.
///
/// The edits are made as fast as the code runs, most of them in place (same inode) and many of the
/// same size: the stamps of files changed within the last 2 seconds are backed by hashes of their bytes.
@Suite struct IncrementalEquivalenceTests {
    typealias Step = EditSequence.Step

    @Test func everyKindOfEditBuildsIncrementallyToTheBytesOfAFullBuild() throws {
        let builtIn = repoRoot.appendingPathComponent("themes/default")
        let steps: [Step] = [
            Step("disclosure.yaml: a cell of last year's 05 table (donghu-sme 2022; its 2023 page compares)") { site in
                try site.replace("content/departments/donghu-sme/2022/disclosure.yaml",
                                 "- [2010399, 55.57, 0.50, 55.07]", with: "- [2010399, 55.58, 0.50, 55.08]")
            },
            Step("disclosure.yaml: that cell back as it was (in place, same size, the modification time kept, as `touch -r` does)", reverts: 0) { site in
                try site.restore("content/departments/donghu-sme/2022/disclosure.yaml", keepingModificationTime: true)
            },
            Step("disclosure.yaml: a row added to 06 (donghu-sme 2023)") { site in
                try site.replace("content/departments/donghu-sme/2023/disclosure.yaml",
                                 "      - [30299, 0.50]\n", with: "      - [30299, 0.50]\n      - [30202, 0.30]\n")
            },
            Step("disclosure.yaml: a row removed from 06 (donghu-sme 2023, saved through a new file)") { site in
                try site.replace("content/departments/donghu-sme/2023/disclosure.yaml",
                                 "      - [30299, 0.50]\n", with: "", inPlace: false)
            },
            Step("disclosure.yaml broken (an amount with its unit): every build fails, each folder stays as it was", fails: true) { site in
                try site.replace("content/departments/donghu-sme/2023/disclosure.yaml", "      - [30202, 0.30]\n", with: "      - [30202, 0.30万元]\n")
            },
            Step("disclosure.yaml fixed, with another amount than before it broke") { site in
                try site.replace("content/departments/donghu-sme/2023/disclosure.yaml", "      - [30202, 0.30万元]\n", with: "      - [30202, 0.40]\n")
            },
            Step("explanation.md: a paragraph added (changji-sme 2023, saved through a new file)") { site in
                try site.append("content/departments/changji-sme/2023/explanation.md",
                                "\n新增的一段：本年收入合计{{01.本年收入合计}}万元，其中财政拨款{{02.合计.财政拨款收入}}万元。\n", inPlace: false)
            },
            Step("glossary.md of a disclosure added (changji-sme 2023)") { site in
                try site.write("content/departments/changji-sme/2023/glossary.md",
                               "1. **专精特新**：专业化、精细化、特色化、新颖化的中小企业。\n2. **政企直通码**：企业直接向政府部门反映诉求的平台。\n")
            },
            Step("glossary.md of a disclosure edited (in place)") { site in
                try site.replace("content/departments/changji-sme/2023/glossary.md", "新颖化", with: "创新型")
            },
            Step("glossary.md shared by all disclosures edited") { site in
                try site.replace("content/glossary.md", "如存款利息、捐赠等。", with: "如存款利息、捐赠收入等。")
            },
            Step("performance.yaml: a score (changji-sme 2023)") { site in
                try site.replace("content/departments/changji-sme/2023/performance.yaml",
                                 "[中央安排, 0.00, 0.00, 0.00, 10, \"100%\", 10]", with: "[中央安排, 0.00, 0.00, 0.00, 10, \"100%\", 9]")
            },
            Step("reports/: a report edited (donghu-sme 2022)") { site in
                try site.replace("content/departments/donghu-sme/2022/reports/kaibanfei.md",
                                 "title: 2022年度开办费项目支出部门评价报告", with: "title: 2022年度开办费项目支出部门评价报告（修订稿）")
            },
            Step("reports/: a report added (changji-sme 2023, in a new reports/ folder)") { site in
                try site.write("content/departments/changji-sme/2023/reports/peixun-2023.md", """
                    ---
                    title: 2023年度企业家培训项目部门评价报告
                    table:
                      caption: 评分表
                      columns: [一级指标, 分值, 得分]
                      rows:
                        - [决策, 20, 18]
                        - [过程, 20, 19]
                        - [产出, 30, 28]
                        - [效益, 30, 27]
                    ---
                    ## 一、项目基本情况

                    全年组织企业家和职业经理人培训1期，受训32人。

                    """)
            },
            Step("reports/: a report removed (xiangtan-kgj 2021)") { site in
                try site.remove("content/departments/xiangtan-kgj/2021/reports/fuwutixi-2021.md")
            },
            Step("department.yaml: name (donghu-sme)") { site in
                try site.replace("content/departments/donghu-sme/department.yaml",
                                 "name: 南昌市东湖区中小企业服务局", with: "name: 南昌市东湖区中小企业发展局")
            },
            Step("department.yaml: kind (changji-sme 事业单位 → 参公事业单位)") { site in
                try site.replace("content/departments/changji-sme/department.yaml", "kind: 事业单位", with: "kind: 参公事业单位")
            },
            Step("department.yaml: region (xinfeng-gxj 信丰县 → 南昌市东湖区)") { site in
                try site.replace("content/departments/xinfeng-gxj/department.yaml", "region: 信丰县", with: "region: 南昌市东湖区")
            },
            Step("department.yaml: parent (xinfeng-gxj under donghu-sme)") { site in
                try site.replace("content/departments/xinfeng-gxj/department.yaml",
                                 "kind: 行政单位\n", with: "kind: 行政单位\nparent: donghu-sme\n")
            },
            Step("a department folder added (donghu-branch: donghu-sme copied, renamed, in 信丰县)") { site in
                try site.copy("content/departments/donghu-sme", to: "content/departments/donghu-branch")
                try site.replace("content/departments/donghu-branch/department.yaml",
                                 "name: 南昌市东湖区中小企业发展局\n", with: "name: 信丰县中小企业服务中心\n")
                try site.replace("content/departments/donghu-branch/department.yaml", "region: 南昌市东湖区", with: "region: 信丰县")
            },
            Step("a year folder added (xinfeng-gxj 2022, the year before its 2023)") { site in
                try site.copy("content/departments/donghu-sme/2022/disclosure.yaml", to: "content/departments/xinfeng-gxj/2022/disclosure.yaml")
                try site.copy("content/departments/donghu-sme/2022/explanation.md", to: "content/departments/xinfeng-gxj/2022/explanation.md")
            },
            Step("disclosure.yaml: a peer's 在职人员 (xinfeng-gxj 2022, beside donghu-sme in 南昌市东湖区: donghu-sme 2022's place changes)") { site in
                try site.replace("content/departments/xinfeng-gxj/2022/disclosure.yaml", "    在职人员: 8\n", with: "    在职人员: 5\n")
            },
            Step("catalogs/2023/functional.yaml: an item renamed (2010301)") { site in
                try site.replace("content/catalogs/2023/functional.yaml", "\"2010301\": 行政运行\n", with: "\"2010301\": 行政运行（机关）\n")
            },
            Step("catalogs/2022/economic.yaml: an item renamed (30202)") { site in
                try site.replace("content/catalogs/2022/economic.yaml", "\"30202\": 印刷费\n", with: "\"30202\": 印刷费及复印费\n")
            },
            Step("forms/: a form file added, and changji-sme 2023 printed with it (form: shengji-2023)") { site in
                try site.write("content/forms/shengji-2023.yaml", "extends: \"2023\"\ntables:\n  \"10\":\n    number: 表10\n    lines:\n      政府采购支出合计: {label: 合计}\n")
                try site.replace("content/departments/changji-sme/2023/disclosure.yaml", "form: 2023", with: "form: shengji-2023")
            },
            Step("forms/: the form file edited (a heading row, a line left out, blank 类 lines in 04)") { site in
                try site.replace("content/forms/shengji-2023.yaml", "      政府采购支出合计: {label: 合计}\n",
                                 with: "      政府采购支出合计: {label: 合计}\n      机关运行经费合计: {hidden: true}\n    headings:\n      - {before: 政府采购支出合计, label: 政府采购情况}\n  \"04\":\n    absent_lines: blank\n")
            },
            Step("site.yaml: title") { site in
                try site.replace("content/site.yaml", "title: 部门决算公开示例站点", with: "title: 部门决算公开示例网站")
            },
            Step("site.yaml: a region added (赣州市) and 信丰县 moved under it") { site in
                try site.replace("content/site.yaml", "  - {slug: xinfeng, name: 信丰县, parent: jiangxi}\n",
                                 with: "  - {slug: ganzhou, name: 赣州市, parent: jiangxi}\n  - {slug: xinfeng, name: 信丰县, parent: ganzhou}\n")
            },
            Step("site.yaml: checks.show_findings off") { site in
                try site.replace("content/site.yaml", "show_findings: true", with: "show_findings: false")
            },
            Step("theme: a partial override added (partials/breadcrumbs.mustache)") { site in
                let text = try String(contentsOf: builtIn.appendingPathComponent("partials/breadcrumbs.mustache"), encoding: .utf8)
                try site.write("themes/default/partials/breadcrumbs.mustache",
                               text.replacingOccurrences(of: "aria-label=\"当前位置\"", with: "aria-label=\"当前位置\" data-theme=\"site\""))
            },
            Step("theme: the partial override edited (in place, same size)") { site in
                try site.replace("themes/default/partials/breadcrumbs.mustache", "data-theme=\"site\"", with: "data-theme=\"edit\"")
            },
            Step("theme: the partial override removed") { site in
                try site.remove("themes/default/partials")
            },
            Step("theme: a static file added (static/notice.txt)") { site in
                try site.write("themes/default/static/notice.txt", "本站为示例站点。\n")
            },
            Step("theme: the static file edited") { site in
                try site.replace("themes/default/static/notice.txt", "示例站点", with: "示例网站")
            },
            Step("theme: the static file removed") { site in
                try site.remove("themes/default/static/notice.txt")
            },
            Step("explanation.md: back to what it was (changji-sme 2023, in place)") { site in
                try site.restore("content/departments/changji-sme/2023/explanation.md")
            },
            Step("a year folder removed (donghu-branch 2023, its last year)") { site in
                try site.remove("content/departments/donghu-branch/2023")
            },
            Step("a department folder removed (xiangtan-kgj, the only one of its region)") { site in
                try site.remove("content/departments/xiangtan-kgj")
            },
        ]

        #expect(steps.count >= 20)
        let sequence = try EditSequence("equivalence")
        defer { sequence.removeFolders() }
        let took = sequence.run(steps)
        print("IncrementalEquivalenceTests: \(steps.count) edits, 3 builds each, in \(took)")
    }
}

/// Runs edits on a copy of the example site one after another and, after each, builds it as a new
/// process does, as `serve` does and from scratch, and expects the same bytes from all three.
final class EditSequence {
    struct Step {
        var name: String
        /// The edit breaks the site: every build fails, and the two folders stay as they were.
        var fails = false
        /// The edit puts back what the site was after that step (0: before the first edit).
        var reverts: Int?
        var edit: (SiteEditor) throws -> Void

        init(_ name: String, fails: Bool = false, reverts: Int? = nil, edit: @escaping (SiteEditor) throws -> Void) {
            (self.name, self.fails, self.reverts, self.edit) = (name, fails, reverts, edit)
        }
    }

    let root: URL, content: URL
    let site: SiteEditor
    /// Built as a new process does, and as `serve` does (with `cache`).
    let newProcess: URL, served: URL
    let cache = MemoryStore.watched()

    init(_ name: String) throws {
        (root, content, _) = try copyOfExampleSite(name)
        site = SiteEditor(root: root)
        newProcess = root.appendingPathComponent("public-new-process")
        served = root.appendingPathComponent("public-serve")
    }

    func removeFolders() { try? FileManager.default.removeItem(at: root) }

    /// As `serve`'s `Rebuilder`: the changed paths forgotten; after changes, bulk downloads left for
    /// a second build right after the first. The last build's result; `shown`: the folder after the
    /// first build, when a second one followed.
    func buildServed(_ changed: Set<String>, shown: inout [String: Data]?) -> Result<BuildReport, BuildFailure> {
        cache.forget(changed, content: content)
        var options = BuildOptions(content: content, output: served)
        options.downloadsLater = !changed.isEmpty
        let first = SiteBuilder.build(options, store: cache)
        guard case .success(let report) = first, report.waiting > 0 else { return first }
        shown = snapshot(served)
        cache.forget([], content: content)
        options.downloadsLater = false
        return SiteBuilder.build(options, store: cache)
    }

    /// Builds the site as it is (step 0), then makes each edit and builds again. Returns the time taken.
    @discardableResult
    func run(_ steps: [Step]) -> Duration {
        let clock = ContinuousClock()
        let started = clock.now
        var published: [[String: Data]] = []  // by step, what a full build publishes (the last good one after a failing step)
        for number in 0...steps.count {
            let step = number == 0 ? "step 0 (the example site as it is)" : "step \(number) (\(steps[number - 1].name))"
            let fails = number > 0 && steps[number - 1].fails
            if number > 0 {
                do {
                    try steps[number - 1].edit(site)
                } catch {
                    Issue.record("\(step): the edit could not be made: \(error)")
                    return clock.now - started
                }
            }
            let changed = site.takeChanged()
            let before = published.last ?? [:]

            let fresh = root.appendingPathComponent("full-\(number)/public")
            let full = SiteBuilder.build(BuildOptions(content: content, output: fresh))
            let expected = fails ? before : snapshot(fresh)
            try? FileManager.default.removeItem(at: fresh.deletingLastPathComponent())
            switch (full, fails) {
            case (.failure(let failure), false):
                Issue.record("\(step): the full build failed, so the edit is not valid content:\n\(failure)")
                return clock.now - started
            case (.success, true):
                Issue.record("\(step): the full build succeeded, but the edit was meant to break the site")
                return clock.now - started
            default: break
            }
            published.append(expected)
            if number > 0 && !fails {
                #expect(expected != before, "\(step): the edit changes nothing a full build publishes, so it tests nothing")
            }
            if number > 0, let reverted = steps[number - 1].reverts {
                #expect(expected == published[reverted], "\(step): a full build differs from the one after step \(reverted)")
            }

            let viaNewProcess = SiteBuilder.build(BuildOptions(content: content, output: newProcess))
            var shown: [String: Data]?
            let viaServe = buildServed(changed, shown: &shown)
            for (result, folder, what) in [(viaNewProcess, newProcess, "the incremental build of a new process"),
                                           (viaServe, served, "serve's rebuild (changed: \(site.relative(changed)))")] {
                switch (result, full) {
                case (.success(let report), .success(let fullReport)):
                    expectSame(snapshot(folder), expected, "\(step): \(what)")
                    if report.upToDate == nil { expectSameReport(report, fullReport, "\(step): \(what)") }
                case (.failure(let failure), .success):
                    Issue.record("\(step): \(what) failed:\n\(failure)")
                case (.success, .failure):
                    Issue.record("\(step): \(what) succeeded, but a full build fails")
                case (.failure(let failure), .failure(let fullFailure)):
                    #expect(failure.errors.map(\.description) == fullFailure.errors.map(\.description),
                            "\(step): \(what) fails with other errors than a full build")
                    expectSame(snapshot(folder), expected, "\(step): the folder after the failed build of \(what)")
                }
            }
            if let shown {
                // Before the second build, only bulk downloads (a region's long CSV, ZIP and data package) may lag.
                let lagging = differences(shown, expected).filter { !isBulkDownload($0) }
                #expect(lagging.isEmpty, "\(step): serve's first rebuild differs beyond the bulk downloads left for later: \(lagging.prefix(20))")
            }
        }
        return clock.now - started
    }

    func expectSame(_ found: [String: Data], _ expected: [String: Data], _ what: String,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let differing = differences(found, expected)
        #expect(differing.isEmpty, "\(what) differs from a full build in \(differing.count) file(s): \(differing.prefix(20).joined(separator: ", "))",
                sourceLocation: sourceLocation)
    }

    /// Warnings and findings are reported by an incremental build as by a full one (kept ones too).
    func expectSameReport(_ found: BuildReport, _ expected: BuildReport, _ what: String,
                          sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let warnings = (found.warnings.map(\.description).sorted(), expected.warnings.map(\.description).sorted())
        #expect(warnings.0 == warnings.1, "\(what) reports other warnings than a full build: \(Set(warnings.0).symmetricDifference(warnings.1).sorted().prefix(10))",
                sourceLocation: sourceLocation)
        let findings = (found.findings.map(\.diagnostic.description).sorted(), expected.findings.map(\.diagnostic.description).sorted())
        #expect(findings.0 == findings.1, "\(what) reports other findings than a full build: \(Set(findings.0).symmetricDifference(findings.1).sorted().prefix(10))",
                sourceLocation: sourceLocation)
    }
}

/// A region's bulk downloads, which `serve` makes in a second build right after the first.
func isBulkDownload(_ path: String) -> Bool {
    path.hasPrefix("compare/") && (path.hasSuffix("/data.csv") || path.hasSuffix("/datapackage.json") || path.hasSuffix(".zip"))
}

/// The paths whose bytes differ between two snapshots, each marked when only one side has it.
func differences(_ found: [String: Data], _ expected: [String: Data]) -> [String] {
    Set(found.keys).union(expected.keys).sorted().compactMap { path in
        switch (found[path], expected[path]) {
        case let (a, b) where a == b: nil
        case (nil, _): "\(path) (missing)"
        case (_, nil): "\(path) (not in a full build)"
        default: path
        }
    }
}

/// Edits files under a site root (paths relative to it) and remembers every absolute path an edit
/// touched, as `serve`'s watcher reports them: a file written, a folder made with everything in it, a
/// folder removed with everything that was in it.
final class SiteEditor {
    struct EditFailed: Error, CustomStringConvertible { var description: String }

    let root: URL
    private var changed: Set<String> = []
    /// The bytes of files before their first edit (`restore`).
    private var originals: [String: Data] = [:]

    init(root: URL) { self.root = root }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    /// The paths changed since the last call, absolute.
    func takeChanged() -> Set<String> {
        defer { changed = [] }
        return changed
    }

    func relative(_ paths: Set<String>) -> String {
        let base = root.standardizedFileURL.path + "/"
        return paths.map { $0.hasPrefix(base) ? String($0.dropFirst(base.count)) : $0 }.sorted().joined(separator: ", ")
    }

    func text(_ path: String) throws -> String { try String(contentsOf: url(path), encoding: .utf8) }

    /// Replaces the one occurrence of `old` (an edit that does not find it fails, so no step is empty).
    func replace(_ path: String, _ old: String, with new: String, inPlace: Bool = true) throws {
        let before = try text(path)
        let count = before.components(separatedBy: old).count - 1
        guard count == 1 else { throw EditFailed(description: "\(path): found \(count) times, expected once: \(old)") }
        try write(path, before.replacingOccurrences(of: old, with: new), inPlace: inPlace)
    }

    func append(_ path: String, _ text: String, inPlace: Bool = true) throws {
        try write(path, try self.text(path) + text, inPlace: inPlace)
    }

    /// Writes a file: an existing one in place (same inode) unless `inPlace` is false (a new file
    /// renamed over it, as many editors save); missing folders are made. `keepingModificationTime`:
    /// the file's modification time is set back to what it was before the write, to the nanosecond
    /// (an editor that preserves times, `touch -r`): only the change time tells.
    func write(_ path: String, _ text: String, inPlace: Bool = true, keepingModificationTime: Bool = false) throws {
        let file = url(path)
        try makeFolders(file.deletingLastPathComponent())
        var before = stat()
        let exists = lstat(file.path, &before) == 0
        if exists, originals[path] == nil {
            guard let bytes = FileManager.default.contents(atPath: file.path) else { throw EditFailed(description: "\(path) cannot be read") }
            originals[path] = bytes
        }
        let bytes = Data(text.utf8)
        if exists && inPlace {
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: bytes)
            try handle.close()
        } else {
            try bytes.write(to: file, options: .atomic)
        }
        if keepingModificationTime {
            guard exists else { throw EditFailed(description: "\(path) had no modification time to keep") }
            var times = [before.st_atim, before.st_mtim]
            guard utimensat(AT_FDCWD, file.path, &times, 0) == 0 else {
                throw EditFailed(description: "\(path): its modification time cannot be set (errno \(errno))")
            }
        }
        changed.insert(file.path)
    }

    /// Puts a file's bytes back as they were before its first edit, in place.
    func restore(_ path: String, keepingModificationTime: Bool = false) throws {
        guard let original = originals[path] else { throw EditFailed(description: "\(path) was not edited") }
        try write(path, String(decoding: original, as: UTF8.self), keepingModificationTime: keepingModificationTime)
        guard FileManager.default.contents(atPath: url(path).path) == original else {
            throw EditFailed(description: "\(path): the bytes written back are not the original ones")
        }
    }

    func copy(_ from: String, to path: String) throws {
        try makeFolders(url(path).deletingLastPathComponent())
        try FileManager.default.copyItem(at: url(from), to: url(path))
        changed.formUnion(everything(at: url(path)))
    }

    func remove(_ path: String) throws {
        let all = everything(at: url(path))
        guard !all.isEmpty else { throw EditFailed(description: "\(path) does not exist") }
        try FileManager.default.removeItem(at: url(path))
        changed.formUnion(all)
    }

    private func makeFolders(_ folder: URL) throws {
        var missing: [URL] = []
        var f = folder
        while !FileManager.default.fileExists(atPath: f.path) { missing.append(f); f = f.deletingLastPathComponent() }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        changed.formUnion(missing.map(\.path))
    }

    /// A path and, for a folder, every path below it.
    private func everything(at url: URL) -> Set<String> {
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        var out: Set<String> = [url.path]
        if let walker = FileManager.default.enumerator(atPath: url.path) {
            for case let sub as String in walker { out.insert(url.path + "/" + sub) }
        }
        return out
    }
}
