import Model
import Support

/// Human text: findings grouped by disclosure.
public enum FindingsText {
    public static func render(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "no findings\n" }
        var out = ""
        var current = ""
        for f in findings.sorted() {
            if f.disclosure != current {
                current = f.disclosure
                out += "\n\(current)\n"
            }
            out += "  \(f.location): \(f.severity.rawValue) [\(f.rule)] \(f.message)\n"
        }
        let errors = findings.filter { $0.severity == .error }.count
        out += "\n\(errors) error\(errors == 1 ? "" : "s"), \(findings.count - errors) warning\(findings.count - errors == 1 ? "" : "s")\n"
        return out
    }
}

/// JSON for tools; the schema is schemas/findings.schema.json.
public enum FindingsJSON {
    public static func encode(_ findings: [Finding]) -> String {
        var out = "{\"version\":1,\"findings\":["
        for (i, f) in findings.sorted().enumerated() {
            if i > 0 { out += "," }
            out += "{"
            out += [
                "\"severity\":\(q(f.severity.rawValue))",
                "\"rule\":\(q(f.rule))",
                "\"file\":\(q(f.location.file))",
                "\"line\":\(f.location.line)",
                "\"disclosure\":\(q(f.disclosure))",
                "\"table\":\(q(f.table == 0 ? "" : TableKind.code(f.table)))",
                "\"tableName\":\(q(f.tableName))",
                "\"row\":\(q(f.row))",
                "\"rowName\":\(q(f.rowName))",
                "\"column\":\(q(f.column))",
                "\"expected\":\(f.expected.map { q($0.description) } ?? "null")",
                "\"computation\":\(q(f.computation))",
                "\"found\":\(f.found.map { q($0.description) } ?? "null")",
                "\"difference\":\(f.difference.map { q($0.description) } ?? "null")",
                "\"detail\":\(f.detail.map(q) ?? "null")",
                "\"message\":\(q(f.message))",
            ].joined(separator: ",")
            out += "}"
        }
        return out + "]}"
    }

    static func q(_ s: String) -> String { JSONText.quote(s) }
}
