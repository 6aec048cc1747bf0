import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Model
import Support

/// Writes a build's files so that the output folder shows either the whole new site or the old one.
///
/// Files are written as soon as they are rendered, from any thread (nothing is held in memory), into
/// a staging folder outside the published tree (beside it; inside a mount point, in a hidden folder
/// that is never published). Only `commit` moves them into place, through a `Journal` written first:
/// - `.replace` (full builds): the staging folder takes the folder's place (a mount point: each of
///   its entries takes the place of the old one);
/// - `.update` (incremental builds): each written file takes the place of the published one, and
///   files no longer made step aside (cost is in the changed files, not in the size of the site).
/// A move that fails puts every earlier one back; a process killed while moving leaves the journal,
/// and the next build's claim (`OutputFolder.claim`) puts everything back before it starts.
/// `abort` removes everything written.
public final class Output: @unchecked Sendable {
    public enum Mode: Sendable { case replace, update }

    public let folder: OutputFolder
    public let mode: Mode
    private let staging: String
    private let retired: String
    private let fault: Fault?
    private let lock = NSLock()
    private var made: Set<String> = []
    /// `.update`: the paths written to the staging folder.
    private var written: Set<String> = []
    public private(set) var count = 0

    public init(_ folder: OutputFolder, mode: Mode, fault: Fault? = nil) throws(SystemError) {
        self.folder = folder
        self.mode = mode
        self.fault = fault
        let pid = ProcessInfo.processInfo.processIdentifier
        staging = folder.stagingPrefix + "\(pid)"
        retired = folder.retiredPrefix + "\(pid)"
        try OutputFolder.makeFolders(staging)
        made.insert(staging)
        try write(OutputFolder.marker, OutputFolder.markerText)
        count = 0
    }

    /// Writes one file (relative path); safe to call from several threads. A file whose bytes equal
    /// the published one is not written again: it is hard-linked into the staging folder (`.replace`)
    /// or left alone (`.update`). Creating files is the dearest part of writing a site (new inodes;
    /// on ext4 without a journal, a scan past every inode deleted in the last minutes).
    public func write(_ path: String, _ bytes: [UInt8]) throws(SystemError) {
        let published = folder.path + "/" + path
        let unchanged = Self.holds(published, bytes)
        if mode == .update && unchanged { return }
        let target = staging + "/" + path
        try makeFolder((target as NSString).deletingLastPathComponent)
        if !(mode == .replace && unchanged && link(published, target) == 0) { try Self.write(bytes, to: target) }
        let n = lock.withLock {
            if mode == .update { written.insert(path) }
            count += 1
            return count
        }
        fault?.wrote(n)
    }

    /// Puts another folder's file at `path` (`sitegen merge`: a shard's files): hard-linked, or
    /// copied where a link cannot be made (another file system). The source is never changed.
    public func copy(_ path: String, from source: String) throws(SystemError) {
        let target = staging + "/" + path
        try makeFolder((target as NSString).deletingLastPathComponent)
        if link(source, target) != 0 {
            guard let data = FileManager.default.contents(atPath: source) else { throw SystemError(.read, source) }
            try Self.write([UInt8](data), to: target)
        }
        let n = lock.withLock {
            if mode == .update { written.insert(path) }
            count += 1
            return count
        }
        fault?.wrote(n)
    }

    /// The bytes a path will have once committed: as written by this build, else as published.
    public func read(_ path: String) -> [UInt8]? {
        let staged = mode == .replace || lock.withLock { written.contains(path) }
        return FileManager.default.contents(atPath: (staged ? staging : folder.path) + "/" + path).map { [UInt8]($0) }
    }

    /// Makes the written files the output; `removing`: paths no longer published (`.update`).
    public func commit(removing removed: [String] = []) throws(SystemError) {
        let moves: [Journal.Move]
        switch mode {
        case .replace where folder.isMountPoint:
            let new = Set(Self.names(in: staging))
            let old = Self.names(in: folder.path).filter { !$0.hasPrefix(".sitegen.") && $0 != "lost+found" && !new.contains($0) }
            moves = new.sorted().map { .put($0) } + old.sorted().map { .drop($0) }
        case .replace:
            moves = [.put("")]
        case .update:
            moves = lock.withLock { written }.sorted().map { .put($0) } + removed.map { .drop($0) }
        }
        let journal = Journal(file: folder.journal, folder: folder.path, staging: staging, retired: retired, moves: moves)
        do {
            try journal.write()
            try journal.apply(fault)
        } catch {
            // What could not be put back stays for the next claim to put back.
            if Journal.rollBack(folder.journal) == nil { Self.removeTree(retired) }
            abort()
            throw error
        }
        journal.remove()
        if mode == .update {
            // Folders left empty go too (a removed department leaves no empty `slug/2023/`): deepest
            // first; rmdir fails on a folder that still holds something, which then stays.
            let folders = Set(removed.flatMap { RelativePath.folders(above: $0) }).subtracting([""])
            for f in folders.sorted(by: { ($0.count, $0) > ($1.count, $1) }) { rmdir(folder.path + "/" + f) }
        }
        Self.removeTree(retired)
        Self.removeTree(staging)
    }

