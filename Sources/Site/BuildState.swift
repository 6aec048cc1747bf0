import Content
import DefaultTheme
import Foundation
import Incremental
#if canImport(Glibc)
import Glibc
#endif
import Model
import Support
import Theme

/// What the last build into an output folder left beside it, in `.<output>.sitegen-state` (e.g.
/// `.public.sitegen-state`): a header that says what the file describes, then the shelves of the
/// build's `DiskStore` (`Published`, `SiteShelves`, `PipelineShelves`). With it a build in a new
/// process can
/// - stop at once when no input changed since (a no-op build: stat every input, read the header only), or
/// - read, derive and check only the disclosures whose files changed, and render and write only the
///   pages whose inputs changed (an incremental build).
///
/// It is trusted only for the very folder it describes (device, inode and change time: a folder
/// deleted, replaced or copied gets a full build), only for the same sitegen binary and the same
/// content folder.
struct BuildState: Equatable {
    static let format = "sitegen-state 6"

    /// The sitegen binary that wrote it (`BuildState.binary`).
    var binary = Self.binary
    /// Fingerprint of every input: content files, theme folders, the sitegen binary.
    var inputs: String
    /// Device, inode and change time of the output folder when it was published.
    var folder: String
    /// What that build reported, for a no-op build to repeat.
    var summary: String
    /// How many files it published.
    var files: Int
    /// The content folder it was built from.
    var content: String
    /// Content files whose change time was too recent to trust their stamps: path → their metadata
    /// and the hash of their bytes (`Freshness`).
    var fresh: [String: String] = [:]

    static func location(of output: URL) -> URL { Output.beside(output, ".sitegen-state") }
    /// The state before the last, overwritten in place by the next build (`Output.replace(_:reusing:with:)`).
    static func spare(of output: URL) -> URL { Output.beside(output, ".sitegen-state.spare") }

