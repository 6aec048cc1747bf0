import Model
import Support

/// A name a reader may look for on a disclosure page, and the `id` of where it is printed.
public struct SearchTerm: Sendable, Hashable {
    public var text: String
    public var anchor: String

    public init(_ text: String, anchor: String) {
        self.text = text
        self.anchor = anchor
    }
}

/// The site's search index of what the tables and attachments print (`search/terms.json`): the
/// names of 科目 (功能分类 类/款/项 and 经济分类 lines), the lines of 09 and 10 with the "三公"经费
/// items, and the 项目 of 绩效自评表 and 评价报告, each linking to its line on the page.
public enum SearchIndex {
    /// The tables in the order they are indexed: a 科目 printed in several tables (02, 03, 05, 07 …)
    /// is found once per disclosure, in the first of them (03, where it is spent).
    static let order: [TableKind] = [.t03, .t05, .t07, .t06, .t09, .t10, .t02, .t08]

    /// What a reader can find on a disclosure's page, in page order of the tables above.
    public static func terms(_ d: Disclosure) -> [SearchTerm] {
        var out: [SearchTerm] = [], seen: Set<String> = []
        func add(_ text: String, _ anchor: String, key: String) {
            if !text.isEmpty && seen.insert(key).inserted { out.append(SearchTerm(text, anchor: anchor)) }
        }
        for kind in order {
            let table = d.table(kind)
            guard !table.isEmpty else { continue }
            let printed = TableLayout.printable(table)
            let shape = TableLayout.shape(printed, table.printed ?? PrintedTable(number: kind.formNumber))
            let anchors = TableLayout.anchors(printed, shape)
            if kind == .t09 { add("“三公”经费", anchors.lazy.flatMap { $0 }.compactMap { $0 }.first ?? "t09-1", key: "三公") }
            if case .wide = shape {
                for item in TableLayout.threePublicItems { add(item, "t09-1", key: item) }
                continue
            }
            for (section, ids) in zip(printed.sections, anchors) {
                for (row, anchor) in zip(section.rows, ids) {
                    guard let anchor else { continue }
                    add(row.label, anchor, key: row.label + "|" + (row.code ?? anchor))
                }
            }
        }
        for (i, p) in d.performance.enumerated() { add(p.title, "performance-\(i + 1)", key: "performance|" + p.title) }
        for (i, r) in d.reports.enumerated() { add(r.title, "report-\(i + 1)", key: "report|" + r.title) }
        return out
    }

    /// `search/terms.json`: the disclosures' pages (path, title) and each term once, with the
    /// positions of the disclosures that print it as ranges ("0-41,57"): a 科目 most disclosures
    /// print costs a few bytes, not a number each. Terms sorted by text and anchor.
    public static func json(pages: [(path: String, title: String)], terms: [[SearchTerm]]) -> String {
        var postings: [SearchTerm: [Int]] = [:]
        for (i, list) in terms.enumerated() { for t in list { postings[t, default: []].append(i) } }
        let sorted = postings.keys.sorted { ($0.text, $0.anchor) < ($1.text, $1.anchor) }
        func q(_ s: String) -> String { JSONText.quote(s) }
        var out = "{\"pages\":[\n" + pages.map { "[\(q($0.path)),\(q($0.title))]" }.joined(separator: ",\n") + "],\n\"terms\":[\n"
        out += sorted.map { "[\(q($0.text)),\(q($0.anchor)),\(q(ranges(postings[$0]!)))]" }.joined(separator: ",\n")
        return out + "]}\n"
    }

    /// Ascending positions as ranges: [0, 1, 2, 5] → "0-2,5".
    static func ranges(_ positions: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < positions.count {
            var j = i
            while j + 1 < positions.count && positions[j + 1] == positions[j] + 1 { j += 1 }
            parts.append(i == j ? "\(positions[i])" : "\(positions[i])-\(positions[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}