    /// Forgets everything written since the start.
    public func abort() { Self.removeTree(staging) }

    private func makeFolder(_ dir: String) throws(SystemError) {
        if lock.withLock({ made.contains(dir) }) { return }
        try OutputFolder.makeFolders(dir)
        lock.withLock { _ = made.insert(dir) }
    }

    static func removeTree(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    /// The entries of a folder, hidden ones too.
    static func names(in path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }

    /// True when the file at `path` holds exactly `bytes`.
    static func holds(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW)   // a link planted in the output is replaced, not reused
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) == bytes.count else { return false }
        if bytes.isEmpty { return true }
        let old = readUpTo(bytes.count, from: fd)
        guard old.count == bytes.count else { return false }
        // memcmp: the array's own == compares element by element.
        return old.withUnsafeBytes { old in bytes.withUnsafeBytes { new in memcmp(old.baseAddress!, new.baseAddress!, new.count) == 0 } }
    }

    /// What a build keeps beside its output folder (`.public.sitegen-state` …): `.<output><suffix>`.
    static func beside(_ output: URL, _ suffix: String) -> URL {
        let output = output.standardizedFileURL
        return output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent)\(suffix)")
    }

    /// The parts, one after the other, written beside the file and renamed over it: a reader finds
    /// the old bytes or the new, never part of them. Failing only costs the next build a shortcut,
    /// so nothing is thrown.
    static func replace(_ path: String, with parts: [[UInt8]]) {
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try write(parts, to: temporary)
            if rename(temporary, path) != 0 { unlink(temporary) }
        } catch { unlink(temporary) }
    }

    /// `replace`, with the bytes written in place into `spare`: the file that `path` held the time
    /// before, whose pages are still in the page cache. A new file's must be allocated, and on a
    /// virtual machine that hands freed memory back to its host that is slow at random
    /// (bench/README.md). `path` is hard-linked to a third name, `spare` renamed over
    /// `path` (a reader finds the old bytes or the new), then the old file renamed to `spare`. A
    /// crash may leave `spare` torn, never `path`; a reader of files written this way checks their
    /// bytes all the same (`BuildState`), as written data may reach the disk after the rename.
    /// Where that cannot be done (no hard links; `spare` a link), it is `replace`.
    static func replace(_ path: String, reusing spare: String, with parts: [[UInt8]]) {
        let old = spare + ".old"
        do {
            try write(parts, to: spare, inPlace: true)
        } catch {
            unlink(spare)
            return replace(path, with: parts)
        }
        unlink(old)
        let linked = link(path, old) == 0
        guard rename(spare, path) == 0 else {
            unlink(spare)
            if linked { unlink(old) }
            return
        }
        if linked { rename(old, spare) }
    }

    /// One open/write/close: FileManager.createFile costs several times more per file. `sync`: the
    /// bytes are on disk before it returns.
    static func write(_ bytes: [UInt8], to path: String, sync: Bool = false) throws(SystemError) {
        try write([bytes], to: path, sync: sync)
    }

    /// `write` of parts one after the other, as one file. `inPlace`: over the file's own bytes, cut
    /// to the new length after (a link there is not followed).
    static func write(_ parts: [[UInt8]], to path: String, sync: Bool = false, inPlace: Bool = false) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (inPlace ? O_NOFOLLOW : O_TRUNC), 0o644)
        guard fd >= 0 else { throw SystemError(.write, path) }
        for bytes in parts {
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
                guard n > 0 else {
                    let failure = SystemError(.write, path, code: n < 0 ? errno : ENOSPC)
                    close(fd)
                    unlink(path)
                    throw failure
                }
                offset += n
            }
        }
        if inPlace && ftruncate(fd, off_t(parts.reduce(0) { $0 + $1.count })) != 0 {
            let failure = SystemError(.write, path)
            close(fd)
            throw failure
        }
        if sync && fsync(fd) != 0 {
            let failure = SystemError(.sync, path)
            close(fd)
            throw failure
        }
        // close reports what delayed allocation could not write (NFS, some full disks).
        guard close(fd) == 0 else {
            let failure = SystemError(.write, path)
            unlink(path)
            throw failure
        }
    }
}

