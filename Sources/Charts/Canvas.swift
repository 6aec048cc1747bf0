import Model
import Support

// All geometry is integer: lengths below are in hundredths of a pixel ("h") unless named `px`.

let fontPx = 12
let padH = 800

/// Hundredths of a pixel as fixed two-decimal text: 1234 → "12.34", -5 → "-0.05".
func fmt(_ h: Int) -> String {
    let m = h.magnitude
    let frac = m % 100
    return (h < 0 ? "-" : "") + String(m / 100) + (frac < 10 ? ".0" : ".") + String(frac)
}

/// Escapes text for SVG content and attributes (Model's one escaping rule; line breaks become spaces).
func esc(_ s: String) -> String { Markup.escape(s, spaceForNewlines: true) }

/// Estimated advance in hundredths of an em: CJK and other wide characters 1 em, ASCII 0.55 em.
func emWidth(_ c: Character) -> Int {
    guard let v = c.unicodeScalars.first?.value else { return 0 }
    switch v {
    case ..<0x20: return 0
    case ..<0x80, 0xFF61...0xFFDC: return 55
    case ..<0x1100: return 60
    default: return 100
    }
}

/// Estimated width of `s` in h at the label font size.
func textWidth(_ s: String) -> Int { s.reduce(0) { $0 + emWidth($1) } * fontPx }

/// `s` shortened with "…" so that it fits `maxWidth` (h); `cut` tells whether it was shortened.
func truncated(_ s: String, toFit maxWidth: Int) -> (text: String, cut: Bool) {
    if textWidth(s) <= maxWidth { return (s, false) }
    var out = "", w = emWidth("…") * fontPx
    for c in s {
        w += emWidth(c) * fontPx
        if w > maxWidth { break }
        out.append(c)
    }
    while out.last == " " { out.removeLast() }
    return (out + "…", true)
}

/// The label text of a figure.
func figure(_ a: Amount?) -> String { a?.formatted(decimals: 2) ?? "—" }

/// A linear value axis over the figures' extent (always including zero), with ticks at the multiples of a
/// 'nice' step (1, 2, 2.5 or 5 × 10ⁿ) inside it. The largest bar fills the plot: no space is lost to rounding up.
struct Scale {
    let lo: Int64, hi: Int64, step: Int64
    /// Length of the axis in whole px.
    let length: Int

    init?(_ values: [Amount], length: Int, maxTicks: Int) {
        let lo0 = min(0, values.map(\.units).min() ?? 0), hi0 = max(0, values.map(\.units).max() ?? 0)
        guard hi0 > lo0, length > 0 else { return nil }
        let step = Scale.niceStep(hi0 - lo0, maxTicks: max(1, maxTicks))
        (self.step, self.lo, self.hi, self.length) = (step, lo0, hi0, length)
    }

    /// Smallest 1, 2, 2.5 or 5 × 10ⁿ (in 10⁻⁴ units) that covers `span` in `maxTicks` steps.
    static func niceStep(_ span: Int64, maxTicks: Int) -> Int64 {
        let need = (span - 1) / Int64(maxTicks) + 1
        var p: Int64 = 1
        while p < Int64.max / 100 {
            for tenths: Int64 in p == 1 ? [10, 20, 50] : [10, 20, 25, 50] where p * tenths / 10 >= need {
                return p * tenths / 10
            }
            p *= 10
        }
        return p
    }

    private var span: Amount { Amount(units: hi - lo, scale: 0) }
    /// Decimals needed to print every tick.
    var decimals: Int { ([10_000, 1_000, 100, 10] as [Int64]).firstIndex { step % $0 == 0 } ?? 4 }
    var ticks: [Amount] {
        let first = lo < 0 ? -(-lo / step) * step : 0
        return stride(from: first, through: hi, by: Int(step)).map { (u: Int64) in Amount(units: u, scale: decimals) }
    }
    /// Signed length of a bar for `a` (h); proportional to the value, never rounded twice.
    func length(of a: Amount) -> Int { a.scaled(to: length, of: span) }
    /// Distance of `a` from the low end of the axis (h).
    func offset(_ a: Amount) -> Int { Amount(units: a.units - lo, scale: 0).scaled(to: length, of: span) }
    var zero: Int { offset(.zero) }
}

