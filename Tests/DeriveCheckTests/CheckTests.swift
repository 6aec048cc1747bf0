import Check
import Foundation
import Model
import Pipeline
import Testing
import TestSite

/// One minimal failing and one minimal passing case per rule, on the small base site of the corpus.
@Suite struct CheckTests {
    static let base = corpusBase
    static let disclosure = "departments/test-dept/2022/disclosure.yaml"

    func findings(_ edits: [String: (String) -> String] = [:], extraFiles: [String: String] = [:]) throws -> [Finding] {
        try DeriveCheckTests.findings(base: Self.base, edits: edits, extra: extraFiles)
    }

    func replacing(_ a: String, _ b: String) -> (String) -> String {
        { text in
            #expect(text.contains(a), "base lacks '\(a)'")
            return text.replacingOccurrences(of: a, with: b)
        }
    }

    func rules(_ f: [Finding]) -> [String] { severityAndRule(f) }

    @Test func baseSiteIsConsistent() throws {
        #expect(try findings().isEmpty)
    }

    @Test func rowTotal() throws {
        let f = try findings([Self.disclosure: replacing("[2010399, 50.00, 50.00,", "[2010399, 50.00, 49.00,")])
        #expect(rules(f).contains("E t02.row-total"))
        #expect(f.first { $0.rule == "t02.row-total" }?.location.line ?? 0 > 0)
    }

    @Test func subtotalOfEnteredParentRow() throws {
        let f = try findings([Self.disclosure: replacing("      - [2010399, 50.00, 40.00, 10.00, 0.00, 0.00, 0.00]",
                                                         "      - [201, 51.00, 41.00, 10.00, 0.00, 0.00, 0.00]\n      - [20103, 50.00, 40.00, 10.00, 0.00, 0.00, 0.00]\n      - [2010399, 50.00, 40.00, 10.00, 0.00, 0.00, 0.00]")])
        #expect(rules(f).contains("E t03.subtotal"))
        let finding = try #require(f.first { $0.rule == "t03.subtotal" && $0.column == "本年支出合计" })
        #expect(finding.expected?.description == "50.00" && finding.found?.description == "51.00")
        #expect(finding.computation == "03.20103.本年支出合计")
    }

    /// Subtotal and row-total formulas are stored per row (a shared grid), not as a list per cell:
    /// their terms must still be the children in the cell's column, and the parts in its row.
    @Test func derivedFormulasListTheirTerms() throws {
        let root = temporaryFolder("formulas").appendingPathComponent("content")
        try FileManager.default.copyItem(at: Self.base, to: root)
        var stages: [(String, Duration, Int)] = []
        let model = try Analyser.analyse(content: root, stages: &stages).get()
        let section = try #require(model.disclosures.all.first?.table(.t05).sections.first)
        let c = try #require(section.columnIndex("基本支出"))
        let row201 = try #require(section.rowIndex(.code("201")))
        #expect(section.rows[row201].cells[c].formula?.terms.map(\.description) == ["05.20103.基本支出"])
        let total = try #require(section.rowIndex(.total))
        #expect(section.rows[total].cells[c].formula?.terms.map(\.description) == ["05.201.基本支出", "05.208.基本支出"])
        let leaf = try #require(section.rowIndex(.code("2010399")))
        let rowTotal = try #require(section.rows[leaf].cells[0].formula)
        #expect(rowTotal.terms.map(\.description) == ["05.2010399.基本支出", "05.2010399.项目支出"])
        // Equal to the same sum written as a list, whatever the storage.
        #expect(rowTotal == Formula(sum: rowTotal.terms))
        #expect(Set([rowTotal, Formula(sum: rowTotal.terms)]).count == 1)
    }

    @Test func parentMissingInExportStyleTable() throws {
        let f = try findings([Self.disclosure: replacing("      - [2010399, 50.00, 40.00, 10.00, 0.00, 0.00, 0.00]",
                                                         "      - [201, 50.00, 40.00, 10.00, 0.00, 0.00, 0.00]\n      - [2010399, 50.00, 40.00, 10.00, 0.00, 0.00, 0.00]")])
        #expect(rules(f).contains("W t03.parent-missing"))
    }

