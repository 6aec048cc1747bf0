import CDirectory
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Incremental
import Model
import Support

/// File access confined to the content folder: only plain files and folders are read. A symbolic
/// link is refused, unless links are followed (`--follow-symlinks`) and it leads inside the site
/// root (the folder of content/); a named pipe, device or socket is always refused (reading one
/// would hang the build or publish what is not a file).
final class ContentFolder: @unchecked Sendable {
    let root: URL
    private let rootPath: String
    let realRoot: String
    /// Which links are read (`--follow-symlinks`: those that lead inside the site root).
    let links: LinkRule
    /// Which files are hashed as well as stat-ed; none without it.
    let freshness: Freshness?
    private let lock = NSLock()
    private var _escapes: [Diagnostic] = []
    var escapes: [Diagnostic] { lock.withLock { _escapes } }

    /// Answers kept while the folder is read, and across builds of a process told of every change
    /// (see `FolderMemo`); none for the one walk of a no-op build's fingerprint.
    private let memo: FolderMemo?

    init(root: URL, memo: FolderMemo? = nil, followLinks: Bool = false, freshness: Freshness? = nil) {
        self.root = root.standardizedFileURL
        rootPath = self.root.path
        self.realRoot = root.resolvingSymlinksInPath().path
        links = LinkRule(follow: followLinks, root: (realRoot as NSString).deletingLastPathComponent)
        self.memo = memo
        self.freshness = freshness
    }

    /// `make()`, or what it gave for this path in an earlier build when nothing there changed since.
    private func remembered<T>(_ path: String, _ field: WritableKeyPath<FolderMemo.Entry, T?>, _ make: () -> T) -> T {
        guard let memo else { return make() }
        if let known = memo.known(path, field) { return known }
        let value = make()
        memo.lock.withLock { memo.set(path) { $0[keyPath: field] = value } }
        return value
    }

    func url(_ relative: String) -> URL { relative.isEmpty ? root : root.appendingPathComponent(relative) }
    /// The same as a path (`URL.appendingPathComponent` was a measurable part of a rebuild that reads
    /// one folder: bench/README.md#figures-that-were-in-code-comments).
    func path(_ relative: String) -> String { relative.isEmpty ? rootPath : rootPath + "/" + relative }

    /// Names, sizes, times and inodes of the files under a path (or of the file itself), and
    /// the names of its folders (an added empty folder is a change too): equal stamps mean nothing
    /// there changed. `topLevelOnly`: the files directly in the folder, not those of its subfolders.
    func stamp(of relative: String, topLevelOnly: Bool = false) -> String {
        remembered(relative, topLevelOnly ? \.topStamp : \.stamp) { walk(relative, topLevelOnly: topLevelOnly) }
    }

    private func walk(_ relative: String, topLevelOnly: Bool) -> String {
        var entries: [(String, FolderMemo.Entry)]?
        return walk(relative, topLevelOnly: topLevelOnly, entries: &entries)
    }

    /// `entries`, when given: what was found at every path under this one — its stamps as
    /// `stamp(of:)` gives them, listing, kind and whether it is a link — so that a walk of everything
    /// answers the loader's questions without asking the file system again.
    ///
    /// A folder's stamp is its name and a digest of its entries' stamps (a Merkle tree): a folder
    /// above thousands of files has a stamp of a few bytes, and no level copies the text of the
    /// levels below it. A top-level stamp is written out: the files of one folder only.
    func walk(_ relative: String, topLevelOnly: Bool, entries: inout [(String, FolderMemo.Entry)]?) -> String {
        let walk = Walk(folder: self, topLevelOnly: topLevelOnly, record: entries != nil && !topLevelOnly)
        return walk.visit(path(relative), relative, in: nil, depth: 0, plainAbove: false, listedFolder: false, into: &entries)?.stamp ?? ""
    }

