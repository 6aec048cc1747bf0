import Model

/// The figures that summarise a disclosure on department, index and comparison pages.
public struct Headline: Sendable, Hashable {
    public struct Figure: Sendable, Hashable {
        public var key: String
        public var label: String
        public var path: FigurePath
    }

    /// Where each headline figure lives; one list shared by every page that shows them.
    public static let figures: [Figure] = [
        Figure(key: "income", label: "本年收入合计", path: FigurePath(table: 1, row: "本年收入合计", column: nil)),
        Figure(key: "expenditure", label: "本年支出合计", path: FigurePath(table: 1, row: "本年支出合计", column: nil)),
        Figure(key: "fiscal", label: "财政拨款收入", path: FigurePath(table: 2, row: "合计", column: "财政拨款收入")),
        Figure(key: "basic", label: "基本支出", path: FigurePath(table: 3, row: "合计", column: "基本支出")),
        Figure(key: "project", label: "项目支出", path: FigurePath(table: 3, row: "合计", column: "项目支出")),
        Figure(key: "personnel", label: "人员经费", path: FigurePath(table: 6, row: "人员经费合计", column: nil)),
        Figure(key: "public", label: "公用经费", path: FigurePath(table: 6, row: "公用经费合计", column: nil)),
    ]

    public var values: [String: Amount]

    public init(_ d: Disclosure) {
        var values: [String: Amount] = [:]
        for f in Headline.figures {
            if case .success(let (_, _, cell)) = FigureBook.locate(f.path, in: d), let v = cell.value { values[f.key] = v }
        }
        // “三公”经费 决算: the 合计 line of 09 in either form.
        let threePublic = d.form >= 2023 ? FigurePath(table: 9, row: "合计", column: "决算数") : FigurePath(table: 9, row: "“三公”经费支出", column: "决算数")
        if case .success(let (_, _, cell)) = FigureBook.locate(threePublic, in: d), let v = cell.value { values["threePublic"] = v }
        self.values = values
    }

    public static let threePublicLabel = "“三公”经费支出"

    /// Labels in display order, including “三公”经费.
    public static var orderedKeys: [(String, String)] { figures.map { ($0.key, $0.label) } + [("threePublic", threePublicLabel)] }

    public subscript(key: String) -> Amount? { values[key] }
}
