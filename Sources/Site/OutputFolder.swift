import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Model
import Support

/// The output folder a build may write: claimed before anything is read from it or written to it.
///
/// A build writes only into a folder that is absent, empty, or marked as sitegen's by an earlier
/// build (`marker`); never the site root, the content or theme folders, nor a folder that holds
/// them. A link to a folder is followed (the folder it leads to is published, the link stays).
/// While a build holds the claim no other build may publish there (`.<output>.sitegen-lock`).
/// Claiming first puts back what a build killed while publishing had moved (`Journal`), then
/// removes what killed builds left beside the folder (staging and retired folders).
public final class OutputFolder: @unchecked Sendable {
    /// The file that marks a folder as sitegen's; every build publishes it.
    public static let marker = ".sitegen-output"
    static let markerText = Array("""
        This folder is published by sitegen. Each build replaces all of its contents;
        put files of your own in the theme's static/ folder instead.
        此文件夹由 sitegen 生成，每次构建都会替换其全部内容；自己的文件请放在主题的 static/ 文件夹中。

        """.utf8)

    /// The real path of the folder (links resolved).
    public let path: String
    public var url: URL { URL(fileURLWithPath: path, isDirectory: true) }
    /// A mount point cannot be renamed: its entries are swapped instead, staged inside it.
    public let isMountPoint: Bool
    private let lockDescriptor: Int32

    private init(path: String, isMountPoint: Bool, lockDescriptor: Int32) {
        self.path = path
        self.isMountPoint = isMountPoint
        self.lockDescriptor = lockDescriptor
    }

    deinit { close(lockDescriptor) }

    /// `.<name><suffix>` beside the folder (state, analysis, journal, lock, staging), or for a mount
    /// point's staging and retired files, `.sitegen<suffix>` inside it (a rename cannot leave it).
    func beside(_ suffix: String, inside: Bool = false) -> String {
        if inside && isMountPoint { return path + "/.sitegen" + suffix }
        let slash = path.lastIndex(of: "/")!
        return String(path[..<slash]) + "/." + path[path.index(after: slash)...] + suffix
    }

    var stagingPrefix: String { beside(".staging-", inside: true) }
    var retiredPrefix: String { beside(".old-", inside: true) }
    var journal: String { beside(".sitegen-journal") }

    /// Claims `requested` for a build of the site whose content is `content`. `protected`: folders
    /// the output may neither be, be inside of, nor contain (the theme folders).
    public static func claim(_ requested: URL, content: URL, protected: [URL] = []) -> Result<OutputFolder, BuildFailure> {
        let shown = requested.path
        func refuse(_ message: String) -> Result<OutputFolder, BuildFailure> {
            .failure(BuildFailure([.error(SourceLocation(file: shown), message)]))
        }
        let given = requested.standardizedFileURL.path
        var st = stat()
        let path: String
        if lstat(given, &st) == 0 {
            guard let real = realPath(given), stat(real, &st) == 0 else {
                return refuse(localized("输出文件夹是一个链接，但它指向的地方不存在；应为一个文件夹或指向文件夹的链接",
                                        en: "the output folder is a link to nothing; expected a folder or a link to one"))
            }
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                return refuse(localized("输出位置是一个文件，不是文件夹；请用 --output 指定一个文件夹", en: "the output is a file, not a folder; name a folder with --output"))
            }
            path = real
        } else {
            // The real path of the nearest folder that exists, and the names below it (made only once
            // the folder is known to be allowed: `--output content/new/public` makes nothing in content/).
            var existing = given, missing: [String] = []
            while realPath(existing) == nil, existing != "/" {
                missing.insert((existing as NSString).lastPathComponent, at: 0)
                existing = (existing as NSString).deletingLastPathComponent
            }
            let base = realPath(existing) ?? existing
            path = (base == "/" ? "" : base) + "/" + missing.joined(separator: "/")
        }
        if path == "/" { return refuse(localized("不能把网站发布到根目录 /", en: "the site cannot be published into /")) }

