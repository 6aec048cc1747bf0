/// Paths relative to a site folder (`departments/x/2023/explanation.md`), as strings.
public enum RelativePath {
    /// Every folder that holds the path, nearest first, ending with the root (""):
    /// `a/b/c.md` → `a/b`, `a`, "".
    public static func folders(above path: String) -> [String] {
        var out: [String] = []
        var parent = Substring(path)
        while let slash = parent.utf8.lastIndex(of: UInt8(ascii: "/")) {
            parent = parent[..<slash]
            out.append(String(parent))
        }
        out.append("")
        return out
    }

    /// The folder that holds the path ("" at the top) and its last name: `a/b/c.md` → `a/b`, `c.md`.
    /// Found by bytes: searching characters was a measurable part of a load's lookups.
    public static func split(_ path: String) -> (folder: Substring, name: Substring) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return ("", path[...]) }
        return (path[..<slash], path[path.utf8.index(after: slash)...])
    }
}