    @Test func incomeLinesOf01() throws {
        let f = try findings([Self.disclosure: replacing("      一般公共预算财政拨款收入: 60.00", "      一般公共预算财政拨款收入: 60.00\n      本年收入合计: 61.00")])
        #expect(rules(f).contains("E t01.line.本年收入合计"))
    }

    @Test func classLinesOf01AgainstTable03() throws {
        let f = try findings([Self.disclosure: replacing("      结余分配: 0.00", "      \"201\": 40.00\n      结余分配: 0.00")])
        #expect(rules(f).contains("E t01.from-t03"))
    }

    @Test func balanceOf01() throws {
        let f = try findings([Self.disclosure: replacing("      年初结转和结余: 0.00", "      年初结转和结余: 5.00")])
        #expect(rules(f).contains("E t01.balance"))
    }

    @Test func fiscalIncomeOf02AgainstLines1To3Of01() throws {
        let f = try findings([Self.disclosure: replacing("      一般公共预算财政拨款收入: 60.00\n      其他收入: 0.00", "      一般公共预算财政拨款收入: 55.00\n      其他收入: 5.00")])
        #expect(rules(f).contains("E t02.fiscal-vs-t01"))
    }

    @Test func personnelPlusPublicAgainstBasicOf05() throws {
        let f = try findings([Self.disclosure: replacing("- [30101, 30.00]", "- [30101, 31.00]")])
        #expect(rules(f).contains("E t06.basic-vs-t05"))
    }

    /// Within the rounding tail a difference is a 提示 (possibly rounding), not a warning.
    @Test func roundingTailIsANote() throws {
        let f = try findings([Self.disclosure: replacing("- [30101, 30.00]", "- [30101, 30.01]")])
        #expect(rules(f) == ["I t06.basic-vs-t05"])
        #expect(f.first?.maybeRounding == true && f.first?.isEditorOnly == true)
    }

    @Test func threePublicSumsAndOverBudget() throws {
        let t09 = "  \"09\":\n    经费:\n      “三公”经费支出: [3.00, 3.00, 3.00]\n      因公出国（境）费: [1.00, 1.00, 2.00]\n      公务用车购置费: [0.00, 0.00, 0.00]\n      公务用车运行维护费: [0.00, 0.00, 0.00]\n      公务接待费: [0.00, 0.00, 0.00]\n"
        let f = try findings([Self.disclosure: { $0.replacingOccurrences(of: "tables:\n", with: "tables:\n" + t09) }])
        #expect(rules(f).contains("E t09.line.“三公”经费支出"))
        #expect(rules(f).contains("W t09.over-budget"))
        let explained = try findings([
            Self.disclosure: { $0.replacingOccurrences(of: "tables:\n", with: "tables:\n" + t09.replacingOccurrences(of: "[3.00, 3.00, 3.00]", with: "[1.00, 1.00, 2.00]")) },
            "departments/test-dept/2022/explanation.md": { $0 + "\n因公出国（境）费超出预算，原因是临时增加一次出访任务。\n" },
        ])
        #expect(!rules(explained).contains("W t09.over-budget"))
        #expect(!rules(explained).contains("E t09.line.“三公”经费支出"))
    }

    /// 国内接待费 spent, 批次 and 人次 owed (a checklist item of 决算公开 inspections).
    @Test func receptionSpendingWithoutItsCounts() throws {
        let t09 = "  \"09\":\n    经费:\n      公务接待费: [1.00, 1.00, ~]\n      国内接待费: 0.80\n    统计数:\n      国内公务接待批次: 0\n      国内公务接待人次: 12\n"
        let f = try findings([Self.disclosure: { $0.replacingOccurrences(of: "tables:\n", with: "tables:\n" + t09) }])
        #expect(f.filter { $0.rule == "t09.reception-counts" }.map(\.row) == ["国内公务接待批次"])
        let counted = try findings([Self.disclosure: { $0.replacingOccurrences(of: "tables:\n", with: "tables:\n" + t09.replacingOccurrences(of: "批次: 0", with: "批次: 3")) }])
        #expect(!rules(counted).contains("W t09.reception-counts"))
    }

