import Foundation
@testable import Site
import Testing
import TestSite

/// Reading on a phone (issue #26): 01 and 04 as two stacked tables for narrow screens.
@Suite struct ReadingTests {
    static let page2022 = exampleBuild.output.appendingPathComponent("donghu-sme/2022/index.html")

    @Test("01 and 04 also print 收入 and 支出 as two tables, for narrow screens")
    func twoSidedTablesHaveStackedHalves() throws {
        _ = try exampleBuild.result.get()
        let html = read(Self.page2022)
        let tables = HTMLTables(html)
        for id in ["t01", "t04"] {
            let all = tables.tables.filter { $0.id == id && !$0.caption.hasSuffix("（数据）") }   // not the charts' tables
            try #require(all.count == 3, "\(id): the side-by-side table and its two halves")
            let (wide, income, spending) = (all[0], all[1], all[2])
            #expect(income.caption.contains("：收入") && spending.caption.contains("：支出"))
            // Every line of each side, in order, with the same cells as the side-by-side table.
            let half = try #require(wide.head[0].firstIndex(of: "支出"))
            let left = wide.body.map { Array($0.prefix(half)) }.filter { !($0.first ?? "").isEmpty }
            let right = wide.body.map { Array($0.dropFirst(half)) }.filter { !($0.first ?? "").isEmpty }
            #expect(income.body == left, "\(id) 收入")
            #expect(spending.body == right, "\(id) 支出")
        }
        // Only the two-sided tables have halves; the side-by-side one is marked for the media query.
        #expect(html.components(separatedBy: "<div class=\"stacked\">").count - 1 == 2)
        #expect(html.components(separatedBy: "table-scroll side-by-side").count - 1 == 2)
    }

    @Test("every chart also comes in its narrow form, with ids of its own")
    func chartsHaveNarrowForms() throws {
        _ = try exampleBuild.result.get()
        for path in ["donghu-sme/2022/index.html", "donghu-sme/index.html"] {
            let html = read(exampleBuild.output.appendingPathComponent(path))
            let figures = html.components(separatedBy: "<figure class=\"chart\"").count - 1
            #expect(figures > 0)
            #expect(html.components(separatedBy: "<div class=\"chart-narrow\"><svg").count - 1 == figures, "\(path)")
            #expect(html.components(separatedBy: "-narrow-title\">").count - 1 == figures, "\(path)")
            #expect(html.contains("viewBox=\"0 0 320 "))
        }
    }

    @Test("rows of zeros or blanks are marked, and only those; the button to hide them waits for scripts")
    func zeroRowsAreMarked() throws {
        _ = try exampleBuild.result.get()
        let html = read(Self.page2022)
        let rows = html.components(separatedBy: "<tr").dropFirst().map { String($0[..<($0.range(of: "</tr>")?.lowerBound ?? $0.endIndex)]) }
        func amounts(_ row: String) -> [String] {
            row.components(separatedBy: "class=\"num\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
        }
        func classes(_ row: String) -> [Substring] {
            guard row.hasPrefix(" class=\"") else { return [] }
            return row.dropFirst(8).prefix { $0 != "\"" }.split(separator: " ")
        }
        let blank: Set<String> = ["", "0.00", "——"]
        let zero = rows.filter { classes($0).contains("zero") }
        #expect(!zero.isEmpty)
        for row in zero { #expect(amounts(row).allSatisfy(blank.contains), "\(row)") }
        // No other line is all 0.00 (totals, headings and 栏次 aside).
        let lines = rows.filter { r in !classes(r).contains("zero") && classes(r).contains { $0.hasPrefix("level-") } }
        #expect(!lines.isEmpty)
        for row in lines { #expect(amounts(row).isEmpty || !amounts(row).allSatisfy { $0 == "0.00" }, "\(row)") }
        #expect(html.contains("<p class=\"zero-toggle\" hidden><button type=\"button\" aria-pressed=\"false\">"))
        #expect(html.contains("static/reading.js\" defer></script>"))
    }
}
