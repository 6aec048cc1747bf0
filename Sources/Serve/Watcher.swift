import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a ``Watcher`` could not start.
public enum WatcherError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `.inotify` was requested where inotify is missing or refused a watch.
    case inotifyUnavailable(String)
    case alreadyStarted
    case systemError(String)

    public var description: String {
        switch self {
        case .inotifyUnavailable(let why): "inotify is not available: \(why)"
        case .alreadyStarted: "the watcher is already started"
        case .systemError(let why): "the watcher could not start: \(why)"
        }
    }
}

/// Watches folders (e.g. `content/` and `themes/`) recursively and reports changed paths,
/// debounced: one call per burst of changes, after `debounce` without a new one.
///
/// On Linux it uses inotify (a watch on every subfolder, added for new folders too); elsewhere,
/// or when inotify is unavailable in `.auto` mode, it compares mtime+size(+inode) snapshots
/// every `pollInterval`. The callback runs on the watcher's own thread. After ``stop()``
/// returns (from any other thread) no callback runs and every descriptor is closed.
///
/// Roots that do not exist when ``start()`` is called are skipped.
public final class Watcher: @unchecked Sendable {
    /// How changes are detected.
    public enum Mode: Sendable, Equatable {
        /// inotify where available, else polling.
        case auto
        /// Linux inotify; ``start()`` throws where it is unavailable.
        case inotify
        /// mtime+size snapshots every `pollInterval`.
        case polling
    }

    /// The folders watched (standardized paths, as given).
    public let roots: [String]
    /// The mode asked for in `init`.
    public let requestedMode: Mode
    private let debounce: Duration
    private let pollInterval: Duration
    private let onChange: @Sendable (Set<String>) -> Void

    private let lock = NSLock()
    private var loop: WatchLoop?
    private var thread: Thread?
    private var wakeWrite: Int32 = -1
    private var finished: DispatchSemaphore?
    private var resolvedMode: Mode?

    /// - Parameters:
    ///   - roots: folders to watch recursively.
    ///   - mode: `.auto` (default), `.inotify` or `.polling`.
    ///   - debounce: quiet time before a burst of changes is reported (~100 ms).
    ///   - pollInterval: snapshot interval in polling mode (300 ms).
    ///   - onChange: called with the absolute paths changed (created, modified, deleted, moved).
    public init(roots: [URL], mode: Mode = .auto, debounce: Duration = .milliseconds(100),
                pollInterval: Duration = .milliseconds(300),
                onChange: @escaping @Sendable (Set<String>) -> Void) {
        self.roots = roots.map { url in
            let p = url.standardizedFileURL.path
            return p.count > 1 && p.hasSuffix("/") ? String(p.dropLast()) : p
        }
        self.requestedMode = mode
        self.debounce = debounce
        self.pollInterval = pollInterval
        self.onChange = onChange
    }

    deinit { stop() }

    /// The mode in use once started (`.inotify` or `.polling`), else `nil`.
    public var mode: Mode? { lock.withLock { resolvedMode } }

    /// Takes the baseline (watches or first snapshot) synchronously, then watches on a
    /// background thread: a change made after `start()` returns is always reported.
    public func start() throws {
        try lock.withLock {
            guard thread == nil else { throw WatcherError.alreadyStarted }
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { throw WatcherError.systemError("pipe: \(String(cString: strerror(errno)))") }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            let loop: WatchLoop
            do {
                loop = try WatchLoop(roots: roots, mode: requestedMode, wakeRead: fds[0],
                                     debounce: debounce, pollInterval: pollInterval, onChange: onChange)
            } catch {
                close(fds[0]); close(fds[1])
                throw error
            }
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                loop.run()
                done.signal()
            }
            thread.name = "sitegen.watcher"
            self.loop = loop
            self.thread = thread
            self.wakeWrite = fds[1]
            self.finished = done
            self.resolvedMode = loop.usesInotify ? .inotify : .polling
            thread.start()
        }
    }

    /// Stops watching and closes every descriptor; waits for the thread unless called from
    /// the callback itself. Idempotent.
    public func stop() {
        let (thread, wake, done): (Thread?, Int32, DispatchSemaphore?) = lock.withLock {
            defer { self.thread = nil; loop = nil; wakeWrite = -1; finished = nil; resolvedMode = nil }
            return (self.thread, wakeWrite, finished)
        }
        guard let thread, let done else { return }
        var byte: UInt8 = 1
        _ = write(wake, &byte, 1)
        if Thread.current != thread {
            done.wait()
            close(wake)
        } else {
            // Called from the callback: the loop exits right after it returns; close the
            // write end once it has (the semaphore is signalled on the loop's way out).
            DispatchQueue.global().async { done.wait(); close(wake) }
        }
    }
}

