import Model

/// One row of a strip chart: a measure, every peer's figure, and which of them is the one the page is about.
public struct StripRow: Sendable, Hashable {
    public var label: String
    /// Each peer's figure (blanks left out by the caller).
    public var values: [Amount]
    /// Position in `values` of the page's own figure.
    public var own: Int
    /// The own figure and its place as the text alternative shows them (`12.34`, `第 2 位 / 共 7 个`).
    public var figure: String
    public var place: String

    public init(label: String, values: [Amount], own: Int, figure: String, place: String) {
        self.label = label
        self.values = values
        self.own = own
        self.figure = figure
        self.place = place
    }
}

extension Charts {
    /// A strip chart: a row per measure, each with its own scale from the lowest to the highest
    /// peer; a thin tick per peer (peers on the same pixel share one, so its size is bounded by the
    /// chart's width, not by the number of peers) and a tall mark for the page's own figure.
    /// Integer geometry.
    public static func strip(_ chart: Chart, _ rows: [StripRow]) -> RenderedChart {
        let table = [[chart.labelHeader, chart.valueHeader, "位次（从高到低）"]] + rows.map { [$0.label, $0.figure, $0.place] }
        guard !rows.isEmpty else { return Canvas.empty(chart, kind: "strip", table: table) }
        var c = Canvas(chart)
        let width = chart.width, rowH = 3000, top = padH
        let labelWidth = min(rows.map { textWidth($0.label) }.max() ?? 0, width * 40)
        let plotLeft = padH + labelWidth + 1200, plotRight = width * 100 - padH - 1200
        let plotPx = max((plotRight - plotLeft) / 100, 40)
        for (i, row) in rows.enumerated() {
            let y = top + i * rowH, mid = y + rowH / 2
            c.text(row.label, padH + labelWidth, mid + 400, .end, fit: labelWidth)
            c.line(plotLeft, mid, plotLeft + plotPx * 100, mid, cls: "sg-grid")
            let lo = row.values.min() ?? .zero, hi = row.values.max() ?? .zero
            let span = hi - lo
            func x(_ v: Amount) -> Int { span.isZero ? plotLeft + plotPx * 50 : plotLeft + (v - lo).scaled(to: plotPx, of: span) }
            c.ticks(row.values.indices.filter { $0 != row.own }.map { x(row.values[$0]) }, mid - 500, mid + 500, cls: "sg-axis")
            if row.values.indices.contains(row.own) {
                let own = row.values[row.own]
                c.rect(x(own) - 200, mid - 1000, 400, 2000, series: 0, tip: "\(row.label)：\(row.figure)，\(row.place)")
            }
        }
        let height = top + rows.count * rowH + padH
        return RenderedChart(svg: c.svg(kind: "strip", width: width, height: height / 100), textAlternative: table, isEmpty: false)
    }
}