    /// A form whose 行次 skip or repeat a number (as a document's misprinted column would, transcribed
    /// into its form file); the jump to a 合计/总计 line of the national 01 and 04 is not one.
    @Test func lineNumbersOfThePrintedForm() throws {
        #expect(!rules(try findings()).contains { $0.hasSuffix("line-numbers") })
        let form = "extends: \"2022\"\ntables:\n  \"01\":\n    lines:\n      一般公共预算财政拨款收入: {line: 2}\n"
        func numbering(_ form: String) throws -> [String] {
            try findings([Self.disclosure: replacing("form: 2022", "form: skip")], extraFiles: ["forms/skip.yaml": form])
                .filter { $0.rule == "t01.line-numbers" }.compactMap { $0.note?.key }
        }
        // 一般公共预算财政拨款收入 printed as 2, like 政府性基金预算财政拨款收入 after it.
        #expect(try numbering(form) == ["line-repeated"])
        // 1, 2, 4 …: 国有资本经营预算财政拨款收入 printed without its 行次 3.
        let gap = form.replacingOccurrences(of: "一般公共预算财政拨款收入: {line: 2}", with: "国有资本经营预算财政拨款收入: {line: ~}")
        let g = try numbering(gap)
        #expect(g == ["line-skipped"], "\(g)")
    }

    /// 功能分类 names of before 2019 in a later 情况说明.
    @Test func anOldClassNameInTheText() throws {
        let old = try findings(["departments/test-dept/2022/explanation.md": { $0 + "\n医疗卫生与计划生育支出（类）10.00万元。\n" }])
        #expect(rules(old).contains("W prose.old-name"))
        let new = try findings(["departments/test-dept/2022/explanation.md": { $0 + "\n卫生健康支出（类）10.00万元。\n" }])
        #expect(!rules(new).contains("W prose.old-name"))
    }

    /// A break between two tables is reported at each table where an editor typed one side of it:
    /// 01's 201 line (55.00) against 03's 201 row (50.00), at 01 and at 03.
    @Test func aBreakBetweenTablesIsReportedAtEachTable() throws {
        let f = try findings([Self.disclosure: {
            $0.replacingOccurrences(of: "      结余分配: 0.00\n", with: "      \"201\": 55.00\n      结余分配: 0.00\n")
                .replacingOccurrences(of: "      - [2010399, 50.00, 40.00, 10.00, 0.00, 0.00, 0.00]", with: "      - [201, 50.00, 40.00, 10.00, 0.00, 0.00, 0.00]\n      - [2010399, 50.00, 40.00, 10.00, 0.00, 0.00, 0.00]")
        }])
        let breaks = f.filter { $0.rule == "t01.from-t03" }
        #expect(breaks.map(\.table).sorted() == [1, 3], "\(breaks.map(\.message))")
        let at03 = try #require(breaks.first { $0.table == 3 })
        #expect(at03.expected?.description == "55.00" && at03.found?.description == "50.00" && at03.row == "201")
    }

    @Test func vehiclesOf10() throws {
        let t10 = "  \"10\":\n    决算数:\n      车辆数合计: 3\n      其他用车: 1\n"
        let f = try findings([Self.disclosure: { $0.replacingOccurrences(of: "tables:\n", with: "tables:\n" + t10) }])
        #expect(rules(f) == ["E t10.line.车辆数合计"])
    }

    /// Blank stays blank: a 类 line of 04 typed with its 合计 and a blank 一般公共预算 cell is not filled
    /// from 05 (as a document that prints it blank shows it); the break with 05 is reported at the
    /// blank cell, and 04's own sums are not thrown off by a figure it does not print.
    @Test func aBlankCellOfATypedLineIsNotFilledFromAnotherTable() throws {
        let t04 = "  \"04\":\n    支出:\n      \"201\": [50.00, ~, ~, ~]\n"
        let f = try findings([Self.disclosure: { $0.replacingOccurrences(of: "  \"05\":\n", with: t04 + "  \"05\":\n") }])
        let blank = try #require(f.first { $0.table == 4 && $0.row == "201" })
        #expect(blank.rule == "t04.from-t05" && blank.found == nil && blank.expected?.description == "50.00")
        #expect(blank.note?.key == "blank-but")
        #expect(blank.message.contains("表中为空白"))
        // The typed 合计 equals the sum of what the line prints (nothing else to report on the line).
        #expect(!rules(f).contains("E t04.row-total"))
    }