enum Anchor: String { case start, middle, end }

/// Collects SVG elements and wraps them in an accessible `<svg>`.
struct Canvas {
    let chart: Chart
    let id: String
    private var body: [String] = []
    private var patterns: Set<Int> = []

    init(_ chart: Chart) {
        self.chart = chart
        let clean = String(chart.id.unicodeScalars.map { s -> Character in
            s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_") ? Character(s) : "-"
        })
        id = clean.isEmpty ? "chart" : clean
    }

    mutating func add(_ element: String) { body.append(element) }

    /// Class and fallback paint for series `n`: solid, hatched, outlined, dotted (then repeating).
    mutating func paint(_ series: Int) -> String {
        let n = series % 4 + 1
        var fill = n == 1 ? "currentColor" : "none"
        if n % 2 == 0 { patterns.insert(n); fill = "url(#\(id)-p\(n))" }
        return "class=\"sg-bar sg-series-\(n)\" fill=\"\(fill)\" stroke=\"currentColor\""
    }

    mutating func rect(_ x: Int, _ y: Int, _ w: Int, _ h: Int, series: Int, tip: String? = nil) {
        let attrs = "\(paint(series)) x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"\(fmt(h))\""
        add(tip.map { "<rect \(attrs)><title>\(esc($0))</title></rect>" } ?? "<rect \(attrs)/>")
    }

    /// A text; with `fit`, shortened with "…" and the full text kept in a `<title>` child.
    mutating func text(_ s: String, _ x: Int, _ y: Int, _ anchor: Anchor = .start, cls: String? = nil, fit: Int? = nil) {
        let (shown, cut) = fit.map { truncated(s, toFit: $0) } ?? (s, false)
        let a = anchor == .start ? "" : " text-anchor=\"\(anchor.rawValue)\""
        let c = cls.map { "sg-label \($0)" } ?? "sg-label"
        add("<text class=\"\(c)\" x=\"\(fmt(x))\" y=\"\(fmt(y))\"\(a)>\(cut ? "<title>\(esc(s))</title>" : "")\(esc(shown))</text>")
    }

    mutating func line(_ x1: Int, _ y1: Int, _ x2: Int, _ y2: Int, cls: String) {
        let extra = cls == "sg-grid" ? " stroke-opacity=\"0.3\"" : ""
        add("<line class=\"\(cls)\" x1=\"\(fmt(x1))\" y1=\"\(fmt(y1))\" x2=\"\(fmt(x2))\" y2=\"\(fmt(y2))\" stroke=\"currentColor\"\(extra)/>")
    }

    /// Vertical ticks from `y1` to `y2`, one per whole pixel of `xs` (ticks on the same pixel drawn
    /// once), as one path: a strip of hundreds of peers stays a few kilobytes.
    mutating func ticks(_ xs: [Int], _ y1: Int, _ y2: Int, cls: String) {
        // The pixel columns hit, left to right, each once: a strip has hundreds of peers on a few
        // hundred columns, so a row of flags, not a set and a sort.
        let columns = xs.map { $0 / 100 }
        guard let first = columns.min(), let last = columns.max() else { return }
        var hit = [Bool](repeating: false, count: last - first + 1)
        for c in columns { hit[c - first] = true }
        let tail = " " + fmt(y1) + "V" + fmt(y2)
        var d = ""
        for (i, on) in hit.enumerated() where on {
            d += "M"
            d += String(first + i)
            d += tail
        }
        add("<path class=\"\(cls)\" d=\"\(d)\" stroke=\"currentColor\" fill=\"none\"/>")
    }

