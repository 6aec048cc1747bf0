import Foundation
@testable import Import
import Testing

/// Columns and lines are matched by their header text, never by their position: each crafted
/// workbook below either maps by header or stops the import with a message that says why.
@Suite struct HeaderMatchingTests {
    static let unit = "编制单位：南昌市东湖区中小企业服务局"
    static let code = "2010399"
    static let name = "其他政府办公厅（室）及相关机构事务支出"

    /// Imports the sheets into a copy of the example content as donghu-sme's 2022 disclosure; the written YAML.
    func imported(_ sheets: [(name: String, rows: [[String]])], year: Int = 2022, allowSkipped: Bool = false,
                  forceUnit: Bool = false, forceYear: Bool = false) throws -> (report: ImportReport, yaml: String) {
        let book = temporaryFolder().appendingPathComponent("book.xlsx")
        try writeXLSX(sheets, to: book)
        let content = try copyOfExampleContent()
        let report = try Importer.run(ImportOptions(source: book, department: "donghu-sme", year: year, content: content, force: true,
                                                    forceUnit: forceUnit, forceYear: forceYear, allowSkipped: allowSkipped))
        let yaml = try String(contentsOf: content.appendingPathComponent("departments/donghu-sme/\(year)/disclosure.yaml"), encoding: .utf8)
        return (report, yaml)
    }

