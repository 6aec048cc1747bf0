import Foundation
import ZIPFoundation
import Testing
import TestSite
import OpenData
@testable import Site
import DefaultTheme
@testable import Model
import Support
import Incremental
import Pipeline
import Content

@Suite struct BuildTests {
    /// Two checkouts at paths of different lengths (content/ and themes/ copied, so the site's own theme folder
    /// is used), one built on one thread and one on all cores: every byte of public/ is the same.
    @Test func sameContentGivesByteIdenticalOutput() throws {
        let short = temporaryFolder("d")
        let long = temporaryFolder("determinism").appendingPathComponent("a much longer/checkout path/目录")
        for root in [short, long] {
            try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: exampleContent, to: root.appendingPathComponent("content"))
            try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("themes"), to: root.appendingPathComponent("themes"))
        }
        let a = short.appendingPathComponent("public"), b = long.appendingPathComponent("public")
        _ = try SiteBuilder.build(BuildOptions(content: short.appendingPathComponent("content"), output: a, threads: 1)).get()
        _ = try SiteBuilder.build(BuildOptions(content: long.appendingPathComponent("content"), output: b)).get()
        let sa = snapshot(a), sb = snapshot(b)
        #expect(sa.count > 10)
        #expect(sa.keys.sorted() == sb.keys.sorted())
        for (path, data) in sa { #expect(sb[path] == data, "\(path) differs") }
        // No absolute paths of the machine leak into any output file (pages, feeds, downloads, archives).
        let locals = [repoRoot.path, short.path, long.path].map { Data($0.utf8) }
        for (path, data) in sa.merging(sb, uniquingKeysWith: { x, _ in x }) {
            for local in locals { #expect(data.range(of: local) == nil, "\(path) contains a local path") }
        }
    }

    /// Copies the example content to a temporary folder so a test can break it.
    func copyOfExample() throws -> URL {
        let root = temporaryFolder("broken")
        try FileManager.default.copyItem(at: exampleContent, to: root.appendingPathComponent("content"))
        return root.appendingPathComponent("content")
    }

    func expectFailureLeavesOutputUntouched(_ content: URL, expect fragment: String, file: String, line: Int? = nil) throws {
        let output = content.deletingLastPathComponent().appendingPathComponent("public")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("old site".utf8).write(to: output.appendingPathComponent("index.html"))
        try Data().write(to: output.appendingPathComponent(OutputFolder.marker))
        let before = snapshot(output)
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            Issue.record("build should fail")
            return
        }
        let match = failure.errors.first { $0.message.contains(fragment) && $0.location.file == file }
        #expect(match != nil, "no error '\(fragment)' in \(file): \(failure)")
        if let line { #expect(match?.location.line == line) }
        #expect(snapshot(output) == before, "public/ changed")
        let siblings = try FileManager.default.contentsOfDirectory(atPath: output.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.contains("staging") }, "staging folder left behind")
    }

    func edit(_ content: URL, _ path: String, _ change: (String) -> String) throws {
        let url = content.appendingPathComponent(path)
        try change(read(url)).write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func badYAMLFailsWithFileAndLine() throws {
        let content = try copyOfExample()
        try edit(content, "departments/donghu-sme/2022/disclosure.yaml") { $0 + "\n  bad: [unclosed\n" }
        try expectFailureLeavesOutputUntouched(content, expect: "YAML 格式错误", file: "departments/donghu-sme/2022/disclosure.yaml")
    }

    @Test func textInAnAmountNamesTableRowAndColumn() throws {
        let content = try copyOfExample()
        try edit(content, "departments/donghu-sme/2022/disclosure.yaml") { $0.replacingOccurrences(of: "[2010399, 55.57", with: "[2010399, 55.57万元") }
        try expectFailureLeavesOutputUntouched(content, expect: "2010399 其他政府办公厅（室）及相关机构事务支出 行“", file: "departments/donghu-sme/2022/disclosure.yaml")
    }

    @Test func unknownCodeIsAnError() throws {
        let content = try copyOfExample()
        try edit(content, "departments/donghu-sme/2022/disclosure.yaml") { $0.replacingOccurrences(of: "[2010399, 55.57", with: "[2019988, 55.57") }
        try expectFailureLeavesOutputUntouched(content, expect: "不在 2022 年的科目目录", file: "departments/donghu-sme/2022/disclosure.yaml")
    }

    @Test func missingFigureInProseIsAnErrorAtItsLine() throws {
        let content = try copyOfExample()
        try edit(content, "departments/donghu-sme/2022/explanation.md") { "第一行\n\n收入 {{02.9999999.本年收入合计}} 万元。\n" + $0 }
        try expectFailureLeavesOutputUntouched(content, expect: "no row '9999999'", file: "departments/donghu-sme/2022/explanation.md", line: 3)
    }
}

