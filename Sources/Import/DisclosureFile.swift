import Model

/// Writes disclosure.yaml in the documented format (docs/content.md): entered values only, codes
/// and line keys as editors write them, blank cells as `~`.
enum DisclosureFile {
    enum Mode {
        /// Rows and lines that carry a value (import).
        case values
        /// Every row given and every line an editor fills in, all blank (`sitegen new`).
        case template
    }

    /// A line key: plain when it can only be read as itself, else quoted (codes: `"201"`).
    static func key(_ k: String) -> String { YAMLText.scalar(k) }

    static func value(_ cell: Cell) -> String { cell.value?.description ?? "~" }

    /// The `tables:` block.
    static func tables(_ tables: [Table], mode: Mode) -> String {
        var out = "tables:\n"
        for table in tables {
            let body = table.kind.classification != nil ? rows(table, mode: mode) : lines(table, mode: mode)
            out += "  \"\(table.kind.code)\":" + (body.isEmpty ? " {}\n" : "\n" + body)
        }
        return out
    }

    static func rows(_ table: Table, mode: Mode) -> String {
        let all = table.sections.flatMap(\.rows)
        let columns = table.sections[0].columns.map(\.label)
        var out = table.extendedLayout ? "    layout: extended\n" : ""
        out += "    # \(columns.joined(separator: ", "))\n"
        if all.isEmpty {
            guard mode == .template else { return "" }
            let example = table.kind == .t06 ? "[30101, 28.36]" : "[2010301, " + columns.map { _ in "0.00" }.joined(separator: ", ") + "]"
            return out + "    # 每行 [科目编码, 金额…]，例如 - \(example)；类、款、合计由系统汇总\n    rows: []\n"
        }
        out += "    rows:\n"
        for row in all {
            let key = row.key.description
            out += "      - [\(Text.isDigits(key) ? key : YAMLText.scalar(key)), " + row.cells.map { mode == .template ? "~" : value($0) }.joined(separator: ", ") + "]\n"
        }
        return out
    }

    static func lines(_ table: Table, mode: Mode) -> String {
        var out = ""
        for section in table.sections {
            var body = ""
            for row in section.rows where !row.isPlaceholder {
                let open = row.cells.filter { $0.origin != .notApplicable }
                let write: Bool
                switch mode {
                case .values: write = open.contains { $0.value != nil }
                case .template: write = open.contains { $0.formula == nil }
                }
                guard write, !open.isEmpty else { continue }
                let values = open.map { mode == .template ? "~" : value($0) }
                body += "      \(key(row.key.description)): " + (values.count == 1 ? values[0] : "[\(values.joined(separator: ", "))]") + "\n"
            }
            if mode == .template && section.id == "支出" && [.t01, .t04].contains(table.kind) {
                body = "      # 各类支出由公开\(table.kind == .t01 ? "03" : "05/07/08")表生成\n" + body
            }
            if section.columns.count > 1 && !body.isEmpty {
                body = "      # [\(section.columns.map(\.label).joined(separator: ", "))]\n" + body
            }
            if !body.isEmpty { out += "    \(section.id):\n" + body }
        }
        return out
    }

    /// Top-level blocks of a YAML text (a `key:` at column 0 with the lines under it), comments before a key kept with it.
    static func blocks(_ text: String) -> [(key: String, text: String)] {
        var out: [(String, String)] = []
        var pending = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let l = String(line)
            if let first = l.first, first != " ", first != "#", first != "-", let colon = l.firstIndex(of: ":") {
                out.append((String(l[..<colon]).trimmingSpaces(), pending + l + "\n"))
                pending = ""
            } else if out.isEmpty || l.hasPrefix("#") {
                pending += l + "\n"
            } else {
                out[out.count - 1].1 += pending + l + "\n"
                pending = ""
            }
        }
        return out
    }

    /// A whole disclosure.yaml: header comment (one line, whatever the file and department names hold),
    /// year and form, the kept blocks, the tables.
    static func document(title: String, year: Int, form: Int, kept: [String], tables: String) -> String {
        var out = "# \(YAMLText.comment(title))\nyear: \(year)\nform: \(form)\n"
        for block in kept { out += block.hasSuffix("\n") ? block : block + "\n" }
        while out.hasSuffix("\n\n") { out.removeLast() }
        return out + tables
    }
}