    /// 06's 公务接待费 and 公务用车运行维护费 (一般公共预算 基本支出) are parts of 09's lines (all 财政拨款).
    @Test func basicSpendingLinesOf06AboveThe09Lines() throws {
        let t09 = "  \"09\":\n    经费:\n      公务接待费: [1.00, 1.00, ~]\n      国内接待费: 3.00\n"
        let catalog = ["catalogs/2022/economic.yaml": { (text: String) in text + "\"30217\": 公务接待费\n" }]
        let over = try findings(catalog.merging([Self.disclosure: {
            $0.replacingOccurrences(of: "  \"05\":\n", with: t09 + "  \"05\":\n").replacingOccurrences(of: "- [30211, 5.00]", with: "- [30211, 1.00]\n      - [30217, 4.00]")
        }]) { a, _ in a })
        #expect(rules(over).contains("E t06.reception-over-t09"))
        let within = try findings(catalog.merging([Self.disclosure: {
            $0.replacingOccurrences(of: "  \"05\":\n", with: t09 + "  \"05\":\n").replacingOccurrences(of: "- [30211, 5.00]", with: "- [30211, 2.00]\n      - [30217, 3.00]")
        }]) { a, _ in a })
        #expect(!rules(within).contains("E t06.reception-over-t09"))
    }

    /// 机关运行经费 are a part of 06's 公用经费合计 (10.00 here): only more than it is a slip; less is
    /// what a department with 事业单位 or 资本性支出 prints (Shanghai Putuo 2025: 185.41 of 416.37).
    @Test func runningCostOf10AgainstPublicFundsOf06() throws {
        func form2023(_ running: String) -> (String) -> String {
            { text in
                text.replacingOccurrences(of: "form: 2022", with: "form: 2023")
                    .replacingOccurrences(of: "tables:\n", with: "tables:\n  \"10\":\n    统计数:\n      机关运行经费（行政单位）: \(running)\n")
            }
        }
        #expect(rules(try findings([Self.disclosure: form2023("11.00")])).contains("E t10.running-over-t06"))
        #expect(!rules(try findings([Self.disclosure: form2023("10.00")])).contains("E t10.running-over-t06"))
        #expect(!rules(try findings([Self.disclosure: form2023("9.00")])).contains("E t10.running-over-t06"))
    }

    @Test func yearOnYearJumpAndSignChange() throws {
        let disclosure = read(Self.base.appendingPathComponent(Self.disclosure))
        let lastYear = disclosure.replacingOccurrences(of: "year: 2022", with: "year: 2021")
            .replacingOccurrences(of: "- [30201, 5.00]", with: "- [30201, 0.10]").replacingOccurrences(of: "- [30211, 5.00]", with: "- [30211, 0.10]")
        var extra: [String: String] = ["departments/test-dept/2021/disclosure.yaml": lastYear,
                                       "departments/test-dept/2021/explanation.md": "上年。\n"]
        for file in ["functional", "economic"] {
            extra["catalogs/2021/\(file).yaml"] = read(Self.base.appendingPathComponent("catalogs/2022/\(file).yaml"))
        }
        let f = try findings(extraFiles: extra)
        #expect(f.contains { $0.rule == "yoy.jump" && $0.rowName == "公用经费" && $0.disclosure == "test-dept/2022" })
    }

    static let performance = """
    - kind: project
      title: 测试项目
      funds:
        columns: [项目, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分]
        rows:
          - [年度资金总额, 10.00, 10.00, 8.00, 10, "80.00%", 8]
      indicators:
        columns: [一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施]
        rows:
          - [产出指标, 数量指标, 培训人次, ">=30人", "32", 50, 50, ~]
          - [满意度指标, 满意度, 满意度, ">=90%", "95%", 40, 38, ~]
      total: {分值: 100, 得分: 96}
      grade: 优

    """

