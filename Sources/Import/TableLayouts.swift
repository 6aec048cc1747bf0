import Model
import Support

/// The layouts a `TableReader` reads besides classified and fixed-line tables: the wide 2023 三公
/// table, and sitegen's own CSV downloads.
extension TableReader {
    // MARK: 09 of 2023: one wide row, 预算数 then 决算数

    static let wideLines = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]

    mutating func wideThreePublic() {
        let groups = ["预算数", "决算数"]
        let targets = groups.flatMap { g in Self.wideLines.map { "\($0)|\(g)" } }
        let specs = groups.flatMap { g in Self.wideLines.map { l in ColumnSpec("\(l)|\(g)", [g + l, l + g]) } }
        let layout = HeaderLayout.read(sheet, kind: kind, specs: specs, words: Set(Self.wideLines.map(Text.core) + ["小计"]))
        let data = dataRows(layout)
        describe(layout, targets: targets, rows: data, single: true)
        skipHeader(layout)
        guard layout.roles.contains(where: { if case .amount = $0 { return true }; return false }) else { noAmountColumns(layout, targets: targets); return }
        var done = false
        for row in sheet.rows.dropFirst(layout.dataStart) {
            if Self.isEmpty(row.cells) { report.skip(row.number, Self.emptyRow); continue }
            if row.cells.contains(where: { Self.isNote($0.text) }) { report.skip(row.number, Self.noteRow); continue }
            if done { report.drop(row.number, localized("数据行之后的行：本表只有一行数据", en: "a row after the data row (this table has one)")); continue }
            for target in targets {
                guard let col = layout.columns(target).first else { continue }
                let parts = target.split(separator: "|").map(String.init)
                guard let r = table.sections[0].rowIndex(.line(parts[0])), let c = table.sections[0].columnIndex(parts[1]) else { continue }
                if case .value(let text, _) = amount(Self.cell(row.cells, col), count: false, row: row.number, column: "\(parts[0]) \(parts[1])", at: col) {
                    set(0, r, c, text, row: row.number)
                }
            }
            report.rows += 1
            done = true
        }
    }

    // MARK: sitegen's own per-table CSV (部分, 科目编码, 项目, 行次, columns…)

    mutating func sitegenCSV() {
        guard let header = sheet.rows.first?.cells.map({ $0.text.trimmingSpaces() }) else { return }
        if kind == .t08 && header.contains("年初结转和结余") { table = Forms.skeleton(kind, form: form, classes: catalog.classes, extended: true) }
        let names = lineNames()
        var known = Set(["部分", "科目编码", "项目", "行次"])
        for s in table.sections { for c in s.columns { known.insert(c.label) } }
        for (i, h) in header.enumerated() where !h.isEmpty {
            if known.contains(h) { if !["部分", "科目编码", "项目", "行次"].contains(h) { report.columns.append("\(HeaderLayout.letter(i)) \(h)") } } else {
                let filled = sheet.rows.dropFirst().filter { !Text.isBlank(Self.cell($0.cells, i).text) }.map(\.number)
                if !filled.isEmpty { report.unread.append(localized("\(HeaderLayout.letter(i)) 列「\(h)」：不认识的表头，第 \(TableReport.ranges(filled, separator: "、")) 行有内容，未读取",
                                                                    en: "column \(HeaderLayout.letter(i)) '\(h)': header not recognised: \(filled.count == 1 ? "row" : "rows") \(TableReport.ranges(filled)) \(filled.count == 1 ? "holds" : "hold") content, not read")) }
            }
        }
        var seen: Set<String> = []
        var used: Set<[Int]> = []
        for row in sheet.rows.dropFirst() {
            let text = row.cells.map { c -> String in
                let t = c.text.trimmingSpaces()
                return t.hasPrefix("'") && t.dropFirst().first.map({ "=+-@\t\r".contains($0) }) == true ? String(t.dropFirst()) : t
            }
            if text.allSatisfy(\.isEmpty) { continue }
            let part = text.first ?? "", code = text.count > 1 ? text[1] : "", label = text.count > 2 ? text[2] : ""
            let lineNumber = text.count > 3 ? Text.integer(text[3]) : nil
            func value(_ column: String) -> Sheet.Cell {
                guard let i = header.firstIndex(of: column), i < text.count else { return Sheet.Cell("") }
                return Sheet.Cell(text[i])
            }
            var s: Int, r: Int
            if kind.classification != nil {
                let key: RowKey
                if !code.isEmpty {
                    guard let known = catalog.name(code, in: kind.classification!) else { report.drop(row.number, localized("未知的编码 \(code)：不在 \(catalog.year) 年的科目目录中", en: "unknown code \(code) (not in the \(catalog.year) catalogue)")); continue }
                    key = .code(code)
                    s = table.sectionIndex(forCode: code)!
                    table.sections[s].rows.append(Row(key: key, label: known, level: [3: 1, 5: 2, 7: 3][code.count] ?? 3,
                                                      cells: Array(repeating: Cell(), count: table.sections[s].columns.count)))
                } else if kind != .t06 && Text.norm(label) == "合计" {
                    key = .total
                    s = 0
                    table.sections[0].rows.append(Row(key: .total, label: "合计", level: 0, cells: Array(repeating: Cell(), count: table.sections[0].columns.count)))
                } else {
                    if kind == .t06 { report.skip(row.number, localized("\(label)：由 sitegen 计算", en: "\(label): derived by sitegen")) } else {
                        report.drop(row.number, localized("没有科目编码：'\(label)'", en: "no 科目编码 ('\(label)')"))
                    }
                    continue
                }
                if !seen.insert(part + key.description).inserted {
                    table.sections[s].rows.removeLast()
                    report.drop(row.number, localized("\(key) 第二次出现", en: "\(key) a second time"))
                    continue
                }
                r = table.sections[s].rows.count - 1
            } else {
                guard let hit = line(label.isEmpty ? code : label, lineNumber: lineNumber, section: table.sections.firstIndex { $0.id == part },
                                     names: names, used: used) else {
                    report.drop(row.number, localized("未知的行 '\(label)'", en: "unknown line '\(label)'"))
                    continue
                }
                (s, r) = hit
                used.insert([s, r])
            }
            var values = 0
            for (c, column) in table.sections[s].columns.enumerated() where table.sections[s].rows[r].cells[c].origin != .notApplicable {
                let rowKey = table.sections[s].rows[r].key.description
                let count = table.sections[s].isCount(table.sections[s].rows[r], c)
                if case .value(let t, _) = amount(value(column.label), count: count, row: row.number, column: "\(rowKey) \(column.label)") {
                    set(s, r, c, t, row: row.number)
                    values += 1
                }
            }
            if kind.classification != nil || values > 0 { report.rows += 1 } else { report.skip(row.number, localized("没有金额的行", en: "line without amounts")) }
        }
    }
}
