import Model

/// Rules on what a document prints besides its sums: the 行次 numbering of its form, and the
/// counts a 三公 table owes its amounts.
extension Checker {
    /// 行次 as the form prints them, in the order of the table's lines: a number skipped, printed
    /// twice or out of order. Lines without a 行次 (headings, lines the form prints without one) are
    /// passed over, and so is a jump to a 合计 or 总计 line: the two sides of 01 and 04 print their
    /// totals on the same lines, so the shorter side's numbers jump there (8 → 27 本年收入合计).
    static func lineNumbering(_ d: Disclosure) -> [Finding] {
        var out: [Finding] = []
        for table in d.tables where table.printed?.lineNumbers ?? true {
            let rows = table.sections.flatMap(\.rows).filter { !$0.isPlaceholder && !(table.printed?.lines[$0.key.description]?.hidden ?? false) }
            var last: Row?
            for row in rows {
                guard let n = row.lineNumber else { continue }
                defer { last = row }
                guard let before = last, let m = before.lineNumber, n != m + 1 else { continue }
                if n > m, row.key.description.contains("合计") || row.key.description.contains("总计") { continue }
                let key = n == m ? "line-repeated" : n > m ? "line-skipped" : "line-order"
                out.append(Finding(severity: .warning, location: table.location ?? d.location, disclosure: d.id, table: table.number,
                                   row: row.key.description, rowName: row.label, column: "行次", rule: "t\(table.kind.code).line-numbers",
                                   expected: nil, computation: "", found: nil, note: Finding.Note(key, [before.label, String(m), row.label, String(n)])))
            }
        }
        return out
    }

    /// 09: 国内接待费 spent with no 国内公务接待批次 or 人次 (both are owed when there is reception spending).
    static func receptionCounts(_ d: Disclosure) -> [Finding] {
        let table = d.table(.t09)
        guard let money = table.section("经费"), let counts = table.section("统计数"), let a = money.columnIndex("决算数"),
              let c = counts.columnIndex("决算数"), let r = money.rowIndex(.line("国内接待费")),
              let spent = money.rows[r].cells[a].value, spent > .zero else { return [] }
        var out: [Finding] = []
        for line in ["国内公务接待批次", "国内公务接待人次"] {
            guard let i = counts.rowIndex(.line(line)) else { continue }
            let cell = counts.rows[i].cells[c]
            guard cell.origin != .notApplicable, (cell.value ?? .zero) == .zero else { continue }
            out.append(Finding(severity: .warning, location: cell.location ?? counts.rows[i].location ?? table.location ?? d.location, disclosure: d.id,
                               table: 9, row: line, rowName: counts.rows[i].label, column: "决算数", rule: "t09.reception-counts", expected: nil,
                               computation: "", found: cell.value, note: Finding.Note("reception-counts", [spent.description, line])))
        }
        return out
    }
}
