#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which symbolic links sitegen reads in the content and theme folders: none by default; with
/// `follow` (`--follow-symlinks`), a link to a plain file or folder inside `root` (the real path of
/// the site root) that does not lead back to a folder holding it (which would be walked forever).
public struct LinkRule: Sendable {
    public var follow: Bool
    public var root: String

    public init(follow: Bool = false, root: String = "/") {
        self.follow = follow
        self.root = root
    }

    /// Nil when `path`, reached through the symbolic link `link` (the path itself when nil), may be
    /// read; else why not, in the editor's language.
    public func refusal(_ path: String, through link: String? = nil) -> String? {
        let link = link ?? path
        guard follow else {
            return localized("这是一个指向 \(linkTarget(link)) 的符号链接；sitegen 默认不读取链接。请把文件复制进来，或者用 --follow-symlinks 允许指向站点文件夹之内的链接",
                             en: "this is a symbolic link to \(linkTarget(link)); sitegen does not read links by default. Copy the file in, or allow links that stay inside the site folder with --follow-symlinks")
        }
        guard let real = realPath(path) else {
            return localized("这是一个指向 \(linkTarget(link)) 的符号链接，它指向的地方不存在", en: "this is a symbolic link to \(linkTarget(link)), which does not exist")
        }
        var st = stat()
        let plain = stat(real, &st) == 0 && [S_IFREG, S_IFDIR].contains(st.st_mode & S_IFMT)
        guard plain, real == root || real.hasPrefix(root == "/" ? "/" : root + "/") else {
            return localized("这是一个指向 \(real) 的符号链接，它在站点文件夹之外（或不是普通文件）；请把文件复制进来",
                             en: "this is a symbolic link to \(real), outside the site folder (or not a plain file); copy the file in instead")
        }
        let slash = link.lastIndex(of: "/").map { String(link[..<$0]) } ?? "."
        if let folder = realPath(slash.isEmpty ? "/" : slash), folder == real || folder.hasPrefix(real + "/") {
            return localized("这是一个指向 \(real) 的符号链接，那是包含它自己的文件夹（会无限循环）；请把文件复制进来",
                             en: "this is a symbolic link to \(real), a folder that holds the link itself (it would be walked forever); copy the files in instead")
        }
        return nil
    }
}

/// The path with every link resolved (`realpath`), or nil when it leads nowhere.
public func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
}

/// What a symbolic link holds ("?" when it cannot be read).
public func linkTarget(_ path: String) -> String {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(path, &buffer, Int(PATH_MAX))
    return n < 0 ? "?" : String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