    /// One walk of a path. Each folder is opened once and what is in it is looked at from there
    /// (`fstatat`, `openat` on a name), not from the root again (bench/README.md).
    private struct Walk: Sendable {
        let folder: ContentFolder
        let topLevelOnly: Bool
        /// Entries are recorded (a walk of everything for the loader).
        let record: Bool

        /// The stamp of what is at `path` (`name` from the walk's root), and whether it is a folder;
        /// nil when nothing is there. `parent`: its folder, open, when the walk listed it (it is then
        /// looked at by its last name). `plainAbove`: every folder between the root and `path` is a
        /// plain folder, so a plain entry is inside the site (`isInside` answers from the table).
        /// `listedFolder`: that folder's listing says it is a plain folder,
        /// so it is listed without an lstat (a folder's stamp is made of its entries alone).
        func visit(_ path: String, _ name: String, in parent: Opened?, leaf: String = "", depth: Int, plainAbove: Bool,
                   listedFolder: Bool, into entries: inout [(String, FolderMemo.Entry)]?) -> (stamp: String, isDirectory: Bool)? {
            // A listed folder is opened at once; anything else is lstat-ed, then stat-ed only if it
            // is a link (followed only when the loader follows it).
            let record = record && entries != nil
            let listed = listedFolder && !(topLevelOnly && depth > 0) ? Opened(path, in: parent, leaf: leaf) : nil
            var st = stat()
            if listed != nil {
                st.st_mode = S_IFDIR
            } else {
                guard (parent.map { fstatat($0.fd, leaf, &st, AT_SYMLINK_NOFOLLOW) } ?? lstat(path, &st)) == 0 else { return nil }
            }
            let link = (st.st_mode & S_IFMT) == S_IFLNK
            guard !link || stat(path, &st) == 0 else {
                if record { entries!.append((name, FolderMemo.Entry(isDirectory: false, exists: false, plain: PlainPath.no))) }
                return nil
            }
            let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
            if link && folder.links.refusal(path) != nil {
                // Refused when read; its target is part of the stamp, so a changed link is a change.
                if isDirectory && topLevelOnly && depth > 0 { return nil }
                let stamp = "\(name)@\(linkTarget(path));"
                if record {
                    entries!.append((name, FolderMemo.Entry(stamp: stamp, topStamp: isDirectory ? stamp : nil, isDirectory: isDirectory,
                                                            exists: true, plain: PlainPath.no)))
                }
                return (stamp, isDirectory)
            }
            guard isDirectory else {
                let stamp = folder.fileStamp(name, path, st)
                let plain: PlainPath = link ? .no : (st.st_mode & S_IFMT) == S_IFREG ? .file : .special
                if record {
                    entries!.append((name, FolderMemo.Entry(stamp: stamp, isDirectory: false, exists: true, plain: plain,
                                                            inside: plainAbove && plain == .file ? true : nil)))
                }
                return (stamp, false)
            }
            if topLevelOnly && depth > 0 { return nil }
            // A link to a folder is opened through its path (followed).
            let opened = listed ?? Opened(path, in: nil)
            let listing = opened?.entries ?? []
            let names = listing.map(\.name)
            let relative = names.map { name.isEmpty ? $0 : name + "/" + $0 }
            // The root itself is not part of any path below it.
            let plainBelow = name.isEmpty || (plainAbove && !link)
            var found: [(stamp: String, isDirectory: Bool)?]
            // The entries of a folder without subfolders (a year folder) are not recorded: the loader
            // asks about its files only when the folder's stamp changed, and then looks at them
            // itself. The folder's own entry (listing, stamps) is.
            let entriesRecorded = record && listing.contains { $0.folder }
            if names.count >= 64 && !topLevelOnly {
                // A folder of many (departments/): its entries are walked in parallel, joined in order.
                let parts = parallelMap(Array(zip(relative, listing))) { r, e -> ((stamp: String, isDirectory: Bool)?, [(String, FolderMemo.Entry)]?) in
                    var below: [(String, FolderMemo.Entry)]? = entriesRecorded ? [] : nil
                    let stamp = visit(path + "/" + e.name, r, in: opened, leaf: e.name, depth: depth + 1, plainAbove: plainBelow,
                                      listedFolder: e.folder, into: &below)
                    return (stamp, below)
                }
                if entriesRecorded { entries!.reserveCapacity(entries!.count + parts.reduce(0) { $0 + ($1.1?.count ?? 0) } + 1) }
                found = []
                found.reserveCapacity(parts.count)
                for (stamp, below) in parts {
                    found.append(stamp)
                    if let below { entries!.append(contentsOf: below) }
                }
            } else {
                var into: [(String, FolderMemo.Entry)]? = nil
                if entriesRecorded { swap(&into, &entries) }
                found = zip(listing, relative).map { e, r in
                    visit(path + "/" + e.name, r, in: opened, leaf: e.name, depth: depth + 1, plainAbove: plainBelow,
                          listedFolder: e.folder, into: &into)
                }
                if entriesRecorded { swap(&into, &entries) }
            }
            var inner = "\(name)/;"
            inner.reserveCapacity(inner.utf8.count + found.reduce(0) { $0 + ($1?.stamp.utf8.count ?? 0) })
            for f in found { if let f { inner += f.stamp } }
            if topLevelOnly { return (inner, true) }
            let stamp = "\(name)/#" + Digest.fnv1a(inner) + ";"
            if record {
                // The top-level stamp: this folder's own files (links followed), as a walk of it alone gives.
                var top = "\(name)/;"
                for f in found { if let f, !f.isDirectory { top += f.stamp } }
                entries!.append((name, FolderMemo.Entry(stamp: stamp, topStamp: top, children: names,
                                                        isDirectory: true, exists: true, plain: link ? .no : .folder,
                                                        inside: plainAbove && !link && !name.isEmpty ? true : nil)))
            }
            return (stamp, true)
        }
    }

