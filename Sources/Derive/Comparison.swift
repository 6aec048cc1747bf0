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
        /// False for a department of the region with no disclosure that year (未公开): no figures.
        public var published = true
    }

    /// Column keys: the headline figures, the change of 本年支出合计, then the fair measures.
    public static let keys: [(String, String)] = Headline.orderedKeys + [("change", "支出较上年增减"), ("changePercent", "支出增减率")]
        + measures.map { ($0.key, $0.label) }

    /// A measure that compares departments of different sizes fairly (docs/measures.md): a figure
    /// per person of 在职人员, or one figure as a share of another. Blank when the denominator is
    /// missing or 0.
    public struct Measure: Sendable {
        public var key: String
        public var label: String
        public var numerator: String
        public var denominator: String
        /// A percentage (else an amount per person, in 万元).
        public var isPercent: Bool
    }

    public static let measures: [Measure] = [
        Measure(key: "perStaff", label: "人均支出（万元/在职人员）", numerator: "expenditure", denominator: Headline.staffKey, isPercent: false),
        Measure(key: "perStaffBasic", label: "人均基本支出（万元/在职人员）", numerator: "basic", denominator: Headline.staffKey, isPercent: false),
        Measure(key: "perStaffThreePublic", label: "人均“三公”经费（万元/在职人员）", numerator: "threePublic", denominator: Headline.staffKey, isPercent: false),
        Measure(key: "perStaffRunning", label: "人均机关运行经费（万元/在职人员）", numerator: "running", denominator: Headline.staffKey, isPercent: false),
        Measure(key: "basicShare", label: "基本支出占比", numerator: "basic", denominator: "expenditure", isPercent: true),
        Measure(key: "projectShare", label: "项目支出占比", numerator: "project", denominator: "expenditure", isPercent: true),
        Measure(key: "threePublicRate", label: "“三公”经费决算/预算", numerator: "threePublic", denominator: "threePublicBudget", isPercent: true),
        Measure(key: "fiscalShare", label: "财政拨款收入占比", numerator: "fiscal", denominator: "income", isPercent: true),
    ]

    /// Keys whose values are percentages.
    public static let percentKeys: Set<String> = Set(["changePercent"] + measures.filter(\.isPercent).map(\.key))

    public var lines: [Line]
    /// Σ of each column over the departments that publish it (nil when none does).
    public var totals: [String: Amount]

    /// `entries`: (department, completed disclosure of the year, completed disclosure of the year before).
    public init(_ entries: [(Department, Disclosure, Disclosure?)]) {
        self.init(headlines: entries.map { ($0.0, Headline($0.1), $0.2.map(Headline.init)) })
    }

    /// `headlines`: (department, headline figures of the year, of the year before); `unpublished`:
    /// departments of the region without a disclosure that year, listed as 未公开 lines.
    public init(headlines entries: [(Department, Headline, Headline?)], unpublished: [Department] = []) {
        let missing = unpublished.map { Line(department: $0, values: [:], published: false) }
        lines = (missing + entries.map { dept, h, previous in
            var line = Line(department: dept, values: h.values)
            if let previous, let (delta, pct) = Headline.change(h["expenditure"], previous["expenditure"]) {
                line.change = delta
                line.changePercent = pct
                line.values["change"] = delta
                if let pct { line.values["changePercent"] = pct }
            }
            for m in Comparison.measures {
                guard let n = h[m.numerator], let d = h[m.denominator] else { continue }
                line.values[m.key] = m.isPercent ? n.percent(of: d) : n.divided(by: d)
            }
            return line
        }).sorted { $0.department.sortKey < $1.department.sortKey }
        totals = Self.totals(of: lines)
    }

    static func totals(of lines: [Line]) -> [String: Amount] {
        var totals: [String: Amount] = [:]
        for (key, _) in Headline.orderedKeys {
            totals[key] = lines.compactMap { $0.values[key] }.sum()
        }
        return totals
    }

    /// The lines a filter keeps, with their own totals.
    public func filtered(_ keep: (Line) -> Bool) -> Comparison {
        var copy = self
        copy.lines = lines.filter(keep)
        copy.totals = Self.totals(of: copy.lines)
        return copy
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

    /// Positions in `lines` sorted by a column without losing the grouping: each 主管部门 with its
    /// 所属单位 stays one block, blocks in the order of their first line's value, the 所属单位 sorted
    /// among themselves under it (the order `sort.js` gives in the browser).
    public func groupedOrder(by key: String, descending: Bool) -> [(index: Int, isChild: Bool)] {
        var place = [Int](repeating: 0, count: lines.count)
        for (rank, i) in order(by: key, descending: descending).enumerated() { place[i] = rank }
        var blocks: [[(index: Int, isChild: Bool)]] = []
        for entry in groupedOrder() {
            if entry.isChild, !blocks.isEmpty { blocks[blocks.count - 1].append(entry) } else { blocks.append([entry]) }
        }
        return blocks.sorted { place[$0[0].index] < place[$1[0].index] }.flatMap { block in
            [block[0]] + block.dropFirst().sorted { place[$0.index] < place[$1.index] }
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
