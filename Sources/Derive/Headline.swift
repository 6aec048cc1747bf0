import Model

/// The figures that summarise a disclosure on department, index and comparison pages.
public struct Headline: Sendable, Hashable {
    public struct Figure: Sendable, Hashable {
        public var key: String
        public var label: String
        /// Where the figure is in each form (2022, 2023); nil where that form does not publish it.
        public var path2022: FigurePath?
        public var path2023: FigurePath?

        init(_ key: String, _ label: String, _ path: FigurePath) {
            self.init(key, label, path, path)
        }

        init(_ key: String, _ label: String, _ p2022: FigurePath?, _ p2023: FigurePath?) {
            self.key = key
            self.label = label
            self.path2022 = p2022
            self.path2023 = p2023
        }

        public func path(form: Int) -> FigurePath? { form >= 2023 ? path2023 : path2022 }
    }

    /// Where each headline figure lives; one list shared by every page that shows them.
    public static let figures: [Figure] = [
        Figure("income", "本年收入合计", FigurePath(table: 1, row: "本年收入合计")),
        Figure("expenditure", "本年支出合计", FigurePath(table: 1, row: "本年支出合计")),
        Figure("fiscal", "财政拨款收入", FigurePath(table: 2, row: "合计", column: "财政拨款收入")),
        Figure("basic", "基本支出", FigurePath(table: 3, row: "合计", column: "基本支出")),
        Figure("project", "项目支出", FigurePath(table: 3, row: "合计", column: "项目支出")),
        Figure("personnel", "人员经费", FigurePath(table: 6, row: "人员经费合计")),
        Figure("public", "公用经费", FigurePath(table: 6, row: "公用经费合计")),
        Figure("threePublicBudget", "“三公”经费预算数", FigurePath(table: 9, row: "“三公”经费支出", column: "全年预算数"),
               FigurePath(table: 9, row: "合计", column: "预算数")),
        Figure("threePublic", "“三公”经费决算数", FigurePath(table: 9, row: "“三公”经费支出", column: "决算数"),
               FigurePath(table: 9, row: "合计", column: "决算数")),
        Figure("running", "机关运行经费", nil, FigurePath(table: 10, row: "机关运行经费合计")),
        Figure("procurement", "政府采购合计", nil, FigurePath(table: 10, row: "政府采购支出合计")),
    ]

    public var values: [String: Amount]

    public init(values: [String: Amount]) { self.values = values }

    public init(_ d: Disclosure) {
        var values: [String: Amount] = [:]
        for f in Headline.figures {
            guard let path = f.path(form: d.form) else { continue }
            if case .success(let (_, _, cell)) = FigureBook.locate(path, in: d), let v = cell.value { values[f.key] = v }
        }
        // 在职人员 of 概况: the denominator of the per-person measures (`Comparison.measures`).
        if let staff = d.staff.first(where: { $0.0 == Headline.staffLabel })?.1 { values[Headline.staffKey] = staff }
        self.values = values
    }

    /// The number of 在职人员 (概况), kept with the figures under this key.
    public static let staffKey = "staff"
    public static let staffLabel = "在职人员"

    /// Keys and labels in display order.
    public static var orderedKeys: [(String, String)] { figures.map { ($0.key, $0.label) } }

    public subscript(key: String) -> Amount? { values[key] }

    /// Change of a figure on the year before: (difference, percent of last year's), nil when either is missing.
    public static func change(_ now: Amount?, _ before: Amount?) -> (Amount, Amount?)? {
        guard let now, let before else { return nil }
        let delta = now - before
        return (delta, delta.percent(of: before.magnitude))
    }
}