@Suite struct IncrementalTests {
    @Test func anEditRebuildsOnlyWhatItTouchesAndMatchesAFullBuild() throws {
        let (root, content, output) = try copyOfExampleSite("incremental")
        let cache = MemoryStore()
        let first = try SiteBuilder.build(BuildOptions(content: content, output: output), store: cache).get()
        #expect(first.rendered == first.pages)

        let unchanged = try SiteBuilder.build(BuildOptions(content: content, output: output), store: cache).get()
        #expect(unchanged.rendered == 0)

        let file = content.appendingPathComponent("departments/changji-sme/2023/disclosure.yaml")
        try read(file).replacingOccurrences(of: "使用非财政拨款结余: 221.42", with: "使用非财政拨款结余: 221.41").write(to: file, atomically: true, encoding: .utf8)
        let edited = try SiteBuilder.build(BuildOptions(content: content, output: output), store: cache).get()
        #expect(edited.rendered > 0 && edited.rendered < edited.pages / 2, "rendered \(edited.rendered) of \(edited.pages)")
        #expect(read(output.appendingPathComponent("changji-sme/2023/index.html")).contains("221.41"))

        // department.yaml files are kept decoded too: an edit to one is read again.
        let department = content.appendingPathComponent("departments/changji-sme/department.yaml")
        try read(department).replacingOccurrences(of: "name: 昌吉回族自治州中小企业发展服务中心", with: "name: 昌吉州中小企业服务中心（改名）")
            .write(to: department, atomically: true, encoding: .utf8)
        let renamed = try SiteBuilder.build(BuildOptions(content: content, output: output), store: cache).get()
        #expect(renamed.rendered > 0)
        #expect(try read(output.appendingPathComponent("changji-sme/index.html")).contains("昌吉州中小企业服务中心（改名）"))

        let fresh = root.appendingPathComponent("fresh")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        #expect(snapshot(fresh) == snapshot(output), "incremental output differs from a full build")
    }

