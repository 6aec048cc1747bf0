import Model

/// Lays a logical table out as its form prints it: the national layout of its kind (2022 or 2023),
/// with the header rows of its form file when it gives them, and without the lines its document
/// does not print.
public enum TableLayout {
    public static func grid(_ table: Table) -> Grid {
        var printed = table
        for s in printed.sections.indices where printed.sections[s].rows.contains(where: \.isHidden) {
            printed.sections[s].rows.removeAll(where: \.isHidden)
        }
        let grid = national(printed)
        guard let header = table.printed?.header else { return grid }
        return Grid(head: header.map { row in GridRow(row.map { GridCell.col($0.text, colspan: $0.colspan, rowspan: $0.rowspan) }) },
                    body: grid.body)
    }

    static func national(_ table: Table) -> Grid {
        switch table.kind {
        case .t01, .t04: return twoSided(table)
        case .t06: return economicBlocks(table, blocks: table.form >= 2023 ? 4 : 2)
        case .t09 where table.form >= 2023: return wideThreePublic(table)
        case .t09, .t10: return lines(table)
        default: return classified(table)
        }
    }

    static func isCount(_ table: Table, _ section: Section, _ row: Row, _ c: Int) -> Bool {
        section.columns[c].isCount || (table.kind == .t10 && Forms.isCountLine(row.key.description))
    }

    static func valueCells(_ table: Table, _ section: Section, _ row: Row) -> [GridCell] {
        if row.isPlaceholder { return row.cells.map { _ in GridCell("", cls: "num") } }
        return row.cells.indices.map { .number(Format.cell(row.cells[$0], isCount: isCount(table, section, row, $0))) }
    }

    static func rowClass(_ row: Row) -> String { row.level == 0 ? "total" : "level-\(row.level)" }

    /// 02, 03, 05, 07, 08: 科目编码 | 科目名称 | amounts, with grouped headers and 栏次.
    static func classified(_ table: Table) -> Grid {
        let section = table.sections[0]
        let cols = section.columns
        let grouped = cols.contains { $0.group != nil }
        var top: [GridCell] = [.col("科目编码", rowspan: grouped ? 2 : 1), .col("科目名称", rowspan: grouped ? 2 : 1)]
        var second: [GridCell] = []
        var i = 0
        while i < cols.count {
            if let g = cols[i].group {
                var j = i
                while j < cols.count && cols[j].group == g { second.append(.col(cols[j].label)); j += 1 }
                top.append(.col(g, colspan: j - i))
                i = j
            } else {
                top.append(.col(cols[i].label, rowspan: grouped ? 2 : 1))
                i += 1
            }
        }
        var head = [GridRow(top)]
        if grouped { head.append(GridRow(second)) }
        head.append(GridRow([.rowHeader("栏次", colspan: 2)] + cols.map { GridCell($0.number.map(String.init) ?? "", cls: "num lanci") }, cls: "lanci"))
        let body = section.rows.map { row in
            GridRow([GridCell(row.code ?? "", cls: "code"), .rowHeader(row.label, cls: "name")] + valueCells(table, section, row), cls: rowClass(row))
        }
        return Grid(head: head, body: body)
    }

    /// 01 and 04: 收入 on the left, 支出 on the right, line by line with 行次.
    static func twoSided(_ table: Table) -> Grid {
        let left = table.sections[0], right = table.sections[1]
        let rightTitle = "项目（按功能分类）"
        var head = [GridRow([.col("收入", colspan: 2 + left.columns.count), .col("支出", colspan: 2 + right.columns.count)])]
        head.append(GridRow([.col("项目"), .col("行次")] + left.columns.map { .col($0.label) } +
                            [.col(rightTitle), .col("行次")] + right.columns.map { .col($0.label) }))
        head.append(GridRow([.rowHeader("栏次"), GridCell("")] + left.columns.map { GridCell($0.number.map(String.init) ?? "", cls: "num lanci") } +
                            [GridCell("栏次", cls: "lanci"), GridCell("")] + right.columns.map { GridCell($0.number.map(String.init) ?? "", cls: "num lanci") }, cls: "lanci"))
        func side(_ section: Section, _ i: Int, header: Bool) -> [GridCell] {
            guard i < section.rows.count else { return Array(repeating: GridCell(""), count: 2 + section.columns.count) }
            let row = section.rows[i]
            let label: GridCell = header ? .rowHeader(row.label, cls: "name \(rowClass(row))") : GridCell(row.label, cls: "name \(rowClass(row))")
            let values = row.isPlaceholder ? section.columns.map { _ in GridCell("", cls: "num") } : valueCells(table, section, row)
            return [label, GridCell(row.lineNumber.map(String.init) ?? "", cls: "lineno")] + values
        }
        let body = (0..<max(left.rows.count, right.rows.count)).map { i in
            GridRow(side(left, i, header: true) + side(right, i, header: false))
        }
        return Grid(head: head, body: body)
    }

