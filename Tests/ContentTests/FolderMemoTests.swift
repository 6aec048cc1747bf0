import Foundation
import Testing
import TestSite
@testable import Content

/// What `serve` keeps of the content folder between builds, and what a reported change makes it forget.
@Suite struct FolderMemoTests {
    static func memo() -> FolderMemo {
        let memo = FolderMemo()
        memo.lock.withLock {
            for path in ["departments/a/2023/disclosure.yaml", "departments/a/2023/explanation.md",
                         "departments/a/2023", "departments/a", "departments/b/2023/disclosure.yaml"] {
                memo.set(path) { $0.exists = true }
            }
        }
        return memo
    }

    /// An editor's temporary file beside a disclosure (perl -i, vim's 4913) forgets the folders above
    /// it, whose listings include it, and nothing else: before, every unknown path made forget look at
    /// every entry (47 ms at 10,000 disclosures).
    @Test func aTemporaryFileForgetsOnlyTheFoldersAboveIt() {
        let memo = Self.memo()
        memo.forget(["departments/a/2023/XXoNArpt"])
        #expect(Set(memo.entries.keys) == ["departments/a/2023/disclosure.yaml", "departments/a/2023/explanation.md",
                                           "departments/b/2023/disclosure.yaml"])
        #expect(memo.scans == 0)
    }

    /// A folder reported after its own entry was forgotten (an edit inside it came first) still
    /// forgets everything below it: inotify reports a moved tree as the folder alone.
    @Test func aFolderForgetsWhatIsBelowItEvenWithoutItsOwnEntry() {
        let memo = Self.memo()
        memo.forget(["departments/a/2023/disclosure.yaml"])
        #expect(memo.entries["departments/a/2023"] == nil && memo.entries["departments/a/2023/explanation.md"] != nil)
        memo.forget(["departments/a/2023"])
        #expect(Set(memo.entries.keys) == ["departments/b/2023/disclosure.yaml"])
        #expect(memo.scans == 1)
        memo.forget([""])
        #expect(memo.entries.isEmpty)
    }
}

/// A build that is not a no-op hands the loader what its walk of the content folder found: the
/// loader must get from it the same answers as from the file system (links inside and outside,
/// a dangling link, hidden files, names that are not there).
@Suite struct WalkedMemoTests {
    @Test func theWalkAnswersAsTheFileSystemDoes() throws {
        let root = temporaryFolder("walked")
        let content = root.appendingPathComponent("content")
        let outside = root.appendingPathComponent("outside")
        let fm = FileManager.default
        func write(_ path: String, _ text: String = "x: 1\n", in folder: URL? = nil) throws {
            let url = (folder ?? content).appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
        }
        try write("site.yaml")
        try write("departments/a/department.yaml")
        try write("departments/a/2023/disclosure.yaml")
        try write("departments/a/2023/explanation.md", "# 说明\n")
        try write("departments/a/.hidden")
        try write("departments/b/department.json", "{}")
        try write("departments/b/department.yaml")
        try write("shared/department.yaml")
        try write("department.yaml", in: outside)
        try fm.createDirectory(at: outside.appendingPathComponent("2022"), withIntermediateDirectories: true)
        // Many departments: the walk takes its parallel branch for departments/.
        for i in 0..<70 { try write("departments/d\(i)/department.yaml") }
        try fm.createSymbolicLink(atPath: content.path + "/departments/c", withDestinationPath: content.path + "/shared")
        try fm.createSymbolicLink(atPath: content.path + "/departments/a/2022", withDestinationPath: outside.path + "/2022")
        try fm.createSymbolicLink(atPath: content.path + "/departments/b/2023", withDestinationPath: content.path + "/nowhere")
        try fm.createSymbolicLink(atPath: content.path + "/departments/d0/department.yml", withDestinationPath: outside.path + "/department.yaml")

        let walked = FolderMemo(walked: ContentLoader.stamp(content).walked)
        let paths = ["", "site", "site.yaml", "site.yml", "departments", "departments/a", "departments/a/department",
                     "departments/a/department.yaml", "departments/a/department.json", "departments/a/.hidden", "departments/a/2023",
                     "departments/a/2023/explanation.md", "departments/a/2023/report.md", "departments/a/2022", "departments/b",
                     "departments/b/department", "departments/b/2023", "departments/c", "departments/c/department",
                     "departments/c/department.yaml", "departments/d0", "departments/d0/department", "departments/d0/department.yml",
                     "departments/d69/department.yaml", "departments/zz", "departments/zz/department.yaml"]
        for path in paths {
            let fresh = ContentFolder(root: content, memo: FolderMemo())
            let memo = ContentFolder(root: content, memo: walked)
            #expect(memo.fileExists(path) == fresh.fileExists(path), "fileExists \(path)")
            #expect(memo.isDirectory(path) == fresh.isDirectory(path), "isDirectory \(path)")
            #expect(memo.exists(path) == fresh.exists(path), "exists \(path)")
            #expect(memo.children(path) == fresh.children(path), "children \(path)")
            #expect(memo.stamp(of: path) == fresh.stamp(of: path), "stamp \(path)")
            #expect(memo.stamp(of: path, topLevelOnly: true) == fresh.stamp(of: path, topLevelOnly: true), "top stamp \(path)")
            #expect(memo.dataFile(path) == fresh.dataFile(path), "dataFile \(path)")
            #expect(memo.escapes == fresh.escapes, "escapes \(path)")
        }
        // The walk lists a folder without an lstat only when the listing says it is a plain folder:
        // a link to one, a file and a dangling link are looked at.
        let listed = try #require(ContentFolder.listing(content.path + "/departments"))
        let folders = Dictionary(uniqueKeysWithValues: listed.map { ($0.name, $0.folder) })
        #expect(folders["a"] == true && folders["d69"] == true)
        #expect(folders["c"] == false)
        #expect(ContentFolder.listing(content.path + "/departments/b")?.map(\.folder) == [false, false, false])
        #expect(ContentFolder.listing(content.path + "/nowhere") == nil)
    }

