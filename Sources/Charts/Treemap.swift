import Model

/// One rectangle of a treemap: a label, its figure, where it links, and the rectangles inside it.
public struct TreemapItem: Sendable, Hashable {
    public var label: String
    public var value: Amount
    public var href: String
    public var children: [TreemapItem]

    public init(_ label: String, _ value: Amount, href: String, children: [TreemapItem] = []) {
        self.label = label
        self.value = value
        self.href = href
        self.children = children
    }
}

/// A laid-out rectangle, in thousandths of a pixel: its path of labels from the top level and its share.
public struct TreemapCell: Sendable, Hashable {
    public var path: [String]
    public var value: Amount
    public var href: String
    public var x: Int, y: Int, w: Int, h: Int
    public var depth: Int
}

extension Charts {
    /// The plot area of a treemap of `width` px: below the top margin, `height` px high.
    static let treemapHeight = 360

    /// A squarified treemap (Bruls, Huizing, van Wijk) of the items with a positive figure, each
    /// rectangle a link with its path and figure as its accessible name, children laid out inside
    /// their parent. Integer geometry: every rectangle in thousandths of a pixel (finer than the
    /// other charts' hundredths, so that an area is its share within one px²), the rows' edges
    /// rounded once so that the rectangles tile the area exactly.
    public static func treemap(_ chart: Chart, _ items: [TreemapItem]) -> (rendered: RenderedChart, cells: [TreemapCell]) {
        let shown = items.filter { $0.value.units > 0 }
        let total = shown.map(\.value).sum() ?? .zero
        var table = [[chart.labelHeader, chart.header(chart.valueHeader), "占比"]]
        func rows(_ item: TreemapItem, _ path: [String]) {
            let p = path + [item.label]
            table.append([p.joined(separator: " › "), figure(item.value), item.value.percent(of: total).map { $0.formatted(decimals: 2) + "%" } ?? ""])
            for child in item.children where child.value.units > 0 { rows(child, p) }
        }
        for item in shown { rows(item, []) }
        guard !shown.isEmpty else { return (Canvas.empty(chart, kind: "treemap", table: table), []) }
        let area = Rect(x: padH * 10, y: padH * 10, w: (chart.width * 100 - 2 * padH) * 10, h: treemapHeight * 1000)
        var cells: [TreemapCell] = []
        place(shown, in: area, path: [], depth: 0, into: &cells)
        var c = Canvas(chart)
        for cell in cells {
            let name = cell.path.joined(separator: " › ") + "：" + figure(cell.value) + (chart.unit.isEmpty ? "" : " " + chart.unit)
                + (cell.value.percent(of: total).map { "，占" + $0.formatted(decimals: 2) + "%" } ?? "")
            let attrs = "x=\"\(milli(cell.x))\" y=\"\(milli(cell.y))\" width=\"\(milli(cell.w))\" height=\"\(milli(cell.h))\""
            let paint = cell.depth == 0 ? c.paint(cells.filter { $0.depth == 0 }.firstIndex(of: cell) ?? 0) : "class=\"sg-treemap-inner\" fill=\"none\" stroke=\"currentColor\""
            var link = "<a class=\"sg-treemap-link\" href=\"\(esc(cell.href))\" aria-label=\"\(esc(name))\"><rect \(paint) fill-opacity=\"0.35\" \(attrs)><title>\(esc(name))</title></rect>"
            let label = cell.path.last ?? ""
            if cell.w >= textWidth(label) * 5 + 8000, cell.h >= 18_000, !cells.contains(where: { $0.depth > cell.depth && $0.path.starts(with: cell.path) }) {
                let (text, _) = truncated(label, toFit: (cell.w - 6000) / 10)
                link += "<text class=\"sg-label\" x=\"\(milli(cell.x + 3000))\" y=\"\(milli(cell.y + 15_000))\" aria-hidden=\"true\">\(esc(text))</text>"
            }
            c.add(link + "</a>")
        }
        _ = c.unitCaption(top: padH + treemapHeight * 100, width: chart.width)
        // Links inside: no role="img" (which would hide them), so it is a graphics document of named links.
        let svg = c.svg(kind: "treemap", width: chart.width, height: treemapHeight + 2 * padH / 100 + 18, image: false)
        return (RenderedChart(svg: svg, textAlternative: table, isEmpty: false), cells)
    }

