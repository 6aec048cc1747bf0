import Content
import DefaultTheme
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Model
import Support
import Theme

/// What the last build into an output folder published, kept beside it in `.<output>.sitegen-state`
/// (e.g. `.public.sitegen-state`), so that a build in a new process can
/// - stop at once when no input changed since (a no-op build: stat every input, read nothing), or
/// - render and write only the pages whose inputs changed (an incremental build).
///
/// It is trusted only for the very folder it describes (device, inode and change time: a folder
/// deleted, replaced or copied gets a full build) and only for the same sitegen binary.
struct BuildState: Equatable {
    static let header = "sitegen-state 4"

    /// Fingerprint of every input: content files, theme folders, the sitegen binary.
    var inputs: String
    /// Device, inode and change time of the output folder when it was published.
    var folder: String
    /// What that build reported, for a no-op build to repeat.
    var summary: String
    /// What it published, group by group.
    var published: Published
    /// Content files whose change time was too recent to trust their stamps: path → their metadata
    /// and the hash of their bytes (`Freshness`).
    var fresh: [String: String] = [:]

    static func location(of output: URL) -> URL { Output.beside(output, ".sitegen-state") }

    static func folderIdentity(_ output: URL) -> String? {
        var st = stat()
        guard stat(output.standardizedFileURL.path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return nil }
        // The inode alone is not enough: a folder deleted and made again may get the same number.
        return "\(st.st_dev):\(st.st_ino):\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec)"
    }

    /// The fingerprint of the inputs the state was made from, if it describes this output folder:
    /// read from the first lines only (a no-op build needs no more).
    static func inputs(of output: URL) -> (inputs: String, summary: String, files: Int, fresh: [String: String])? {
        guard let handle = FileHandle(forReadingAtPath: location(of: output).path) else { return nil }
        defer { try? handle.close() }
        guard let start = try? handle.read(upToCount: 4096) else { return nil }
        // The fresh files' lines may go past the first block (right after content was generated).
        let head = header(start, output: output)
            ?? (start.count < 4096 ? nil : (try? handle.readToEnd()).flatMap { header(start + $0, output: output) })
        return head.map { ($0.inputs, $0.summary, $0.files, $0.fresh) }
    }

    /// Whether a sitegen build, of any version, left a state beside the folder.
    static func exists(for output: URL) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: location(of: output).path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 13)).map { $0 == Data("sitegen-state".utf8) } ?? false
    }

    /// The state of this output folder, if it is still the folder the state describes.
    static func read(for output: URL) -> BuildState? {
        guard let data = FileManager.default.contents(atPath: location(of: output).path),
              let head = header(data, output: output) else { return nil }
        // "= <group key> <group id>", then "<key> <path>" for each of its files (read over bytes: a
        // line per published file, and `Data` slices check exclusive access at every byte).
        return [UInt8](data[head.end...]).withUnsafeBufferPointer { bytes -> BuildState? in
            var published = Published()
            var group: (id: String, key: String, paths: [String], keys: [String])?
            func close() {
                if let g = group { published.groups[g.id] = Published.Group(key: g.key, paths: g.paths, keys: g.keys) }
            }
            for line in bytes.pieces(UInt8(ascii: "\n")) where !line.isEmpty {
                let parts = line.pieces(UInt8(ascii: " "), maxSplits: 1)
                guard parts.count == 2 else { return nil }
                if parts[0].count == 1 && parts[0][0] == UInt8(ascii: "=") {
                    let idAndKey = parts[1].pieces(UInt8(ascii: " "), maxSplits: 1)
                    guard idAndKey.count == 2 else { return nil }
                    close()
                    group = (idAndKey[1].text, idAndKey[0].text, [], [])
                } else {
                    guard group != nil else { return nil }
                    group!.keys.append(parts[0].text)
                    group!.paths.append(parts[1].text)
                }
            }
            close()
            return BuildState(inputs: head.inputs, folder: head.folder, summary: head.summary, published: published, fresh: head.fresh)
        }
    }

    /// The header lines (format, inputs, folder, summary, number of files, number of fresh files, then
    /// "<metadata> <hash> <path>" of each) when the format is this one and the folder is still the one described;
    /// `end`: where the per-file lines start.
    private static func header(_ data: Data, output: URL)
        -> (inputs: String, folder: String, summary: String, files: Int, fresh: [String: String], end: Data.Index)? {
        var lines: [String] = []
        var start = data.startIndex
        func line() -> String? {
            guard let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            defer { start = newline + 1 }
            return String(decoding: data[start..<newline], as: UTF8.self)
        }
        while lines.count < 6, let next = line() { lines.append(next) }
        guard lines.count == 6, lines[0] == Self.header, lines[2] == folderIdentity(output), let files = Int(lines[4]),
              let count = Int(lines[5]) else { return nil }
        var fresh: [String: String] = [:]
        for _ in 0..<count {
            let parts = line()?.split(separator: " ", maxSplits: 2) ?? []
            guard parts.count == 3 else { return nil }
            fresh[String(parts[2])] = parts[0] + " " + parts[1]
        }
        return (lines[1], lines[2], lines[3], files, fresh, start)
    }

    /// Written after a successful publish (a failure to write it only costs the next build its shortcut).
    func write(for output: URL) {
        var text = [Self.header, inputs, folder, summary, "\(published.files)", "\(fresh.count)"].joined(separator: "\n") + "\n"
        for path in fresh.keys.sorted() { text += fresh[path]! + " " + path + "\n" }
        for id in published.groups.keys.sorted() {
            let group = published.groups[id]!
            text += "= " + group.key + " " + id + "\n"
            for (key, path) in zip(group.keys, group.paths) { text += key + " " + path + "\n" }
        }
        Output.replace(Self.location(of: output).path, with: Array(text.utf8))
    }

    /// Forgets the state (before changing the folder in place: a crash half-way must not leave a state
    /// that claims pages are current).
    static func remove(for output: URL) { unlink(location(of: output).path) }

    /// Fingerprint of everything a build reads: every file under the content folder (`Freshness`
    /// says how a file is stamped), the theme folders (`Theme.stamp`) and the running sitegen binary.
    /// With what the walk found at every content path, for the load that follows (it then asks the
    /// file system only for the files it reads).
    /// `freshness`: the content files the last build found fresh (`Freshness`).
    static func inputs(content: URL, themeFolders: [URL], links: LinkRule, freshness: Freshness) -> (inputs: String, walked: FolderMemo) {
        let walked = ContentLoader.stamp(content, followLinks: links.follow, freshness: freshness)
        return (Digest.fnv1a([header, binary, walked.stamp, Theme.stamp(themeFolders, links: links)].joined(separator: "\n")), walked.walked)
    }

    /// Size and modification time of the running sitegen binary: another version may render differently.
    static let binary: String = {
        var st = stat()
        return stat("/proc/self/exe", &st) == 0 ? "\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)" : "?"
    }()
}

extension UnsafeBufferPointer<UInt8> {
    /// The pieces between separators (empty ones too); after `maxSplits` splits, the rest is one piece.
    func pieces(_ separator: UInt8, maxSplits: Int = .max) -> [UnsafeBufferPointer<UInt8>] {
        var pieces: [UnsafeBufferPointer<UInt8>] = []
        var start = 0
        for i in indices where self[i] == separator && pieces.count < maxSplits {
            pieces.append(UnsafeBufferPointer(rebasing: self[start..<i]))
            start = i + 1
        }
        pieces.append(UnsafeBufferPointer(rebasing: self[start...]))
        return pieces
    }

    var text: String { String(decoding: self, as: UTF8.self) }
}
