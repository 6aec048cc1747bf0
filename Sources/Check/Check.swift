import Derive
import Model
import Support

/// A broken consistency rule, with everything an auditor needs to find and judge it.
///
/// Its text comes from one catalogue (`Messages`): `message` for editors (Chinese by default,
/// English with `--lang en`), `publicText` for a published page's 数据质量提示 (always Chinese, no
/// rule ids, no advice).
public struct Finding: Hashable, Sendable, Comparable, Codable {
    public var severity: Diagnostic.Severity
    /// Where the found value was typed (or the table, for derived values).
    public var location: SourceLocation
    /// `donghu-sme/2022`
    public var disclosure: String
    /// 1…10 for the 公开 tables; 0 for attachments and prose.
    public var table: Int
    /// `公开05表`, `项目支出绩效自评表：开办费`, `情况说明`.
    public var tableName: String
    public var row: String
    public var rowName: String
    public var column: String
    /// Stable id, e.g. `t05.row-total`.
    public var rule: String
    public var expected: Amount?
    /// How the expected value is computed, as references: `03.201.基本支出 + 03.201.项目支出` (stable, for tools).
    public var computation: String
    public var found: Amount?
    /// What is not a number against a number (a wrong 增加/减少, a jump on last year), as a catalogue entry.
    public var note: Note?
    /// The computation with row names as the form prints them: `公开06表 人员经费合计 + 公用经费合计`.
    public var formula: String?
    /// The number as the text wrote it (`1,033.18万元`), for prose findings.
    public var written: String?
    /// The sentence a prose finding comes from.
    public var quote: String?
    /// The unit of expected and found: 万元, %, 分, or "" for counts.
    public var unit: String
    /// The difference may come from rounding the displayed figures (提示：可能为取整误差).
    public var maybeRounding: Bool

    /// A message of the catalogue with its arguments (`Messages.note`).
    public struct Note: Hashable, Sendable, Codable {
        public var key: String
        public var args: [String]
        public init(_ key: String, _ args: [String] = []) {
            self.key = key
            self.args = args
        }
    }

    public init(severity: Diagnostic.Severity, location: SourceLocation, disclosure: String, table: Int, tableName: String? = nil,
                row: String, rowName: String, column: String, rule: String, expected: Amount?, computation: String,
                found: Amount?, note: Note? = nil, formula: String? = nil, written: String? = nil, quote: String? = nil,
                unit: String? = nil, maybeRounding: Bool = false) {
        self.severity = severity
        self.location = location
        self.disclosure = disclosure
        self.table = table
        self.tableName = tableName ?? TableKind(rawValue: table)?.formNumber ?? ""
        self.row = row
        self.rowName = rowName
        self.column = column
        self.rule = rule
        self.expected = expected
        self.computation = computation
        self.found = found
        self.note = note
        self.formula = formula
        self.written = written
        self.quote = quote
        self.unit = unit ?? Finding.defaultUnit(rule: rule, table: table, row: row)
        self.maybeRounding = maybeRounding
    }

    static func defaultUnit(rule: String, table: Int, row: String) -> String {
        if rule.hasPrefix("perf.weights") || rule.hasPrefix("perf.score") || rule.hasPrefix("report.") { return "分" }
        if ["perf.execution-rate", "prose.share", "prose.growth"].contains(rule) { return "%" }
        return "万元"
    }

    public var difference: Amount? { found.flatMap { f in expected.map { f - $0 } } }

    /// The note in the current language (nil for a number against a number).
    public var detail: String? { note.map { Messages.note($0) } }

    /// For editors, in the current language.
    public var message: String { Messages.editor(self) }

    /// For editors, in a given language.
    public func message(in language: Language) -> String { Messages.editor(self, in: language) }

    /// For a published page: plain Chinese, which figures disagree and by how much.
    public var publicText: String { Messages.publicText(self) }

    /// Warnings that only the editor should see: never on a public page (a jump on last year, a
    /// cut export, an unexplained overrun are questions to the editor, not facts about the figures).
    public var isEditorOnly: Bool {
        severity == .info || rule.hasPrefix("yoy.") || rule.hasSuffix(".parent-missing") || rule == "t09.over-budget"
            || rule == "prose.placeholder" || rule == "prose.punctuation" || rule == "prose.old-name" || rule == "t09.reception-counts"
            || rule.hasSuffix(".line-numbers")
    }