    /// Swatch + name per series, wrapping; returns the height used (h).
    mutating func legend(_ names: [String], top: Int, width: Int, lines: Bool = false) -> Int {
        var x = padH, row = 0
        for (s, name) in names.enumerated() {
            let w = 2000 + min(textWidth(name), width * 100 - 2 * padH - 2000) + 1600
            if x > padH && x + w > width * 100 - padH { x = padH; row += 1 }
            let y = top + row * 2000
            if lines {
                add(Canvas.polyline([(x, y + 800), (x + 1600, y + 800)], series: s))
                marker(s, x + 800, y + 800)
            } else {
                rect(x, y + 200, 1200, 1200, series: s)
            }
            text(name, x + 2000, y + 1200, cls: "sg-legend", fit: width * 100 - 2 * padH - 2000)
            x += w
        }
        return names.isEmpty ? 0 : (row + 1) * 2000 + 400
    }

    /// A point marker whose shape tells the series apart: circle, square, triangle, diamond.
    mutating func marker(_ s: Int, _ x: Int, _ y: Int, tip: String? = nil) {
        let p = paint(s), t = tip.map { "<title>\(esc($0))</title>" } ?? ""
        func poly(_ pts: [(Int, Int)]) -> String {
            "<polygon \(p) points=\"\(pts.map { "\(fmt(x + $0.0)),\(fmt(y + $0.1))" }.joined(separator: " "))\">\(t)</polygon>"
        }
        switch s % 4 {
        case 0: add("<circle \(p) cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"4.00\">\(t)</circle>")
        case 1: add("<rect \(p) x=\"\(fmt(x - 400))\" y=\"\(fmt(y - 400))\" width=\"8.00\" height=\"8.00\">\(t)</rect>")
        case 2: add(poly([(0, -500), (450, 350), (-450, 350)]))
        default: add(poly([(0, -500), (500, 0), (0, 500), (-500, 0)]))
        }
    }

    static func polyline(_ pts: [(Int, Int)], series s: Int) -> String {
        let dash = ["", " stroke-dasharray=\"6 3\"", " stroke-dasharray=\"2 3\"", " stroke-dasharray=\"8 3 2 3\""][s % 4]
        let points = pts.map { "\(fmt($0.0)),\(fmt($0.1))" }.joined(separator: " ")
        return "<polyline class=\"sg-line sg-line-\(s % 4 + 1)\" points=\"\(points)\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2\"\(dash)/>"
    }

    /// "单位：万元" at the bottom right; returns the height used (h).
    mutating func unitCaption(top: Int, width: Int) -> Int {
        guard !chart.unit.isEmpty else { return 0 }
        text("单位：\(chart.unit)", width * 100 - padH, top + 1400, .end, cls: "sg-unit")
        return 1800
    }

    /// `image`: the chart is one image (`role="img"`); a chart of named links is not (the role would hide them).
    func svg(kind: String, width: Int, height: Int, image: Bool = true) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sg-chart sg-chart-\(kind)\"" + (image ? " role=\"img\"" : "")
        out += " aria-labelledby=\"\(id)-title \(id)-desc\" viewBox=\"0 0 \(width) \(height)\""
        out += " width=\"\(width)\" height=\"\(height)\" font-size=\"\(fontPx)\" fill=\"currentColor\">\n"
        out += "<title id=\"\(id)-title\">\(esc(chart.title))</title>\n<desc id=\"\(id)-desc\">\(esc(chart.description))</desc>\n"
        if !patterns.isEmpty {
            out += "<defs>\n"
            if patterns.contains(2) {
                out += "<pattern id=\"\(id)-p2\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
                out += "<rect class=\"sg-pattern-bg\" width=\"6\" height=\"6\" fill=\"none\"/>"
                out += "<rect class=\"sg-pattern-2\" width=\"2.5\" height=\"6\" fill=\"currentColor\"/></pattern>\n"
            }
            if patterns.contains(4) {
                out += "<pattern id=\"\(id)-p4\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">"
                out += "<rect class=\"sg-pattern-bg\" width=\"5\" height=\"5\" fill=\"none\"/>"
                out += "<circle class=\"sg-pattern-4\" cx=\"2.5\" cy=\"2.5\" r=\"1.5\" fill=\"currentColor\"/></pattern>\n"
            }
            out += "</defs>\n"
        }
        for element in body { out += element + "\n" }
        return out + "</svg>"
    }

    /// A valid chart with title and desc but only `Chart.emptyText`.
    static func empty(_ chart: Chart, kind: String, table: [[String]]) -> RenderedChart {
        var c = Canvas(chart)
        let width = max(chart.width, 160)
        c.text(chart.emptyText, width * 50, 2800, .middle, cls: "sg-empty")
        return RenderedChart(svg: c.svg(kind: kind, width: width, height: 48), textAlternative: table, isEmpty: true)
    }
}

