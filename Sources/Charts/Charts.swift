import Model

/// SVG charts for the site: view data in, an inline SVG and a text alternative out. Pure and deterministic.
public enum Charts {
    /// Horizontal bars, one row per item, largest first (blanks last) unless `sorted` is false.
    /// Negative figures extend left of the zero line; zero and blank items get a label but no bar.
    public static func bars(_ chart: Chart, _ items: [ChartItem], sorted: Bool = true) -> RenderedChart {
        let rows = sorted ? byValue(items) : items
        let table = itemTable(chart, rows)
        guard let ax = HAxis(width: chart.width, labels: rows.map(\.label), figures: rows.map { figure($0.value) },
                             values: rows.compactMap(\.value)) else { return Canvas.empty(chart, kind: "bars", table: table) }
        var c = Canvas(chart)
        let top = padH, rowH = 2400, barH = 1600, bottom = top + rows.count * rowH
        ax.grid(&c, top: top, bottom: bottom)
        for (i, item) in rows.enumerated() {
            let y = top + i * rowH
            c.text(item.label, ax.labelRight, y + rowH / 2 + 400, .end, fit: ax.labelWidth)
            if let v = item.value, !v.isZero {
                let (x, w) = ax.bar(v)
                c.rect(x, y + (rowH - barH) / 2, w, barH, series: 0, tip: tip(chart, item.label, v, note: item.note))
            }
            ax.valueLabel(&c, item.value, baseline: y + rowH / 2 + 400)
        }
        let height = ax.axis(&c, top: top, bottom: bottom)
        return RenderedChart(svg: c.svg(kind: "bars", width: chart.width, height: height), textAlternative: table, isEmpty: false)
    }

    /// One 100% stacked bar of the positive figures, in input order. Each segment is joined by a
    /// leader line to its own row below, which carries the name, figure and share.
    public static func composition(_ chart: Chart, _ items: [ChartItem]) -> RenderedChart {
        let total = items.compactMap(\.value).filter { $0 > .zero }.sum()
        func share(_ v: Amount?) -> String {
            guard let v, !v.isNegative, let total, let p = v.percent(of: total) else { return "—" }
            return p.formatted(decimals: 2) + "%"
        }
        var table = itemTable(chart, items)
        table[0].insert("占比", at: 2)
        for (i, item) in items.enumerated() { table[i + 1].insert(share(item.value), at: 2) }
        guard let total else { return Canvas.empty(chart, kind: "composition", table: table) }

        let inBar = { (item: ChartItem) in item.value.map { $0 > .zero } ?? false }
        let rows = items.filter(inBar) + items.filter { !inBar($0) }
        let figures = rows.map { item in item.value.map { share($0) == "—" ? figure($0) : "\(figure($0))（\(share($0))）" } ?? "—" }
        let W = chart.width, valueW = figures.map(textWidth).max() ?? 0
        let labelW = max(min(rows.map(\.label).map(textWidth).max() ?? 0, W * 100 - 2 * padH - 2400 - valueW - 16_000), 3000)
        let valueRight = padH + labelW + 800 + valueW, plotLeft = valueRight + 1600
        let plotPx = max((W * 100 - padH - plotLeft) / 100, 40)
        let barTop = padH, barBottom = barTop + 2800, rowH = 2200

        var c = Canvas(chart)
        var cumulative = Amount.zero
        for (i, item) in rows.enumerated() {
            let mid = barBottom + 1000 + i * rowH + rowH / 2
            c.text(item.label, padH, mid + 400, fit: labelW)
            c.text(figures[i], valueRight, mid + 400, .end, cls: "sg-value")
            guard inBar(item), let v = item.value else { continue }
            let x0 = plotLeft + cumulative.scaled(to: plotPx, of: total)
            cumulative = cumulative + v
            let x1 = plotLeft + cumulative.scaled(to: plotPx, of: total)
            c.rect(x0, barTop, x1 - x0, barBottom - barTop, series: i, tip: tip(chart, item.label, v, note: item.note))
            let cx = (x0 + x1) / 2
            c.add("<polyline class=\"sg-leader\" points=\"\(fmt(valueRight + 400)),\(fmt(mid)) \(fmt(cx)),\(fmt(mid)) \(fmt(cx)),\(fmt(barBottom))\" fill=\"none\" stroke=\"currentColor\"/>")
        }
        let bottom = barBottom + 1000 + rows.count * rowH
        let height = (bottom + c.unitCaption(top: bottom, width: W) + padH + 99) / 100
        return RenderedChart(svg: c.svg(kind: "composition", width: W, height: height), textAlternative: table, isEmpty: false)
    }