    /// `serve` reports every changed path (its watcher), so a rebuild looks only at those: edits,
    /// a new year folder and a removed department are all picked up from the reports alone, and the
    /// result equals a full build.
    @Test func reportedChangesAreAllARebuildLooksAt() throws {
        let (root, content, output) = try copyOfExampleSite("reported")
        let cache = MemoryStore.watched()
        let options = BuildOptions(content: content, output: output)
        _ = try SiteBuilder.build(options, store: cache).get()
        func rebuild(_ changed: [String]) throws -> BuildReport {
            cache.forget(Set(changed.map { content.appendingPathComponent($0).path }), content: content)
            return try SiteBuilder.build(options, store: cache).get()
        }

        // An edit nobody reported is not seen (nothing was stat-ed again) …
        let explanation = "departments/changji-sme/2023/explanation.md"
        try (read(content.appendingPathComponent(explanation)) + "\n新增一句。\n").write(to: content.appendingPathComponent(explanation), atomically: true, encoding: .utf8)
        #expect(try rebuild([]).rendered == 0)
        // … and is once reported.
        #expect(try rebuild([explanation]).rendered > 0)
        #expect(read(output.appendingPathComponent("changji-sme/2023/index.html")).contains("新增一句。"))

        // A year folder moved away and back (reported as the folder, as inotify does for a moved tree).
        let year = content.appendingPathComponent("departments/xiangtan-kgj/2021"), aside = root.appendingPathComponent("2021")
        try FileManager.default.moveItem(at: year, to: aside)
        _ = try rebuild(["departments/xiangtan-kgj/2021"])
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("xiangtan-kgj/2021/index.html").path))
        try FileManager.default.moveItem(at: aside, to: year)
        _ = try rebuild(["departments/xiangtan-kgj/2021"])
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("xiangtan-kgj/2021/index.html").path))

        // A removed department.
        try FileManager.default.removeItem(at: content.appendingPathComponent("departments/xinfeng-gxj"))
        _ = try rebuild(["departments/xinfeng-gxj"])
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("xinfeng-gxj").path))

        let fresh = root.appendingPathComponent("fresh")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        #expect(snapshot(fresh) == snapshot(output), "rebuilt from reported changes differs from a full build")
    }

    /// When every reported change is a file inside a year folder, a rebuild decodes those folders only
    /// and keeps the rest of the last load, warnings included; a broken edit still fails with its
    /// file and line, and after the fix the site equals a full build.
    @Test func editsInsideYearFoldersReloadThoseFoldersOnly() throws {
        let (root, content, output) = try copyOfExampleSite("year-folders")
        // A warning elsewhere (no 情况说明) must survive rebuilds that do not read its folder.
        try FileManager.default.removeItem(at: content.appendingPathComponent("departments/xiangtan-kgj/2021/explanation.md"))
        let cache = MemoryStore.watched()
        let options = BuildOptions(content: content, output: output)
        let first = try SiteBuilder.build(options, store: cache).get()
        let missing = first.warnings.filter { $0.location.file == "departments/xiangtan-kgj/2021/explanation.md" }
        #expect(missing.count == 1)
        func rebuild(_ changed: [String]) -> Result<BuildReport, BuildFailure> {
            cache.forget(Set(changed.map { content.appendingPathComponent($0).path }), content: content)
            return SiteBuilder.build(options, store: cache)
        }

        // Prose: its own page only (the other pages' groups are skipped whole).
        let explanation = "departments/changji-sme/2023/explanation.md"
        try (read(content.appendingPathComponent(explanation)) + "\n新增一句。\n").write(to: content.appendingPathComponent(explanation), atomically: true, encoding: .utf8)
        let prose = try rebuild([explanation]).get()
        #expect(prose.rendered == 1)
        #expect(prose.warnings.filter { $0.location.file == missing[0].location.file } == missing)
        #expect(read(output.appendingPathComponent("changji-sme/2023/index.html")).contains("新增一句。"))

        // A broken file fails with where and what; the fix publishes.
        let tables = "departments/changji-sme/2023/disclosure.yaml"
        let original = read(content.appendingPathComponent(tables))
        try (original + "\n  broken: [\n").write(to: content.appendingPathComponent(tables), atomically: true, encoding: .utf8)
        guard case .failure(let failure) = rebuild([tables]) else { Issue.record("a broken file must fail the rebuild"); return }
        #expect(failure.errors.contains { $0.location.file == tables && $0.location.line > 0 })
        let edited = original.replacingOccurrences(of: "使用非财政拨款结余: 221.42", with: "使用非财政拨款结余: 221.41")
        #expect(edited != original)
        try edited.write(to: content.appendingPathComponent(tables), atomically: true, encoding: .utf8)
        _ = try rebuild([tables]).get()
        #expect(read(output.appendingPathComponent("changji-sme/2023/index.html")).contains("221.41"))

        let fresh = root.appendingPathComponent("fresh")
        let full = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        #expect(snapshot(fresh) == snapshot(output), "rebuilt from year-folder edits differs from a full build")
        #expect(full.warnings.filter { $0.location.file == missing[0].location.file } == missing)
    }

    /// serve shows an edited page before the region's bulk downloads (long CSV, ZIP) are made again:
    /// a rebuild with `downloadsLater` leaves them as they were and says how many wait; the next
    /// build makes them, and the folder ends equal to a full build.
    @Test func bulkDownloadsCanWaitForTheNextBuild() throws {
        let (root, content, output) = try copyOfExampleSite("downloads-later")
        let cache = MemoryStore.watched()
        var options = BuildOptions(content: content, output: output)
        _ = try SiteBuilder.build(options, store: cache).get()
        // The region-year downloads that list the disclosure to edit.
        let compare = output.appendingPathComponent("compare")
        let lists = try FileManager.default.subpathsOfDirectory(atPath: compare.path).filter {
            $0.hasSuffix("/data.csv") && read(compare.appendingPathComponent($0)).contains(",changji-sme,2023,")
        }
        #expect(!lists.isEmpty)
        let bulk = lists.flatMap { csv in
            let dir = (csv as NSString).deletingLastPathComponent
            let zip = try! FileManager.default.contentsOfDirectory(atPath: compare.appendingPathComponent(dir).path).filter { $0.hasSuffix(".zip") }
            return [csv] + zip.map { dir + "/" + $0 }
        }
        func bytes() -> [Data?] { bulk.map { FileManager.default.contents(atPath: compare.appendingPathComponent($0).path) } }
        let before = bytes()

        let tables = "departments/changji-sme/2023/disclosure.yaml"
        let original = read(content.appendingPathComponent(tables))
        try original.replacingOccurrences(of: "使用非财政拨款结余: 221.42", with: "使用非财政拨款结余: 221.41")
            .write(to: content.appendingPathComponent(tables), atomically: true, encoding: .utf8)
        cache.forget([content.appendingPathComponent(tables).path], content: content)
        options.downloadsLater = true
        let edit = try SiteBuilder.build(options, store: cache).get()
        #expect(read(output.appendingPathComponent("changji-sme/2023/index.html")).contains("221.41"))
        #expect(edit.waiting == lists.count)
        #expect(bytes() == before, "the bulk downloads were made in the build that was to leave them")

        options.downloadsLater = false
        let next = try SiteBuilder.build(options, store: cache).get()
        // data.csv and the ZIP; datapackage.json names the files and counts the disclosures: unchanged.
        #expect(next.waiting == 0 && next.rendered == 2 * lists.count)
        #expect(zip(bytes(), before).allSatisfy { $0 != $1 })
        let fresh = root.appendingPathComponent("fresh")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        #expect(snapshot(fresh) == snapshot(output), "downloads made a build later differ from a full build")
    }

    /// serve keeps the parsed theme between rebuilds: a template added or edited in the site's theme
    /// folder is still picked up by the next rebuild.
    @Test func aKeptThemeFollowsTemplateEdits() throws {
        let (root, content, output) = try copyOfExampleSite("kept-theme")
        let cache = MemoryStore.watched()
        let options = BuildOptions(content: content, output: output)
        _ = try SiteBuilder.build(options, store: cache).get()
        let folder = root.appendingPathComponent("themes/default")
        let builtIn = try #require(DefaultTheme.folder)
        let template = try String(contentsOf: builtIn.appendingPathComponent("404.mustache"), encoding: .utf8)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for mark in ["主题改动一", "主题改动二"] {
            try template.replacingOccurrences(of: "</article>", with: "<p>\(mark)</p></article>")
                .write(to: folder.appendingPathComponent("404.mustache"), atomically: true, encoding: .utf8)
            cache.forget([folder.appendingPathComponent("404.mustache").path], content: content)
            _ = try SiteBuilder.build(options, store: cache).get()
            #expect(read(output.appendingPathComponent("404.html")).contains(mark))
        }
    }

    /// `sitegen build` run again in a new process (no in-memory cache): the state left beside public/
    /// makes a no-op build stop after stat-ing the inputs and an edit write only what it changes.
    @Test func aNewProcessSkipsUnchangedPagesThroughTheStateFile() throws {
        let (root, content, output) = try copyOfExampleSite("state")
        let options = BuildOptions(content: content, output: output)
        let first = try SiteBuilder.build(options).get()
        #expect(first.rendered == first.pages && first.upToDate == nil)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(".public.sitegen-state").path))

        let again = try SiteBuilder.build(options).get()
        #expect(again.upToDate != nil && again.rendered == 0)

        // An edit that fails leaves the folder and its state as they were: the next build is still incremental.
        let file = content.appendingPathComponent("departments/changji-sme/2023/disclosure.yaml")
        let original = read(file)
        try (original + "\n  broken: [\n").write(to: file, atomically: true, encoding: .utf8)
        let before = snapshot(output)
        guard case .failure = SiteBuilder.build(options) else { Issue.record("a broken file must fail the build"); return }
        #expect(snapshot(output) == before)

        try original.replacingOccurrences(of: "使用非财政拨款结余: 221.42", with: "使用非财政拨款结余: 221.41").write(to: file, atomically: true, encoding: .utf8)
        let edited = try SiteBuilder.build(options).get()
        #expect(edited.upToDate == nil && edited.rendered > 0 && edited.rendered < edited.pages / 2, "rendered \(edited.rendered) of \(edited.pages)")
        #expect(try read(output.appendingPathComponent("changji-sme/2023/index.html")).contains("221.41"))

        // A year removed: its pages go too.
        try FileManager.default.removeItem(at: content.appendingPathComponent("departments/donghu-sme/2023"))
        _ = try SiteBuilder.build(options).get()
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("donghu-sme/2023/index.html").path))

        let fresh = root.appendingPathComponent("fresh")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        #expect(snapshot(fresh) == snapshot(output), "incremental output differs from a full build")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: root.path)).contains { $0.contains("staging") || $0.contains(".old-") })

        // The folder replaced (deleted, copied back, …) is not the folder the state describes: full build.
        try FileManager.default.removeItem(at: output)
        try FileManager.default.copyItem(at: fresh, to: output)
        let copied = try SiteBuilder.build(options).get()
        #expect(copied.upToDate == nil && copied.rendered == copied.pages)
        // --force renders everything.
        let forced = try SiteBuilder.build(BuildOptions(content: content, output: output, force: true)).get()
        #expect(forced.rendered == forced.pages)
    }

    /// A full build whose files come out the same links them from the old output instead of creating
    /// new files (inode churn is what writing a site costs most); changed files are new files.
    @Test func identicalFilesAreLinkedNotWrittenAgain() throws {
        let (_, content, output) = try copyOfExampleSite("relink")
        func inode(_ path: String) throws -> UInt64 {
            try (FileManager.default.attributesOfItem(atPath: output.appendingPathComponent(path).path)[.systemFileNumber] as! NSNumber).uint64Value
        }
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let page = "changji-sme/2023/index.html", other = "xiangtan-kgj/2021/index.html"
        let (pageInode, otherInode) = (try inode(page), try inode(other))
        let before = snapshot(output)

        let forced = try SiteBuilder.build(BuildOptions(content: content, output: output, force: true)).get()
        #expect(forced.rendered == forced.pages)
        #expect(snapshot(output) == before)
        #expect(try inode(page) == pageInode && inode(other) == otherInode)

        let file = content.appendingPathComponent("departments/changji-sme/2023/disclosure.yaml")
        try read(file).replacingOccurrences(of: "使用非财政拨款结余: 221.42", with: "使用非财政拨款结余: 221.41").write(to: file, atomically: true, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output, force: true)).get()
        #expect(try inode(page) != pageInode && inode(other) == otherInode)
        #expect(try read(output.appendingPathComponent(page)).contains("221.41"))
    }
}