    /// The import's refusal (nothing written), or a recorded issue.
    func refused(_ sheets: [(name: String, rows: [[String]])], year: Int = 2022) throws -> ImportRefused? {
        let book = temporaryFolder().appendingPathComponent("book.xlsx")
        try writeXLSX(sheets, to: book)
        let content = try copyOfExampleContent()
        let before = try String(contentsOf: content.appendingPathComponent("departments/donghu-sme/2022/disclosure.yaml"), encoding: .utf8)
        let refusal = try #require(throws: ImportRefused.self) {
            try Importer.run(ImportOptions(source: book, department: "donghu-sme", year: year, content: content, force: true))
        }
        let after = try String(contentsOf: content.appendingPathComponent("departments/donghu-sme/2022/disclosure.yaml"), encoding: .utf8)
        #expect(before == after, "a refused import changed disclosure.yaml")
        return refusal
    }

    /// 公开02表 with the given header rows and data rows, under a title and the 编制单位 line.
    func income(_ header: [[String]], _ rows: [[String]], unit: String = unit, year: String = "2022年度") -> (name: String, rows: [[String]]) {
        ("公开02表", [["收入决算表"], [unit, "", year, "", "", "", "公开02表", "金额单位：万元"]] + header + rows)
    }

    /// The user's report: 上级补助收入 and 财政拨款收入 printed the other way round go where their headers say.
    @Test func swappedHeadersMapByHeader() throws {
        let sheet = income([["项目", "", "本年收入合计", "上级补助收入", "财政拨款收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"],
                            ["科目编码", "科目名称", "1", "2", "3", "4", "5", "6", "7"]],
                           [[Self.code, Self.name, "15.00", "5.00", "10.00", "0.00", "0.00", "0.00", "0.00"]])
        let (report, yaml) = try imported([sheet])
        #expect(yaml.contains("- [2010399, 15.00, 10.00, 5.00, 0.00, 0.00, 0.00, 0.00]"), "\(yaml)")
        #expect(report.tables[1].columns.contains("D 上级补助收入") && report.tables[1].columns.contains("E 财政拨款收入"), "\(report.tables[1].columns)")
        #expect(report.description.contains("列：C 本年收入合计；D 上级补助收入；E 财政拨款收入"), "\(report)")
    }

    /// Amount columns before the codes, in another order than the form's; a header with （万元）.
    @Test func reorderedColumns() throws {
        let sheet = ("公开05表", [["一般公共预算财政拨款支出决算表"], ["项目支出", "基本支出", "本年支出合计（万元）", "科目编码", "科目名称"],
                                 ["7.00", "3.00", "10.00", "2010301", "行政运行"]])
        let (_, yaml) = try imported([sheet])
        #expect(yaml.contains("- [2010301, 10.00, 3.00, 7.00]"), "\(yaml)")
    }

    /// A column whose header is not recognised is reported and not read; with content in it the
    /// import stops unless --allow-skipped; an empty one is no matter.
    @Test func extraUnknownColumns() throws {
        let sheet = ("公开05表", [["一般公共预算财政拨款支出决算表"],
                                 ["科目编码", "科目名称", "备注", "本年支出合计", "其他资金", "基本支出", "项目支出"],
                                 ["2010301", "行政运行", "含追加", "10.00", "", "3.00", "7.00"]])
        let refusal = try #require(try refused([sheet]))
        #expect(refusal.report.dropped == ["book.xlsx › 公开05表 C 列「备注」：不认识的表头，第 3 行有内容，未读取"], "\(refusal.report.dropped)")
        #expect(refusal.description.contains("--allow-skipped"))
        let (report, yaml) = try imported([sheet], allowSkipped: true)
        #expect(yaml.contains("- [2010301, 10.00, 3.00, 7.00]"), "\(yaml)")
        #expect(report.tables[4].unread.count == 1)
    }

    /// Names in a column without a header of its own, left of the amounts, are read as names.
    @Test func namesWithoutAHeaderLeftOfTheAmounts() throws {
        let sheet = ("公开05表", [["一般公共预算财政拨款支出决算表"], ["科目编码", "", "本年支出合计", "基本支出", "项目支出"],
                                 ["2010301", "行政运行", "10.00", "3.00", "7.00"]])
        let (report, yaml) = try imported([sheet])
        #expect(yaml.contains("- [2010301, 10.00, 3.00, 7.00]") && report.tables[4].unread.isEmpty, "\(report.tables[4].unread)")
    }

    /// Header texts as exports print them: numbering, full-width forms, spaces, quotes, line breaks.
    @Test func headerVariantsNameTheirColumns() {
        let specs = ["本年支出合计", "基本支出", "项目支出"].map { ColumnSpec($0, TableReader.aliases($0, kind: .t05, plainTotal: true)) }
        for header in [["一、本年支出合计", "（一）基本支出", "(二)项目支出"], ["本 年 支 出\n合 计", "1.基本支出", "２．项目支出"],
                       ["“本年支出合计”", "1、基本支出", "（２）项目支出"], ["合计", "基本支出（万元）", "项目支出"]] {
            let sheet = Sheet(name: "公开05表", source: "x", texts: [["科 目 编 码", "科目名称"] + header, ["2010301", "行政运行", "1.00", "1.00", "0.00"]])
            let layout = HeaderLayout.read(sheet, kind: .t05, specs: specs)
            #expect(layout.roles == [.label, .label, .amount("本年支出合计"), .amount("基本支出"), .amount("项目支出")], "\(header): \(layout.roles)")
        }
    }

    /// A header with nothing sitegen knows: no column is guessed, every row is listed.
    @Test func noRecognisedHeaderIsNotGuessed() throws {
        let sheet = ("公开05表", [["一般公共预算财政拨款支出决算表"], ["科目编码", "科目名称", "甲", "乙", "丙"],
                                 ["2010301", "行政运行", "10.00", "3.00", "7.00"]])
        let refusal = try #require(try refused([sheet]))
        #expect(refusal.report.dropped.contains { $0.contains("第 3 行（表头中没有认出任何金额列（应有：本年支出合计、基本支出、项目支出）") }, "\(refusal.report.dropped)")
        #expect(refusal.report.dropped.contains { $0.contains("C 列「甲」：不认识的表头") })
    }

    /// Headers merged over two rows: 本年支出 over 小计/基本支出/项目支出 (07), and over 合计/基本支出/项目支出 (05);
    /// the group's text is only in the first cell it spans, as a workbook stores a merged cell.
    @Test func mergedHeaderRows() throws {
        let t07 = ("公开07表", [["政府性基金预算财政拨款收入支出决算表"],
                               ["科目编码", "科目名称", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
                               ["", "", "", "", "小计", "基本支出", "项目支出", ""],
                               ["栏次", "", "1", "2", "3", "4", "5", "6"],
                               ["2010301", "行政运行", "1.00", "10.00", "9.00", "4.00", "5.00", "2.00"]])
        let t05 = ("公开05表", [["一般公共预算财政拨款支出决算表"],
                               ["项 目", "", "本年支出", "", ""],
                               ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
                               ["2010301", "行政运行", "9.00", "4.00", "5.00"]])
        let (report, yaml) = try imported([t05, t07])
        #expect(yaml.contains("- [2010301, 1.00, 10.00, 9.00, 4.00, 5.00, 2.00]"), "\(yaml)")
        #expect(yaml.contains("- [2010301, 9.00, 4.00, 5.00]"), "\(yaml)")
        #expect(report.tables[6].columns.contains("E「本年支出/小计」→ 本年支出合计"), "\(report.tables[6].columns)")
    }

    /// An empty table: its 合计 row with blank amounts right below the header is a row, not a header line.
    @Test func blankTotalRowIsNotAHeader() throws {
        let sheet = ("公开07表", [["政府性基金预算财政拨款收入支出决算表"],
                                 ["科目名称", "年初结转和结余", "本年收入", "本年支出", "", "", "年末结转和结余"],
                                 ["", "", "", "小计", "基本支出", "项目支出", ""],
                                 ["合计", "", "", "", "", "", ""]])
        let (report, _) = try imported([sheet])
        #expect(report.tables[6].columns.count == 6 && report.tables[6].dropped.isEmpty, "\(report.tables[6].columns)")
        #expect(report.tables[6].rows == 1)
    }

    /// 类 | 款 | 项 in three columns; 科目编码 and 科目名称 in one cell; full-width digits.
    @Test func splitAndJoinedCodes() throws {
        let t05 = ("公开05表", [["一般公共预算财政拨款支出决算表"], ["类", "款", "项", "科目名称", "本年支出合计", "基本支出", "项目支出"],
                               ["", "", "", "栏 次", "1", "2", "3"],
                               ["201", "", "", "一般公共服务支出", "10.00", "3.00", "7.00"],
                               ["201", "03", "", "政府办公厅（室）及相关机构事务", "10.00", "3.00", "7.00"],
                               ["201", "03", "01", "行政运行", "10.00", "3.00", "7.00"]])
        let t02 = income([["科目编码及名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]],
                         [["２０１０３０１ 行政运行", "10.00", "10.00", "0.00", "0.00", "0.00", "0.00", "0.00"]])
        let (report, yaml) = try imported([t02, t05])
        for row in ["- [201, 10.00, 3.00, 7.00]", "- [20103, 10.00, 3.00, 7.00]", "- [2010301, 10.00, 3.00, 7.00]",
                    "- [2010301, 10.00, 10.00, 0.00, 0.00, 0.00, 0.00, 0.00]"] {
            #expect(yaml.contains(row), "\(row)\n\(yaml)")
        }
        #expect(report.tables[4].rows == 3 && report.tables[1].rows == 1)
    }

    /// 编制单位, 年度 and 单位 lines above the header, 注 and 说明 rows below the data: recognised and skipped.
    @Test func noteAndUnitRowsAreSkipped() throws {
        let sheet = ("公开05表", [["一般公共预算财政拨款支出决算表"], [Self.unit], ["2022年度"], ["", "", "", "单位：万元"],
                                 ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"],
                                 ["2010301", "行政运行", "10.00", "3.00", "7.00"],
                                 [],
                                 ["注：本表反映部门本年度一般公共预算财政拨款支出情况。"], ["说明：本表金额单位为万元。"]])
        let (report, _) = try imported([sheet])
        let t = report.tables[4]
        #expect(t.dropped.isEmpty && t.errors.isEmpty)
        #expect(t.skippedSummary.first == "第 1–5 行（表名、编制单位和表头）" && t.skippedSummary.last == "第 8–9 行（注释）", "\(t.skippedSummary)")
        #expect(report.checks.contains { $0.hasPrefix("编制单位：南昌市东湖区中小企业服务局（与") } && report.checks.contains("年度：2022（与 --year 相符）"), "\(report.checks)")
    }

    /// An export printed over pages repeats its title, 编制单位 and header lines between the data rows;
    /// a 编制单位 cell may hold the year and the unit as well.
    @Test func repeatedHeadersAndUnitCellsWithYear() throws {
        let header = ["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
        let sheet = ("公开02表", [["收入决算表"], ["编制单位：南昌市东湖区中小企业服务局 2022年度 金额单位：万元"], header,
                                 ["201", "一般公共服务支出", "15.00", "10.00", "5.00", "0", "0", "0", "0"],
                                 ["收入决算表"], ["编制单位：南昌市东湖区中小企业服务局 2022年度 金额单位：万元"], header,
                                 [Self.code, Self.name, "15.00", "10.00", "5.00", "0", "0", "0", "0"]])
        let (report, yaml) = try imported([sheet])
        #expect(yaml.contains("- [201, 15.00") && yaml.contains("- [2010399, 15.00"), "\(yaml)")
        #expect(report.tables[1].skippedSummary.contains("第 5–7 行（重复的表名、编制单位或表头（分页打印））"), "\(report.tables[1].skippedSummary)")
        #expect(report.checks.contains { $0.hasPrefix("编制单位：南昌市东湖区中小企业服务局（与") }, "\(report.checks)")
        #expect(SheetMeta.cutAtYearOrUnit("某某局 2022年度") == "某某局" && SheetMeta.cutAtYearOrUnit("某某局") == "某某局")
        #expect(SheetMeta.sameUnit("东湖区中小企业服务局", "南昌市东湖区中小企业服务局") && !SheetMeta.sameUnit("南昌市西湖区财政局", "南昌市东湖区中小企业服务局"))
    }

    /// Another unit's workbook stops the import, naming both; --force-unit imports it. The same for the year.
    @Test func anotherUnitOrYearStops() throws {
        let row = [Self.code, Self.name, "15.00", "10.00", "5.00", "0.00", "0.00", "0.00", "0.00"]
        let header = [["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]]
        let other = income(header, [row], unit: "编制单位：南昌市西湖区财政局")
        let refusal = try #require(try refused([other]))
        #expect(refusal.reasons.count == 1 && refusal.reasons[0].contains("南昌市西湖区财政局") && refusal.reasons[0].contains("南昌市东湖区中小企业服务局")
                && refusal.reasons[0].contains("--force-unit"), "\(refusal.reasons)")
        let (report, yaml) = try imported([other], forceUnit: true)
        #expect(yaml.contains("- [2010399, 15.00, 10.00, 5.00"))
        #expect(report.checks.contains { $0.contains("南昌市西湖区财政局") && $0.contains("--force-unit") })

        let lastYear = income(header, [row], year: "2021年度")
        let wrongYear = try #require(try refused([lastYear]))
        #expect(wrongYear.reasons.count == 1 && wrongYear.reasons[0].contains("2021 年度") && wrongYear.reasons[0].contains("--year 是 2022"), "\(wrongYear.reasons)")
        _ = try imported([lastYear], forceYear: true)
    }

    /// Text where an amount belongs is an error naming sheet, row, column and header; a grouped
    /// thousands separator (1,234.56) is read as the number it can only be.
    @Test func textAmountsAreErrors() throws {
        let header = [["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]]
        let refusal = try #require(try refused([income(header, [[Self.code, Self.name, "十万", "十万", "", "", "", "", ""]])]))
        #expect(refusal.report.errors == ["book.xlsx › 公开02表 第 4 行 C 列（本年收入合计）：'十万' 不是金额",
                                          "book.xlsx › 公开02表 第 4 行 D 列（财政拨款收入）：'十万' 不是金额"], "\(refusal.report.errors)")
        #expect(refusal.reasons[0].hasPrefix("2 个单元格不是金额"))
        let (_, yaml) = try imported([income(header, [[Self.code, Self.name, "1,234.56", "1,234.56", "0", "0", "0", "0", "0"]])])
        #expect(yaml.contains("- [2010399, 1234.56, 1234.56, 0.00"), "\(yaml)")
        for ambiguous in ["1,23", "1 234.56", "1.234,56", "12万", "(5.00)"] {
            if case .invalid = Text.amount(Sheet.Cell(ambiguous), count: false) {} else { Issue.record("'\(ambiguous)' read as an amount") }
        }
    }

    /// Fixed-line tables read their columns by header too: 09's three columns in another order.
    @Test func fixedLinesReadColumnsByHeader() throws {
        let sheet = ("公开09表", [["财政拨款“三公”经费支出决算表"], ["项目", "栏次", "决算数", "全年预算数", "年初预算数"],
                                 ["行次", "", "1", "2", "3"],
                                 ["1.因公出国（境）费", "2", "1.00", "2.00", "3.00"],
                                 ["（１）公务用车购置费", "4", "0.50", "0.60", "0.70"]])
        let (report, yaml) = try imported([sheet])
        #expect(yaml.contains("因公出国（境）费: [3.00, 2.00, 1.00]") && yaml.contains("公务用车购置费: [0.70, 0.60, 0.50]"), "\(yaml)")
        #expect(report.tables[8].columns == ["C 决算数", "D 全年预算数", "E 年初预算数"], "\(report.tables[8].columns)")
    }

    /// 04's two blocks side by side, the fund columns of 支出 in another order and 行次 after the amounts.
    @Test func sideBySideBlocksByHeader() throws {
        let sheet = ("公开04表", [["财政拨款收入支出决算总表"],
                                 ["收 入", "", "", "支 出"],
                                 ["项 目", "金额", "行次", "项目（按功能分类）", "合计", "国有资本经营预 算财政拨款", "一般公共预算 财政拨款", "政府性基金预 算财政拨款", "行次"],
                                 ["一、一般公共预算财政拨款", "6.00", "1", "年末财政拨款结转和结余", "6.00", "3.00", "1.00", "2.00", "60"],
                                 ["一、一般公共预算财政拨款", "0.50", "29", "", "", "", "", "", "61"]])
        let (report, yaml) = try imported([sheet])
        #expect(yaml.contains("年末财政拨款结转和结余: [6.00, 1.00, 2.00, 3.00]"), "\(yaml)")
        #expect(yaml.contains("一般公共预算财政拨款: 6.00") && yaml.contains("年初一般公共预算财政拨款: 0.50"), "\(yaml)")
        #expect(report.tables[3].columns.contains("F「支出/国有资本经营预算财政拨款」→ 国有资本经营预算财政拨款"), "\(report.tables[3].columns)")
    }

    /// A second sheet of the same table is not read: the import stops, naming it, unless --allow-skipped.
    @Test func aSecondSheetOfATableStops() throws {
        let header = ["科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"]
        let first = ("公开05表", [["一般公共预算财政拨款支出决算表"], header, ["2010301", "行政运行", "10.00", "3.00", "7.00"]])
        let second = ("公开05表(2)", [["一般公共预算财政拨款支出决算表"], header, ["2010399", Self.name, "1.00", "1.00", "0.00"]])
        let refusal = try #require(try refused([first, second]))
        #expect(refusal.report.dropped == ["book.xlsx › 公开05表(2)：公开05表第二次出现（第一次：公开05表），整张表未导入"], "\(refusal.report.dropped)")
        let (_, yaml) = try imported([first, second], allowSkipped: true)
        #expect(yaml.contains("- [2010301, 10.00") && !yaml.contains("- [2010399"))
    }

    /// A sheet of header words only keeps at most 12 header rows (each adds a text to every
    /// column's header); the rest are read as repeated headers.
    @Test func headerRowsAreBounded() {
        let sheet = Sheet(name: "公开05表", source: "x", texts: Array(repeating: Array(repeating: "项目", count: 100), count: 2_000))
        let layout = HeaderLayout.read(sheet, kind: .t05, specs: [ColumnSpec("基本支出")])
        #expect(layout.headerRows.count == HeaderLayout.maxHeaderRows && layout.stacks.allSatisfy { $0.count <= HeaderLayout.maxHeaderRows })
        #expect(layout.isRepeatedHeader(sheet.rows[1_999].cells, kind: .t05))
    }

    /// An amount in the 行次 column is not taken for a 行次, nor read as an amount: it is listed.
    @Test func anAmountInTheLineNumberColumnIsListed() throws {
        let sheet = ("公开09表", [["财政拨款“三公”经费支出决算表"], ["项目", "行次", "年初预算数", "全年预算数", "决算数"],
                                 ["1.因公出国（境）费", "1.50", "3.00", "2.00", "1.00"]])
        let refusal = try #require(try refused([sheet]))
        #expect(refusal.report.dropped == ["book.xlsx › 公开09表 B 列「行次」：行次列中不是行次的内容，第 3 行有内容，未读取"], "\(refusal.report.dropped)")
    }

    /// The command line: a refused import exits 1 with the report on standard output and the
    /// reasons on standard error; the report is in English with --lang en.
    @Test func commandLineExitsNonZeroAndSpeaksEitherLanguage() throws {
        let header = [["科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]]
        let book = temporaryFolder().appendingPathComponent("book.xlsx")
        try writeXLSX([income(header, [[Self.code, Self.name, "十万", "", "", "", "", "", ""]])], to: book)
        let content = try copyOfExampleContent()
        let zh = try runSitegen(["import", book.path, "--department", "donghu-sme", "--year", "2022", "--content", content.path, "--force"])
        #expect(zh.status == 1 && zh.stderr.contains("第 4 行 C 列（本年收入合计）：'十万' 不是金额") && zh.stderr.contains("未写入任何文件"), "\(zh.stderr)")
        #expect(zh.stdout.contains("列：C 本年收入合计"), "\(zh.stdout)")
        let en = try runSitegen(["import", book.path, "--department", "donghu-sme", "--year", "2022", "--content", content.path, "--force", "--lang", "en"])
        #expect(en.status == 1 && en.stderr.contains("row 4, column C (本年收入合计): '十万' is not an amount") && en.stdout.contains("columns: C 本年收入合计"),
                "\(en.stdout)\n\(en.stderr)")
    }
}
