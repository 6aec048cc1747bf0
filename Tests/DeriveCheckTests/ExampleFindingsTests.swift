import Check
import Foundation
import Model
import Pipeline
import Testing
import TestSite

/// The findings `sitegen check` reports on the example content, each verified by hand against the
/// source document (000, 001, 003: docs/domain.md#example-disclosures).
@Suite struct ExampleFindingsTests {
    func analyse(_ content: URL) throws -> [Finding] { try analysedFindings(content) }

    func summary(_ f: [Finding]) -> [String] {
        zip(f, severityAndRule(f)).map { "\($0.disclosure) \($1) \($0.column) \($0.expected?.description ?? "") \($0.found?.description ?? "")" }
    }

    @Test func findingsOnTheExampleContent() throws {
        let got = summary(try analyse(exampleContent))
        let expected = [
            // 003 (changji-sme/2023/explanation.md, 一): 本年收入合计 292.54 + 使用非财政拨款结余 221.42 + 年初结转和结余 0.00 = 513.96, but it prints 总计 513.95 (within rounding: 提示).
            "changji-sme/2023 I t01.line.总计 决算数 513.96 513.95",
            // 003 (its explanation.md, 五（三）): its eleven 项 add up to 292.53; 五（一） and 四 say 292.54 (within rounding: 提示).
            "changji-sme/2023 I t04.line.本年支出合计 合计 292.53 292.54",
            "changji-sme/2023 I t04.line.本年支出合计 一般公共预算财政拨款 292.53 292.54",
            "changji-sme/2023 I t05.subtotal 本年支出合计 292.53 292.54",
            // 000 项目支出绩效自评表 (开办费): 分值 10 (funds) + 85 (fourteen indicators) = 95, printed total 100
            // (what the parts give is expected, the 总分 typed is found).
            "donghu-sme/2022 E perf.weights-sum 分值 95 100",
            // The composed 2023 disclosure of the same unit jumps on 2022 (基本支出 0.50 → 113.34), but the unit
            // was set up in July 2022 (department.yaml `established: 2022-07`): no year-on-year warning.
            // 001 部门评价评分表: its 三级 得分 add up to 94; the report states 96.
            "xinfeng-gxj/2023 E report.score-sum 得分 94 96",
        ]
        #expect(got == expected, "\(got.joined(separator: "\n"))")
    }

    /// 000's 情况说明 typed its figures by hand; restated here with the same figures, the checker finds
    /// the two slips of the document: 基本支出 55.57 where its tables say 0.50, and a change of 0 that "grew 100%".
    @Test func literalFiguresOfReference000AgainstItsTables() throws {
        let root = temporaryFolder("prose000")
        try FileManager.default.copyItem(at: exampleContent, to: root.appendingPathComponent("content"))
        let content = root.appendingPathComponent("content")
        let target = content.appendingPathComponent("departments/donghu-sme/2022/explanation.md")
        try FileManager.default.removeItem(at: target)
        try FileManager.default.copyItem(at: goldenFolder.appendingPathComponent("ref000-prose-claims.md"), to: target)
        let prose = try analyse(content).filter { $0.disclosure == "donghu-sme/2022" && $0.rule.hasPrefix("prose.") }
        #expect(prose.map { "\($0.location.line) \($0.rule) \($0.row)" } == ["4 prose.amount 一般公共预算财政拨款基本支出", "6 prose.direction 对个人和家庭的补助"])
        let basic = try #require(prose.first)
        #expect(basic.expected?.description == "0.50" && basic.found?.description == "55.57")
    }
}
