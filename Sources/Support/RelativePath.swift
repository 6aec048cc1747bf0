/// Paths relative to a site folder (`departments/x/2023/explanation.md`), as strings.
public enum RelativePath {
    /// Every folder that holds the path, nearest first, ending with the root (""):
    /// `a/b/c.md` → `a/b`, `a`, "".
    public static func folders(above path: String) -> [String] {
        var out: [String] = []
        var parent = Substring(path)
        while let slash = parent.lastIndex(of: "/") {
            parent = parent[..<slash]
            out.append(String(parent))
        }
        out.append("")
        return out
    }
}
