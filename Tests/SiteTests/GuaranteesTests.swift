@testable import Content
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Incremental
import Model
@testable import Site
import Testing
import TestSite

/// What a build promises (docs/guarantees.md): the output folder is sitegen's alone, content never
/// reaches outside the site, a build publishes completely or not at all — on a full disk, an I/O
/// error or a kill — and no edit hides behind a restored timestamp.
@Suite struct GuaranteesTests {
    // MARK: The output folder

    /// A build that must be refused, and the folders it must leave exactly as they were.
    func expectRefused(_ content: URL, output: URL, untouched: [URL], says fragment: String) {
        let before = untouched.map(snapshot)
        let parent = output.standardizedFileURL.deletingLastPathComponent()
        let siblings = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            Issue.record("a build into \(output.path) must be refused")
            return
        }
        #expect(failure.errors.count == 1 && failure.errors[0].message.contains(fragment), "\(failure)")
        #expect(untouched.map(snapshot) == before, "a refused build changed files")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []) == siblings, "a refused build wrote beside the folder")
    }

    @Test func theSiteRootTheContentAndFoldersOfOthersAreNeverAnOutput() throws {
        let (root, content, _) = try copyOfExampleSite("refuse")
        expectRefused(content, output: root, untouched: [root], says: "站点根目录")
        expectRefused(content, output: URL(fileURLWithPath: root.path + "/."), untouched: [root], says: "站点根目录")
        expectRefused(content, output: content, untouched: [content], says: "重叠")
        expectRefused(content, output: content.appendingPathComponent("departments"), untouched: [content], says: "重叠")
        expectRefused(content, output: root.deletingLastPathComponent(), untouched: [content], says: "重叠")
        // Not even the folders above a refused output are made.
        expectRefused(content, output: content.appendingPathComponent("new/public"), untouched: [content], says: "重叠")
        #expect(!FileManager.default.fileExists(atPath: content.appendingPathComponent("new").path))

        let repository = root.appendingPathComponent("site-repo")
        try FileManager.default.createDirectory(at: repository.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try Data("ref: refs/heads/main\n".utf8).write(to: repository.appendingPathComponent(".git/HEAD"))
        expectRefused(content, output: repository, untouched: [repository], says: "不是 sitegen 生成的")

        let pages = root.appendingPathComponent("gh-pages")
        try FileManager.default.createDirectory(at: pages, withIntermediateDirectories: true)
        try Data("example.org\n".utf8).write(to: pages.appendingPathComponent("CNAME"))
        expectRefused(content, output: pages, untouched: [pages], says: "CNAME")

        let file = root.appendingPathComponent("notes.txt")
        try Data("mine\n".utf8).write(to: file)
        expectRefused(content, output: file, untouched: [root], says: "文件")
    }

    /// `serve` neither builds into nor serves a folder a build may not write.
    @Test func serveRefusesAFolderThatIsNotSitegens() throws {
        let (root, content, _) = try copyOfExampleSite("serve-refuse")
        let other = root.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: other.appendingPathComponent("notes.txt"))
        let before = snapshot(other)
        let status = try runSitegen(["serve", "--content", content.path, "--output", other.path, "--port", "0", "--poll"])
        #expect(status == 1)
        #expect(snapshot(other) == before)
    }

    @Test func anEmptyFolderAndSitegensOwnAreBuiltInto() throws {
        let (root, content, output) = try copyOfExampleSite("own")
        // Beside the output, a folder whose name only looks like a retired one is someone's: kept.
        let lookalike = root.appendingPathComponent(".public.old-backup")
        try FileManager.default.createDirectory(at: lookalike, withIntermediateDirectories: true)
        try Data("mine\n".utf8).write(to: lookalike.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputFolder.marker).path))
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output, force: true)).get()
        // A folder published by a sitegen without the marker (its state beside it) is still sitegen's.
        try FileManager.default.removeItem(at: output.appendingPathComponent(OutputFolder.marker))
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output, force: true)).get()
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputFolder.marker).path))
        #expect(read(lookalike.appendingPathComponent("notes.txt")) == "mine\n")
    }

    @Test func aLinkedOutputFolderIsFollowedAndStaysALink() throws {
        let (root, content, _) = try copyOfExampleSite("linked-output")
        let target = root.appendingPathComponent("www")
        let link = root.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: link)).get()
        try append(content, "departments/donghu-sme/2023/explanation.md", "\n新增一句。\n")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: link)).get()
        _ = try SiteBuilder.build(BuildOptions(content: content, output: link, force: true)).get()
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == target.path)
        #expect(read(target.appendingPathComponent("donghu-sme/2023/index.html")).contains("新增一句。"))
    }

    /// A mounted file system of its own (tmpfs) as the output: its entries are swapped, not the folder.
    @Test(.enabled(if: Mount.possible)) func aMountPointCanBePublished() throws {
        let (root, content, output) = try copyOfExampleSite("mounted-output")
        let mount = try Mount(output, megabytes: 32)
        defer { mount.unmount() }
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        try append(content, "departments/donghu-sme/2023/explanation.md", "\n新增一句。\n")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output, force: true)).get()
        let fresh = root.appendingPathComponent("fresh")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        #expect(snapshot(output) == snapshot(fresh))
        #expect(mount.isMounted)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).allSatisfy { !$0.hasPrefix(".sitegen.") })
    }

    // MARK: What content may be

    @Test func aLinkUnderReportsIsRefusedAndNothingOfItIsPublished() throws {
        let (_, content, output) = try copyOfExampleSite("report-link")
        let link = content.appendingPathComponent("departments/donghu-sme/2022/reports/passwd.md")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/etc/passwd")
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            Issue.record("a link to a system file must be refused")
            return
        }
        #expect(failure.errors.contains { $0.location.file == "departments/donghu-sme/2022/reports/passwd.md" && $0.message.contains("符号链接") })
        #expect(!FileManager.default.fileExists(atPath: output.path))
        // Even with links followed, one that leads outside the site is refused.
        guard case .failure(let followed) = SiteBuilder.build(BuildOptions(content: content, output: output, followSymlinks: true)) else {
            Issue.record("a link outside the site must be refused with --follow-symlinks too")
            return
        }
        #expect(followed.errors.contains { $0.location.file.hasSuffix("reports/passwd.md") && $0.message.contains("站点文件夹之外") })
    }

    @Test func aLinkInsideTheSiteIsReadOnlyWhenLinksAreFollowed() throws {
        let (root, content, output) = try copyOfExampleSite("inside-link")
        let glossary = content.appendingPathComponent("glossary.md")
        let shared = root.appendingPathComponent("shared-glossary.md")
        try FileManager.default.moveItem(at: glossary, to: shared)
        try FileManager.default.createSymbolicLink(atPath: glossary.path, withDestinationPath: shared.path)
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            Issue.record("links are refused by default")
            return
        }
        #expect(failure.errors.contains { $0.location.file == "glossary.md" && $0.message.contains("--follow-symlinks") })
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output, followSymlinks: true)).get()
    }

    /// A followed link back to a folder that holds it would be walked forever: refused even with
    /// --follow-symlinks.
    @Test func aLinkToAFolderHoldingItIsRefusedWhenLinksAreFollowed() throws {
        let (root, content, output) = try copyOfExampleSite("link-loop")
        let link = content.appendingPathComponent("departments/loop")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: root.path)
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output, followSymlinks: true)) else {
            Issue.record("a link to a folder holding it must be refused")
            return
        }
        #expect(failure.errors.contains { $0.location.file == "departments/loop" && $0.message.contains("无限循环") })
    }

    @Test func aNamedPipeInContentIsRefusedWithoutWaiting() throws {
        let (_, content, output) = try copyOfExampleSite("fifo")
        let pipe = content.appendingPathComponent("departments/donghu-sme/2022/glossary.md")
        #expect(mkfifo(pipe.path, 0o644) == 0)
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            Issue.record("a named pipe must be refused")
            return
        }
        #expect(failure.errors.contains { $0.location.file == "departments/donghu-sme/2022/glossary.md" && $0.message.contains("命名管道") })
    }

    @Test func aLinkInTheThemeIsRefused() throws {
        let (root, content, output) = try copyOfExampleSite("theme-link")
        let statics = root.appendingPathComponent("themes/default/static")
        try FileManager.default.createDirectory(at: statics, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: statics.appendingPathComponent("passwd.txt").path, withDestinationPath: "/etc/passwd")
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            Issue.record("a link in the theme must be refused")
            return
        }
        #expect(failure.errors.contains { $0.location.file.hasSuffix("static/passwd.txt") && $0.message.contains("符号链接") })
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("static/passwd.txt").path))
    }

    // MARK: Atomic publishing

    /// A published site, then an edit of figures that changes many pages: the build to try.
    func publishedSiteWithAnEdit(_ name: String) throws -> (root: URL, content: URL, output: URL, published: [String: Data]) {
        let (root, content, output) = try copyOfExampleSite(name)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let published = snapshot(output)
        let tables = content.appendingPathComponent("departments/donghu-sme/2023/disclosure.yaml")
        try read(tables).replacingOccurrences(of: "一般公共预算财政拨款收入: 172.39", with: "一般公共预算财政拨款收入: 172.40")
            .write(to: tables, atomically: true, encoding: .utf8)
        return (root, content, output, published)
    }

    /// Nothing of a failed build is left beside the folder but what a successful one leaves.
    func leftovers(_ root: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.contains(".staging-") || $0.contains(".old-") || $0.hasSuffix("journal") }
    }

    /// (After a failure the next build is a full one: each fault gets a published site of its own.)
    @Test func anIOErrorWhileMovingPutsEveryFileBack() throws {
        for fault in [Fault(.failWhileMoving, 0), Fault(.failWhileMoving, 3)] {
            let (root, content, output, published) = try publishedSiteWithAnEdit("fail-move")
            guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output, fault: fault)) else {
                Issue.record("the build must fail")
                return
            }
            #expect(failure.errors.count == 1)
            #expect(failure.errors[0].message.contains("输入/输出错误") && failure.errors[0].message.contains(output.path))
            #expect(snapshot(output) == published, "the output changed")
            #expect(leftovers(root).isEmpty, "left: \(leftovers(root))")
        }
        // A full build that fails as it swaps the folders.
        let (root, content, output, published) = try publishedSiteWithAnEdit("fail-swap")
        guard case .failure = SiteBuilder.build(BuildOptions(content: content, output: output, force: true, fault: Fault(.failWhileMoving, 0))) else {
            Issue.record("the build must fail")
            return
        }
        #expect(snapshot(output) == published)
        try expectNextBuildEqualsAFullOne(root, content, output)
    }

    func expectNextBuildEqualsAFullOne(_ root: URL, _ content: URL, _ output: URL) throws {
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let fresh = root.appendingPathComponent("fresh-\(UUID().uuidString)")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fresh)).get()
        #expect(snapshot(output) == snapshot(fresh), "the next build differs from a full one")
        #expect(leftovers(root).isEmpty, "left: \(leftovers(root))")
    }

    /// The real binary, killed (SIGKILL) while it writes and while it moves files into place.
    @Test func aKilledBuildLeavesTheSiteAsItWasAndTheNextBuildClean() throws {
        let (root, content, output, published) = try publishedSiteWithAnEdit("killed")
        for fault in ["kill-while-writing:3", "kill-while-moving:2", "kill-while-moving:0"] {
            let status = try runSitegen(["build", "--content", content.path, "--output", output.path], environment: ["SITEGEN_FAULT": fault])
            #expect(status == SIGKILL, "\(fault): the process was not killed (\(status))")
            // What the next build does first: put back what the killed one moved, remove what it left.
            _ = try OutputFolder.claim(output, content: content).get()
            #expect(snapshot(output) == published, "\(fault): the previous site is not back")
            #expect(leftovers(root).isEmpty, "\(fault): left \(leftovers(root))")
        }
        // A full build killed between moving the old folder away and the new one in.
        let status = try runSitegen(["build", "--force", "--content", content.path, "--output", output.path], environment: ["SITEGEN_FAULT": "kill-while-moving:0"])
        #expect(status == SIGKILL)
        try expectNextBuildEqualsAFullOne(root, content, output)
    }

    /// A file system that fills up: the build fails, says why once, and the site stays as it was.
    @Test(.enabled(if: Mount.possible)) func aFullDiskLeavesTheSiteAsItWas() throws {
        let disk = temporaryFolder("full-disk")
        let mount = try Mount(disk, megabytes: 16)
        defer { mount.unmount() }
        let root = disk.appendingPathComponent("site")
        let content = root.appendingPathComponent("content"), output = root.appendingPathComponent("public")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: exampleContent, to: content)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let published = snapshot(output)
        try append(content, "departments/donghu-sme/2023/explanation.md", "\n新增一句。\n")
        let tables = content.appendingPathComponent("departments/donghu-sme/2023/disclosure.yaml")
        try read(tables).replacingOccurrences(of: "一般公共预算财政拨款收入: 172.39", with: "一般公共预算财政拨款收入: 172.40")
            .write(to: tables, atomically: true, encoding: .utf8)
        // Fill the disk to its last few KB.
        let filler = disk.appendingPathComponent("filler")
        var st = statvfs()
        #expect(statvfs(disk.path, &st) == 0)
        let free = Int(st.f_bavail) * Int(st.f_frsize)
        #expect(FileManager.default.createFile(atPath: filler.path, contents: Data(count: max(0, free - 8 * 1024))))
        for force in [false, true] {
            guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output, force: force)) else {
                Issue.record("the build must fail on a full disk")
                return
            }
            #expect(failure.errors.count == 1, "\(failure)")
            let message = failure.errors.first?.message ?? ""
            #expect(message.contains("磁盘空间已满") && message.contains("No space left on device") && message.contains(root.path), "\(message)")
            #expect(!message.contains("NSCocoaErrorDomain"))
            #expect(snapshot(output) == published, "the output changed")
            #expect(leftovers(root).isEmpty)
        }
        try FileManager.default.removeItem(at: filler)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(read(output.appendingPathComponent("donghu-sme/2023/index.html")).contains("新增一句。"))
    }

    // MARK: Change detection

    /// A figure edited in place, with the size kept and the modification time restored (`touch -r`):
    /// published, and its findings made again.
    @Test func anEditThatRestoresItsTimeIsPublished() throws {
        let (_, content, output) = try copyOfExampleSite("touch-r")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let tables = content.appendingPathComponent("departments/donghu-sme/2023/disclosure.yaml").path
        var before = stat()
        #expect(stat(tables, &before) == 0)
        try read(URL(fileURLWithPath: tables)).replacingOccurrences(of: "一般公共预算财政拨款收入: 172.39", with: "一般公共预算财政拨款收入: 172.49")
            .write(toFile: tables, atomically: false, encoding: .utf8)
        var times = [before.st_atim, before.st_mtim]
        #expect(utimensat(AT_FDCWD, tables, &times, 0) == 0)
        let report = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(report.upToDate == nil && report.rendered > 0)
        #expect(read(output.appendingPathComponent("donghu-sme/2023/index.html")).contains("172.49"))
    }

    /// An edit in the same clock tick as the write before it, after a build stamped the file: size,
    /// times and inode all the same; the hash kept for fresh files tells.
    @Test func aFreshFileIsHashedAndAnEditInTheSameTickIsSeen() throws {
        let folder = temporaryFolder("fresh")
        let file = folder.appendingPathComponent("a.md")
        try Data("一二三".utf8).write(to: file)
        var st = stat()
        #expect(stat(file.path, &st) == 0)
        let first = Freshness()
        let metadata = "meta"
        #expect(first.suffix("a.md", path: file.path, metadata: metadata, st) == "")
        #expect(first.fresh["a.md"]?.hasPrefix("meta ") == true)
        // The same bytes: nothing to say. Other bytes under the same metadata: edited.
        let second = Freshness(recorded: first.fresh, now: Int(st.st_ctim.tv_sec) + 3600)
        #expect(second.suffix("a.md", path: file.path, metadata: metadata, st) == "")
        try Data("一二四".utf8).write(to: file)
        #expect(second.suffix("a.md", path: file.path, metadata: metadata, st) == "#edited")
        #expect(second.fresh.isEmpty)
        // Other metadata: the stamp differs anyway, nothing is read.
        #expect(second.suffix("a.md", path: file.path, metadata: "other", st) == "")
    }

    func append(_ content: URL, _ path: String, _ text: String) throws {
        let url = content.appendingPathComponent(path)
        try (read(url) + text).write(to: url, atomically: true, encoding: .utf8)
    }
}