    /// A folder is listed from its descriptor a buffer at a time (`getdents64`): one whose entries
    /// take several buffers is listed whole, hidden entries left out, sorted by name.
    @Test func aLargeFolderIsListedWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("listing-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // About 90 bytes a record: 3,000 of them fill the 32 KB buffer eight times over.
        var names: [String] = []
        for i in 0..<3_000 {
            let name = String(format: "%04d-", i) + String(repeating: "名", count: 20)
            names.append(name)
            #expect(FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: nil))
        }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("0500-folder"), withIntermediateDirectories: false)
        for hidden in [".hidden", ".DS_Store"] {
            #expect(FileManager.default.createFile(atPath: folder.appendingPathComponent(hidden).path, contents: nil))
        }
        let listed = try #require(ContentFolder.listing(folder.path))
        #expect(listed.map(\.name) == (names + ["0500-folder"]).sorted())
        #expect(listed.filter(\.folder).map(\.name) == ["0500-folder"])
    }
}

/// A file's stamp is written digit by digit into a string made at its largest size.
@Suite struct FileStampTests {
    @Test("the metadata reads as interpolation writes it, the largest and smallest numbers included")
    func metadataAsInterpolated() {
        var st = stat()
        for (size, sec, nsec, ino) in [(0, 0, 0, UInt64(0)), (12_345, 1_796_397_350, 855_459_255, UInt64(1_852_618)),
                                       (Int.min, Int.min, Int.min, UInt64.max), (Int.max, -1, Int.max, UInt64.max)] {
            st.st_size = size
            st.st_mtim = timespec(tv_sec: sec, tv_nsec: nsec)
            st.st_ctim = timespec(tv_sec: sec, tv_nsec: nsec)
            st.st_ino = numericCast(ino)
            let text = ContentFolder.metadata(st)
            #expect(text == "\(size):\(sec).\(nsec):\(sec).\(nsec):\(ino)")
            #expect(text.utf8.count <= ContentFolder.metadataBytes)
        }
    }
}

/// 【待填写】 left in prose keeps a disclosure a draft: each is counted, compared as bytes.
@Suite struct PlaceholderCountTests {
    @Test("placeholders are counted without overlap, and a character sharing the mark's first byte is not one")
    func counted() {
        let mark = Decoder.placeholderMark
        #expect(Decoder.occurrences(of: mark, in: "") == 0)
        #expect(Decoder.occurrences(of: mark, in: "主要原因：说明完毕。") == 0)
        #expect(Decoder.occurrences(of: mark, in: "【待填】【待填写") == 1)
        #expect(Decoder.occurrences(of: mark, in: "原因：【待填写：原因】；【待填写】【待填写】。") == 3)
        #expect(Decoder.occurrences(of: "aa", in: "aaaaa") == 2)
        #expect(Decoder.occurrences(of: "", in: "abc") == 0)
    }
}
