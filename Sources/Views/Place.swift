import Charts
import Derive
import Model
import Support

/// A department's place among its peers on its disclosure page: for each fair measure it has, a
/// sentence (人均基本支出 20.00 万元，在南昌市东湖区 3 个行政单位中居第 1 位) and a row of a strip chart.
public struct PlaceView: Sendable {
    public var title: String
    public var statements: [String]
    /// Nil when no measure has a peer to be placed against.
    public var chart: ChartView?
}

/// The departments a disclosure is placed among — a region's departments of one 单位性质 with a
/// disclosure that year — compared once for all their pages: each page then finds its own line and
/// its places without comparing the whole set again (a set has hundreds of departments).
public struct PeerComparison: Sendable {
    let comparison: Comparison
    /// Of each department (slug), its line in `comparison.lines`.
    let lineOf: [String: Int]
    /// Of each measure: the lines that have it (ascending) and their values, in line order.
    let having: [String: [Int]]
    let values: [String: [Amount]]
    /// Of each measure: its values from high to low, where a place is found by binary search.
    let descending: [String: [Amount]]

    public init(_ peers: [(Department, Headline)]) {
        comparison = Comparison(headlines: peers.map { ($0.0, $0.1, nil) })
        let lines = comparison.lines
        lineOf = Dictionary(lines.indices.map { (lines[$0].department.slug, $0) }, uniquingKeysWith: { first, _ in first })
        var having: [String: [Int]] = [:], values: [String: [Amount]] = [:]
        for m in Comparison.measures {
            let with = lines.indices.filter { lines[$0].values[m.key] != nil }
            having[m.key] = with
            values[m.key] = with.map { lines[$0].values[m.key]! }
        }
        self.having = having
        self.values = values
        descending = values.mapValues { $0.sorted(by: >) }
    }

    /// How many values of a measure are above `v`.
    func above(_ v: Amount, _ key: String) -> Int { (descending[key] ?? []).partitioningIndex { $0 > v } }
}

extension ViewBuilder {
    /// `peers`: every department of the same region and 单位性质 with a disclosure that year (the
    /// page's own among them), with its headline figures. Nil when it has none of the measures.
    public func placeView(_ dept: Department, year: Int, regionName: String, peers: [(Department, Headline)]) -> PlaceView? {
        placeView(dept, year: year, regionName: regionName, peers: PeerComparison(peers))
    }

    public func placeView(_ dept: Department, year: Int, regionName: String, peers: PeerComparison) -> PlaceView? {
        guard let ownLine = peers.lineOf[dept.slug] else { return nil }
        let own = peers.comparison.lines[ownLine]
        var statements: [String] = [], rows: [StripRow] = []
        for m in Comparison.measures {
            guard let v = own.values[m.key] else { continue }
            let values = peers.values[m.key] ?? []
            // Ties share a place: one more than the number of peers above.
            let rank = peers.above(v, m.key) + 1
            let name = String(m.label.prefix { $0 != "（" })
            let figure = m.isPercent ? Format.percent(v) : Format.amount(v) + " 万元"
            let among = "在\(regionName) \(values.count) 个\(dept.kind)中"
            guard values.count > 1 else {
                statements.append("\(name) \(figure)，\(regionName)本年没有其他\(dept.kind)有此项，无从比较。")
                continue
            }
            statements.append("\(name) \(figure)，\(among)居第 \(rank) 位（从高到低）。")
            let ownIndex = (peers.having[m.key] ?? []).partitioningIndex { $0 < ownLine }
            rows.append(StripRow(label: name, values: values, own: ownIndex, figure: figure, place: "第 \(rank) 位 / 共 \(values.count) 个"))
        }
        guard !statements.isEmpty else { return nil }
        let title = "\(dept.name)在\(regionName)\(dept.kind)中的位置"
        let spec = Chart(id: "chart-place", title: "\(title)（\(year)年度）",
                         description: "每行一个指标：短竖线为同地区同类单位，粗标记为本单位；左端最低，右端最高。",
                         unit: "", labelHeader: "指标", valueHeader: "本单位", width: 560)
        if rows.isEmpty {
            return PlaceView(title: title, statements: ["\(regionName)本年公开决算的\(dept.kind)只有本单位，暂无同类单位可比。"], chart: nil)
        }
        return PlaceView(title: title, statements: statements,
                         chart: ChartBuilder.view("chart-place", title, Charts.strip(spec, rows), narrow: Charts.strip(ChartBuilder.narrow(spec), rows)))
    }
}