    public var diagnostic: Diagnostic { Diagnostic(severity, at: location, "[\(rule)] \(message)") }

    public static func < (a: Finding, b: Finding) -> Bool {
        (a.disclosure, a.table, a.location, a.rule, a.row, a.column) < (b.disclosure, b.table, b.location, b.rule, b.row, b.column)
    }

    /// Error, or a note (提示：可能为取整误差) when the difference is within the rounding tail of
    /// `addends` addends.
    static func severity(found: Amount, expected: Amount, addends: Int) -> Diagnostic.Severity {
        let tail = Amount(units: Checker.tailPerAddend.units * Int64(max(1, addends)), scale: 2)
        return (found - expected).magnitude <= tail ? .info : .error
    }
}

/// Rules that tie one cell to a sum of others, beyond the formulas that derive cells.
struct CrossRule {
    var id: String
    var found: CellRef
    var expected: [CellRef]
    /// The found cell is a part of the expected sum: only more than it is a slip.
    var atMost = false
}

public enum Checker {
    /// The rounding tail allowed per addend (本套报表金额单位转换时可能存在尾数误差).
    public static let tailPerAddend = Amount(units: 100, scale: 2)

    /// Checks a completed disclosure: every entered cell that the form computes, and the cross-table rules.
    public static func check(_ d: Disclosure, department: Department?, previous: Disclosure? = nil, options: CheckOptions = CheckOptions()) -> [Finding] {
        var findings: [Finding] = tables(d, department: department)
        findings += missingParents(d)
        findings += threePublicOverBudget(d)
        findings += receptionCounts(d)
        findings += lineNumbering(d)
        findings += yearOnYear(d, previous: previous, factor: options.yearOnYearFactor, established: department?.establishedYear)
        findings += performance(d)
        findings += prose(d, previous: previous)
        findings += wording(d)
        findings += counts(d)
        // Counts (车辆数, 台套) are not 万元: the lines of 10 its form marks `count`.
        let countLines = Set(d.table(.t10).sections.flatMap { $0.rows.filter(\.isCount).map(\.key.description) })
        for i in findings.indices where findings[i].table == 10 && findings[i].unit == "万元" && countLines.contains(findings[i].row) { findings[i].unit = "" }
        return findings.sorted()
    }

    /// Rules within and across the ten tables.
    static func tables(_ d: Disclosure, department: Department?) -> [Finding] {
        var findings: [Finding] = []
        /// `at`: the compared cell; a one-to-one break with a typed cell of another table is reported there too.
        func compare(rule: String, at ref: CellRef, row: Row, column: Column, cell: Cell, expected: Amount, terms: [CellRef], fallback: SourceLocation?,
                     typed: SourceLocation? = nil) {
            guard let found = cell.value, found != expected else { return }
            let severity = Finding.severity(found: found, expected: expected, addends: terms.count)
            let finding = Finding(severity: severity, location: cell.location ?? typed ?? row.location ?? fallback ?? d.location, disclosure: d.id,
                                  table: ref.table, row: row.key.description, rowName: row.label, column: column.label, rule: rule,
                                  expected: expected, computation: describe(terms, in: d), found: found, formula: printed(terms, in: d),
                                  maybeRounding: severity == .info)
            findings.append(finding)
            if terms.count == 1, let other = mirrored(finding, at: terms[0], against: ref, in: d) { findings.append(other) }
        }

        // 1. Entered cells whose value the form derives (subtotals, row totals, fixed-line sums, cross-table lines).
        var formulas = Derive.FormulaValues(d.tables)
        for table in d.tables {
            for section in table.sections {
                for row in section.rows {
                    for (c, cell) in row.cells.enumerated() {
                        if case .blank(let at) = cell.origin, let f = cell.formula, let other = formulas.value(f), other != .zero {
                            findings.append(blankAgainst(other, formula: f, table: table, row: row, column: section.columns[c], at: at, in: d))
                        }
                        guard cell.isEntered, let f = cell.formula, let expected = formulas.value(f) else { continue }
                        let ref = CellRef(table: table.number, section: section.id, row: row.key, column: section.columns[c].label)
                        compare(rule: ruleID(table: table.number, row: row.key, formula: f), at: ref, row: row,
                                column: section.columns[c], cell: cell, expected: expected, terms: f.terms,
                                fallback: table.location)
                    }
                }
            }
        }
        // 2. Cross-table rules (docs/domain.md#cross-table-rules), when both sides carry values.
        for rule in crossRules(department: department) {
            guard let (row, column, cell) = lookup(rule.found, in: d), cell.value != nil else { continue }
            // Blank cells count as 0 as long as one of them carries a value.
            let cells = rule.expected.map { lookup($0, in: d)?.2.value }
            guard cells.contains(where: { $0 != nil }), let expected = cells.map({ $0 ?? .zero }).sum() else { continue }
            if rule.atMost {
                if let found = cell.value, found > expected { findings.append(partExceeds(rule, found: found, whole: expected, in: d)) }
                continue
            }
            // A derived total is reported where an editor typed one of the figures it disagrees with:
            // its own table's rows first, else the other side's.
            let direct = rule.expected.lazy.compactMap { lookup($0, in: d)?.2.location }.first
            let typed = cell.location == nil ? (direct ?? typedLocation(of: rule.found, in: d) ?? rule.expected.lazy.compactMap { typedLocation(of: $0, in: d) }.first) : nil
            compare(rule: rule.id, at: rule.found, row: row, column: column, cell: cell, expected: expected,
                    terms: rule.expected, fallback: d.table(TableKind(rawValue: rule.found.table)!).location, typed: typed)
        }
        return findings
    }

