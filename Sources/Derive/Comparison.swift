import Model

/// The figures of many departments side by side for one region and year, with exact totals,
/// year-on-year change and every sort order the comparison index offers.
public struct Comparison: Sendable {
    public struct Line: Sendable {
        public var department: Department
        public var values: [String: Amount]
        /// 本年支出合计 minus last year's, and that as % of last year's.
        public var change: Amount?
        public var changePercent: Amount?
    }

    /// Column keys: the headline figures, then the change of 本年支出合计.
    public static let keys: [(String, String)] = Headline.orderedKeys + [("change", "支出较上年增减"), ("changePercent", "支出增减率")]

    public var lines: [Line]
    /// Σ of each column over the departments that publish it (nil when none does).
    public var totals: [String: Amount]

    /// `entries`: (department, completed disclosure of the year, completed disclosure of the year before).
    public init(_ entries: [(Department, Disclosure, Disclosure?)]) {
        self.init(headlines: entries.map { ($0.0, Headline($0.1), $0.2.map(Headline.init)) })
    }

    /// `headlines`: (department, headline figures of the year, of the year before).
    public init(headlines entries: [(Department, Headline, Headline?)]) {
        lines = entries.map { dept, h, previous in
            var line = Line(department: dept, values: h.values)
            if let previous, let (delta, pct) = Headline.change(h["expenditure"], previous["expenditure"]) {
                line.change = delta
                line.changePercent = pct
                line.values["change"] = delta
                if let pct { line.values["changePercent"] = pct }
            }
            return line
        }.sorted { $0.department.sortKey < $1.department.sortKey }
        var totals: [String: Amount] = [:]
        for (key, _) in Headline.orderedKeys {
            totals[key] = lines.compactMap { $0.values[key] }.sum()
        }
        self.totals = totals
    }

    /// Lines sorted by a column; blanks last, ties by 单位编码 then slug (stable).
    public func sorted(by key: String, descending: Bool) -> [Line] { order(by: key, descending: descending).map { lines[$0] } }

    /// Positions in `lines` in the order of `sorted(by:descending:)` (`lines` are in 单位编码 order,
    /// so a tie goes to the lower position).
    public func order(by key: String, descending: Bool) -> [Int] {
        let values = lines.map { $0.values[key] }
        return lines.indices.sorted { i, j in
            switch (values[i], values[j]) {
            case (nil, nil): return i < j
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?):
                if x == y { return i < j }
                return descending ? x > y : x < y
            }
        }
    }

    /// Lines grouped under their 主管部门: each parent (or a department without one) followed by its children.
    public func grouped() -> [(line: Line, isChild: Bool)] { groupedOrder().map { (lines[$0.index], $0.isChild) } }

    /// Positions in `lines` in the order of `grouped()`.
    public func groupedOrder() -> [(index: Int, isChild: Bool)] {
        let present = Set(lines.map(\.department.slug))
        var children: [String: [Int]] = [:]
        var roots: [Int] = []
        for (i, line) in lines.enumerated() {
            if let p = line.department.parent, present.contains(p) { children[p, default: []].append(i) } else { roots.append(i) }
        }
        var out: [(Int, Bool)] = []
        func visit(_ i: Int, depth: Int) {
            out.append((i, depth > 0))
            for child in children[lines[i].department.slug] ?? [] { visit(child, depth: depth + 1) }
        }
        for root in roots { visit(root, depth: 0) }
        return out
    }
}
