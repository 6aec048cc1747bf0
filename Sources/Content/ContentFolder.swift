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
        var entries: [String: FolderMemo.Entry]?
        return walk(relative, topLevelOnly: topLevelOnly, entries: &entries)
    }

    /// `entries`, when given: what was found at every path under this one — its stamps as
    /// `stamp(of:)` gives them, listing, kind and whether it is a link — so that a walk of everything
    /// answers the loader's questions without asking the file system again. `plainAbove`: every
    /// folder between the root and `relative` is a plain folder, so a plain entry is inside the site
    /// (`isInside` answers from the table).
    ///
    /// A folder's stamp is its name and a digest of its entries' stamps (a Merkle tree): a folder
    /// above thousands of files has a stamp of a few bytes, and no level copies the text of the
    /// levels below it. A top-level stamp is written out: the files of one folder only.
    /// `folder`: the listing above says `relative` is a plain folder (`Listed`).
    func walk(_ relative: String, topLevelOnly: Bool, entries: inout [String: FolderMemo.Entry]?, plainAbove: Bool = false,
              folder: Bool = false) -> String {
        let record = entries != nil && !topLevelOnly
        /// The stamp of what is at `path`, its entries recorded; nil when nothing is there.
        func visit(_ path: String, _ name: String, depth: Int, plainAbove: Bool, folder: Bool) -> String? {
            // A folder that its parent's listing names as one is listed without an lstat: its stamp
            // is made of its entries alone (nearly a quarter of a walk's lstats were of folders).
            // Otherwise lstat, then stat only for a link (followed only when the loader follows it).
            let listed = folder && !(topLevelOnly && depth > 0) ? Self.listing(path) : nil
            var st = stat()
            if listed != nil {
                st.st_mode = S_IFDIR
            } else {
                guard lstat(path, &st) == 0 else { return nil }
            }
            let link = (st.st_mode & S_IFMT) == S_IFLNK
            guard !link || stat(path, &st) == 0 else {
                if record { entries![name] = FolderMemo.Entry(isDirectory: false, exists: false, plain: PlainPath.no) }
                return nil
            }
            let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
            if link && links.refusal(path) != nil {
                // Refused when read; its target is part of the stamp, so a changed link is a change.
                if isDirectory && topLevelOnly && depth > 0 { return nil }
                let stamp = "\(name)@\(linkTarget(path));"
                if record {
                    entries![name] = FolderMemo.Entry(stamp: stamp, topStamp: isDirectory ? stamp : nil, isDirectory: isDirectory,
                                                      exists: true, plain: PlainPath.no)
                }
                return stamp
            }
            if isDirectory {
                if topLevelOnly && depth > 0 { return nil }
                var inner = "\(name)/;"
                let listing = listed ?? Self.listing(path) ?? []
                let names = listing.map(\.name)
                let relative = names.map { name.isEmpty ? $0 : name + "/" + $0 }
                // The root itself is not part of any path below it.
                let plainBelow = name.isEmpty || (plainAbove && !link)
                if names.count >= 64 && !topLevelOnly {
                    // A folder of many (departments/): its entries are walked in parallel, joined in order.
                    let parts = parallelMap(Array(zip(relative, listing))) { e, listed -> (String, [String: FolderMemo.Entry]?) in
                        var below: [String: FolderMemo.Entry]? = record ? [:] : nil
                        return (walk(e, topLevelOnly: false, entries: &below, plainAbove: plainBelow, folder: listed.folder), below)
                    }
                    if record { entries!.reserveCapacity(entries!.count + parts.reduce(0) { $0 + ($1.1?.count ?? 0) }) }
                    for (text, below) in parts {
                        inner += text
                        if let below { entries!.merge(below) { a, _ in a } }
                    }
                } else {
                    for (e, r) in zip(listing, relative) {
                        if let stamp = visit(path + "/" + e.name, r, depth: depth + 1, plainAbove: plainBelow, folder: e.folder) { inner += stamp }
                    }
                }
                if topLevelOnly { return inner }
                let stamp = "\(name)/#" + Digest.fnv1a(inner) + ";"
                if record {
                    // The top-level stamp: this folder's own files (links followed), as a walk of it alone gives.
                    var top = "\(name)/;"
                    for r in relative { if let e = entries![r], e.isDirectory == false, e.exists == true, let stamp = e.stamp { top += stamp } }
                    entries![name] = FolderMemo.Entry(stamp: stamp, topStamp: top, children: names,
                                                      isDirectory: true, exists: true, plain: link ? .no : .folder,
                                                      inside: plainAbove && !link && !name.isEmpty ? true : nil)
                }
                return stamp
            } else {
                let stamp = fileStamp(name, path, st)
                let plain: PlainPath = link ? .no : (st.st_mode & S_IFMT) == S_IFREG ? .file : .special
                if record {
                    entries![name] = FolderMemo.Entry(stamp: stamp, isDirectory: false, exists: true, plain: plain,
                                                      inside: plainAbove && plain == .file ? true : nil)
                }
                return stamp
            }
        }
        return visit(path(relative), relative, depth: 0, plainAbove: plainAbove, folder: folder) ?? ""
    }

    /// Size, modification and change time, inode (and "#edited" for a file whose bytes changed under
    /// the same metadata, `Freshness`): a file restored with `touch -r`, or replaced by another of the
    /// same size and time, has another stamp.
    private func fileStamp(_ relative: String, _ path: String, _ st: stat) -> String {
        let metadata = "\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec):\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec):\(st.st_ino)"
        return relative + ":" + metadata + (freshness?.suffix(relative, path: path, metadata: metadata, st) ?? "") + ";"
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
    static func listing(_ path: String) -> [Listed]? {
        guard let dir = opendir(path) else { return nil }
        defer { closedir(dir) }
        var entries: [Listed] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { entries.append(Listed(name: name, folder: entry.pointee.d_type == UInt8(DT_DIR))) }
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
            let slash = relative.lastIndex(of: "/")
            let folder = slash.map { String(relative[..<$0]) } ?? ""
            let name = slash.map { relative[relative.index(after: $0)...] } ?? relative[...]
            if !name.hasPrefix("."), let listing = memo.known(folder, \.children),
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

/// What a path is, without following links: `no` is a link (or not there), `special` a named pipe,
/// device or socket.
enum PlainPath: Sendable { case folder, file, no, special }

/// What `ContentFolder` found at each path — listings, stamps, existence, links — for one build, or
/// kept between the builds of one process whose owner reports every changed path (`serve`). A changed
/// path forgets its own entry, every folder above it (their listings and stamps include it) and, for a
/// folder, everything below it.
public final class FolderMemo: @unchecked Sendable {
    struct Entry {
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
    init(walked: [String: Entry]) { self.walked = walked }

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