@Suite struct BulkZipTests {
    /// The region ZIPs are made from the files as this build wrote them (read back, not held in
    /// memory); a file missing from the output (deleted by hand) is made again for the ZIP.
    @Test func zipsReadTheWrittenFilesAndMakeMissingOnesAgain() throws {
        let (root, content, output) = try copyOfExampleSite("zips")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let zips = snapshot(output).keys.filter { $0.hasPrefix("compare/") && $0.hasSuffix(".zip") }.sorted()
        #expect(!zips.isEmpty)
        let before = snapshot(output)

        // A disclosure's data package (which the region's long CSV and ZIP are made from) deleted from the output, then an edit that makes the ZIPs again (incremental).
        // (xinfeng-gxj and donghu-sme are both in the 江西省 2023 ZIP.)
        try FileManager.default.removeItem(at: output.appendingPathComponent(Downloads.paths(slug: "xinfeng-gxj", year: 2023).package))
        let file = content.appendingPathComponent("departments/donghu-sme/2023/disclosure.yaml")
        try read(file).replacingOccurrences(of: "      其他收入: 0.00", with: "      其他收入: 0.01").write(to: file, atomically: true, encoding: .utf8)
        let edited = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(edited.rendered < edited.pages)
        let fresh = root.appendingPathComponent("fresh")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        let after = snapshot(output), expected = snapshot(fresh)
        for zip in zips { #expect(after[zip] == expected[zip], "\(zip) differs from a full build's") }
        #expect(zips.contains { after[$0] != before[$0] }, "no ZIP was made again")
    }
}

/// The ZIP writer: ZIPFoundation's layout with libdeflate's deflate, read back by ZIPFoundation, ZIP64 past 65,535 entries.
@Suite struct ZipWriterTests {
    static func entries(_ n: Int) -> [(String, [UInt8])] {
        (0..<n).map { i in ("d\(i / 21)/t\(i % 21).csv", Array("编码,金额\n\(i),\(i % 97).00\n".utf8) + (i % 500 == 0 ? Array(repeating: 65, count: 70_000) : [])) }
    }

