import Support

/// What a build published, group by group (`PageGroup`): each group's key, and the path and key of
/// every file it made. The next build skips a group whose key is unchanged, renders only the pages
/// of a changed group whose own key changed, and removes the files a group no longer makes.
public struct Published: Sendable, Equatable {
    public struct Group: Sendable, Equatable {
        public var key: String
        public var paths: [String]
        /// Fingerprint of each file's inputs, in the order of `paths`.
        public var keys: [String]
        /// Fingerprint of the list of paths (the sitemap follows these).
        public var shape: String

        public init(key: String, paths: [String], keys: [String]) {
            self.key = key
            self.paths = paths
            self.keys = keys
            shape = Self.shape(of: paths)
        }

        /// The fingerprint of a list of paths: a group's, or a merged shard's (the sitemap follows them).
        public static func shape(of paths: [String]) -> String { Digest.fnv1a(joining: paths, separator: UInt8(ascii: "\n")) }
    }

    /// Group id → what it published.
    public var groups: [String: Group] = [:]

    public init() {}

    public var files: Int { groups.values.reduce(0) { $0 + $1.paths.count } }

    /// The files of `previous` that this publication no longer has. A file that moved from one group
    /// to another is in two groups that both changed, so only the groups made again (`remade`) are
    /// looked at for it.
    public func removed(since previous: Published, remade: Set<String>) -> [String] {
        var gone: [String] = []
        var made: Set<String> = []
        for id in remade { made.formUnion(groups[id]?.paths ?? []) }
        for (id, old) in previous.groups where groups[id] == nil || remade.contains(id) {
            gone += old.paths.filter { !made.contains($0) }
        }
        return gone.sorted()
    }
}

extension Published {
    /// What the last build published, as the one item of its shelf, whose id is the output folder.
    /// On disk: "= <group key> <group id>", then "<key> <path>" for each of its files.
    /// Written part by part into a text made at its size: joining each line's parts first made a
    /// string per file published, on every build. Runs of groups are written in parallel, then joined.
    public static let shelf = Shelf<Published>("published", codec: Codec(write: { kept in
        guard let published = kept.values.first else { return "" }
        let ids = published.groups.keys.sorted()
        let runs = stride(from: 0, to: ids.count, by: 256).map { ids[$0..<min($0 + 256, ids.count)] }
        let parts = parallelMap(runs) { run in
            var text = ""
            text.reserveCapacity(run.reduce(0) { size, id in
                let group = published.groups[id]!
                return size + group.paths.reduce(group.key.utf8.count + id.utf8.count + 4) { $0 + $1.utf8.count + 18 }
            })
            for id in run {
                let group = published.groups[id]!
                for part in ["= ", group.key, " ", id, "\n"] { text += part }
                for (key, path) in zip(group.keys, group.paths) {
                    text += key
                    text += " "
                    text += path
                    text += "\n"
                }
            }
            return text
        }
        return "> " + (kept.ids.first ?? "") + "\n" + parts.joined()
    }, read: read))

    /// Read over bytes: a line per published file, and `Data` slices check exclusive access at every byte.
    static func read(_ lines: ArraySlice<UnsafeBufferPointer<UInt8>>) -> Kept<Published>? {
        var published = Published()
        var output = ""
        var group: (id: String, key: String, paths: [String], keys: [String])?
        func close() {
            if let g = group { published.groups[g.id] = Published.Group(key: g.key, paths: g.paths, keys: g.keys) }
        }
        for line in lines {
            let parts = line.pieces(UInt8(ascii: " "), maxSplits: 1)
            guard parts.count == 2 else { return nil }
            if parts[0].count == 1 && parts[0][0] == UInt8(ascii: ">") {
                output = parts[1].text
            } else if parts[0].count == 1 && parts[0][0] == UInt8(ascii: "=") {
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
        return Kept(published, key: 0, id: output)
    }
}