    /// Horizontal bars grouped per category, one bar per series (e.g. 预算数 vs 决算数 for "三公"经费),
    /// in input order, with a legend; series differ by fill class and pattern as well as by legend text.
    public static func grouped(_ chart: Chart, categories: [String], series: [Series]) -> RenderedChart {
        let table = seriesTable(chart, categories, series)
        let cells = categories.indices.flatMap { i in series.map { $0.value(at: i) } }
        guard !series.isEmpty, let ax = HAxis(width: chart.width, labels: categories, figures: cells.map(figure),
                                              values: cells.compactMap { $0 }) else { return Canvas.empty(chart, kind: "grouped", table: table) }
        var c = Canvas(chart)
        let top = padH + c.legend(series.map(\.name), top: padH, width: chart.width)
        let barH = 1400, gap = 300, groupGap = 1000
        let groupH = series.count * (barH + gap) - gap + groupGap
        let bottom = top + categories.count * groupH
        ax.grid(&c, top: top, bottom: bottom)
        for (i, category) in categories.enumerated() {
            let groupTop = top + i * groupH + groupGap / 2
            c.text(category, ax.labelRight, groupTop + (groupH - groupGap) / 2 + 400, .end, fit: ax.labelWidth)
            for (s, ser) in series.enumerated() {
                let y = groupTop + s * (barH + gap), v = ser.value(at: i)
                if let v, !v.isZero {
                    let (x, w) = ax.bar(v)
                    c.rect(x, y, w, barH, series: s, tip: tip(chart, "\(category) \(ser.name)", v, note: nil))
                }
                ax.valueLabel(&c, v, baseline: y + barH / 2 + 400)
            }
        }
        let height = ax.axis(&c, top: top, bottom: bottom)
        return RenderedChart(svg: c.svg(kind: "grouped", width: chart.width, height: height), textAlternative: table, isEmpty: false)
    }