    /// A break between two tables seen from the other one, when an editor typed that figure too: each
    /// table that carries the break shows it (08's 合计 against 04's 国有资本经营 column, not only 04).
    static func mirrored(_ f: Finding, at other: CellRef, against ref: CellRef, in d: Disclosure) -> Finding? {
        guard f.severity == .error, other.table != ref.table, let (row, column, cell) = lookup(other, in: d), let at = cell.location,
              let value = cell.value else { return nil }
        return Finding(severity: .error, location: at, disclosure: d.id, table: other.table, row: row.key.description, rowName: row.label,
                       column: column.label, rule: f.rule, expected: f.found, computation: describe([ref], in: d), found: value,
                       formula: printed([ref], in: d))
    }

    /// A cell printed blank where another table carries a figure for it (a break between tables).
    static func blankAgainst(_ other: Amount, formula f: Formula, table: Table, row: Row, column: Column, at: SourceLocation, in d: Disclosure) -> Finding {
        let formula = printed(f.terms, in: d)
        return Finding(severity: .error, location: at, disclosure: d.id, table: table.number, row: row.key.description, rowName: row.label,
                       column: column.label, rule: ruleID(table: table.number, row: row.key, formula: f), expected: other,
                       computation: describe(f.terms, in: d), found: nil, note: Finding.Note("blank-but", [formula, other.description]), formula: formula)
    }

    /// A part larger than its whole (机关运行经费 above 06's 公用经费合计).
    static func partExceeds(_ rule: CrossRule, found: Amount, whole: Amount, in d: Disclosure) -> Finding {
        let (row, column, cell) = lookup(rule.found, in: d)!
        let at = cell.location ?? typedLocation(of: rule.found, in: d) ?? d.location
        let wholeName = printed(rule.expected, in: d)
        return Finding(severity: .error, location: at, disclosure: d.id, table: rule.found.table, row: row.key.description, rowName: row.label,
                       column: column.label, rule: rule.id, expected: whole, computation: describe(rule.expected, in: d), found: found,
                       note: Finding.Note("part-exceeds", [found.description, wholeName, whole.description]), formula: wholeName)
    }

    static func lookup(_ ref: CellRef, in d: Disclosure) -> (Row, Column, Cell)? {
        guard let kind = TableKind(rawValue: ref.table), let section = d.table(kind).section(ref.section),
              let r = section.rowIndex(ref.row), let c = section.columnIndex(ref.column) else { return nil }
        return (section.rows[r], section.columns[c], section.rows[r].cells[c])
    }

