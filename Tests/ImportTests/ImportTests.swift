import Content
import Derive
import Foundation
@testable import Import
import Model
import Site
import Testing
import Views

@Suite struct ImportTests {
    /// Example disclosure → built site → its per-table CSVs → import → the same published cells.
    @Test func csvDownloadsRoundTrip() throws {
        let id = "donghu-sme/2022"
        let (original, _) = derived(exampleContent, id)
        let original_ = try #require(original)
        let tmp = temporaryFolder()
        let output = tmp.appendingPathComponent("public")
        if case .failure(let f) = SiteBuilder.build(BuildOptions(content: exampleContent, output: output)) { Issue.record("build failed: \(f)"); return }
        // The site's own downloads when the build publishes them, and CSVs written here from the spec.
        var sources: [URL] = []
        let built = output.appendingPathComponent("\(id)/data")
        if FileManager.default.fileExists(atPath: built.appendingPathComponent("t01.csv").path) { sources.append(built) }
        let spec = tmp.appendingPathComponent("spec-csv")
        try FileManager.default.createDirectory(at: spec, withIntermediateDirectories: true)
        for t in original_.tables { try Data(specCSV(t).utf8).write(to: spec.appendingPathComponent("t\(t.kind.code).csv")) }
        sources.append(spec)

        for source in sources {
            let content = try copyOfExampleContent()
            let options = ImportOptions(source: source, department: "donghu-sme", year: 2022, content: content)
            #expect(throws: ImportError.self) { try Importer.run(options) }   // never over an existing file without --force
            var forced = options
            forced.force = true
            let report = try Importer.run(forced)
            #expect(report.tables.allSatisfy { $0.source != nil })
            let written = try String(contentsOf: content.appendingPathComponent("departments/\(id)/disclosure.yaml"), encoding: .utf8)
            #expect(written.contains("published: 2023-09-15") && written.contains("institutions: [办公室, 政策指导股, 企业服务股]"))
            let (imported, diagnostics) = derived(content, id)
            #expect(!diagnostics.contains { $0.severity == .error && $0.location.file.hasPrefix("departments/\(id)") }, "\(diagnostics)")
            let a = publishedCells(original_), b = publishedCells(try #require(imported))
            #expect(a.count > 100)
            #expect(firstDifference(a, b) == nil, "\(source.lastPathComponent): \(firstDifference(a, b) ?? "")")
        }
    }

    /// Reference 000's tables as the 决算 software prints them, in an .xlsx → import → the hand-made disclosure's cells.
    @Test func xlsxOfReference000MatchesTheHandMadeDisclosure() throws {
        let id = "donghu-sme/2022"
        let book = temporaryFolder().appendingPathComponent("000.xlsx")
        try writeXLSX(try fixtureSheets("reference-000-tables.tsv"), to: book, tail: ["55.57": "55.569999999999993"])
        let content = try copyOfExampleContent()
        let report = try Importer.run(ImportOptions(source: book, department: "donghu-sme", year: 2022, content: content, force: true))
        #expect(report.form == 2022)
        #expect(report.tables.filter { $0.source == nil }.map(\.kind) == [.t07, .t08])
        let t01 = report.tables[0]
        #expect(t01.rounded.count == 6 && t01.rounded[0] == "第 6 行 一般公共预算财政拨款收入 决算数：'55.569999999999993' → 55.57")
        #expect(t01.skippedSummary.contains { $0.hasSuffix("（栏次行）") })
        #expect(report.tables[5].skippedSummary.contains { $0.contains("（公用支出合计：由 sitegen 计算") })
        #expect(report.tables[8].skippedSummary.contains { $0.hasSuffix("（没有金额的行）") })
        let (handMade, _) = derived(exampleContent, id)
        let (imported, diagnostics) = derived(content, id)
        #expect(!diagnostics.contains { $0.severity == .error && $0.location.file.hasPrefix("departments/\(id)") }, "\(diagnostics)")
        let a = publishedCells(try #require(handMade)), b = publishedCells(try #require(imported))
        #expect(firstDifference(a, b) == nil, "\(firstDifference(a, b) ?? "")\n\(report)")
    }

    @Test func amountsAreReadExactly() {
        func read(_ s: String, number: Bool = false, count: Bool = false) -> String {
            switch Text.amount(Sheet.Cell(s, isNumber: number), count: count) {
            case .blank: return "~"
            case .value(let t, let note): return t + (note == nil ? "" : " (rounded)")
            case .invalid: return "invalid"
            }
        }
        #expect(read("55.57") == "55.57")
        #expect(read("0.50") == "0.50")
        #expect(read("0.5", number: true) == "0.50")
        #expect(read("0", number: true) == "0.00")
        #expect(read("64.573", number: true) == "64.573")
        #expect(read("55.569999999999993", number: true) == "55.57 (rounded)")
        #expect(read("0.0049999999", number: true) == "0.00 (rounded)")
        #expect(read("99.995000001") == "100.00 (rounded)")
        #expect(read("-3.2", number: true) == "-3.20")
        #expect(read("1.2345E3", number: true) == "1234.50")
        #expect(read("5E-3", number: true) == "0.005")
        #expect(read("1,234.56") == "1234.56")
        #expect(read("５５．５７") == "55.57")
        #expect(read("１，２３４．５６") == "1234.56")
        #expect(read("1,23") == "invalid")
        #expect(read("十万") == "invalid")
        #expect(read("——") == "~")
        #expect(read("") == "~")
        #expect(read("3", number: true, count: true) == "3")
        #expect(read("1.00", count: true) == "1")
        #expect(read("55.57万元") == "invalid")
        #expect(read("1.5", count: true) == "invalid")
    }

    @Test func labelsMatchWithoutNumberingSpacesOrHalfWidthBrackets() {
        #expect(Text.core("一、车辆数合计(台、辆)") == "车辆数合计（台、辆）")
        #expect(Text.core("（1）公务用车购置费") == "公务用车购置费")
        #expect(Text.core("二十六、抗疫特别国债安排的支出") == "抗疫特别国债安排的支出")
        #expect(Text.core("一、“三公”经费支出") == "三公经费支出")
        #expect(Text.norm("项 目") == "项目")
        #expect(Importer.identify(Sheet(name: "Sheet3", source: "x", texts: [["收入支出决算总表"]])) == .t01)
        #expect(Importer.identify(Sheet(name: "Sheet3", source: "x", texts: [["编制单位：某局", "2022年度", "公开 05 表"]])) == .t05)
        #expect(Importer.identify(Sheet(name: "t08", source: "x", texts: [])) == .t08)
        #expect(Importer.identify(Sheet(name: "封面", source: "x", texts: [["2022年度部门决算"]])) == nil)
    }

    /// The 2023 wide 09 and the 2023 10, and 类|款|项 codes in separate columns.
    @Test func printedLayoutsOfThe2023Form() throws {
        let content = try copyOfExampleContent()
        let sheets: [(name: String, rows: [[String]])] = [
            ("三公", [["财政拨款“三公”经费支出决算表"], ["编制单位：东湖区中小企业服务局", "", "公开09表"],
                     ["预算数", "", "", "", "", "", "决算数"],
                     ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费", "合计", "因公出国（境）费", "公务用车购置及运行维护费", "", "", "公务接待费"],
                     ["", "", "小计", "公务用车购置费", "公务用车运行维护费", "", "", "", "小计", "公务用车购置费", "公务用车运行维护费", ""],
                     (1...12).map(String.init),
                     ["2.00", "0.00", "1.50", "0.00", "1.50", "0.50", "1.48", "0.00", "1.20", "0.00", "1.20", "0.28"]]),
            ("公开05表", [["一般公共预算财政拨款支出决算表"], ["类", "款", "项", "科目名称", "本年支出合计", "基本支出", "项目支出"],
                        ["", "", "", "栏次", "1", "2", "3"], ["", "", "", "合计", "10.00", "10.00", "0.00"],
                        ["201", "03", "01", "行政运行", "10.00", "10.00", "0.00"], ["999", "", "", "不存在", "1.00", "1.00", "0.00"]]),
        ]
        let book = temporaryFolder().appendingPathComponent("2024.xlsx")
        try writeXLSX(sheets, to: book)
        try FileManager.default.createDirectory(at: content.appendingPathComponent("catalogs/2024"), withIntermediateDirectories: true)
        for f in ["functional.yaml", "economic.yaml"] {
            try FileManager.default.copyItem(at: content.appendingPathComponent("catalogs/2023/\(f)"), to: content.appendingPathComponent("catalogs/2024/\(f)"))
        }
        // The row with an unknown code is not imported: the import stops, naming it, unless --allow-skipped.
        let refused = try #require(throws: ImportRefused.self) {
            try Importer.run(ImportOptions(source: book, department: "donghu-sme", year: 2024, content: content))
        }
        #expect(refused.report.dropped == ["2024.xlsx › 公开05表 第 6 行（未知的编码 999：不在 2024 年的科目目录中）"])
        #expect(!FileManager.default.fileExists(atPath: content.appendingPathComponent("departments/donghu-sme/2024").path))
        let report = try Importer.run(ImportOptions(source: book, department: "donghu-sme", year: 2024, content: content, allowSkipped: true))
        #expect(report.form == 2023)
        #expect(report.tables[4].rows == 2)
        #expect(report.tables[4].droppedSummary.contains { $0.contains("行（未知的编码 999") })
        #expect(report.checks.contains { $0.contains("编制单位：东湖区中小企业服务局（与 departments/donghu-sme/department.yaml 的 南昌市东湖区中小企业服务局 相符") })
        let (d, diagnostics) = derived(content, "donghu-sme/2024")
        #expect(!diagnostics.contains { $0.severity == .error && $0.location.file.hasPrefix("departments/donghu-sme/2024") }, "\(diagnostics)")
        let cells = publishedCells(try #require(d))
        #expect(cells.contains("09 经费 合计 合计: 2.00 | 1.48"))
        #expect(cells.contains("09 经费 公务接待费 公务接待费: 0.50 | 0.28"))
        #expect(cells.contains("05 科目 2010301 行政运行: 10.00 | 10.00 | 0.00"))
    }
}