    struct Rect { var x: Int, y: Int, w: Int, h: Int }

    /// Thousandths of a pixel as fixed three-decimal text: 12345 → "12.345".
    static func milli(_ m: Int) -> String {
        let frac = String(m.magnitude % 1000)
        return (m < 0 ? "-" : "") + String(m.magnitude / 1000) + "." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    /// Lays the items out in the rectangle, then each one's children inside its own.
    static func place(_ items: [TreemapItem], in rect: Rect, path: [String], depth: Int, into cells: inout [TreemapCell]) {
        let sorted = items.enumerated().sorted { a, b in a.element.value == b.element.value ? a.offset < b.offset : a.element.value > b.element.value }.map(\.element)
        let rects = squarify(sorted.map(\.value), in: rect)
        for (item, r) in zip(sorted, rects) {
            cells.append(TreemapCell(path: path + [item.label], value: item.value, href: item.href, x: r.x, y: r.y, w: r.w, h: r.h, depth: depth))
            let inner = item.children.filter { $0.value.units > 0 }
            if !inner.isEmpty { place(inner, in: r, path: path + [item.label], depth: depth + 1, into: &cells) }
        }
    }

    /// Squarified rectangles for positive figures in descending order. Weights are the figures'
    /// shares in millionths (`Amount.scaled`), so every product below fits in 128 bits.
    static func squarify(_ values: [Amount], in rect: Rect) -> [Rect] {
        let total = values.sum() ?? .zero
        let weights = values.map { Int128(max(1, $0.scaled(to: 10_000, of: total))) }
        var out: [Rect] = []
        var r = rect, i = 0
        var remaining = weights.reduce(0, +)
        while i < weights.count {
            let side = Int128(max(1, min(r.w, r.h))), area = Int128(max(1, r.w)) * Int128(max(1, r.h))
            /// The worst aspect ratio of a row, ×10⁶.
            func worst(_ row: ArraySlice<Int128>) -> Int128 {
                let s = row.reduce(0, +), hi = row.max()!, lo = row.min()!
                // Areas are weight × area / remaining: max(side²·max/s², s²/(side²·min)) in weights.
                let a = side * side * hi * remaining * 1_000_000 / max(1, s * s * area)
                let b = s * s * area * 1_000_000 / max(1, side * side * lo * remaining)
                return max(a, b)
            }
            var j = i + 1
            while j < weights.count && worst(weights[i...j]) <= worst(weights[i..<j]) { j += 1 }
            let row = weights[i..<j], rowSum = row.reduce(0, +)
            let last = j == weights.count
            let vertical = r.w >= r.h
            let long = vertical ? r.h : r.w, across = vertical ? r.w : r.h
            let thickness = last ? across : Int((Int128(across) * rowSum + remaining / 2) / remaining)
            var done: Int128 = 0, start = 0
            for w in row {
                done += w
                let end = Int((Int128(long) * done + rowSum / 2) / rowSum)
                out.append(vertical ? Rect(x: r.x, y: r.y + start, w: thickness, h: end - start)
                                    : Rect(x: r.x + start, y: r.y, w: end - start, h: thickness))
                start = end
            }
            r = vertical ? Rect(x: r.x + thickness, y: r.y, w: r.w - thickness, h: r.h) : Rect(x: r.x, y: r.y + thickness, w: r.w, h: r.h - thickness)
            remaining -= rowSum
            i = j
        }
        return out
    }
}