/// The moves that publish a build, written to a file before the first of them: a build killed while
/// moving leaves the file, and the next claim of the folder moves everything back (`rollBack`).
///
/// Each move of a path P: the published P (if any) steps aside into the retired folder, then the
/// staged P (`put`) takes its place; a `drop` only steps aside. P "" is the whole folder.
struct Journal {
    enum Move: Equatable {
        case put(String), drop(String)
        var path: String { switch self { case .put(let p), .drop(let p): p } }
    }

    static let header = "sitegen-journal 1"
    let file: String
    let folder: String
    let staging: String
    let retired: String
    let moves: [Move]

    static func join(_ base: String, _ path: String) -> String { path.isEmpty ? base : base + "/" + path }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    func write() throws(SystemError) {
        var text = [Self.header, folder, staging, retired].joined(separator: "\n") + "\n"
        for move in moves {
            switch move {
            case .put(let p): text += "+ " + p + "\n"
            case .drop(let p): text += "- " + p + "\n"
            }
        }
        try Output.write(Array(text.utf8), to: file, sync: true)
        // The journal's name in its folder reaches the disk too.
        let folderDescriptor = open((file as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folderDescriptor >= 0 {
            fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    func remove() { unlink(file) }

    func apply(_ fault: Fault?) throws(SystemError) {
        for (i, move) in moves.enumerated() {
            let published = Self.join(folder, move.path), aside = Self.join(retired, move.path)
            if Self.exists(published) {
                if !move.path.isEmpty { try OutputFolder.makeFolders((aside as NSString).deletingLastPathComponent) }
                guard rename(published, aside) == 0 else { throw SystemError(.rename, published) }
            }
            if case .put(let p) = move {
                if !p.isEmpty { try OutputFolder.makeFolders((published as NSString).deletingLastPathComponent) }
                try fault?.moving(i, published)
                guard rename(Self.join(staging, p), published) == 0 else { throw SystemError(.rename, published) }
            }
        }
    }

    /// Puts back what the moves of an unfinished publish had done, and forgets the journal; nil when
    /// there was none or all went back. A move that cannot be undone keeps the journal for next time.
    static func rollBack(_ file: String) -> SystemError? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 4, lines[0] == header else { unlink(file); return nil }
        let (folder, staging, retired) = (lines[1], lines[2], lines[3])
        var made: Set<String> = []
        for line in lines.dropFirst(4).reversed() where line.count >= 2 {
            let path = String(line.dropFirst(2))
            let published = join(folder, path), aside = join(retired, path), staged = join(staging, path)
            if line.hasPrefix("+"), !exists(staged), exists(published) {
                // The new file had taken its place: it goes back to the staging folder.
                try? OutputFolder.makeFolders((staged as NSString).deletingLastPathComponent)
                guard rename(published, staged) == 0 else { return SystemError(.rename, published) }
                made.formUnion(RelativePath.folders(above: path))
            }
            if exists(aside), !exists(published) {
                guard rename(aside, published) == 0 else { return SystemError(.rename, aside) }
            }
        }
        // Folders made for new files are empty again.
        for f in made.subtracting([""]).sorted(by: { ($0.count, $0) > ($1.count, $1) }) { rmdir(folder + "/" + f) }
        unlink(file)
        return nil
    }
}

/// Failures made on purpose, for tests of what a killed or failing build leaves: from
/// `SITEGEN_FAULT` — `kill-while-writing:N` (SIGKILL once N files are written), `kill-while-moving:N`
/// and `fail-while-moving:N` (move N, from 0, is killed or fails with an I/O error once the old file
/// has stepped aside, before the new one takes its place). Never set outside tests.
public struct Fault: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case killWhileWriting = "kill-while-writing", killWhileMoving = "kill-while-moving", failWhileMoving = "fail-while-moving"
    }
    public var kind: Kind
    public var count: Int

    public init(_ kind: Kind, _ count: Int) {
        self.kind = kind
        self.count = count
    }

    public static func fromEnvironment() -> Fault? {
        guard let text = ProcessInfo.processInfo.environment["SITEGEN_FAULT"] else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), let count = Int(parts[1]) else { return nil }
        return Fault(kind, count)
    }

    func wrote(_ n: Int) { if kind == .killWhileWriting && n >= count { kill(getpid(), SIGKILL) } }

    func moving(_ i: Int, _ path: String) throws(SystemError) {
        guard i == count else { return }
        if kind == .killWhileMoving { kill(getpid(), SIGKILL) }
        if kind == .failWhileMoving { throw SystemError(.rename, path, code: EIO) }
    }
}
