import Model
import Support

/// Human text: findings grouped by disclosure.
public enum FindingsText {
    /// `hiddenNotes`: how many 提示 (differences within rounding) were left out of `findings`.
    public static func render(_ findings: [Finding], hiddenNotes: Int = 0) -> String {
        let more = hiddenNotes > 0 ? Messages.hiddenNotes(hiddenNotes) + "\n" : ""
        guard !findings.isEmpty else { return Messages.none + "\n" + more }
        var out = ""
        var current = ""
        for f in findings.sorted() {
            if f.disclosure != current {
                current = f.disclosure
                out += "\n\(current)\n"
            }
            out += "  \(f.location): \(Messages.severity(f.severity)) [\(f.rule)] \(f.message)\n"
        }
        let errors = findings.filter { $0.severity == .error }.count, notes = findings.filter { $0.severity == .info }.count
        out += "\n" + Messages.summary(errors: errors, warnings: findings.count - errors - notes, notes: notes) + "\n"
        return out + more
    }
}

/// JSON for tools; the schema is schemas/findings.schema.json.
public enum FindingsJSON {
    public static func encode(_ findings: [Finding]) -> String {
        var out = "{\"version\":1,\"language\":\(q(Language.current.rawValue)),\"findings\":["
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
                "\"formula\":\(q(f.formula ?? f.computation))",
                "\"unit\":\(q(f.unit))",
                "\"written\":\(f.written.map(q) ?? "null")",
                "\"quote\":\(f.quote.map(q) ?? "null")",
                "\"maybeRounding\":\(f.maybeRounding)",
                "\"editorOnly\":\(f.isEditorOnly)",
                "\"message\":\(q(f.message))",
                "\"publicText\":\(q(f.publicText))",
            ].joined(separator: ",")
            out += "}"
        }
        return out + "]}"
    }

    static func q(_ s: String) -> String { JSONText.quote(s) }
}

/// `sitegen check --explain`: what the prose rules saw but could not settle.
public enum UnsettledText {
    public static func render(_ list: [Checker.Unsettled]) -> String {
        var out = "\n" + localized("未能核对的数字（\(list.count) 处）：", en: "Numbers not checked (\(list.count)):") + "\n"
        for u in list.sorted(by: { $0.location < $1.location }) {
            out += "  \(u.location): “\(u.term)” \(u.reason)\n"
        }
        return out
    }
}
