import Model

/// Lays a logical table out as its form prints it: the national layout of its kind (2022 or 2023),
/// with the header rows of its form file when it gives them, and without the lines its document
/// does not print.
public enum TableLayout {
    public static func grid(_ table: Table) -> Grid {
        let printed = printable(table)
        let form = table.printed ?? PrintedTable(number: table.kind.formNumber)
        let grid = layout(printed, form)
        guard let header = form.header else { return grid }
        return Grid(head: header.map { row in GridRow(row.map { GridCell.col($0.text, colspan: $0.colspan, rowspan: $0.rowspan) }) },
                    body: grid.body)
    }

    /// The table without the lines its document does not print.
    static func printable(_ table: Table) -> Table {
        var printed = table
        for s in printed.sections.indices where printed.sections[s].rows.contains(where: \.isHidden) {
            printed.sections[s].rows.removeAll(where: \.isHidden)
        }
        return printed
    }

    /// How a table prints: the layouts below.
    enum Shape: Equatable { case lines, wide(byItem: Bool), twoSided, blocks, classified }

    static func shape(_ table: Table, _ form: PrintedTable) -> Shape {
        switch (form.layout, table.kind) {
        case (.lines?, _): return .lines
        case (.wide?, .t09): return .wide(byItem: false)
        case (nil, .t09) where table.form >= 2023: return .wide(byItem: false)
        case (.wideByItem?, .t09): return .wide(byItem: true)
        case (_, .t01), (_, .t04): return .twoSided
        case (_, .t06): return .blocks
        case (_, .t09), (_, .t10): return .lines
        default: return .classified
        }
    }

    static func layout(_ table: Table, _ form: PrintedTable) -> Grid {
        switch shape(table, form) {
        case .lines: return lines(table, form)
        case .wide(let byItem): return wideThreePublic(table, form, byItem: byItem)
        case .twoSided: return twoSided(table, form)
        case .blocks: return economicBlocks(table, form, blocks: form.blocks ?? (table.form >= 2023 ? [1, 3] : [1, 1]))
        case .classified: return classified(table, form)
        }
    }

    /// The ids of a printed table's lines, by section and row (nil: none), unique on the page: its id
    /// and the line's 科目编码 (`t03-2010101`, `t06-30201`) or, in a table of lines, its position
    /// (`t10-3`); the one row of the wide 09 is `t09-1`. Search results link to them (`SearchIndex`).
    static func anchors(_ table: Table, _ shape: Shape) -> [[String?]] {
        let prefix = "t\(table.kind.code)-"
        switch shape {
        case .twoSided, .wide: return table.sections.map { $0.rows.map { _ in nil } }
        case .lines:
            var n = 0
            return table.sections.map { $0.rows.map { _ in n += 1; return prefix + String(n) } }
        case .blocks, .classified:
            var seen: Set<String> = []
            return table.sections.map { $0.rows.map { row in
                guard let code = row.code, !code.isEmpty, seen.insert(code).inserted else { return nil }
                return prefix + code
            } }
        }
    }

