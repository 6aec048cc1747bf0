import Foundation
import Testing
import TestSite
@testable import Site
import Model

/// Reference 000 (南昌市东湖区中小企业服务局 2022, docs/domain.md#example-disclosures): every printed
/// row of tables 01–06 must appear in the rendered page, in the same table, with the same cells in
/// the same order.
@Suite struct GoldenTests {
    static let page = exampleBuild.output.appendingPathComponent("donghu-sme/2022/index.html")

    @Test func exampleSiteBuilds() throws {
        let report = try exampleBuild.result.get()
        #expect(report.disclosures >= 5)
        #expect(FileManager.default.fileExists(atPath: Self.page.path))
    }

    @Test func everyCellOfReference000IsInItsTableRowAndColumn() throws {
        _ = try exampleBuild.result.get()
        let html = HTMLTables(read(Self.page))
        let golden = read(goldenFolder.appendingPathComponent("ref000-tables.tsv"))
        var checked = 0
        var missing: [String] = []
        for line in golden.split(separator: "\n") where !line.hasPrefix("#") {
            var cells = line.split(separator: "\t").map(String.init)
            let tableID = cells.removeFirst()
            guard let table = html.table(tableID) else {
                Issue.record("table \(tableID) not on the page")
                continue
            }
            let rows = table.body.map { $0.filter { !$0.isEmpty } }
            if rows.contains(cells) { checked += 1 } else { missing.append("\(tableID): \(cells.joined(separator: " | "))") }
        }
        #expect(missing.isEmpty, "rows not found: \(missing.joined(separator: "\n"))")
        #expect(checked == 103)
    }

    @Test func headersNameEveryColumnOfTable02() throws {
        _ = try exampleBuild.result.get()
        let t02 = try #require(HTMLTables(read(Self.page)).table("t02"))
        let header = t02.head[0]
        #expect(header == ["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"])
        // 财政拨款收入 of 2010399 is the 4th cell of its row.
        let row = try #require(t02.body.first { $0.first == "2010399" })
        #expect(row[3] == "55.57")
    }

    @Test func emptyTablesPublishWithNoDataNote() throws {
        _ = try exampleBuild.result.get()
        let page = read(Self.page)
        #expect(page.components(separatedBy: "<p class=\"table-note\">本表无数据，说明见第三部分情况说明。</p>").count - 1 == 4)
        let html = HTMLTables(page)
        for id in ["t07", "t08", "t09", "t10"] {
            let t = try #require(html.table(id), "\(id) missing")
            #expect(!t.body.flatMap { $0 }.contains("本表无数据"), "\(id): the empty note belongs under the table")
            #expect(t.caption.contains("公开"))
        }
    }

    @Test func bothFormsOf06_09_10Render() throws {
        _ = try exampleBuild.result.get()
        let p2023 = HTMLTables(read(exampleBuild.output.appendingPathComponent("donghu-sme/2023/index.html")))
        let t06 = try #require(p2023.table("t06"))
        #expect(t06.head[0].filter { !$0.isEmpty } == ["人员经费", "公用经费"])
        #expect(t06.head[1].count == 12)   // four blocks of 科目编码, 科目名称, 决算数
        let t09 = try #require(p2023.table("t09"))
        #expect(t09.head[0].filter { !$0.isEmpty } == ["预算数", "决算数"])
        #expect(t09.body.count == 1 && t09.body[0].count == 12)
        let t10 = try #require(p2023.table("t10"))
        #expect(t10.body.contains { $0.first == "一、政府采购支出合计" })
        let p2022 = HTMLTables(read(Self.page))
        #expect(try #require(p2022.table("t06")).head[1].count == 6)
        #expect(try #require(p2022.table("t09")).head[0] == ["项目", "行次", "年初预算数", "全年预算数", "决算数"])
        #expect(try #require(p2022.table("t10")).caption.contains("国有资产占用情况表"))
    }

    @Test func proseFiguresComeFromTheTables() throws {
        _ = try exampleBuild.result.get()
        let html = read(Self.page)
        // 基本支出 is 0.50 in 公开03表 (the reference's prose said 55.57; sitegen prints the table's figure).
        #expect(html.contains("0.50"))
        #expect(!html.contains("{{"))
    }
}