    /// Where an editor typed a cell, or the first typed cell it is summed from.
    static func typedLocation(of ref: CellRef, in d: Disclosure, depth: Int = 0) -> SourceLocation? {
        guard depth < 4, let (row, _, cell) = lookup(ref, in: d) else { return nil }
        if let l = cell.location { return l }
        if let terms = cell.formula?.terms {
            for t in terms { if let l = typedLocation(of: t, in: d, depth: depth + 1) { return l } }
        }
        return row.location
    }

    /// A cell as the form prints it: `人员经费合计`, `合计（基本支出）`, `2010399 其他…支出（本年支出合计）`, `支出总计`.
    static func printedName(_ ref: CellRef, in d: Disclosure) -> String {
        guard let kind = TableKind(rawValue: ref.table) else { return ref.description }
        let table = d.table(kind)
        let section = table.section(ref.section)
        var name: String
        switch ref.row {
        case .total:
            name = table.sections.count > 1 && ref.section != "科目" ? ref.section + "合计" : "合计"
        case .code(let c):
            let label = section.flatMap { s in s.rowIndex(ref.row).map { s.rows[$0].label } } ?? ""
            name = label.isEmpty ? c : "\(c) \(label)"
        case .line(let key):
            if key.allSatisfy(\.isNumber), let s = section, let r = s.rowIndex(ref.row) {
                name = s.rows[r].label   // a 类 line of 01 or 04: its printed label
            } else {
                name = key == "总计" && table.sections.count > 1 ? ref.section + key : key
            }
        }
        if let section, section.columns.count > 1 { name += "（\(ref.column)）" }
        return name
    }

    /// `公开06表 人员经费合计 + 公用经费合计`: terms in the form's words, the table named once per run.
    static func printed(_ terms: [CellRef], in d: Disclosure) -> String {
        let form = terms.first.flatMap { TableKind(rawValue: $0.table)?.formNumber } ?? ""
        // Parts of one row (基本支出 + 项目支出 …): the row once, then its columns.
        if terms.count > 1, let first = terms.first, terms.allSatisfy({ $0.table == first.table && $0.section == first.section && $0.row == first.row }) {
            var row = printedName(first, in: d)
            if let r = row.range(of: "（\(first.column)）") { row.removeSubrange(r) }
            return "\(form) \(row)：" + terms.map(\.column).joined(separator: " + ")
        }
        // Rows of one column (a subtotal): the column once, then the rows.
        if terms.count > 1, let first = terms.first, terms.allSatisfy({ $0.table == first.table && $0.section == first.section && $0.column == first.column }),
           let section = d.table(TableKind(rawValue: first.table) ?? .t01).section(first.section), section.columns.count > 1 {
            let rows = terms.map { t -> String in
                var name = printedName(t, in: d)
                if let r = name.range(of: "（\(t.column)）") { name.removeSubrange(r) }
                return name
            }
            let list = rows.count > 6 ? rows.prefix(2).joined(separator: " + ") + " + … + " + rows.last! + "（\(rows.count)项之和）" : rows.joined(separator: " + ")
            return "\(form) \(first.column)：" + list
        }
        var parts: [String] = []
        var lastTable = -1
        for t in terms {
            let name = printedName(t, in: d)
            parts.append(t.table == lastTable ? name : "\(TableKind(rawValue: t.table)?.formNumber ?? TableKind.code(t.table)) \(name)")
            lastTable = t.table
        }
        guard parts.count > 6 else { return parts.joined(separator: " + ") }
        return parts.prefix(2).joined(separator: " + ") + " + … + " + parts.last! + "（\(parts.count)项之和）"
    }

    /// `a + b + c`, or for long sums `a + b + … + z (26 cells)`. A 合计 of a table with several
    /// sections names its section (`06.人员经费合计.决算数`, as a data reference would), so two
    /// totals never read the same.
    static func describe(_ terms: [CellRef], in d: Disclosure? = nil) -> String {
        let names = terms.map { t -> String in
            if t.row == .total, t.section != "科目", let kind = TableKind(rawValue: t.table), let d, d.table(kind).sections.count > 1 {
                return "\(TableKind.code(t.table)).\(t.section)合计.\(t.column)"
            }
            return t.description
        }
        guard names.count > 6 else { return names.joined(separator: " + ") }
        return names.prefix(2).joined(separator: " + ") + " + … + " + names.last! + "（\(names.count)项之和）"
    }