    /// A folder open for a walk: its entries, and the descriptor they are looked at from.
    final class Opened: @unchecked Sendable {
        let fd: Int32
        let entries: [Listed]

        /// `leaf` in `parent` (not followed if it is a link), or the path itself (followed); nil when it
        /// cannot be opened.
        init?(_ path: String, in parent: Opened?, leaf: String = "") {
            let fd = parent.map { openat($0.fd, leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
                ?? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            self.fd = fd
            entries = ContentFolder.listing(fd)
        }

        deinit { close(fd) }
    }

    /// Size, modification and change time, inode (and "#edited" for a file whose bytes changed under
    /// the same metadata, `Freshness`): a file restored with `touch -r`, or replaced by another of the
    /// same size and time, has another stamp. Written digit by digit into one string (interpolating
    /// the numbers cost more: bench/README.md).
    fileprivate func fileStamp(_ relative: String, _ path: String, _ st: stat) -> String {
        let suffix = freshness?.suffix(relative, path: path, metadata: Self.metadata(st), st) ?? ""
        return String(unsafeUninitializedCapacity: relative.utf8.count + suffix.utf8.count + 2 + Self.metadataBytes) { buffer in
            var i = buffer.initialize(from: relative.utf8).1
            buffer[i] = UInt8(ascii: ":"); i += 1
            Self.writeMetadata(st, into: buffer, at: &i)
            i = buffer[i...].initialize(from: suffix.utf8).1
            buffer[i] = UInt8(ascii: ";")
            return i + 1
        }
    }

    /// "size:mtime:ctime:inode" of a stat, times as seconds.nanoseconds.
    static func metadata(_ st: stat) -> String {
        String(unsafeUninitializedCapacity: metadataBytes) { buffer in
            var i = 0
            writeMetadata(st, into: buffer, at: &i)
            return i
        }
    }

    /// The most `writeMetadata` writes: six numbers of at most 20 characters (a sign and 19 digits,
    /// or 20 digits), five separators.
    static let metadataBytes = 6 * 20 + 5

    private static func writeMetadata(_ st: stat, into buffer: UnsafeMutableBufferPointer<UInt8>, at i: inout Int) {
        func put(_ value: Int) {
            if value < 0 { buffer[i] = UInt8(ascii: "-"); i += 1 }
            put(UInt64(value.magnitude))
        }
        func put(_ value: UInt64) {
            var digits = 1, rest = value / 10
            while rest > 0 { digits += 1; rest /= 10 }
            var v = value
            for k in stride(from: i + digits - 1, through: i, by: -1) { buffer[k] = UInt8(truncatingIfNeeded: v % 10) + 48; v /= 10 }
            i += digits
        }
        func mark(_ c: Unicode.Scalar) { buffer[i] = UInt8(ascii: c); i += 1 }
        put(Int(st.st_size)); mark(":")
        put(Int(st.st_mtim.tv_sec)); mark("."); put(Int(st.st_mtim.tv_nsec)); mark(":")
        put(Int(st.st_ctim.tv_sec)); mark("."); put(Int(st.st_ctim.tv_nsec)); mark(":")
        put(UInt64(st.st_ino))
    }

    /// The entries of a folder without hidden ones, sorted (readdir: FileManager costs several times more).
    static func names(in path: String) -> [String] { (listing(path) ?? []).map(\.name) }

    /// An entry as its folder's listing gives it: `folder` when the file system says it is a plain
    /// folder (`d_type`; a link, or a file system that does not say, is false: lstat tells).
    struct Listed: Sendable {
        let name: String
        let folder: Bool
    }

    /// The entries of a folder without hidden ones, sorted by name; nil when it cannot be opened.
    static func listing(_ path: String) -> [Listed]? { Opened(path, in: nil)?.entries }

    /// The entries of an open folder without hidden ones, sorted by name: read straight from the
    /// descriptor (`getdents64`), not through `fdopendir`, which checks the descriptor with three more
    /// system calls per folder.
    fileprivate static func listing(_ fd: Int32) -> [Listed] {
        var entries: [Listed] = []
        withUnsafeTemporaryAllocation(byteCount: 32_768, alignment: 8) { buffer in
            while true {
                let count = sitegen_getdents64(fd, buffer.baseAddress, UInt(buffer.count))
                guard count > 0 else { break }
                // Each record: inode (8 bytes), offset (8), its length (2), type (1), the name ending in 0.
                var at = 0
                while at < count {
                    let length = Int(buffer.load(fromByteOffset: at + 16, as: UInt16.self))
                    let name = buffer.baseAddress!.advanced(by: at + 19).assumingMemoryBound(to: CChar.self)
                    if UInt8(bitPattern: name[0]) != UInt8(ascii: ".") {
                        entries.append(Listed(name: String(cString: name), folder: buffer[at + 18] == UInt8(DT_DIR)))
                    }
                    at += length
                }
            }
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// True when the path may be read: plain files and folders all the way from the root, or links
    /// followed (`followLinks`) to plain files and folders inside the site root. Records an error otherwise.
    func isInside(_ relative: String) -> Bool {
        // Only a yes is remembered: a refused path is reported by every build.
        if let memo, memo.known(relative, \.inside) == true { return true }
        var refusal: (at: String, message: String)?
        switch firstNonPlain(relative) {
        case nil:
            memo?.lock.withLock { memo!.set(relative) { $0.inside = true } }
            return true
        case (let at, .special)?:
            refusal = (at, localized("这不是普通文件，而是命名管道、设备或套接字；内容文件夹中只能有普通文件和文件夹",
                                     en: "this is a named pipe, device or socket, not a file; the content folder may hold only plain files and folders"))
        case (let at, _)?:
            if let message = links.refusal(path(relative), through: path(at)) { refusal = (at, message) }
        }
        guard let refusal else { return true }
        let diagnostic = Diagnostic.error(SourceLocation(file: refusal.at), refusal.message)
        lock.withLock {
            if !_escapes.contains(diagnostic) { _escapes.append(diagnostic) }
        }
        return false
    }

    /// The first part of the path, from the root, that is not a plain file or folder (without
    /// resolving links: one lstat per new folder instead of resolving every path), and what it is.
    private func firstNonPlain(_ relative: String) -> (String, PlainPath)? {
        var prefix = ""
        for part in relative.split(separator: "/") {
            let next = prefix.isEmpty ? String(part) : prefix + "/" + part
            if part == ".." || part == "." { return (next, .no) }
            let plain = remembered(next, \.plain) {
                var st = stat()
                guard lstat(rootPath + "/" + next, &st) == 0, (st.st_mode & S_IFMT) != S_IFLNK else { return PlainPath.no }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: return .folder
                case S_IFREG: return .file
                default: return .special
                }
            }
            if plain == .no || plain == .special { return (next, plain) }
            prefix = next
        }
        return nil
    }

    /// True when `name.yaml`, `.yml` or `.json` exists but is a link leading outside (already reported).
    func isRefusedLink(_ base: String) -> Bool {
        ["yaml", "yml", "json"].map { "\(base).\($0)" }.contains { fileExists($0) && !isInside($0) }
    }

    func exists(_ relative: String) -> Bool { fileExists(relative) && isInside(relative) }

    func isDirectory(_ relative: String) -> Bool {
        remembered(relative, \.isDirectory) {
            var st = stat()
            return stat(path(relative), &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
        } && isInside(relative)
    }

    /// Whether something is at the path (links followed). A name missing from its folder's listing,
    /// when that is known, is not there (no stat for department.yml and .json beside department.yaml).
    func fileExists(_ relative: String) -> Bool {
        if let memo, !relative.isEmpty {
            let (folder, name) = RelativePath.split(relative)
            if name.utf8.first != UInt8(ascii: "."), let listing = memo.known(String(folder), \.children),
               !listing.contains(where: { $0 == name }) {
                return false
            }
        }
        return remembered(relative, \.exists) {
            var st = stat()
            return stat(path(relative), &st) == 0
        }
    }

    /// Entries of a folder, sorted, without hidden files.
    func children(_ relative: String) -> [String] { remembered(relative, \.children) { Self.names(in: path(relative)) } }

    /// `name.yaml`, `name.yml` or `name.json`, whichever exists.
    /// More than one of them is an error: an editor may be changing the file that is not read.
    func dataFile(_ base: String) -> String? {
        let present = ["yaml", "yml", "json"].map { "\(base).\($0)" }.filter(fileExists)
        guard let first = present.first else { return nil }
        let name = { (path: String) in String(path.split(separator: "/").last ?? "") }
        for other in present.dropFirst() {
            let diagnostic = Diagnostic.error(SourceLocation(file: other), localized(
                "同时有 \(name(first)) 和 \(name(other))；应只有一个（读取的是 \(name(first))——请删除另一个或给它改名）",
                en: "found both \(name(first)) and \(name(other)); expected only one (\(name(first)) is read — delete or rename the other)"))
            lock.withLock { if !_escapes.contains(diagnostic) { _escapes.append(diagnostic) } }
        }
        return isInside(first) ? first : nil
    }

    /// Every file is read through here: a path that may not be read (`isInside`) is reported there, once.
    func read(_ relative: String, limits: ContentLimits) -> Swift.Result<SourceFile, Diagnostic>? {
        guard isInside(relative) else { return nil }
        return SourceFile.read(url(relative), relativePath: relative, limits: limits)
    }

    /// A Markdown file, if present.
    func prose(_ relative: String, limits: ContentLimits, into bag: inout DiagnosticBag) -> Prose? {
        guard exists(relative) else { return nil }
        switch read(relative, limits: limits) {
        case .success(let f)?: return Prose(text: f.text, location: SourceLocation(file: relative, line: 1))
        case .failure(let d)?: bag.add(d); return nil
        case nil: return nil
        }
    }
}

/// What a walk of the content folder found at every path, in the order walked: made into a
/// `FolderMemo` only by a build that loads (a no-op build needs the walk's stamp alone).
public struct WalkedPaths: Sendable {
    let entries: [(String, FolderMemo.Entry)]
}

/// What a path is, without following links: `no` is a link (or not there), `special` a named pipe,
/// device or socket.
enum PlainPath: Sendable { case folder, file, no, special }

/// What `ContentFolder` found at each path — listings, stamps, existence, links — for one build, or
/// kept between the builds of one process whose owner reports every changed path (`serve`). A changed
/// path forgets its own entry, every folder above it (their listings and stamps include it) and, for a
/// folder, everything below it.
public final class FolderMemo: @unchecked Sendable {
    struct Entry: Sendable {
        var stamp: String?
        var topStamp: String?
        var children: [String]?
        var isDirectory: Bool?
        var exists: Bool?
        var plain: PlainPath?
        /// Inside the content folder, links resolved (only `true` is kept).
        var inside: Bool?
    }

    let lock = NSLock()
    /// What one walk of everything found (`init(walked:)`): never changed, so read without the lock
    /// (the loader's threads ask it several times per department).
    private let walked: [String: Entry]
    /// What was found since (or, without a walk, everything): under `lock`.
    private(set) var entries: [String: Entry] = [:]
    /// Every folder above a path that has or had an entry: a changed path that is not one of them has
    /// nothing below it to forget (an editor's temporary file), without a look at every entry (a large
    /// site has many per disclosure: bench/README.md#figures-that-were-in-code-comments).
    private var parents: Set<String> = []
    /// How many times `forget` looked at every entry (for a changed folder).
    private(set) var scans = 0

    /// For the builds of a process whose owner reports every changed path (`forget`).
    init() { walked = [:] }

    /// What one walk of everything found (`ContentLoader.stamp`), for one build: nothing is forgotten.
    public init(walked: WalkedPaths) {
        // Sized at once: growing a table of every path rehashes it several times.
        var table = [String: Entry](minimumCapacity: walked.entries.count)
        for (path, entry) in walked.entries { table[path] = entry }
        self.walked = table
    }

    /// A field of a path's entry, if known.
    func known<T>(_ path: String, _ field: KeyPath<Entry, T?>) -> T? {
        if let value = walked[path]?[keyPath: field] { return value }
        return lock.withLock { entries[path]?[keyPath: field] }
    }

    /// Changes the entry of `path` (made if new); called under `lock`.
    func set(_ path: String, _ change: (inout Entry) -> Void) {
        if entries[path] == nil {
            for folder in RelativePath.folders(above: path) {
                // Each is put in with the folders above it: one already there has them.
                if !parents.insert(folder).inserted { break }
            }
        }
        change(&entries[path, default: Entry()])
    }

    func forget(_ changed: [String]) {
        precondition(walked.isEmpty, "a walked memo serves one build")
        lock.withLock {
            var below: [String] = []
            for path in changed {
                if path.isEmpty { entries = [:]; parents = []; return }
                entries[path] = nil
                if parents.contains(path) { below.append(path + "/") }
                for folder in RelativePath.folders(above: path) { entries[folder] = nil }
            }
            // A changed folder: one pass over the keys, compared as bytes (`hasPrefix` compares characters).
            if !below.isEmpty {
                scans += 1
                let doomed = entries.keys.filter { key in below.contains { key.utf8.starts(with: $0.utf8) } }
                for key in doomed { entries[key] = nil }
            }
        }
    }
}