        // Never the content, the themes, the site root, or a folder that holds any of them.
        let contentReal = realPath(content.standardizedFileURL.path) ?? content.standardizedFileURL.path
        let siteRoot = (contentReal as NSString).deletingLastPathComponent
        if path == siteRoot {
            return refuse(localized("输出文件夹就是站点根目录（content/ 所在的文件夹）；发布会替换其中的一切。请指定其中的一个子文件夹，例如 public",
                                    en: "the output folder is the site root (the folder of content/); publishing would replace everything in it. Name a folder inside it, e.g. public"))
        }
        for folder in [contentReal] + protected.compactMap({ realPath($0.standardizedFileURL.path) }) {
            if path == folder || folder.hasPrefix(path + "/") || path.hasPrefix(folder + "/") {
                return refuse(localized("输出文件夹与 \(folder) 重叠（相同、包含它或在它之中）；发布会替换内容或主题。请指定别的文件夹，例如 public",
                                        en: "the output folder overlaps \(folder) (is it, holds it or is inside it); publishing would replace content or themes. Name another folder, e.g. public"))
            }
        }

        var parentStat = stat()
        let exists = stat(path, &st) == 0
        let isMountPoint = exists && stat((path as NSString).deletingLastPathComponent, &parentStat) == 0 && parentStat.st_dev != st.st_dev

        // Nothing is touched, not even beside it, in a folder that is not sitegen's.
        let probe = OutputFolder(path: path, isMountPoint: isMountPoint, lockDescriptor: -1)
        do throws(SystemError) { try makeFolders((path as NSString).deletingLastPathComponent) } catch {
            return .failure(BuildFailure([.error(SourceLocation(file: shown), error.description)]))
        }
        if exists, !probe.isOwned() {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: path).sorted()) ?? []
            let some = entries.prefix(5).joined(separator: "、") + (entries.count > 5 ? " …" : "")
            return refuse(localized("输出文件夹不是空的，也不是 sitegen 生成的（其中有 \(entries.count) 项：\(some)）；构建会替换其全部内容，所以什么也没有改动。请指定一个新的或空的文件夹，或者确认无用后把它清空",
                                    en: "the output folder is neither empty nor made by sitegen (it holds \(entries.count) entries: \(some)); a build replaces all of its contents, so nothing was changed. Name a new or empty folder, or empty this one if nothing in it is needed"))
        }

        // One build at a time into one folder.
        let lockPath = probe.beside(".sitegen-lock")
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(BuildFailure([.error(SourceLocation(file: shown), SystemError(.lock, lockPath).description)])) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return refuse(localized("另一个 sitegen 进程正在构建到这个文件夹；请等它结束", en: "another sitegen process is building into this folder; wait for it to finish"))
        }
        let folder = OutputFolder(path: path, isMountPoint: isMountPoint, lockDescriptor: fd)

        // What killed builds left: first what was moved out of place, then staging and retired folders.
        if let failure = Journal.rollBack(folder.journal) {
            return .failure(BuildFailure([.error(SourceLocation(file: shown), failure.description)]))
        }
        folder.removeLeftovers()

        return .success(folder)
    }

    /// Empty, marked, or with a state beside it (an earlier version of sitegen published it).
    private func isOwned() -> Bool {
        var st = stat()
        if lstat(path + "/" + Self.marker, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG { return true }
        guard let dir = opendir(path) else { return false }
        defer { closedir(dir) }
        var empty = true
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." && !name.hasPrefix(".sitegen-") && !(isMountPoint && name.hasPrefix(".sitegen.")) {
                empty = false
                break
            }
        }
        return empty || BuildState.exists(for: url)
    }

    /// Staging and retired folders of builds that did not finish (a claim holds the lock, so no
    /// build that made them is still running): only names sitegen gives them, a prefix and a
    /// process id, so that no folder of anyone else's is removed.
    private func removeLeftovers() {
        let staging = (stagingPrefix as NSString).lastPathComponent, retired = (retiredPrefix as NSString).lastPathComponent
        let folder = (stagingPrefix as NSString).deletingLastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names {
            guard let prefix = [staging, retired].first(where: { name.hasPrefix($0) }) else { continue }
            let pid = name.dropFirst(prefix.count)
            if !pid.isEmpty && pid.allSatisfy(\.isASCII) && pid.allSatisfy(\.isNumber) {
                try? FileManager.default.removeItem(atPath: folder + "/" + name)
            }
        }
    }

    /// mkdir -p, tolerating another thread making the same folder.
    static func makeFolders(_ dir: String) throws(SystemError) {
        var missing: [String] = []
        var current = dir
        while !current.isEmpty, current != "/", mkdir(current, 0o755) != 0 {
            if errno == EEXIST { break }
            guard errno == ENOENT else { throw SystemError(.create, current) }
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() where mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw SystemError(.create, folder)
        }
    }
}
