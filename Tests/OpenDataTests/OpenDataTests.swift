import Foundation
import Model
import Pipeline
import Support
import OpenData
@testable import Site
import Testing
import TestSite

@Suite struct OpenDataTests {
    static var data: URL { exampleBuild.output.appendingPathComponent("donghu-sme/2022/data") }

    @Test func csvHasBOMQuotedCodesAndExactDecimals() throws {
        _ = try exampleBuild.result.get()
        let bytes = try Data(contentsOf: Self.data.appendingPathComponent("t02.csv"))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == "部分,科目编码,项目,行次,本年收入合计,财政拨款收入,上级补助收入,事业收入,经营收入,附属单位上缴收入,其他收入")
        #expect(lines.contains("科目,\"2010399\",其他政府办公厅（室）及相关机构事务支出,,55.57,55.57,0.00,0.00,0.00,0.00,0.00"))
        // 0.50 stays 0.50 (not 0.5) in 03.
        let t03 = String(decoding: try Data(contentsOf: Self.data.appendingPathComponent("t03.csv")), as: UTF8.self)
        #expect(t03.contains(",55.57,0.50,55.07,"))
    }

    /// A region's long CSV is made from the table CSVs as written (a disclosure the build did not read
    /// is not read for it): they must give the bytes the disclosure gives, text that needs quoting or
    /// defusing included.
    @Test func longLinesFromTheTableCSVsEqualThoseFromTheDisclosure() throws {
        var stages: [(String, Duration, Int)] = []
        let model = try Analyser.analyse(content: exampleContent, stages: &stages).get()
        var lines = 0
        for d in model.disclosures.all {
            let dept = try #require(model.content.department(d.department))
            var tricky = d
            for t in tricky.tables.indices where !tricky.tables[t].sections.isEmpty && tricky.tables[t].sections[0].rows.count > 1 {
                tricky.tables[t].sections[0].rows[0].label = "a,\"b\"\r\nc"
                tricky.tables[t].sections[0].rows[1].label = "=SUM(A1)"
            }
            for disclosure in [d, tricky] {
                let csvs = disclosure.tables.map { (code: $0.kind.code, csv: Array(OpenData.tableCSV($0).utf8)) }
                let expected = OpenData.longLines(dept, disclosure)
                #expect(OpenData.longLines(dept, year: disclosure.year, tableCSVs: csvs) == expected, "\(disclosure.id)")
                lines += expected.components(separatedBy: "\r\n").count
            }
        }
        #expect(lines > 1000)
        // Not such a CSV: nil (the disclosure is then read).
        #expect(OpenData.longLines(model.content.departments[0], year: 2023, tableCSVs: [(code: "01", csv: Array("a,b\r\n".utf8))]) == nil)
    }

    @Test func spreadsheetFormulasInTextAreDefused() {
        let csv = OpenData.csv(header: ["项目", "金额"], rows: [["=HYPERLINK(\"x\")", "-3.20"], ["@SUM(A1)", "1.00"], ["+1", ""], ["-x", ""]], textColumns: [0])
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\",-3.20\r\n"))   // text defused, negative amount kept a number
        #expect(csv.contains("'@SUM(A1),1.00"))
        #expect(csv.contains("'+1,"))
        #expect(csv.contains("'-x,"))
    }

    @Test func jsonKeepsAmountsAsExactStrings() throws {
        _ = try exampleBuild.result.get()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.data.appendingPathComponent("t03.json"))) as? [String: Any]
        let sections = try #require(json?["sections"] as? [[String: Any]])
        let rows = try #require(sections.first?["rows"] as? [[String: Any]])
        let total = try #require(rows.first { $0["key"] as? String == "合计" })
        #expect((total["values"] as? [Any])?.compactMap { $0 as? String }.prefix(3) == ["55.57", "0.50", "55.07"])
        #expect((total["derived"] as? [Bool])?.first == false)   // 000 entered its 合计 row
    }

    @Test func jsonStringsEscapeQuotesControlsAndAngleBrackets() throws {
        #expect(JSONText.quote("一般公共预算") == "\"一般公共预算\"")   // nothing to escape: copied whole
        let hostile = "a\"b\\c\n\r\t<script>\u{01}é"
        let quoted = JSONText.quote(hostile)
        #expect(quoted == #""a\"b\\c\n\r\t\u003cscript>\u0001é""#)
        var appended = "["
        JSONText.quote(hostile, into: &appended)
        #expect(appended == "[" + quoted)
        let back = try JSONSerialization.jsonObject(with: Data("[\(quoted)]".utf8)) as? [String]
        #expect(back == [hostile])
    }

    @Test func dataPackagesListEveryTable() throws {
        _ = try exampleBuild.result.get()
        let package = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.data.appendingPathComponent("datapackage.json"))) as? [String: Any]
        #expect(package?["profile"] as? String == "tabular-data-package")
        #expect((package?["resources"] as? [Any])?.count == 10)
        let zip = exampleBuild.output.appendingPathComponent("compare/jiangxi/2023/jiangxi-2023.zip")
        let bytes = try Data(contentsOf: zip)
        #expect(Array(bytes.prefix(2)) == [0x50, 0x4B])   // PK
    }

    @Test func searchIndexListsEveryDepartment() throws {
        _ = try exampleBuild.result.get()
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: exampleBuild.output.appendingPathComponent("search/index.json"))) as? [[String: Any]]
        #expect(index?.count == 4)
        let page = read(exampleBuild.output.appendingPathComponent("search/index.html"))
        #expect(page.components(separatedBy: "data-terms=").count - 1 == 4)   // listed without scripts
    }
}
