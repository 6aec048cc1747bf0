// View models copied (minimal) from Sources/Views/Grid.swift and Sources/Views/Pages.swift.
// Same property names and order: swift-mustache finds struct properties by reflection (Mirror),
// so names and layout are what the real templates see.

struct Grid {
    var head: [GridRow]
    var body: [GridRow]
    var width: Int

    init(head: [GridRow], body: [GridRow]) {
        self.head = head
        self.body = body
        self.width = head.first.map { $0.cells.reduce(0) { $0 + ($1.colspan ?? 1) } } ?? 1
    }
}

struct GridRow {
    var cells: [GridCell]
    var cls: String?
    init(_ cells: [GridCell], cls: String? = nil) {
        self.cells = cells
        self.cls = cls
    }
}

struct GridCell {
    var text: String
    var tag: String
    var scope: String?
    var colspan: Int?
    var rowspan: Int?
    var cls: String?

    init(_ text: String, tag: String = "td", scope: String? = nil, colspan: Int = 1, rowspan: Int = 1, cls: String? = nil) {
        self.text = text
        self.tag = tag
        self.scope = scope
        self.colspan = colspan > 1 ? colspan : nil
        self.rowspan = rowspan > 1 ? rowspan : nil
        self.cls = cls
    }

    static func col(_ text: String, colspan: Int = 1, rowspan: Int = 1, cls: String? = nil) -> GridCell {
        GridCell(text, tag: "th", scope: colspan > 1 ? "colgroup" : "col", colspan: colspan, rowspan: rowspan, cls: cls)
    }

    static func rowHeader(_ text: String, cls: String? = nil, colspan: Int = 1) -> GridCell {
        GridCell(text, tag: "th", scope: "row", colspan: colspan, cls: cls)
    }

    static func number(_ text: String) -> GridCell { GridCell(text, cls: "num") }
}

struct TableView {
    var id: String
    var partial: String
    var number: String
    var title: String
    var department: String
    var year: String
    var unit: String
    var isEmpty: Bool
    var grid: Grid
    var note: String
    var tailNote: String?
    var wide: Bool
    var csv: String
    var json: String
    var charts: [ChartView] = []
}

struct TextTableView {
    var caption: String?
    var head: [String]
    var rows: [[String]]
}

/// Charts are not part of this benchmark: every table has `charts: []`.
struct ChartView {
    var id: String
    var table: Int? = nil
    var caption: String
    var svg: String
    var figures: TextTableView
}

/// The page: only the part that matters here, the ten tables.
struct Page {
    var tables: [TableView]
}

// MARK: - The test page

/// Ten tables × `rows` body rows × 8 cells (one row header + seven amounts), deterministic.
/// Some titles, row headers and amounts carry `& < > " '` so that escaping is exercised.
func makePage(tables: Int = 10, rows: Int = 300) -> Page {
    var seed: UInt64 = 0x5EED_2024
    func next() -> UInt64 {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return seed >> 33
    }
    func amount() -> String {
        let v = next() % 10_000_000
        let cents = v % 100
        return "\(v / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
    let names = ["一般公共服务支出", "教育支出", "科学技术支出", "社会保障和就业支出", "卫生健康支出",
                 "节能环保支出", "城乡社区支出", "农林水支出", "住房保障支出"]
    var result: [TableView] = []
    for t in 1...tables {
        let code = t < 10 ? "0\(t)" : "\(t)"
        let head = [GridRow([
            .col("科目编码"), .col("科目名称 <类/款/项>"), .col("合计"), .col("基本支出 & 人员经费"),
            .col("项目支出"), .col("上缴上级支出"), .col("经营支出"), .col("对附属单位补助支出"),
        ])]
        var body: [GridRow] = []
        for r in 0..<rows {
            var name = "\(2010000 + t * 1000 + r) \(names[r % names.count])"
            if r % 7 == 3 { name += " & 其他 <\"专项\">" }
            if r % 41 == 5 { name += " (O'Neil 项目)" }
            var cells = [GridCell.rowHeader(name, cls: r % 10 == 0 ? "level-1" : nil)]
            for c in 0..<7 {
                if (r + c) % 23 == 0 {
                    cells.append(.number("——"))
                } else if (r * 7 + c) % 97 == 11 {
                    cells.append(.number("<1.00> & \"约\""))
                } else {
                    cells.append(.number(amount()))
                }
            }
            body.append(GridRow(cells, cls: r % 50 == 49 ? "total" : (r % 10 == 0 ? "level-1" : nil)))
        }
        let title = t % 3 == 1 ? "收支决算总表 & \"财拨\" <表\(t)>" : "部门决算表 \(t)"
        result.append(TableView(
            id: "t\(code)", partial: "partials/table-\(code)", number: "表\(code)", title: title,
            department: "示例局 <本级> & 下属单位", year: "2024年度", unit: "单位：万元", isEmpty: false,
            grid: Grid(head: head, body: body), note: "本表反映部门 \"全口径\" 收支 & 结转结余情况。",
            tailNote: t % 2 == 0 ? "本套报表金额单位转换时可能存在尾数误差。" : nil,
            wide: t % 4 == 0, csv: "t\(code).csv", json: "t\(code).json"))
    }
    return Page(tables: result)
}

// MARK: - The same page as dictionaries (no Mirror needed to read it)

/// `nil` optionals are left out, as a missing key is falsy for both engines.
func dictionary(_ page: Page) -> [String: Any] {
    ["tables": page.tables.map(dictionary)]
}

func dictionary(_ t: TableView) -> [String: Any] {
    var d: [String: Any] = [
        "id": t.id, "partial": t.partial, "number": t.number, "title": t.title, "department": t.department,
        "year": t.year, "unit": t.unit, "isEmpty": t.isEmpty, "note": t.note, "wide": t.wide,
        "csv": t.csv, "json": t.json, "charts": [Any](),
        "grid": ["head": t.grid.head.map(dictionary), "body": t.grid.body.map(dictionary), "width": t.grid.width] as [String: Any],
    ]
    if let v = t.tailNote { d["tailNote"] = v }
    return d
}

func dictionary(_ r: GridRow) -> [String: Any] {
    var d: [String: Any] = ["cells": r.cells.map(dictionary)]
    if let v = r.cls { d["cls"] = v }
    return d
}

func dictionary(_ c: GridCell) -> [String: Any] {
    var d: [String: Any] = ["text": c.text, "tag": c.tag]
    if let v = c.scope { d["scope"] = v }
    if let v = c.colspan { d["colspan"] = v }
    if let v = c.rowspan { d["rowspan"] = v }
    if let v = c.cls { d["cls"] = v }
    return d
}