    static func folderIdentity(_ output: URL) -> String? {
        var st = stat()
        guard stat(output.standardizedFileURL.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        // The inode alone is not enough: a folder deleted and made again may get the same number.
        return "\(st.st_dev):\(st.st_ino):\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)"
    }

    /// The header of the state, if it describes this output folder: read from the first block only
    /// (a no-op build needs no more).
    static func read(of output: URL) -> BuildState? {
        guard let handle = FileHandle(forReadingAtPath: location(of: output).path) else { return nil }
        defer { try? handle.close() }
        guard let start = try? handle.read(upToCount: 4096) else { return nil }
        // The fresh files' lines may go past the first block (right after content was generated).
        return header(Self.lines(start), output: output)
            ?? (start.count < 4096 ? nil : (try? handle.readToEnd()).flatMap { header(Self.lines(start + $0), output: output) })
    }

    /// Whether a sitegen build, of any version, left a state beside the folder.
    static func exists(for output: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: location(of: output).path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 13)).map { $0 == Data("sitegen-state".utf8) } ?? false
    }

    /// What the last build kept, if the state describes this output folder (else an empty store: a
    /// full build). What it published describes the folder whatever made it; the other shelves are
    /// used only if this binary made them from this content folder.
    static func store(for output: URL, content: URL) -> DiskStore {
        guard var bytes = readBytes(location(of: output).path), checked(&bytes) else { return DiskStore() }
        let store = DiskStore(bytes: bytes)
        guard let state = header(store.header, output: output) else { return DiskStore() }
        return state.binary == binary && state.content == content.standardizedFileURL.path
            ? store : DiskStore(bytes: bytes, only: [Published.shelf.name])
    }

    /// A file's bytes, read into place (`FileManager` reads into `Data`, which was then copied).
    private static func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else { return nil }
        // A state cut short is read as what it holds (its lines are checked).
        return readUpTo(Int(st.st_size), from: fd)
    }

    /// The last line of a state: a check sum of everything before it.
    static let sumMark = Array("sitegen-sum ".utf8)

    /// Whether the state's bytes are those written (not torn by a crash: a build after it is then a
    /// full one), its check sum line taken off.
    static func checked(_ bytes: inout [UInt8]) -> Bool {
        guard bytes.last == UInt8(ascii: "\n") else { return false }
        // Looked at through a pointer: a slice of the array held until the line is cut off would
        // make that cut copy all 12 MB.
        let (start, matches) = bytes.withUnsafeBufferPointer { all -> (Int, Bool) in
            let start = (all[..<(all.count - 1)].lastIndex(of: UInt8(ascii: "\n")) ?? -1) + 1
            let line = all[start..<(all.count - 1)]
            guard line.starts(with: sumMark) else { return (start, false) }
            let sum = Digest.checksum(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: all[..<start])))
            return (start, line.dropFirst(sumMark.count).elementsEqual(sum.utf8))
        }
        guard matches else { return false }
        bytes.removeSubrange(start...)
        return true
    }

    /// The complete lines of a file's beginning.
    private static func lines(_ data: Data) -> [String] {
        Array(String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
    }

    /// The header lines: format, binary, inputs, folder, summary, files, content folder, the number
    /// of fresh files, then "<metadata> <hash> <path>" of each; nil unless the format is this
    /// one's and the folder is still the one described.
    private static func header(_ lines: [String], output: URL) -> BuildState? {
        guard lines.count >= 8, lines[0] == format, lines[3] == folderIdentity(output),
              let files = Int(lines[5]), let count = Int(lines[7]), lines.count >= 8 + count else { return nil }
        var fresh: [String: String] = [:]
        for line in lines[8..<(8 + count)] {
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3 else { return nil }
            fresh[String(parts[2])] = parts[0] + " " + parts[1]
        }
        return BuildState(binary: lines[1], inputs: lines[2], folder: lines[3], summary: lines[4], files: files, content: lines[6], fresh: fresh)
    }

    var header: [String] {
        [Self.format, binary, inputs, folder, summary, "\(files)", content, "\(fresh.count)"] + fresh.keys.sorted().map { fresh[$0]! + " " + $0 }
    }

    /// Written after a successful publish, with what the build kept (a failure to write it only
    /// costs the next build its shortcut).
    func write(_ store: DiskStore, for output: URL) {
        let bytes = store.file(header: header)
        Output.replace(Self.location(of: output).path, reusing: Self.spare(of: output).path, with: [bytes, Self.sum(of: bytes)])
    }

    /// The check sum line that ends a state (`checked`), written after its bytes (not appended to
    /// them: that copied the whole state).
    static func sum(of bytes: [UInt8]) -> [UInt8] {
        sumMark + Array((bytes.withUnsafeBytes { Digest.checksum($0) } + "\n").utf8)
    }

    /// Forgets the state (before changing the folder in place: a crash half-way must not leave a state
    /// that claims pages are current). It becomes the spare, which the next state is written over.
    static func remove(for output: URL) {
        if rename(location(of: output).path, spare(of: output).path) != 0 { unlink(location(of: output).path) }
    }

    /// Fingerprint of everything a build reads: every file under the content folder (`Freshness`
    /// says how a file is stamped), the theme folders (`Theme.stamp`) and the running sitegen binary.
    /// With what the walk found at every content path, for the load that follows (it then asks the
    /// file system only for the files it reads).
    /// `freshness`: the content files the last build found fresh (`Freshness`).
    static func inputs(content: URL, themeFolders: [URL], links: LinkRule, freshness: Freshness) -> (inputs: String, walked: WalkedPaths) {
        let walked = ContentLoader.stamp(content, followLinks: links.follow, freshness: freshness)
        return (Digest.fnv1a([format, binary, walked.stamp, Theme.stamp(themeFolders, links: links)].joined(separator: "\n")), walked.walked)
    }

    /// Size and modification time of the running sitegen binary: another version may render differently.
    static let binary: String = {
        var st = stat()
        return stat("/proc/self/exe", &st) == 0 ? "\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)" : "?"
    }()
}

