import Foundation
import Testing
import TestSite

/// The comparison pages of the example site: 未公开 rows, the sort marker and the sticky columns.
@Suite struct ComparePageTests {
    static func page(_ path: String) -> String { read(exampleBuild.output.appendingPathComponent("compare/" + path)) }

    @Test("a department without a disclosure that year is a row that says so and links to its page")
    func unpublishedRowsSaySo() throws {
        _ = try exampleBuild.result.get()
        // 信丰县工业和信息化局 publishes 2023 only: in 江西省's 2022 comparison it is 未公开.
        let page = Self.page("jiangxi/2022/index.html")
        #expect(page.contains("其中 1 个本年度未公开决算"))
        let table = try #require(HTMLTables(page).tables.first)
        let row = try #require(table.body.first { $0.contains("本年度未公开决算") })
        #expect(row[0].contains("信丰县"))
        #expect(page.contains("<a href=\"../../../xinfeng-gxj/\">"))
        #expect(!page.contains("xinfeng-gxj/2022/"))
        // Last in every sorted view, as a blank.
        for sorted in ["expenditure-desc.html", "expenditure-asc.html", "perStaff-desc.html"] {
            let body = try #require(HTMLTables(Self.page("jiangxi/2022/" + sorted)).tables.first).body.filter { !$0[0].contains("合计") }
            #expect(body.last?.contains("本年度未公开决算") == true, "\(sorted)")
        }
        // A region where every department published says nothing of it.
        #expect(!Self.page("jiangxi/2023/index.html").contains("未公开"))
    }

    @Test("a sorted view marks its column: aria-sort, the arrow, and the order in the caption")
    func sortedViewsMarkTheirColumn() throws {
        _ = try exampleBuild.result.get()
        let page = Self.page("jiangxi/2023/basicShare-asc.html")
        #expect(page.contains("aria-sort=\"ascending\" data-key=\"basicShare\""))
        #expect(page.components(separatedBy: "aria-hidden=\"true\">▲</span>").count == 2 && !page.contains(">▼</span>"))
        #expect(page.contains("<span data-sorted-by>按基本支出占比从低到高排列</span>"))
    }
}