    static func readBack(_ bytes: [UInt8]) throws -> [(String, [UInt8])] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        return try archive.map { entry in
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return (entry.path, [UInt8](data))
        }
    }

    /// What `Archive.addEntry` writes for the same entries (deflated, fixed date) but the deflated
    /// bytes (libdeflate's, not zlib's): the same number of bytes of headers; ZIPFoundation reads it
    /// back (checking each CRC-32), entries copied into another archive too.
    @Test func writesWhatZIPFoundationWrites() throws {
        let files = Self.entries(300) + [("空.csv", [])]
        var writer = ZipWriter()
        for (name, data) in files { writer.add(name, data) }
        let ours = writer.finish()
        let theirs = try Archive(accessMode: .create)
        for (name, data) in files {
            try theirs.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: Date(timeIntervalSince1970: 315_532_800),
                                compressionMethod: .deflate, bufferSize: 1 << 16) { position, size in Data(data[Int(position)..<Int(position) + size]) }
        }
        let theirBytes = [UInt8](theirs.data ?? Data())
        let compressed = { (bytes: [UInt8]) in ZipReader(bytes)?.entries.reduce(0) { $0 + $1.compressed.count } ?? -1 }
        #expect(ours.count - compressed(ours) == theirBytes.count - compressed(theirBytes))
        #expect(Array(ours.prefix(14)) == Array(theirBytes.prefix(14)))   // signature, version, flags, method, date
        let back = try Self.readBack(ours)
        #expect(back.map(\.0) == files.map(\.0) && back.map(\.1) == files.map(\.1))
        var copy = ZipWriter()
        for entry in try #require(ZipReader(ours)).entries { copy.add("copy/" + entry.name, entry) }
        let copied = try Self.readBack(copy.finish())
        #expect(copied.map(\.0) == files.map { "copy/" + $0.0 } && copied.map(\.1) == files.map(\.1))
    }

    /// A region of a province holds more than 65,535 files: the archive gets ZIP64 end records
    /// (with ZIPFoundation's Archive this many entries took minutes: every entry rewrote the directory).
    @Test func manyEntriesGetZIP64Records() throws {
        let files = Self.entries(70_000)
        var writer = ZipWriter()
        for (name, data) in files { writer.add(name, data) }
        let bytes = writer.finish()
        #expect(bytes.count > 22 && Array(bytes[(bytes.count - 22)..<(bytes.count - 18)]) == [0x50, 0x4b, 0x05, 0x06])
        #expect(Array(bytes[(bytes.count - 14)..<(bytes.count - 12)]) == [0xFF, 0xFF], "the end record's entry count points to ZIP64")
        let back = try Self.readBack(bytes)
        #expect(back.count == files.count)
        #expect(back.first?.0 == files.first?.0 && back.last?.0 == files.last?.0 && back.last?.1 == files.last?.1)
        #expect(back[500].1 == files[500].1)
    }
}

