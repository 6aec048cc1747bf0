import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Support

/// The content files whose stamps a build cannot trust, and what they held.
///
/// A file's stamp is its size, modification and change time and inode: an edit changes at least one
/// of them, except an edit made within the same tick of the file system's clock as the write before
/// it, when a build stamped the file in between (git's "racy clean" files). So a build keeps the
/// metadata and the hash of every file whose change time is within `window` of its walk (`fresh`), and
/// the next build hashes again those whose metadata has not changed: one whose bytes differ is stamped
/// as edited.
public final class Freshness: @unchecked Sendable {
    /// Seconds: coarser than any file system's timestamps (FAT's are 2 s).
    public static let window = 2

    private let now: Int
    private let recorded: [String: String]
    private let lock = NSLock()
    private var found: [String: String] = [:]

    /// `recorded`: relative path → "<metadata> <hash>" of the files the last build found fresh.
    public init(recorded: [String: String] = [:], now: Int = time(nil)) {
        self.recorded = recorded
        self.now = now
    }

    /// Relative path → "<metadata> <hash>" of the files this walk found fresh, for the next build.
    public var fresh: [String: String] { lock.withLock { found } }

    /// What a file's stamp (`metadata`) gets added: "#edited" when the metadata is what the last build
    /// found but the bytes are not; and a fresh file's metadata and hash are kept. `metadata` is
    /// made only for a file fresh now or then (few).
    public func suffix(_ relative: String, path: String, metadata made: @autoclosure () -> String, _ st: stat) -> String {
        guard (st.st_mode & S_IFMT) == S_IFREG else { return "" }
        let isFresh = max(st.st_ctim.tv_sec, st.st_mtim.tv_sec) >= now - Self.window
        // "<metadata> <hash>" as the last build found the file, when it found it fresh.
        let last = recorded[relative]?.split(separator: " ", maxSplits: 1)
        guard isFresh || last != nil else { return "" }
        let metadata = made()
        let sameMetadata = last?.count == 2 && last![0] == metadata
        guard isFresh || sameMetadata else { return "" }
        let hash = Self.hash(path)
        if isFresh { lock.withLock { found[relative] = metadata + " " + hash } }
        return sameMetadata && last![1] != hash ? "#edited" : ""
    }

    /// FNV-1a of the file's bytes ("?" when it cannot be read).
    public static func hash(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return "?" }
        defer { close(fd) }
        var stream = Digest.Stream()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { return "?" }
            if n == 0 { break }
            stream.add(bytes: buffer[..<n])
        }
        return stream.hex
    }
}
