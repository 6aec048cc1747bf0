import Content
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Incremental
import Model
import Pipeline
@testable import Site
import Testing
import TestSite

/// A build in a new process keeps what it made of each disclosure beside the output folder
/// (the shelves of its `DiskStore` in `.public.sitegen-state`), so the next build reads again only the year folders whose files
/// changed; a disclosure it did not read is read when a page made again needs it.
@Suite struct AnalysisTests {
    func loaded(_ report: BuildReport) -> Int? { report.stages.first { $0.0 == "load" }?.2 }

    func append(_ content: URL, _ path: String, _ text: String) throws {
        let url = content.appendingPathComponent(path)
        try (read(url) + text).write(to: url, atomically: true, encoding: .utf8)
    }

    /// The analysis derives and checks the disclosures a batch of departments at a time, as the load
    /// reads them, and keeps `inHand` of them whole for the pages (the others are read again): with
    /// one department per batch and none in hand, it finds what one batch with all in hand finds,
    /// and a build publishes the same bytes.
    @Test func batchesAndDisclosuresLetGoChangeNothing() throws {
        var stages: [(String, Duration, Int)] = []
        let whole = try Analyser.analyse(content: exampleContent, stages: &stages, includeDrafts: true).get()
        let batched = try Analyser.analyse(content: exampleContent, stages: &stages, includeDrafts: true, inHand: 0, batchSize: 1).get()
        #expect(batched.ids == whole.ids && batched.keys == whole.keys && batched.previous == whole.previous)
        #expect(!whole.findings.isEmpty && batched.findings == whole.findings)
        #expect(batched.drafts == whole.drafts)
        #expect(batched.disclosures.all == whole.disclosures.all)

        let (root, content, output) = try copyOfExampleSite("batches")
        var letGo = BuildOptions(content: content, output: output)
        letGo.inHand = 0
        _ = try SiteBuilder.build(letGo).get()
        let kept = root.appendingPathComponent("kept")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: kept)).get()
        #expect(snapshot(output) == snapshot(kept))
    }

    @Test func aNewProcessReadsOnlyTheDisclosuresThatChanged() throws {
        let (root, content, output) = try copyOfExampleSite("analysis")
        // A warning in a year folder that the edits below leave alone: still reported.
        let missing = "departments/xiangtan-kgj/2021/explanation.md"
        try FileManager.default.removeItem(at: content.appendingPathComponent(missing))
        let options = BuildOptions(content: content, output: output)
        let first = try SiteBuilder.build(options).get()
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(".public.sitegen-state").path))
        #expect(loaded(first) == first.disclosures)
        let warning = first.warnings.filter { $0.location.file == missing }
        #expect(warning.count == 1)

        // Prose: one folder read; last year's disclosure (shown beside it) is read for its page.
        try append(content, "departments/donghu-sme/2023/explanation.md", "\n新增一句。\n")
        let prose = try SiteBuilder.build(options).get()
        #expect(loaded(prose) == 1 && prose.rendered == 1)
        #expect(prose.warnings.filter { $0.location.file == missing } == warning)
        #expect(prose.findings == first.findings)
        #expect(read(output.appendingPathComponent("donghu-sme/2023/index.html")).contains("新增一句。"))

        // Figures: the region's pages and downloads read the disclosures they list.
        let tables = content.appendingPathComponent("departments/changji-sme/2023/disclosure.yaml")
        try read(tables).replacingOccurrences(of: "使用非财政拨款结余: 221.42", with: "使用非财政拨款结余: 221.41").write(to: tables, atomically: true, encoding: .utf8)
        let figures = try SiteBuilder.build(options).get()
        #expect(loaded(figures) == 1 && figures.rendered > 1)
        #expect(read(output.appendingPathComponent("changji-sme/2023/index.html")).contains("221.41"))
        // … and where the region lists others (jiangxi: donghu and xinfeng), those are read for its downloads.
        let listed = content.appendingPathComponent("departments/donghu-sme/2023/disclosure.yaml")
        try read(listed).replacingOccurrences(of: "一般公共预算财政拨款收入: 172.39", with: "一般公共预算财政拨款收入: 172.40").write(to: listed, atomically: true, encoding: .utf8)
        let region = try SiteBuilder.build(options).get()
        #expect(loaded(region) == 1)
        let zip = try Data(contentsOf: output.appendingPathComponent("compare/jiangxi/2023/jiangxi-2023.zip"))
        #expect(zip.range(of: Data("xinfeng-gxj/t01-xinfeng-gxj-2023.csv".utf8)) != nil)

        // department.yaml files are kept too: none is read again until one changes, and then only it
        // (every disclosure is read again with it, as with any shared file).
        let reading = { ContentLoader.load(from: content, reuse: PipelineShelves.reuse(BuildState.store(for: output, content: content))).departmentsRead }
        #expect(reading() == 0)
        let departmentFile = content.appendingPathComponent("departments/donghu-sme/department.yaml")
        try read(departmentFile).replacingOccurrences(of: "name: 南昌市东湖区中小企业服务局", with: "name: 南昌市东湖区中小企业发展服务局")
            .write(to: departmentFile, atomically: true, encoding: .utf8)
        #expect(reading() == 1)
        let renamed = try SiteBuilder.build(options).get()
        #expect(loaded(renamed) == first.disclosures)
        #expect(read(output.appendingPathComponent("donghu-sme/2023/index.html")).contains("南昌市东湖区中小企业发展服务局"))
        #expect(reading() == 0)

        // A file every disclosure is read with (site.yaml): all are read again.
        try append(content, "site.yaml", "\n# 改动\n")
        let shared = try SiteBuilder.build(options).get()
        #expect(loaded(shared) == first.disclosures)

        // A shelf that does not read is not used (what was published still is).
        let state = root.appendingPathComponent(".public.sitegen-state")
        let text = read(state).split(separator: "\n", omittingEmptySubsequences: false).dropLast(2).joined(separator: "\n") + "\n"
        let edited = text.replacingOccurrences(of: "§ read\n", with: "§ read\nnot a line of this shelf\n")
        try Data(Array(edited.utf8) + BuildState.sum(of: Array(edited.utf8))).write(to: state)
        try append(content, "departments/donghu-sme/2023/explanation.md", "\n又一句。\n")
        let unreadable = try SiteBuilder.build(options).get()
        #expect(loaded(unreadable) == first.disclosures && unreadable.rendered == 1)

        let fresh = root.appendingPathComponent("fresh")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        #expect(snapshot(fresh) == snapshot(output), "output built from kept analyses differs from a full build")
    }

    /// An edit that keeps the file's size and restores its modification time (`touch -r`) is still
    /// an edit: the change time and inode are part of a file's stamp. Before, the kept analysis
    /// was trusted and the stale disclosure published.
    @Test func anEditWithTheSameSizeAndRestoredTimeIsRead() throws {
        let (_, content, output) = try copyOfExampleSite("analysis-changed")
        let options = BuildOptions(content: content, output: output)
        _ = try SiteBuilder.build(options).get()
        let lastYear = content.appendingPathComponent("departments/donghu-sme/2022/disclosure.yaml").path
        var before = stat()
        #expect(stat(lastYear, &before) == 0)
        let text = read(URL(fileURLWithPath: lastYear))
        #expect(text.contains("\ntables:\n"))
        try text.replacingOccurrences(of: "\ntables:\n", with: "\ntables \n").write(toFile: lastYear, atomically: false, encoding: .utf8)
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, lastYear, &times, 0) == 0)
        var after = stat()
        #expect(stat(lastYear, &after) == 0 && after.st_size == before.st_size && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)

        let published = snapshot(output)
        guard case .failure(let failure) = SiteBuilder.build(options) else { Issue.record("the edit must be read, and fail the build"); return }
        #expect(failure.errors.contains { $0.location.file == "departments/donghu-sme/2022/disclosure.yaml" })
        #expect(snapshot(output) == published)
    }

    /// What is written is what is read: every shelf a build keeps on disk, for every disclosure of
    /// the example, findings and warnings included, text with tabs and line breaks too.
    @Test func theStoreReadsBackAsWritten() throws {
        let store = DiskStore()
        var stages: [(String, Duration, Int)] = []
        let model = try Analyser.analyse(content: exampleContent, stages: &stages, store: store).get()
        #expect(!model.findings.isEmpty)
        var read = try #require(store.kept(PipelineShelves.read))
        read.values[0] = [.warning(SourceLocation(file: "a\tb.md", line: 3), "tab\tand\nline")]
        store.keep(PipelineShelves.read, read)
        var departments = try #require(store.kept(PipelineShelves.departments))
        departments.values[0].department.duties.append("tab\tand\nline")
        // Backslashes, a carriage return, "-" and "=" as text, and fields left out.
        departments.values[1].department.name = "a\\b\rc\\t"
        departments.values[1].department.duties = []
        departments.values[1].department.code = nil
        departments.values[1].department.dutiesIntro = "-"
        departments.values[1].department.established = "="
        departments.values[1].parent = nil
        store.keep(PipelineShelves.departments, departments)
        let all = model.disclosures
        _ = store.reuse(SiteShelves.stamps, Array(all.indices), ids: model.ids, keys: model.keys) {
            PageGraph.stamps(of: all[$0], files: model.stamps[all.ids[$0]] ?? "?")
        }
        var published = Published()
        published.groups["site"] = Published.Group(key: "k", paths: ["index.html", "a b/c.html"], keys: ["1", "2"])
        store.keep(Published.shelf, Kept(published, key: 0, id: "/out put"))

        let file = store.file(header: ["first", "second"])
        let back = DiskStore(bytes: file)
        #expect(back.header == ["first", "second"])
        func same<V>(_ shelf: Shelf<V>, _ equal: (V, V) -> Bool) {
            guard let a = store.kept(shelf), let b = back.kept(shelf) else { Issue.record("\(shelf.name) not read back"); return }
            #expect(a.ids == b.ids && a.keys == b.keys && a.values.count == b.values.count, "\(shelf.name)")
            let allEqual = zip(a.values, b.values).allSatisfy(equal)
            #expect(allEqual, "\(shelf.name)")
        }
        same(PipelineShelves.read, ==)
        same(PipelineShelves.checked, ==)
        same(PipelineShelves.departments) { $0.stamp == $1.stamp && $0.department == $1.department && $0.parent == $1.parent }
        same(SiteShelves.stamps) {
            $0.files == $1.files && $0.figures == $1.figures && $0.cells == $1.cells && $0.headline == $1.headline && $0.published == $1.published
        }
        same(Published.shelf, ==)
        #expect(back.kept(Published.shelf)?.single(key: 0, id: "/out put") == published)
        // Written again unchanged, shelves not asked for included.
        #expect(back.file(header: ["first", "second"]) == file)
        // Findings or warnings that do not decode make the shelf unusable: none are dropped.
        let text = String(decoding: file, as: UTF8.self)
        let broken = text.replacingOccurrences(of: "\t[{", with: "\t[{x")
        #expect(broken != text)
        #expect(DiskStore(bytes: Array(broken.utf8)).kept(PipelineShelves.checked) == nil)
    }

    /// The state is used only for the content folder, binary and output folder it describes.
    @Test func aStateForAnotherContentFolderIsNotUsed() throws {
        let (_, content, output) = try copyOfExampleSite("state-elsewhere")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(BuildState.store(for: output, content: content).kept(PipelineShelves.checked) != nil)
        #expect(BuildState.store(for: output, content: URL(fileURLWithPath: "/elsewhere")).kept(PipelineShelves.checked) == nil)
    }

    /// The state is written over the one before the last (`.public.sitegen-state.spare`), in place:
    /// a crash or a power cut may leave a file of old and new blocks, which its check sum tells, and
    /// the next build is then a full one. The spare holds the state before, whole.
    @Test func aTornStateIsNotUsedAndTheSpareIsTheStateBefore() throws {
        let (root, content, output) = try copyOfExampleSite("state-torn")
        let options = BuildOptions(content: content, output: output)
        let state = BuildState.location(of: output), spare = BuildState.spare(of: output)
        _ = try SiteBuilder.build(options).get()
        let first = try Data(contentsOf: state)
        // A full build (nothing kept): the state before becomes the spare; nothing else is left beside.
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output, force: true)).get()
        #expect(try Data(contentsOf: spare) == first)
        let beside = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix(".public") }.sorted()
        #expect(beside == [".public.sitegen-lock", ".public.sitegen-state", ".public.sitegen-state.spare"])
        // An incremental build moves the state aside before it changes the folder, and writes over it.
        try append(content, "departments/donghu-sme/2023/explanation.md", "\n新增一句。\n")
        let second = try SiteBuilder.build(options).get()
        #expect(second.rendered == 1)
        #expect(BuildState.store(for: output, content: content).kept(Published.shelf) != nil)

        // A block of other bytes in the middle (as a crash may leave the spare written over): not
        // used, the build is a full one.
        var torn = try Data(contentsOf: state)
        let middle = torn.count / 2
        torn.replaceSubrange(middle..<(middle + 4096), with: torn[0..<4096])
        #expect(torn != (try Data(contentsOf: state)))
        try torn.write(to: state)
        #expect(BuildState.store(for: output, content: content).kept(Published.shelf) == nil)
        try append(content, "departments/donghu-sme/2023/explanation.md", "\n又一句。\n")
        let rebuilt = try SiteBuilder.build(options).get()
        #expect(rebuilt.pages > 400 && rebuilt.rendered == rebuilt.pages)
        #expect(BuildState.store(for: output, content: content).kept(Published.shelf) != nil)

        // A link planted where the spare is written is not followed: the state is written anew.
        let target = root.appendingPathComponent("target.txt")
        try "untouched".write(to: target, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: spare)
        try FileManager.default.createSymbolicLink(at: spare, withDestinationURL: target)
        try append(content, "departments/donghu-sme/2023/explanation.md", "\n再一句。\n")
        #expect(try SiteBuilder.build(options).get().rendered == 1)
        #expect(read(target) == "untouched")
        #expect(BuildState.store(for: output, content: content).kept(Published.shelf) != nil)
    }
}