    static func ruleID(table: Int, row: RowKey, formula: Formula) -> String {
        let t = "t" + TableKind.code(table)
        let others = Set(formula.terms.map(\.table)).subtracting([table])
        if let other = others.min() { return "\(t).from-t\(TableKind.code(other))" }
        if formula.terms.allSatisfy({ $0.row == row }) { return "\(t).row-total" }
        if case .line(let key) = row { return "\(t).line.\(key)" }
        return "\(t).subtotal"
    }

    static func crossRules(department: Department?) -> [CrossRule] {
        func ref(_ t: Int, _ s: String, _ row: RowKey, _ c: String) -> CellRef { CellRef(table: t, section: s, row: row, column: c) }
        var rules = [
            CrossRule(id: "t02.total-vs-t01", found: ref(2, "科目", .total, "本年收入合计"), expected: [ref(1, "收入", .line("本年收入合计"), "决算数")]),
            CrossRule(id: "t03.total-vs-t01", found: ref(3, "科目", .total, "本年支出合计"), expected: [ref(1, "支出", .line("本年支出合计"), "决算数")]),
            CrossRule(id: "t02.fiscal-vs-t01", found: ref(2, "科目", .total, "财政拨款收入"), expected: ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入"].map { ref(1, "收入", .line($0), "决算数") }),
            CrossRule(id: "t04.income-vs-t02", found: ref(4, "收入", .line("本年收入合计"), "金额"), expected: [ref(2, "科目", .total, "财政拨款收入")]),
            CrossRule(id: "t04.general-vs-t05", found: ref(4, "支出", .line("本年支出合计"), "一般公共预算财政拨款"), expected: [ref(5, "科目", .total, "本年支出合计")]),
            CrossRule(id: "t04.fund-vs-t07", found: ref(4, "支出", .line("本年支出合计"), "政府性基金预算财政拨款"), expected: [ref(7, "科目", .total, "本年支出合计")]),
            CrossRule(id: "t04.capital-vs-t08", found: ref(4, "支出", .line("本年支出合计"), "国有资本经营预算财政拨款"), expected: [ref(8, "科目", .total, "本年支出合计")]),
            CrossRule(id: "t06.basic-vs-t05", found: ref(5, "科目", .total, "基本支出"), expected: [ref(6, "人员经费", .total, "决算数"), ref(6, "公用经费", .total, "决算数")]),
            CrossRule(id: "t01.balance", found: ref(1, "支出", .line("总计"), "决算数"), expected: [ref(1, "收入", .line("总计"), "决算数")]),
            CrossRule(id: "t04.balance", found: ref(4, "支出", .line("总计"), "合计"), expected: [ref(4, "收入", .line("总计"), "金额")]),
            // 06 is the 一般公共预算 基本支出 only; 09 covers all 财政拨款, 基本 and 项目: a part of it.
            CrossRule(id: "t06.reception-over-t09", found: ref(6, "公用经费", .code("30217"), "决算数"),
                      expected: [ref(9, "经费", .line("公务接待费"), "决算数")], atMost: true),
            CrossRule(id: "t06.vehicles-over-t09", found: ref(6, "公用经费", .code("30231"), "决算数"),
                      expected: [ref(9, "经费", .line("公务用车运行维护费"), "决算数")], atMost: true),
        ]
        if let kind = department?.kind, kind == "行政单位" || kind == "参公事业单位" {
            let line = kind == "行政单位" ? "机关运行经费（行政单位）" : "机关运行经费（参照公务员法管理事业单位）"
            // 机关运行经费 are the 日常公用经费 of the 行政 (参公) units only: a part of 06's 公用经费合计,
            // which also holds 资本性支出 and the 公用经费 of a department's 事业单位.
            rules.append(CrossRule(id: "t10.running-over-t06", found: ref(10, "统计数", .line(line), "统计数"), expected: [ref(6, "公用经费", .total, "决算数")],
                                   atMost: true))
        }
        return rules
    }
}