    /// 06: 人员经费 and 公用经费 blocks side by side (2 blocks in 2022, 4 in 2023), totals on the last line.
    static func economicBlocks(_ table: Table, blocks: Int) -> Grid {
        let perGroup = blocks / 2
        var columns: [(title: String, rows: [Row])] = []
        var totals: [(String, String)] = []
        for section in table.sections {
            let details = section.rows.filter { $0.key != .total }
            let size = max(1, (details.count + perGroup - 1) / perGroup)
            for b in 0..<perGroup {
                let slice = Array(details.dropFirst(b * size).prefix(size))
                columns.append((section.id, slice))
            }
            let total = section.rows.first { $0.key == .total }
            totals.append((section.id + "合计", Format.amount(total?.cells.first?.value)))
        }
        var head = [GridRow(table.sections.map { .col($0.id, colspan: 3 * perGroup) })]
        head.append(GridRow(columns.flatMap { _ in [GridCell.col("科目编码"), .col("科目名称"), .col("决算数")] }))
        let height = columns.map(\.rows.count).max() ?? 0
        var body: [GridRow] = (0..<height).map { i in
            GridRow(columns.flatMap { block -> [GridCell] in
                guard i < block.rows.count else { return [GridCell(""), GridCell(""), GridCell("", cls: "num")] }
                let row = block.rows[i]
                return [GridCell(row.code ?? "", cls: "code"), GridCell(row.label, cls: "name \(rowClass(row))"),
                        .number(Format.cell(row.cells[0], isCount: false))]
            })
        }
        body.append(GridRow(totals.flatMap { label, value in
            [.rowHeader(label, colspan: 3 * perGroup - 1), .number(value)]
        }, cls: "total"))
        return Grid(head: head, body: body)
    }

    /// 09 (2022) and 10: 项目 | 行次 | columns.
    static func lines(_ table: Table) -> Grid {
        let columns = table.sections[0].columns
        var head = [GridRow([.col("项目"), .col("行次")] + columns.map { .col($0.label) })]
        head.append(GridRow([.rowHeader("栏次"), GridCell("")] + columns.map { GridCell($0.number.map(String.init) ?? "", cls: "num lanci") }, cls: "lanci"))
        var body: [GridRow] = []
        for section in table.sections {
            for row in section.rows {
                body.append(GridRow([.rowHeader(row.label, cls: "name \(rowClass(row))"), GridCell(row.lineNumber.map(String.init) ?? "", cls: "lineno")]
                                    + valueCells(table, section, row), cls: rowClass(row)))
            }
        }
        return Grid(head: head, body: body)
    }

    /// 09 (2023): one wide row — 预算数 (合计, 出国, 车小计, 购置, 运行, 接待) then 决算数 (the same six).
    static func wideThreePublic(_ table: Table) -> Grid {
        let section = table.sections[0]
        var top: [GridCell] = []
        var middle: [GridCell] = []
        var bottom: [GridCell] = []
        for column in section.columns {
            top.append(.col(column.label, colspan: 6))
            middle += [.col("合计", rowspan: 2), .col("因公出国（境）费", rowspan: 2), .col("公务用车购置及运行维护费", colspan: 3), .col("公务接待费", rowspan: 2)]
            bottom += [.col("小计"), .col("公务用车购置费"), .col("公务用车运行维护费")]
        }
        let numbers = GridRow((1...(6 * section.columns.count)).map { GridCell(String($0), cls: "num lanci") }, cls: "lanci")
        let values = section.columns.indices.flatMap { c in section.rows.map { GridCell.number(Format.cell($0.cells[c], isCount: false)) } }
        return Grid(head: [GridRow(top), GridRow(middle), GridRow(bottom), numbers], body: [GridRow(values)])
    }
}
