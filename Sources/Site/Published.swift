import Model
import Support

/// What a build published, group by group (`PageGroup`): each group's key, and the path and key of
/// every file it made. The next build skips a group whose key is unchanged, renders only the pages
/// of a changed group whose own key changed, and removes the files a group no longer makes.
struct Published: Sendable, Equatable {
    struct Group: Sendable, Equatable {
        var key: String
        var paths: [String]
        /// Fingerprint of each file's inputs, in the order of `paths`.
        var keys: [String]
        /// Fingerprint of the list of paths (the sitemap follows these).
        var shape: String

        init(key: String, paths: [String], keys: [String]) {
            self.key = key
            self.paths = paths
            self.keys = keys
            shape = Digest.fnv1a(paths.joined(separator: "\n"))
        }
    }

    /// Group id → what it published.
    var groups: [String: Group] = [:]

    var files: Int { groups.values.reduce(0) { $0 + $1.paths.count } }

    /// The files of `previous` that this publication no longer has. A file that moved from one group
    /// to another is in two groups that both changed, so only the groups made again (`remade`) are
    /// looked at for it.
    func removed(since previous: Published, remade: Set<String>) -> [String] {
        var gone: [String] = []
        var made: Set<String> = []
        for id in remade { made.formUnion(groups[id]?.paths ?? []) }
        for (id, old) in previous.groups where groups[id] == nil || remade.contains(id) {
            gone += old.paths.filter { !made.contains($0) }
        }
        return gone.sorted()
    }
}
