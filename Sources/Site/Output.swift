import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Model

/// Writes a build's files so that a failed build leaves the output folder as it was.
///
/// Files are written as soon as they are rendered, from any thread (nothing is held in memory), into
/// one of two places, and only `commit` makes them visible:
/// - `.replace`: a staging folder beside the output, which then takes the output's name (full builds);
/// - `.update`: temporaries beside their targets, renamed over them at commit (incremental builds:
///   cost is in the changed files, not in the size of the site).
/// `abort` (or a failed commit) removes everything written.
public final class Output: @unchecked Sendable {
    public enum Mode: Sendable { case replace, update }

    public let output: URL
    public let mode: Mode
    private let staging: URL
    private let retired: URL
    private let lock = NSLock()
    private var made: Set<String> = []
    /// `.update`: relative path → the temporary written beside it.
    private var pending: [String: String] = [:]
    public private(set) var count = 0

    public init(_ output: URL, mode: Mode) throws {
        let output = output.standardizedFileURL
        self.output = output
        self.mode = mode
        let parent = output.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        staging = Self.beside(output, ".staging-\(pid)")
        retired = Self.beside(output, ".old-\(pid)")
        let fm = FileManager.default
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        if mode == .replace {
            try? fm.removeItem(at: staging)
            try? fm.removeItem(at: retired)
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            made.insert(staging.path)
        }
    }

    /// Writes one file (relative path); safe to call from several threads. A file whose bytes equal
    /// the published one is not written again: it is hard-linked into the staging folder (`.replace`)
    /// or left alone (`.update`). Creating files is the dearest part of writing a site (new inodes;
    /// on ext4 without a journal, a scan past every inode deleted in the last minutes).
    public func write(_ path: String, _ bytes: [UInt8]) throws {
        let published = output.path + "/" + path
        let unchanged = Self.holds(published, bytes)
        let target = (mode == .replace ? staging : output).path + "/" + path
        let dir = (target as NSString).deletingLastPathComponent
        switch mode {
        case .replace:
            try makeFolder(dir)
            if !(unchanged && link(published, target) == 0) { try Self.write(bytes, to: target) }
            lock.withLock { count += 1 }
        case .update:
            if unchanged { return }
            try makeFolder(dir)
            let temporary = dir + "/.sitegen-\(ProcessInfo.processInfo.processIdentifier)-" + (target as NSString).lastPathComponent
            try Self.write(bytes, to: temporary)
            lock.withLock { pending[path] = temporary; count += 1 }
        }
    }

    /// The bytes a path will have once committed: as written by this build, else as published.
    public func read(_ path: String) -> [UInt8]? {
        let file: String
        switch mode {
        case .replace: file = staging.path + "/" + path
        case .update: file = lock.withLock { pending[path] } ?? output.path + "/" + path
        }
        return FileManager.default.contents(atPath: file).map { [UInt8]($0) }
    }

    /// Makes the written files the output; `removing`: paths no longer published (`.update`).
    public func commit(removing removed: [String] = []) throws {
        let fm = FileManager.default
        switch mode {
        case .replace:
            // Swap: the old output steps aside, the staging folder takes its name, the old one goes.
            do {
                if fm.fileExists(atPath: output.path) { try fm.moveItem(at: output, to: retired) }
                do {
                    try fm.moveItem(at: staging, to: output)
                } catch {
                    if fm.fileExists(atPath: retired.path) { try? fm.moveItem(at: retired, to: output) }
                    throw error
                }
            } catch {
                abort()
                throw error
            }
            try? fm.removeItem(at: retired)
        case .update:
            for (path, temporary) in lock.withLock({ pending }) where rename(temporary, output.path + "/" + path) != 0 {
                abort()
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: output.path + "/" + path])
            }
            lock.withLock { pending = [:] }
            for path in removed { unlink(output.appendingPathComponent(path).path) }
            // Folders left empty go too (a removed department leaves no empty `slug/2023/data/`):
            // deepest first; rmdir fails on a folder that still holds something, which then stays.
            let folders = Set(removed.flatMap { RelativePath.folders(above: $0) }).subtracting([""])
            for folder in folders.sorted(by: { ($0.count, $0) > ($1.count, $1) }) { rmdir(output.path + "/" + folder) }
        }
    }

    /// Forgets everything written since the start.
    public func abort() {
        switch mode {
        case .replace: try? FileManager.default.removeItem(at: staging)
        case .update:
            for temporary in lock.withLock({ pending.values }) { unlink(temporary) }
            lock.withLock { pending = [:] }
        }
    }

    private func makeFolder(_ dir: String) throws {
        if lock.withLock({ made.contains(dir) }) { return }
        // mkdir -p, tolerating another thread making the same folder.
        var missing: [String] = []
        var current = dir
        while !current.isEmpty, current != "/", mkdir(current, 0o755) != 0 {
            if errno == EEXIST { break }
            guard errno == ENOENT else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: current]) }
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() where mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: folder])
        }
        lock.withLock { _ = made.insert(dir) }
    }

    /// True when the file at `path` holds exactly `bytes`.
    static func holds(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW)   // a link planted in the output is replaced, not reused
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) == bytes.count else { return false }
        if bytes.isEmpty { return true }
        var buffer = [UInt8](repeating: 0, count: bytes.count)
        var offset = 0
        while offset < bytes.count {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + offset, bytes.count - offset) }
            guard n > 0 else { return false }
            offset += n
        }
        return buffer == bytes
    }

    /// What a build keeps beside its output folder (`.public.sitegen-state` …): `.<output><suffix>`.
    static func beside(_ output: URL, _ suffix: String) -> URL {
        let output = output.standardizedFileURL
        return output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent)\(suffix)")
    }

    /// Written beside the file and renamed over it: a reader finds the old bytes or the new, never
    /// part of them. Failing only costs the next build a shortcut, so nothing is thrown.
    static func replace(_ path: String, with bytes: [UInt8]) {
        let temporary = path + ".\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try write(bytes, to: temporary)
            if rename(temporary, path) != 0 { unlink(temporary) }
        } catch { unlink(temporary) }
    }

    /// One open/write/close: FileManager.createFile costs several times more per file.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            guard n > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
            offset += n
        }
    }
}