    /// Figures across periods (years): vertical bars or lines, a value label at every bar or point.
    /// The chart grows wider than `Chart.width` when the periods need more room.
    public static func trend(_ chart: Chart, periods: [String], series: [Series], style: TrendStyle = .columns) -> RenderedChart {
        let table = seriesTable(chart, periods, series)
        let k = series.count, plotPx = 200
        let cells = periods.indices.flatMap { i in series.map { $0.value(at: i) } }
        guard k > 0, let scale = Scale(cells.compactMap { $0 }, length: plotPx, maxTicks: 5) else {
            return Canvas.empty(chart, kind: "trend", table: table)
        }
        let valueW = (cells.map { textWidth(figure($0)) }.max() ?? 0) + 600
        let tickLabels = scale.ticks.map { $0.formatted(decimals: scale.decimals) }
        let left = padH + (tickLabels.map(textWidth).max() ?? 0) + 800
        let colW = k == 1 ? 3200 : 2000, pitch = max(colW + 400, valueW)
        let minGroup = style == .columns ? k * pitch + 1200 : max(valueW + 1200, 4800)
        let groupW = max(minGroup, (chart.width * 100 - left - padH) / max(periods.count, 1))
        let W = max(chart.width, (left + periods.count * groupW + padH + 99) / 100)

        var c = Canvas(chart)
        let plotTop = padH + (k > 1 ? c.legend(series.map(\.name), top: padH, width: W, lines: style == .line) : 0) + 1800
        let plotBottom = plotTop + plotPx * 100, right = left + periods.count * groupW
        let y = { (a: Amount) in plotBottom - scale.offset(a) }
        let zeroY = y(.zero)
        for (t, label) in zip(scale.ticks, tickLabels) {
            c.line(left, y(t), right, y(t), cls: "sg-grid")
            c.text(label, left - 800, y(t) + 400, .end, cls: "sg-tick")
        }
        let centre = { (i: Int) in left + i * groupW + groupW / 2 }
        if style == .columns {
            for (i, s) in (0..<periods.count).flatMap({ i in (0..<k).map { (i, $0) } }) {
                let cx = centre(i) - k * pitch / 2 + s * pitch + pitch / 2
                guard let v = series[s].value(at: i) else { c.text("—", cx, zeroY - 400, .middle, cls: "sg-value"); continue }
                let len = scale.length(of: v)
                if len != 0 {
                    c.rect(cx - colW / 2, len > 0 ? zeroY - len : zeroY, colW, abs(len), series: s,
                           tip: tip(chart, "\(periods[i]) \(series[s].name)", v, note: nil))
                }
                c.text(figure(v), cx, len < 0 ? zeroY - len + 1400 : zeroY - len - 400, .middle, cls: "sg-value")
            }
        } else {
            for (s, ser) in series.enumerated() {
                // One polyline per run of consecutive non-blank points.
                var run: [(Int, Int)] = []
                for i in 0...periods.count {
                    if i < periods.count, let v = ser.value(at: i) { run.append((centre(i), y(v))); continue }
                    if run.count > 1 { c.add(Canvas.polyline(run, series: s)) }
                    run = []
                }
            }
            for i in periods.indices {
                // Highest point labelled above, lowest below, any others to the right.
                let present: [(Int, Amount)] = (0..<k).compactMap { s in series[s].value(at: i).map { (s, $0) } }
                let ranked = present.sorted { a, b in a.1 != b.1 ? a.1 > b.1 : a.0 < b.0 }
                for (r, (s, v)) in ranked.enumerated() {
                    let py = y(v)
                    c.marker(s, centre(i), py, tip: tip(chart, "\(periods[i]) \(series[s].name)", v, note: nil))
                    if r == 0 { c.text(figure(v), centre(i), py - 800, .middle, cls: "sg-value") }
                    else if r == ranked.count - 1 { c.text(figure(v), centre(i), py + 1800, .middle, cls: "sg-value") }
                    else { c.text(figure(v), centre(i) + 700, py + 400, cls: "sg-value") }
                }
                for s in 0..<k where series[s].value(at: i) == nil {
                    c.text("—", centre(i), zeroY - 400 - s * 1400, .middle, cls: "sg-value")
                }
            }
        }
        c.line(left, zeroY, right, zeroY, cls: "sg-axis")
        let labelY = plotBottom + 2000 + 1400
        for (i, period) in periods.enumerated() { c.text(period, centre(i), labelY, .middle, fit: groupW - 400) }
        let height = (labelY + 600 + c.unitCaption(top: labelY + 600, width: W) + padH + 99) / 100
        return RenderedChart(svg: c.svg(kind: "trend", width: W, height: height), textAlternative: table, isEmpty: false)
    }

    // MARK: helpers

    /// Descending by value, blanks last, ties in input order.
    static func byValue(_ items: [ChartItem]) -> [ChartItem] {
        items.enumerated().sorted { a, b in
            switch (a.element.value, b.element.value) {
            case let (x?, y?) where x != y: return x > y
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.offset < b.offset
            }
        }.map(\.element)
    }

    static func itemTable(_ chart: Chart, _ items: [ChartItem]) -> [[String]] {
        let notes = items.contains { $0.note != nil }
        let header = [chart.labelHeader, chart.header(chart.valueHeader)] + (notes ? ["说明"] : [])
        return [header] + items.map { [$0.label, figure($0.value)] + (notes ? [$0.note ?? ""] : []) }
    }

    static func seriesTable(_ chart: Chart, _ labels: [String], _ series: [Series]) -> [[String]] {
        [[chart.labelHeader] + series.map { chart.header($0.name) }]
            + labels.enumerated().map { i, label in [label] + series.map { figure($0.value(at: i)) } }
    }

    static func tip(_ chart: Chart, _ label: String, _ v: Amount, note: String?) -> String {
        "\(label)：\(figure(v))\(chart.unit)" + (note.map { "（\($0)）" } ?? "")
    }
}
