import Model
import Support

/// A form file's `sections:` of a table: its columns, lines and formulas (docs/forms.md#lines-columns-and-formulas).
extension Decoder {
    static let sectionKeys = ["id", "columns", "lines", "classification", "codes", "numbered"]
    static let lineKeys = ["key", "label", "level", "aliases", "count", "sum", "zero_when_absent", "dashes", "blank", "classes", "pad"]

    /// A sum's term that names another table's cell: as written, the cell (`{key}` as 0), and where.
    typealias Reference = (text: String, cell: CellRef, at: SourceLocation)

    /// `sections:` (and 08's `extended_sections:`) of a table, checked: each sum names a line or
    /// column that exists. `references`: its terms that name another table's cell, with where they
    /// are written (checked once the form's tables are known: `checkReferences`).
    mutating func tableDefinition(_ node: Located, extended: Located?, kind: TableKind?, what: String,
                                  references: inout [Reference]) -> TableDefinition? {
        guard let kind else {
            error(node, localized("\(what).sections：只有 tables 下的表才能写 sections", en: "\(what).sections: only a table under tables: takes sections"))
            return nil
        }
        guard let sections = sectionDefinitions(node, kind: kind, what: what + ".sections", references: &references) else { return nil }
        var definition = TableDefinition(sections: sections)
        if let extended { definition.extended = sectionDefinitions(extended, kind: kind, what: what + ".extended_sections", references: &references) }
        return definition
    }

    mutating func sectionDefinitions(_ node: Located, kind: TableKind, what: String, references: inout [Reference]) -> [SectionDefinition]? {
        guard let items = node.sequence, !items.isEmpty else {
            error(node, localized("\(what)：写的是\(node.kindName)；应为各部分的列表（每部分有 id、columns 和 lines）",
                                  en: "\(what): found \(node.kindName); expected a list of sections (each with id, columns and lines)"))
            return nil
        }
        var sections: [SectionDefinition] = []
        for item in items {
            expectKeys(item, Self.sectionKeys, what)
            guard let id = string(item["id"], "id", required: true, at: item) else { continue }
            var section = SectionDefinition(id: id, columns: (item["columns"]?.sequence ?? []).compactMap { column($0, what: "\(what).\(id).columns") })
            if section.columns.isEmpty { error(item, localized("\(what).\(id)：缺少 columns（各栏）", en: "\(what).\(id): missing columns")) }
            section.classification = kind.classification
            if let c = item["classification"], let text = string(c, "classification") {
                section.classification = Classification(rawValue: text)
                if section.classification == nil {
                    error(c, localized("classification：写的是 '\(text)'；应为 functional（功能分类）或 economic（经济分类）",
                                       en: "classification: found '\(text)'; expected functional or economic"))
                }
            }
            section.codes = strings(item["codes"], "codes")
            section.numbered = bool(item["numbered"], "numbered") ?? true
            section.lines = (item["lines"]?.sequence ?? []).compactMap { line($0, columns: section.columns, what: "\(what).\(id).lines") }
            sections.append(section)
        }
        for (section, item) in zip(sections, items) { checkSums(section, item: item, kind: kind, what: what, references: &references) }
        return sections
    }

    /// A column: its label, or `{label, number, group, count, sum}`.
    mutating func column(_ node: Located, what: String) -> Column? {
        if let label = node.scalar, !node.isNull { return Column(label) }
        expectKeys(node, ["label", "number", "group", "count", "sum"], what)
        guard let label = string(node["label"], "label", required: true, at: node) else { return nil }
        return Column(label, group: string(node["group"], "group"), number: int(node["number"], "number"), isCount: bool(node["count"], "count") ?? false,
                      sum: strings(node["sum"], "sum"))
    }

    /// A line: its key, or `{key, label, level, sum, …}`, `{key, blank: true}`, `{classes: true, …}`, `{pad: classes}`.
    mutating func line(_ node: Located, columns: [Column], what: String) -> LineDefinition? {
        if let key = node.scalar, !node.isNull { return LineDefinition(key: key) }
        expectKeys(node, Self.lineKeys, what)
        guard node.mapping != nil else {
            error(node, localized("\(what)：写的是\(node.kindName)；应为行的键或 {key: …, label: …}", en: "\(what): found \(node.kindName); expected a line key or {key: …, label: …}"))
            return nil
        }
        var line = LineDefinition()
        if let pad = node["pad"] {
            if string(pad, "pad") != "classes" { error(pad, localized("pad：应为 classes（空行补足到类的个数）", en: "pad: expected classes (blank lines up to the number of 类)")) }
            line.kind = .padToClasses
            return line
        }
        if bool(node["classes"], "classes") == true { line.kind = .classes } else if bool(node["blank"], "blank") == true { line.kind = .blank }
        line.key = string(node["key"], "key") ?? ""
        if line.kind == .line && line.key.isEmpty {
            error(node, localized("\(what)：缺少 key（行的键，如 政府采购支出合计）", en: "\(what): missing key (the line's key, e.g. 政府采购支出合计)"))
            return nil
        }
        line.label = string(node["label"], "label")
        line.level = int(node["level"], "level") ?? 1
        line.aliases = strings(node["aliases"], "aliases")
        line.isCount = bool(node["count"], "count") ?? false
        line.dashes = columnList(node["dashes"], columns: columns, what: "dashes")
        line.zeroWhenAbsent = columnList(node["zero_when_absent"], columns: columns, what: "zero_when_absent")
        if let sum = node["sum"] {
            if sum.sequence != nil { line.sums["*"] = strings(sum, "sum") }
            for (k, v) in mapping(sum.sequence == nil ? sum : nil, "sum") ?? [] {
                guard let label = k.scalar else { continue }
                if knownColumn(label, columns, at: k, what: "sum") { line.sums[label] = strings(v, "sum.\(label)") }
            }
        }
        return line
    }