/// Horizontal layout shared by bars and grouped bars: label column | value axis with room for value labels.
struct HAxis {
    let labelRight: Int, labelWidth: Int, plotLeft: Int, width: Int
    let scale: Scale

    /// `labels` nil: no label column (the labels go above the bars, `Charts.narrow`).
    init?(width: Int, labels: [String]?, figures: [String], values: [Amount]) {
        let valueW = (figures.map(textWidth).max() ?? 0) + 600
        let hasNegative = values.contains(where: \.isNegative)
        let room = width * 100 - 2 * padH - 800 - valueW * (hasNegative ? 2 : 1) - 12_000
        if let labels {
            labelWidth = max(min(labels.map(textWidth).max() ?? 0, width * 40, room), 3000)
            labelRight = padH + labelWidth
            plotLeft = labelRight + 800 + (hasNegative ? valueW : 0)
        } else {
            (labelWidth, labelRight) = (0, padH)
            plotLeft = padH + (hasNegative ? valueW : 0)
        }
        self.width = width
        let plotPx = max((width * 100 - padH - valueW - plotLeft) / 100, 40)
        guard let s = Scale(values, length: plotPx, maxTicks: min(max(plotPx / 80, 2), 8)) else { return nil }
        scale = s
    }

    var zero: Int { plotLeft + scale.zero }

    /// x and width of the bar for `v`: rightwards from zero, or leftwards for negatives.
    func bar(_ v: Amount) -> (x: Int, w: Int) {
        let len = scale.length(of: v)
        return len < 0 ? (zero + len, -len) : (zero, len)
    }

    /// The value label just past the bar's end ("—" for blanks, at the zero line); `text` instead
    /// of the figure alone.
    func valueLabel(_ c: inout Canvas, _ v: Amount?, baseline y: Int, text: String? = nil) {
        let len = v.map { scale.length(of: $0) } ?? 0
        if len < 0 { c.text(text ?? figure(v), zero + len - 400, y, .end, cls: "sg-value") }
        else { c.text(text ?? figure(v), zero + len + 400, y, cls: "sg-value") }
    }

    func grid(_ c: inout Canvas, top: Int, bottom: Int) {
        for t in scale.ticks { let x = plotLeft + scale.offset(t); c.line(x, top, x, bottom, cls: "sg-grid") }
    }

    /// Zero line, tick labels and unit; returns the total height in px.
    func axis(_ c: inout Canvas, top: Int, bottom: Int) -> Int {
        c.line(zero, top, zero, bottom, cls: "sg-axis")
        for t in scale.ticks {
            let label = t.formatted(decimals: scale.decimals), half = textWidth(label) / 2
            let x = min(max(plotLeft + scale.offset(t), half + padH), width * 100 - padH - half)
            c.text(label, x, bottom + 1600, .middle, cls: "sg-tick")
        }
        let h = bottom + 2000 + c.unitCaption(top: bottom + 2000, width: width) + padH
        return (h + 99) / 100
    }
}
