import Model
import Support

/// A table as printed: header rows and body rows of cells, with spans and scopes resolved.
/// Themes render it with one partial; no arithmetic or layout decisions remain for templates.
public struct Grid: Sendable {
    public var head: [GridRow]
    public var body: [GridRow]
    /// Number of columns, for `colspan` of notes such as 本表无数据.
    public var width: Int

    /// The header and body rows as HTML, escaped exactly as `partials/grid-row.mustache` writes
    /// them (a test compares both): the fast path for the thousands of cells of a page, filled by
    /// `withHTML` for a page only (a workbook reads the cells). `bodyHTML` stays nil when a site's
    /// theme gives its own `partials/grid-row.mustache`: its rows are then rendered by that template.
    public var headHTML = ""
    public var bodyHTML: String?

    public init(head: [GridRow], body: [GridRow]) {
        self.head = head
        self.body = body
        self.width = head.first.map { $0.cells.reduce(0) { $0 + ($1.colspan ?? 1) } } ?? 1
    }

    /// The grid with its rows as HTML: the header always, the body unless `rowsInTemplates`.
    public func withHTML(rowsInTemplates: Bool) -> Grid {
        var grid = self
        grid.headHTML = HTML.rows(head)
        grid.bodyHTML = rowsInTemplates ? nil : HTML.rows(body)
        return grid
    }
}

/// Hand-written HTML for the hot path, escaped exactly as the templates escape.
public enum HTML {
    public static func escape(_ text: String) -> String { Markup.escape(text) }

    static func rows(_ rows: [GridRow]) -> String {
        var out = ""
        out.reserveCapacity(rows.count * 160)
        for row in rows {
            out += row.rowClass.map { "<tr class=\"\(escape($0))\">" } ?? "<tr>"
            cells(row.cells, into: &out)
            out += "</tr>\n"
        }
        return out
    }

    static func cells(_ cells: [GridCell], into out: inout String) {
        for cell in cells {
            out += "<" + cell.tag
            if let a = cell.anchor { out += " id=\"\(escape(a))\"" }
            if let s = cell.scope { out += " scope=\"\(s)\"" }
            if let c = cell.colspan { out += " colspan=\"\(c)\"" }
            if let r = cell.rowspan { out += " rowspan=\"\(r)\"" }
            if let c = cell.cellClass { out += " class=\"\(escape(c))\"" }
            out += ">" + escape(cell.text) + "</" + cell.tag + ">"
        }
    }
}

public struct GridRow: Sendable {
    public var cells: [GridCell]
    /// CSS class: `total`, `level-1` … (named apart from a cell's, which a template would otherwise
    /// find in the row when the cell has none).
    public var rowClass: String?
    public init(_ cells: [GridCell], cls: String? = nil) {
        self.cells = cells
        self.rowClass = cls
    }
}

public struct GridCell: Sendable {
    public var text: String
    /// `th` or `td`.
    public var tag: String
    public var scope: String?
    public var colspan: Int?
    public var rowspan: Int?
    public var cellClass: String?
    /// The cell's `id`: where a search result for its line links to (`TableLayout.anchors`).
    public var anchor: String?

    public init(_ text: String, tag: String = "td", scope: String? = nil, colspan: Int = 1, rowspan: Int = 1, cls: String? = nil,
                anchor: String? = nil) {
        self.text = text
        self.tag = tag
        self.scope = scope
        self.colspan = colspan > 1 ? colspan : nil
        self.rowspan = rowspan > 1 ? rowspan : nil
        self.cellClass = cls
        self.anchor = anchor
    }

    static func col(_ text: String, colspan: Int = 1, rowspan: Int = 1, cls: String? = nil) -> GridCell {
        GridCell(text, tag: "th", scope: colspan > 1 ? "colgroup" : "col", colspan: colspan, rowspan: rowspan, cls: cls)
    }

    static func rowHeader(_ text: String, cls: String? = nil, colspan: Int = 1, anchor: String? = nil) -> GridCell {
        GridCell(text, tag: "th", scope: "row", colspan: colspan, cls: cls, anchor: anchor)
    }

    static func number(_ text: String) -> GridCell { GridCell(text, cls: "num") }
}

/// Formatting at the edge: amounts as decimals (2 at least for 万元), counts as integers.
public enum Format {
    /// `minimumDecimals`: an amount prints with its own decimals, and at least these (2 in the
    /// national forms).
    public static func amount(_ a: Amount?, isCount: Bool = false, minimumDecimals: Int = 2) -> String {
        guard let a else { return "" }
        return isCount ? a.formatted(decimals: 0) : a.formatted(decimals: max(minimumDecimals, a.scale))
    }

    public static func cell(_ cell: Cell, isCount: Bool, minimumDecimals: Int = 2) -> String {
        cell.origin == .notApplicable ? "——" : amount(cell.value, isCount: isCount, minimumDecimals: minimumDecimals)
    }

    public static func percent(_ a: Amount) -> String { a.formatted(decimals: 2) + "%" }
}
