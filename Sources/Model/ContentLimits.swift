import Support
/// How large and how deep a content file may be: every file is checked against these before (or
/// while) it is parsed, so that a hostile or mistaken file is refused with a message instead of
/// taking the machine's memory. A site raises them in site.yaml (`limits:`); site.yaml itself is
/// read with the defaults.
public struct ContentLimits: Sendable, Hashable, Codable {
    /// Largest YAML or JSON file (and a report's front matter), in bytes; also the most text a file
    /// may hold once its aliases are expanded. Its node tree takes many times its size in memory (a
    /// file of nothing but `0,` is one node per two bytes).
    public var yamlBytes = 4 * 1024 * 1024
    /// Largest Markdown file (and `overview.note`), in bytes. libcmark's memory grows with the text,
    /// many times its size for a text of nothing but `[`; a real 情况说明 is a few KB.
    public var markdownBytes = 1024 * 1024
    /// Deepest nesting of lists and mappings in a YAML or JSON file (the top mapping is level 1; a
    /// row of a table is at level 5).
    public var yamlDepth = 20
    /// Values a YAML file may reach through aliases (`*name`), each alias counting every value of
    /// what it repeats. 0: aliases are refused — no content sitegen reads needs them.
    public var yamlAliases = 0
    /// Rows a table (or a performance table) may have: far more than a catalogue has codes, few
    /// enough that deriving, checking and rendering a table stays quick and sums cannot overflow.
    public var tableRows = 5_000

    public init() {}

    /// The keys of `limits:` in site.yaml, in the order of the docs.
    public static let keys = ["yaml_bytes", "markdown_bytes", "yaml_depth", "yaml_aliases", "table_rows"]

    /// The limit a key of `limits:` sets (nil for an unknown key).
    public subscript(key key: String) -> Int? {
        get {
            switch key {
            case "yaml_bytes": yamlBytes
            case "markdown_bytes": markdownBytes
            case "yaml_depth": yamlDepth
            case "yaml_aliases": yamlAliases
            case "table_rows": tableRows
            default: nil
            }
        }
        set {
            guard let newValue else { return }
            switch key {
            case "yaml_bytes": yamlBytes = newValue
            case "markdown_bytes": markdownBytes = newValue
            case "yaml_depth": yamlDepth = newValue
            case "yaml_aliases": yamlAliases = newValue
            case "table_rows": tableRows = newValue
            default: break
            }
        }
    }

    /// The most a site may set for `yaml_depth`: libyaml stops at 1,000 levels by itself.
    public static let maxYAMLDepth = 500

    /// The limits as text, for stamps: a folder read under other limits is read again.
    public var stamp: String { Self.keys.map { "\(self[key: $0]!)" }.joined(separator: ",") }

    /// A size found and its limit for a message, in MB with one decimal (`50.0 MB`, `4.0 MB`), or in
    /// bytes when the two would read the same.
    public static func sizes(_ found: Int, limit: Int) -> (found: String, limit: String) {
        func mb(_ n: Int) -> String {
            let tenths = (n * 10 + 524_288) / 1_048_576
            return "\(tenths / 10).\(tenths % 10) MB"
        }
        return mb(found) == mb(limit) ? (localized("\(found) 字节", en: "\(found) bytes"), localized("\(limit) 字节", en: "\(limit) bytes")) : (mb(found), mb(limit))
    }
}