    /// The 三公 items the wide 09 prints as columns.
    static let threePublicItems = ["因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]

    static func valueCells(_ table: Table, _ section: Section, _ row: Row) -> [GridCell] {
        if row.isPlaceholder { return row.cells.map { _ in GridCell("", cls: "num") } }
        let decimals = table.printed?.minimumDecimals ?? 2
        return row.cells.indices.map { .number(Format.cell(row.cells[$0], isCount: section.isCount(row, $0), minimumDecimals: decimals)) }
    }

    static func rowClass(_ row: Row) -> String { row.level == 0 ? "total" : "level-\(row.level)" }

    /// A line whose amounts are all zero or blank (never a total or a heading): its row gets the class
    /// `zero`, which a reader may hide (the page shows every row without scripts).
    static func isZero(_ row: Row) -> Bool {
        row.level > 0 && !row.isPlaceholder && !row.cells.isEmpty && row.cells.allSatisfy { $0.value?.isZero ?? true }
    }

    /// `rowClass`, and `zero` for a line of zeros.
    static func rowClasses(_ row: Row) -> String { rowClass(row) + (isZero(row) ? " zero" : "") }

    /// The 栏次 numbers of columns.
    static func numbers(_ columns: [Column]) -> [GridCell] { columns.map { GridCell($0.number.map(String.init) ?? "", cls: "num lanci") } }

    /// 02, 03, 05, 07, 08: 科目编码 | 科目名称 | amounts, with grouped headers and 栏次.
    static func classified(_ table: Table, _ form: PrintedTable) -> Grid {
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
        if form.columnNumbers { head.append(GridRow([.rowHeader("栏次", colspan: 2)] + numbers(cols), cls: "lanci")) }
        var rows = Array(zip(section.rows, anchors(table, .classified)[0]))
        if form.totalLast, let t = rows.firstIndex(where: { $0.0.key == .total }) { rows.append(rows.remove(at: t)) }
        // A table without figures: its 合计 row, blank, when its document prints one.
        if rows.isEmpty && form.emptyTotal {
            rows = [(Row(key: .total, label: RowKey.total.description, level: 0, cells: cols.map { _ in Cell() }), nil)]
        }
        let body = rows.map { row, anchor in
            let (code, name) = row.key == .total && form.totalInCodeColumn ? (row.label, "") : (row.code ?? "", row.label)
            return GridRow([GridCell(code, cls: "code"), .rowHeader(name, cls: "name", anchor: anchor)] + valueCells(table, section, row),
                           cls: rowClasses(row))
        }
        return Grid(head: head, body: body)
    }

    /// 01 and 04: 收入 on the left, 支出 on the right, line by line with 行次.
    static func twoSided(_ table: Table, _ form: PrintedTable) -> Grid {
        let left = table.sections[0], right = table.sections[1]
        let rightTitle = "项目（按功能分类）"
        let no = form.lineNumbers ? 1 : 0
        var head = [GridRow([.col("收入", colspan: 1 + no + left.columns.count), .col("支出", colspan: 1 + no + right.columns.count)])]
        let lineNo: [GridCell] = form.lineNumbers ? [.col("行次")] : []
        head.append(GridRow([.col("项目")] + lineNo + left.columns.map { .col($0.label) } + [.col(rightTitle)] + lineNo + right.columns.map { .col($0.label) }))
        if form.columnNumbers {
            let blank: [GridCell] = form.lineNumbers ? [GridCell("")] : []
            head.append(GridRow([.rowHeader("栏次")] + blank + numbers(left.columns) + [GridCell("栏次", cls: "lanci")] + blank + numbers(right.columns),
                                cls: "lanci"))
        }
        func side(_ section: Section, _ i: Int, header: Bool) -> [GridCell] {
            guard i < section.rows.count else { return Array(repeating: GridCell(""), count: 1 + no + section.columns.count) }
            let row = section.rows[i]
            let label: GridCell = header ? .rowHeader(row.label, cls: "name \(rowClass(row))") : GridCell(row.label, cls: "name \(rowClass(row))")
            let number: [GridCell] = form.lineNumbers ? [GridCell(row.lineNumber.map(String.init) ?? "", cls: "lineno")] : []
            return [label] + number + valueCells(table, section, row)
        }
        let body = (0..<max(left.rows.count, right.rows.count)).map { i in
            let zero = [left, right].allSatisfy { i >= $0.rows.count || isZero($0.rows[i]) }
            return GridRow(side(left, i, header: true) + side(right, i, header: false), cls: zero ? "zero" : nil)
        }
        return Grid(head: head, body: body)
    }

    /// 01 and 04 for narrow screens: 收入 and 支出 each as a table of its own, in that order (a page
    /// shows them instead of the side-by-side table below ~700 px; print keeps the national layout).
    /// Empty for every other table and for a form that prints its own header rows.
    public static func halves(_ table: Table) -> [(side: String, grid: Grid)] {
        let printed = printable(table)
        let form = table.printed ?? PrintedTable(number: table.kind.formNumber)
        guard shape(printed, form) == .twoSided, form.header == nil, printed.sections.count == 2 else { return [] }
        return [("收入", half(printed, form, printed.sections[0], title: "项目")),
                ("支出", half(printed, form, printed.sections[1], title: "项目（按功能分类）"))]
    }

    /// One side of 01 or 04: 项目 | 行次 | columns, with 栏次; without the blank lines that align
    /// the two sides on paper.
    static func half(_ table: Table, _ form: PrintedTable, _ section: Section, title: String) -> Grid {
        let lineNo: [GridCell] = form.lineNumbers ? [.col("行次")] : []
        var head = [GridRow([.col(title)] + lineNo + section.columns.map { .col($0.label) })]
        if form.columnNumbers {
            head.append(GridRow([.rowHeader("栏次")] + (form.lineNumbers ? [GridCell("")] : []) + numbers(section.columns), cls: "lanci"))
        }
        let body = section.rows.filter { !($0.isPlaceholder && $0.label.isEmpty) }.map { row in
            let number: [GridCell] = form.lineNumbers ? [GridCell(row.lineNumber.map(String.init) ?? "", cls: "lineno")] : []
            return GridRow([.rowHeader(row.label, cls: "name \(rowClass(row))")] + number + valueCells(table, section, row), cls: rowClasses(row))
        }
        return Grid(head: head, body: body)
    }

    /// 06: 人员经费 and 公用经费 side by side, each in `blocks` blocks of 科目编码 | 科目名称 | 决算数
    /// (the real 2023 form: 人员经费 in one, 公用经费 in three), totals on the last line.
    static func economicBlocks(_ table: Table, _ form: PrintedTable, blocks: [Int]) -> Grid {
        var columns: [(title: String, rows: [(Row, String?)])] = []
        var totals: [(String, String, Int)] = []
        let ids = anchors(table, .blocks)
        for (s, section) in table.sections.enumerated() {
            let count = max(1, s < blocks.count ? blocks[s] : blocks.last ?? 1)
            let details = zip(section.rows, ids[s]).filter { $0.0.key != .total }
            let size = max(1, (details.count + count - 1) / count)
            for b in 0..<count {
                columns.append((section.id, Array(details.dropFirst(b * size).prefix(size))))
            }
            let total = section.rows.first { $0.key == .total }
            totals.append((section.id + "合计", total.map { Format.cell($0.cells[0], isCount: false, minimumDecimals: form.minimumDecimals) } ?? "", count))
        }
        // Per block: 科目编码 | 科目名称 | 决算数, or with split codes 类 | 款 | 科目名称 | 决算数.
        let split = form.splitCodes, width = split ? 4 : 3
        var head = [GridRow(totals.map { .col(String($0.0.dropLast(2)), colspan: width * $0.2) })]
        head.append(GridRow(columns.flatMap { _ in (split ? [GridCell.col("类"), .col("款")] : [GridCell.col("科目编码")]) + [.col("科目名称"), .col("决算数")] }))
        let height = columns.map(\.rows.count).max() ?? 0
        var body: [GridRow] = (0..<height).map { i in
            let zero = columns.allSatisfy { i >= $0.rows.count || isZero($0.rows[i].0) }
            return GridRow(columns.flatMap { block -> [GridCell] in
                guard i < block.rows.count else { return Array(repeating: GridCell(""), count: width - 1) + [GridCell("", cls: "num")] }
                let (row, anchor) = block.rows[i]
                let code = row.code ?? ""
                let codes = split ? [GridCell(String(code.prefix(3)), cls: "code"), GridCell(String(code.dropFirst(3)), cls: "code")] : [GridCell(code, cls: "code")]
                return codes + [GridCell(row.label, cls: "name \(rowClass(row))", anchor: anchor),
                                .number(Format.cell(row.cells[0], isCount: false, minimumDecimals: form.minimumDecimals))]
            }, cls: zero ? "zero" : nil)
        }
        body.append(GridRow(totals.flatMap { label, value, count in
            [.rowHeader(form.lines[label]?.label ?? label, colspan: width * count - 1), .number(value)]
        }, cls: "total"))
        return Grid(head: head, body: body)
    }

    /// 09 (2022), 10, and any table a form prints as lines: 项目 | 行次 | columns.
    static func lines(_ table: Table, _ form: PrintedTable) -> Grid {
        let columns = table.sections[0].columns
        let lineNo: [GridCell] = form.lineNumbers ? [.col("行次")] : []
        var head = [GridRow([.col("项目")] + lineNo + columns.map { .col($0.label) })]
        if form.columnNumbers {
            head.append(GridRow([.rowHeader("栏次")] + (form.lineNumbers ? [GridCell("")] : []) + numbers(columns), cls: "lanci"))
        }
        var body: [GridRow] = []
        for (section, ids) in zip(table.sections, anchors(table, .lines)) {
            for (row, anchor) in zip(section.rows, ids) {
                let number: [GridCell] = form.lineNumbers ? [GridCell(row.lineNumber.map(String.init) ?? "", cls: "lineno")] : []
                body.append(GridRow([.rowHeader(row.label, cls: "name \(rowClass(row))", anchor: anchor)] + number + valueCells(table, section, row), cls: rowClasses(row)))
            }
        }
        return Grid(head: head, body: body)
    }

    /// 09 (2023): one wide row — 预算数 (合计, 出国, 车小计, 购置, 运行, 接待) then 决算数 (the same six);
    /// `byItem`: each item's 预算数 and 决算数 side by side.
    static func wideThreePublic(_ table: Table, _ form: PrintedTable, byItem: Bool) -> Grid {
        let section = table.sections[0]
        var top: [GridCell] = []
        var middle: [GridCell] = []
        var bottom: [GridCell] = []
        for column in section.columns {
            top.append(.col(column.label, colspan: 6))
            middle += [.col("合计", rowspan: 2), .col("因公出国（境）费", rowspan: 2), .col("公务用车购置及运行维护费", colspan: 3), .col("公务接待费", rowspan: 2)]
            bottom += [.col("小计"), .col("公务用车购置费"), .col("公务用车运行维护费")]
        }
        let width = section.rows.count * section.columns.count
        var head = [GridRow(top), GridRow(middle), GridRow(bottom)]
        if form.columnNumbers && width > 0 { head.append(GridRow((1...width).map { GridCell(String($0), cls: "num lanci") }, cls: "lanci")) }
        let values = byItem
            ? section.rows.flatMap { row in section.columns.indices.map { GridCell.number(Format.cell(row.cells[$0], isCount: false, minimumDecimals: form.minimumDecimals)) } }
            : section.columns.indices.flatMap { c in section.rows.map { GridCell.number(Format.cell($0.cells[c], isCount: false, minimumDecimals: form.minimumDecimals)) } }
        var row = values
        if !row.isEmpty { row[0].anchor = "t\(table.kind.code)-1" }
        return Grid(head: head, body: [GridRow(row)])
    }
}
