import Model

/// One bar or segment: a label and its figure. `nil` is a blank cell, shown as "—" with no bar.
public struct ChartItem: Sendable, Hashable {
    public var label: String
    public var value: Amount?
    /// Extra text for the bar's tooltip and a 说明 column in the text alternative.
    public var note: String?

    public init(_ label: String, _ value: Amount?, note: String? = nil) {
        self.label = label
        self.value = value
        self.note = note
    }
}

/// A named row of figures, one per category or period (missing trailing values count as blank).
public struct Series: Sendable, Hashable {
    public var name: String
    public var values: [Amount?]

    public init(_ name: String, _ values: [Amount?]) {
        self.name = name
        self.values = values
    }

    func value(at i: Int) -> Amount? { i < values.count ? values[i] : nil }
}

/// What every chart needs besides its figures.
public struct Chart: Sendable, Hashable {
    /// Caller-supplied, deterministic; prefixes every element id (`ID-title`, `ID-desc`, `ID-p2`).
    /// Characters other than ASCII letters, digits, `-` and `_` are replaced by `-`.
    public var id: String
    public var title: String
    public var description: String
    /// Unit of the figures, shown as 单位：… under the chart and in the table headers.
    public var unit: String
    /// Header of the label column of the text alternative (项目, 年度, 部门 …).
    public var labelHeader: String
    /// Header of the figure column of the text alternative for single-series charts.
    public var valueHeader: String
    /// Shown instead of geometry when every figure is zero or blank.
    public var emptyText: String
    /// Nominal width in px (the viewBox; trend charts grow wider when they need to).
    public var width: Int

    public init(id: String, title: String, description: String, unit: String = "万元",
                labelHeader: String = "项目", valueHeader: String = "金额",
                emptyText: String = "本年无此项支出", width: Int = 640) {
        self.id = id
        self.title = title
        self.description = description
        self.unit = unit
        self.labelHeader = labelHeader
        self.valueHeader = valueHeader
        self.emptyText = emptyText
        self.width = width
    }

    func header(_ name: String) -> String { unit.isEmpty ? name : "\(name)（\(unit)）" }
}

/// An inline SVG (no XML declaration) and the same figures as a small table for the page.
public struct RenderedChart: Sendable, Hashable {
    public let svg: String
    /// Header row, then one row per item with the figures exactly as labelled in the chart.
    public let textAlternative: [[String]]
    /// True when every figure was zero or blank and the SVG only shows `Chart.emptyText`.
    public let isEmpty: Bool
}

public enum TrendStyle: Sendable, Hashable {
    /// Vertical bars per period (grouped when there are several series).
    case columns
    /// A line per series, with a marker shape per series and value labels at the points.
    case line
}