/// The state of one started watcher; used only on its thread after `init`.
private final class WatchLoop: @unchecked Sendable {
    let roots: [String]
    let wakeRead: Int32
    let debounce: Duration
    let pollInterval: Duration
    let onChange: @Sendable (Set<String>) -> Void
    private(set) var usesInotify = false
    private var inotifyFD: Int32 = -1
    private var watches: [Int32: String] = [:]
    private var snapshot: [String: FileStamp] = [:]
    private let clock = ContinuousClock()

    init(roots: [String], mode: Watcher.Mode, wakeRead: Int32, debounce: Duration, pollInterval: Duration,
         onChange: @escaping @Sendable (Set<String>) -> Void) throws {
        self.roots = roots
        self.wakeRead = wakeRead
        self.debounce = debounce
        self.pollInterval = pollInterval
        self.onChange = onChange
        if mode != .polling {
            do {
                try startInotify()
                usesInotify = true
            } catch {
                if mode == .inotify { throw error }
            }
        }
        if !usesInotify { snapshot = Self.scan(roots) }
    }

    func run() {
        defer {
            if inotifyFD >= 0 { close(inotifyFD) }
            close(wakeRead)
        }
        var pending = Set<String>()
        var quietDeadline: ContinuousClock.Instant?
        var hardDeadline: ContinuousClock.Instant?  // a steady stream of changes still gets reported
        var nextPoll = clock.now + pollInterval

        while true {
            var wakeAt: ContinuousClock.Instant? = quietDeadline.map { min($0, hardDeadline ?? $0) }
            if !usesInotify { wakeAt = min(wakeAt ?? nextPoll, nextPoll) }
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if usesInotify { fds.append(pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0)) }
            let timeout = wakeAt.map { Self.milliseconds(until: $0, from: clock.now) } ?? -1
            let n = poll(&fds, nfds_t(fds.count), timeout)
            if n < 0 && errno != EINTR { return }
            if fds[0].revents != 0 { return }

            var changed = Set<String>()
            if usesInotify, fds[1].revents != 0 { changed = readInotify() }
            let now = clock.now
            if !usesInotify, now >= nextPoll {
                changed = rescan()
                nextPoll = now + pollInterval
            }
            if !changed.isEmpty {
                pending.formUnion(changed)
                quietDeadline = now + debounce
                if hardDeadline == nil { hardDeadline = now + debounce * 10 }
            }
            if !pending.isEmpty, let q = quietDeadline, now >= min(q, hardDeadline ?? q) {
                let batch = pending
                pending = []
                quietDeadline = nil
                hardDeadline = nil
                onChange(batch)
            }
        }
    }

    static func milliseconds(until deadline: ContinuousClock.Instant, from now: ContinuousClock.Instant) -> Int32 {
        let d = deadline - now
        guard d > .zero else { return 0 }
        let ms = d.components.seconds * 1000 + (d.components.attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: ms)
    }

    // MARK: Polling

    struct FileStamp: Equatable {
        var isDirectory: Bool
        var size: Int64
        var mtime: Int64  // nanoseconds
        var inode: UInt64
    }

    static func stamp(_ path: String) -> FileStamp? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) == S_IFDIR { return FileStamp(isDirectory: true, size: 0, mtime: 0, inode: UInt64(st.st_ino)) }
        #if canImport(Darwin)
        let t = st.st_mtimespec
        #else
        let t = st.st_mtim
        #endif
        return FileStamp(isDirectory: false, size: Int64(st.st_size),
                         mtime: Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec), inode: UInt64(st.st_ino))
    }

    /// Every file and folder under `roots` (symlinks are recorded, not followed).
    static func scan(_ roots: [String]) -> [String: FileStamp] {
        var out: [String: FileStamp] = [:]
        var stack = roots
        while let dir = stack.popLast() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { continue }
            for name in names {
                let path = dir + "/" + name
                guard let s = stamp(path) else { continue }
                out[path] = s
                if s.isDirectory { stack.append(path) }
            }
        }
        return out
    }

    private func rescan() -> Set<String> {
        let now = Self.scan(roots)
        var changed = Set<String>()
        for (path, s) in now where snapshot[path] != s { changed.insert(path) }
        for path in snapshot.keys where now[path] == nil { changed.insert(path) }
        snapshot = now
        return changed
    }

    // MARK: inotify

    #if os(Linux)
    private static let mask = UInt32(IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE
        | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF) | UInt32(IN_ONLYDIR)

    private func startInotify() throws {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw WatcherError.inotifyUnavailable(String(cString: strerror(errno))) }
        inotifyFD = fd
        do {
            for root in roots where LoopFiles.isDirectory(root) { _ = try addWatches(root) }
        } catch {
            close(fd)
            inotifyFD = -1
            watches = [:]
            throw error
        }
    }

    /// Watches `dir` and every folder below it; returns the files found (for new folders).
    private func addWatches(_ dir: String) throws -> Set<String> {
        var found = Set<String>()
        var stack = [dir]
        while let d = stack.popLast() {
            let wd = inotify_add_watch(inotifyFD, d, Self.mask)
            if wd < 0 {
                if errno == ENOENT || errno == ENOTDIR { continue }  // vanished meanwhile
                throw WatcherError.inotifyUnavailable("\(d): \(String(cString: strerror(errno)))")
            }
            watches[wd] = d
            for name in (try? FileManager.default.contentsOfDirectory(atPath: d)) ?? [] {
                let path = d + "/" + name
                found.insert(path)
                if LoopFiles.isDirectory(path, followLinks: false) { stack.append(path) }
            }
        }
        return found
    }

    private func readInotify() -> Set<String> {
        var changed = Set<String>()
        let size = 64 * 1024
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = read(inotifyFD, buffer.baseAddress, size)
            if n <= 0 { break }  // EAGAIN: drained
            var offset = 0
            while offset + 16 <= n {
                let wd = buffer.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let len = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[(offset + 16)..<min(offset + 16 + len, n)])
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                offset += 16 + len
                handle(wd: wd, mask: mask, name: name, into: &changed)
            }
        }
        return changed
    }

    private func handle(wd: Int32, mask: UInt32, name: String, into changed: inout Set<String>) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {  // events were lost: report the roots
            changed.formUnion(roots)
            return
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            watches[wd] = nil
            return
        }
        guard let dir = watches[wd] else { return }
        let path = name.isEmpty ? dir : dir + "/" + name
        changed.insert(path)
        guard mask & UInt32(IN_ISDIR) != 0, !name.isEmpty else { return }
        if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
            changed.formUnion((try? addWatches(path)) ?? [])
        } else if mask & UInt32(IN_MOVED_FROM) != 0 {
            for (w, p) in watches where p == path || p.hasPrefix(path + "/") {
                inotify_rm_watch(inotifyFD, w)
                watches[w] = nil
            }
        }
    }
    #else
    private func startInotify() throws { throw WatcherError.inotifyUnavailable("not Linux") }
    private func readInotify() -> Set<String> { [] }
    #endif
}

private enum LoopFiles {
    static func isDirectory(_ path: String, followLinks: Bool = true) -> Bool {
        var st = stat()
        let r = followLinks ? stat(path, &st) : lstat(path, &st)
        return r == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}