@Suite struct LazyBoxTests {
    /// A download shared by its files and the region ZIPs is made once and dropped after its last
    /// counted consumer; asked for again, it is made again (never wrong, only slower).
    @Test func aCountedValueIsMadeOnceAndDroppedAfterItsLastUse() {
        let made = Counter()
        let box = LazyBox { made.increment(); return "value" }
        box.addUse()
        box.addUse()
        #expect(box.take() == "value" && box.take() == "value")
        #expect(made.value == 1)
        #expect(box.take() == "value")
        #expect(made.value == 2)
    }

    /// A disclosure in hand is let go after the last page counted for it (`expect`, `release`), so a
    /// build does not hold every disclosure to the end of rendering; asked for again, it is read again
    /// for that reader only (never kept again: the list stays small).
    @Test func aDisclosureIsLetGoAfterItsLastCountedPage() {
        let loads = Counter()
        let d = Disclosure(department: "d", year: 2023, form: 2023, tables: [], location: SourceLocation(file: "departments/d/2023/disclosure.yaml"))
        let list = DisclosureList(ids: [d.id], departments: ["d"], years: [2023], read: [d]) { _, _ in loads.increment(); return d }
        list.expect(0)
        list.expect(0)
        #expect(list[0].id == d.id)
        list.release(0)
        #expect(list[0].id == d.id && loads.value == 0, "still in hand for the second page")
        list.release(0)
        #expect(list[0].id == d.id && loads.value == 1, "read again once let go")
        #expect(list[0].id == d.id && loads.value == 2, "and not kept for the next reader")
        #expect(list.failures.isEmpty)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        var value: Int { lock.withLock { n } }
        func increment() { lock.withLock { n += 1 } }
    }
}

