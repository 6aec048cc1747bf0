import Model

extension Charts {
    /// The width of the narrow variant of every chart (px): at a 375 px phone its text keeps the
    /// label font size (12 px), where a 640 px chart scaled down to fit would print it at about 6 px.
    public static let narrowWidth = 320

    /// Horizontal bars for narrow screens: each category's label on a line of its own above its bars
    /// (one bar per series, with a legend when there are several), so that labels use the chart's whole
    /// width and nothing is scaled down. The narrow form of every other chart. `shares`: the bars of a
    /// composition — one colour per category, each value label with its share of the positive total.
    public static func narrow(_ chart: Chart, categories: [String], series: [Series], shares: Bool = false) -> RenderedChart {
        let table = seriesTable(chart, categories, series)
        let cells = categories.indices.flatMap { i in series.map { $0.value(at: i) } }
        let total = shares ? cells.compactMap { $0 }.filter { $0 > .zero }.sum() : nil
        func label(_ v: Amount?) -> String {
            guard let v, let total, !v.isNegative, let p = v.percent(of: total) else { return figure(v) }
            return "\(figure(v))（\(p.formatted(decimals: 2))%）"
        }
        guard !series.isEmpty, let ax = HAxis(width: chart.width, labels: nil, figures: cells.map(label),
                                              values: cells.compactMap { $0 }) else { return Canvas.empty(chart, kind: "narrow", table: table) }
        var c = Canvas(chart)
        let top = padH + (series.count > 1 ? c.legend(series.map(\.name), top: padH, width: chart.width) : 0)
        // A label's baseline 7 px above its first bar: room for the descent of CJK text.
        let labelH = 2200, barH = 1400, gap = 300, groupGap = 800
        let groupH = labelH + series.count * (barH + gap) - gap + groupGap
        let bottom = top + categories.count * groupH
        ax.grid(&c, top: top, bottom: bottom)
        for (i, category) in categories.enumerated() {
            let groupTop = top + i * groupH
            // Clear of the zero line, which runs down the left edge when no figure is negative.
            c.text(category, padH + 600, groupTop + 1500, fit: chart.width * 100 - 2 * padH - 600)
            for (s, ser) in series.enumerated() {
                let y = groupTop + labelH + s * (barH + gap), v = ser.value(at: i)
                if let v, !v.isZero {
                    let (x, w) = ax.bar(v)
                    let name = series.count > 1 ? "\(category) \(ser.name)" : category
                    c.rect(x, y, w, barH, series: shares ? i : s, tip: tip(chart, name, v, note: nil))
                }
                ax.valueLabel(&c, v, baseline: y + barH / 2 + 400, text: label(v))
            }
        }
        let height = ax.axis(&c, top: top, bottom: bottom)
        return RenderedChart(svg: c.svg(kind: "narrow", width: chart.width, height: height), textAlternative: table, isEmpty: false)
    }
}

extension Charts {
    /// `narrow` for one series of items: a bar chart's (`sorted`, as `bars` sorts them) or a
    /// composition's (`shares`).
    public static func narrow(_ chart: Chart, _ items: [ChartItem], sorted: Bool = false, shares: Bool = false) -> RenderedChart {
        let rows = sorted ? byValue(items) : items
        return narrow(chart, categories: rows.map(\.label), series: [Series(chart.valueHeader, rows.map(\.value))], shares: shares)
    }
}