    @Test func performanceTablePasses() throws {
        #expect(try findings(extraFiles: ["departments/test-dept/2022/performance.yaml": Self.performance]).isEmpty)
    }

    @Test func performanceExecutionRateWeightsScoreAndGrade() throws {
        let broken = Self.performance.replacingOccurrences(of: "\"80.00%\"", with: "\"85.00%\"")
            .replacingOccurrences(of: "40, 38", with: "35, 38").replacingOccurrences(of: "得分: 96", with: "得分: 97")
            .replacingOccurrences(of: "grade: 优", with: "grade: 良")
        let r = rules(try findings(extraFiles: ["departments/test-dept/2022/performance.yaml": broken]))
        #expect(r.contains("E perf.execution-rate"))
        #expect(r.contains("E perf.weights-sum"))
        #expect(r.contains("E perf.score-sum"))
        #expect(r.contains("E perf.grade"))
    }

    @Test func reportScoreTable() throws {
        let report = { (total: String, grade: String) in """
        ---
        title: 测试评价报告
        table:
          columns: [一级指标, 分值, 三级指标, 分值, 得分]
          rows:
            - [决策, 60, 立项依据, 60, 55]
            - [效益, 40, 满意度, 40, 38]
            - [总分, 100, ~, 100, \(total)]
            - [评价等次, \(grade), ~, ~, ~]
        ---
        正文。
        """ }
        let ok = try findings(extraFiles: ["departments/test-dept/2022/reports/r.md": report("93", "优")])
        #expect(ok.isEmpty)
        let r = rules(try findings(extraFiles: ["departments/test-dept/2022/reports/r.md": report("96", "良")]))
        #expect(r.contains("E report.score-sum"))
        #expect(r.contains("E report.grade"))
    }

    @Test func literalFiguresInProse() throws {
        let prose = """
        本年支出合计60.00万元。基本支出50万元，占83.33%；项目支出10.00万元，占16.67%。
        人员经费40.00万元，公用经费10.00万元。
        """
        #expect(try findings(["departments/test-dept/2022/explanation.md": { _ in prose }]).isEmpty)
        let wrong = """
        基本支出55.57万元，占90%。
        公用经费0.5万元。
        """
        let f = try findings(["departments/test-dept/2022/explanation.md": { _ in wrong }])
        #expect(rules(f).sorted() == ["E prose.amount", "E prose.amount", "E prose.share"])
        let basic = try #require(f.first { $0.rule == "prose.amount" && $0.row == "基本支出" })
        #expect(basic.expected?.description == "50.00" && basic.found?.description == "55.57" && basic.location.line == 1)
    }

    @Test func proseWordsContradictTheirNumbers() throws {
        // The slips of docs/domain.md#the-explanation: an increase that is also a fall; a zero change that grew 100%.
        let f = try findings(["departments/test-dept/2022/explanation.md": { _ in "公用经费10.00万元，较上年增加0.11万元，下降100%。\n工资福利支出40.00万元，较上年增加0万元，增长100%。\n" }])
        #expect(rules(f).filter { $0 == "E prose.direction" }.count == 2)
    }

    @Test func jsonOutputFollowsTheSchemaFields() throws {
        let f = try findings([Self.disclosure: replacing("- [30101, 30.00]", "- [30101, 31.00]")])
        let json = FindingsJSON.encode(f)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let list = try #require(object["findings"] as? [[String: Any]])
        #expect(list.count == f.count)
        let first = try #require(list.first)
        for key in ["severity", "rule", "file", "line", "disclosure", "table", "tableName", "row", "rowName", "column", "expected", "computation", "found", "difference", "detail", "message"] {
            #expect(first.keys.contains(key), "missing \(key)")
        }
        #expect(first["expected"] as? String == "51.00")   // 人员经费合计 + 公用经费合计; found is 05 基本支出 50.00
    }
}