@Suite struct SharedMemoryTests {
    /// Form skeletons are made once per kind, form and catalogue and shared: a second disclosure gets
    /// a table equal to a freshly made one, and changing its copy does not change the next one.
    @Test func skeletonsAreSharedCopiesOfTheSameTable() {
        let classes = [("201", "一般公共服务支出"), ("208", "社会保障和就业支出")]
        for kind in TableKind.allCases {
            for form in [2022, 2023] {
                let definition = ContentLoader.nationalForms[String(form)]!.table(kind).definition
                var first = Forms.skeleton(kind, form: form, classes: classes)
                #expect(first == Forms.makeSkeleton(kind, form: form, definition: definition, classes: classes, extended: false))
                if !first.sections.isEmpty, !first.sections[0].rows.isEmpty, !first.sections[0].rows[0].cells.isEmpty {
                    first.sections[0].rows[0].cells[0].value = Amount(units: 10_000, scale: 2)
                }
                #expect(Forms.skeleton(kind, form: form, classes: classes) == Forms.makeSkeleton(kind, form: form, definition: definition, classes: classes,
                                                                                                 extended: false))
            }
        }
    }

    /// parallelConsume gives the same results as map, in order.
    @Test func parallelConsumeKeepsOrder() {
        let items = (0..<1_000).map { "item \($0)" }
        #expect(parallelConsume(items) { $0.uppercased() } == items.map { $0.uppercased() })
    }
}