    /// `all` / `true` (every column), one column's label, or a list of them.
    mutating func columnList(_ node: Located?, columns: [Column], what: String) -> [String] {
        guard let node, !node.isNull else { return [] }
        if let text = node.scalar {
            if ["all", "true"].contains(text) { return ["*"] }
            if text == "false" { return [] }
            return knownColumn(text, columns, at: node, what: what) ? [text] : []
        }
        return (node.sequence ?? []).filter { c in c.scalar.map { knownColumn($0, columns, at: c, what: what) } ?? false }.compactMap(\.scalar)
    }

    mutating func knownColumn(_ label: String, _ columns: [Column], at node: Located, what: String) -> Bool {
        let known = columns.map(\.label)
        if known.contains(label) { return true }
        let hint = Decoder.didYouMean(label, in: known)
        error(node, localized("\(what)：没有 '\(label)' 这一栏\(hint)；应为：\(known.joined(separator: "、"))",
                              en: "\(what): no column '\(label)'\(hint); expected one of: \(known.joined(separator: ", "))"))
        return false
    }

    /// Every term of a sum names a line of its section (or `classes`, or a reference `TT.section.row.column`),
    /// and every column of a row total a column; a key is given once.
    mutating func checkSums(_ section: SectionDefinition, item: Located, kind: TableKind, what: String, references: inout [Reference]) {
        let keys = section.lines.filter { $0.kind == .line || $0.kind == .blank }.map(\.key).filter { !$0.isEmpty }
        let lineNodes = item["lines"]?.sequence ?? []
        var seen: Set<String> = []
        for node in lineNodes {
            guard let key = node.scalar ?? node["key"]?.scalar, !key.isEmpty else { continue }
            if !seen.insert(key).inserted {
                error(node, localized("\(what).\(section.id)：'\(key)' 这一行出现了第二次；每行只能写一次",
                                      en: "\(what).\(section.id): found line '\(key)' a second time; expected each line once"))
            }
        }
        for node in lineNodes {
            guard let sum = node["sum"] else { continue }
            let terms = sum.sequence ?? (sum.mapping ?? []).flatMap { $0.value.sequence ?? [] }
            for term in terms {
                guard let text = term.scalar, text != "classes", !keys.contains(text) else { continue }
                if let cell = Forms.reference(text.replacingOccurrences(of: "{key}", with: "0")) {
                    references.append((text, cell, term.location))
                    continue
                }
                let hint = Decoder.didYouMean(text, in: keys)
                error(term, localized("sum：\(kind.formNumber) \(section.id) 没有 '\(text)' 这一行\(hint)；应为本部分的行、classes 或 表号.部分.行.栏（如 03.科目.{key}.本年支出合计）",
                                      en: "sum: \(kind.formNumber) \(section.id) has no line '\(text)'\(hint); expected a line of this section, classes, or table.section.row.column (e.g. 03.科目.{key}.本年支出合计)"))
            }
        }
        for node in item["columns"]?.sequence ?? [] {
            for term in node["sum"]?.sequence ?? [] {
                if let label = term.scalar { _ = knownColumn(label, section.columns, at: term, what: "columns.sum") }
            }
        }
    }

    /// A sum's reference to another table's cell names a section and a column of that table.
    mutating func checkReferences(_ references: [Reference], tables: [TableKind: PrintedTable]) {
        for (text, ref, location) in references {
            guard let kind = TableKind(rawValue: ref.table), let definition = tables[kind]?.definition else { continue }
            let sections = definition.sections + (definition.extended ?? [])
            guard let section = sections.first(where: { $0.id == ref.section }) else {
                let ids = sections.map(\.id)
                let hint = Decoder.didYouMean(ref.section, in: ids)
                bag.error(location, localized("sum：'\(text)' 所指的\(kind.formNumber)没有 '\(ref.section)' 这一部分\(hint)；应为：\(ids.joined(separator: "、"))",
                                              en: "sum: '\(text)': \(kind.formNumber) has no section '\(ref.section)'\(hint); expected one of: \(ids.joined(separator: ", "))"))
                continue
            }
            let labels = sections.filter { $0.id == ref.section }.flatMap { $0.columns.map(\.label) }
            if !labels.contains(ref.column) {
                let hint = Decoder.didYouMean(ref.column, in: labels)
                bag.error(location, localized("sum：'\(text)' 所指的\(kind.formNumber) \(section.id) 没有 '\(ref.column)' 这一栏\(hint)；应为：\(labels.joined(separator: "、"))",
                                              en: "sum: '\(text)': \(kind.formNumber) \(section.id) has no column '\(ref.column)'\(hint); expected one of: \(labels.joined(separator: ", "))"))
            }
        }
    }
}
