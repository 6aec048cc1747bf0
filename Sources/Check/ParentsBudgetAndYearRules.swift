import Derive
import Model

/// Settings of the checks (site.yaml `checks:`).
public struct CheckOptions: Sendable {
    /// A figure that moved by more than this factor on last year is flagged as a likely typo.
    public var yearOnYearFactor: Int
    public init(yearOnYearFactor: Int = 10) { self.yearOnYearFactor = yearOnYearFactor }
}

extension Checker {
    /// Entered 项/款 rows whose parent row was not entered, in a table where some parents were (export style).
    static func missingParents(_ d: Disclosure) -> [Finding] {
        var out: [Finding] = []
        for table in d.tables where table.kind.classification != nil {
            for section in table.sections {
                let detail = section.classification == .economic ? 5 : 7
                let enteredParents = Set(section.rows.filter { $0.location != nil && ($0.code?.count ?? detail) < detail }.compactMap(\.code))
                guard !enteredParents.isEmpty else { continue }
                for row in section.rows {
                    guard let code = row.code, code.count > 3, let at = row.location else { continue }
                    let parent = String(code.prefix(code.count - 2))
                    if !enteredParents.contains(parent) {
                        out.append(Finding(severity: .warning, location: at, disclosure: d.id, table: table.number, row: code, rowName: row.label,
                                           column: "", rule: "t\(table.kind.code).parent-missing", expected: nil, computation: "", found: nil,
                                           note: Finding.Note("parent-missing", [parent, code])))
                    }
                }
            }
        }
        return out
    }

    /// 09: 决算数 above the budget needs a word in 情况说明.
    static func threePublicOverBudget(_ d: Disclosure) -> [Finding] {
        let table = d.table(.t09)
        guard let section = table.section("经费") else { return [] }
        let budget = d.form >= 2023 ? "预算数" : "全年预算数"
        guard let b = section.columnIndex(budget), let a = section.columnIndex("决算数") else { return [] }
        let prose = d.explanation?.text ?? ""
        var out: [Finding] = []
        for row in section.rows where row.level > 0 {   // the items; their total follows from them
            guard let planned = row.cells[b].value, let actual = row.cells[a].value, actual > planned else { continue }
            let name = row.key.description
            let explained = prose.contains(name) && (prose.contains("超") || prose.contains("原因"))
            if explained { continue }
            out.append(Finding(severity: .warning, location: row.cells[a].location ?? row.location ?? table.location ?? d.location, disclosure: d.id,
                               table: 9, row: name, rowName: "", column: "决算数", rule: "t09.over-budget", expected: planned,
                               computation: "09.\(name).\(budget)", found: actual,
                               note: Finding.Note("t09.over-budget", [actual.description, budget, planned.description]), formula: "公开09表 \(name)（\(budget)）"))
        }
        return out
    }

    /// A headline figure that changed sign or moved by more than `factor` on last year: a likely typo.
    /// None for a unit in its first year, nor in the year after it (last year's accounts cover part
    /// of a year: department.yaml `established`).
    static func yearOnYear(_ d: Disclosure, previous: Disclosure?, factor: Int, established: Int? = nil) -> [Finding] {
        guard let previous, factor > 1 else { return [] }
        if let established, established >= previous.year { return [] }
        let now = Headline(d), before = Headline(previous)
        var out: [Finding] = []
        for figure in Headline.figures {
            guard let a = now[figure.key], let b = before[figure.key], let path = figure.path(form: d.form) else { continue }
            let k = Amount(integer: factor)
            let jumped = !b.isZero && !a.isZero && (a.magnitude.units / max(1, b.magnitude.units) >= Int64(factor) || b.magnitude.units / max(1, a.magnitude.units) >= Int64(factor))
            let flipped = (a.isNegative != b.isNegative) && !a.isZero && !b.isZero
            guard jumped || flipped else { continue }
            var at = d.location
            if case .success(let (_, _, cell)) = FigureBook.locate(path, in: d), let l = cell.location { at = l }
            out.append(Finding(severity: .warning, location: at, disclosure: d.id, table: path.table, row: path.row, rowName: figure.label,
                               column: path.column ?? "", rule: "yoy.\(flipped ? "sign" : "jump")", expected: b, computation: "\(previous.year)年 \(path)",
                               found: a, note: flipped ? Finding.Note("yoy.sign", [figure.label, "\(previous.year)", b.description, a.description])
                                                       : Finding.Note("yoy.jump", [figure.label, "\(previous.year)", b.description, a.description, k.formatted(decimals: 0)]),
                               formula: "\(previous.year)年 \(path)"))
        }
        return out
    }
}
