import Foundation
import Model
@testable import Site
import Testing
import TestSite

/// Forms are data: a site prints a provincial variant of a national form with one form file in
/// `content/forms/` and no Swift change (docs/forms.md).
@Suite struct FormsTests {
    /// A variant of the 2023 form as a province prints it: its own title, number and notes for 10,
    /// 10's lines under a 政府采购情况 heading with their own labels and without 机关运行经费合计,
    /// blank 类 lines in 04, an empty-table note naming the year in 07, nine tables (no 08).
    static let variant = """
    extends: "2023"
    order: ["01", "02", "03", "04", "05", "06", "07", "09", "10"]
    tables:
      "04":
        absent_lines: blank
      "07":
        empty_note: 注：本单位{year}年度无政府性基金预算财政拨款收入、支出及结转和结余，故本表为空表。
      "10":
        number: 表10
        title: 部门决算相关信息统计表
        notes: ["注：本表反映本单位{year}年度政府采购、机关运行经费和国有资产占用情况。"]
        lines:
          政府采购支出合计: {label: 合计}
          政府采购货物支出: {label: 货物}
          政府采购工程支出: {label: 工程}
          政府采购服务支出: {label: 服务}
          机关运行经费合计: {hidden: true}
        headings:
          - {before: 政府采购支出合计, label: 政府采购情况}
    """

    static func site(_ name: String, form: String = variant, edit: (String) -> String = { $0 }) throws -> (URL, URL, URL) {
        let (root, content, output) = try copyOfExampleSite(name)
        try FileManager.default.createDirectory(at: content.appendingPathComponent("forms"), withIntermediateDirectories: true)
        try form.write(to: content.appendingPathComponent("forms/variant.yaml"), atomically: true, encoding: .utf8)
        let file = content.appendingPathComponent("departments/donghu-sme/2023/disclosure.yaml")
        try edit(read(file).replacingOccurrences(of: "form: 2023", with: "form: variant")).write(to: file, atomically: true, encoding: .utf8)
        return (root, content, output)
    }

    @Test("a provincial variant prints with one form file and no Swift change")
    func variantPrintsAsItsDocument() throws {
        let (_, content, output) = try Self.site("forms-variant")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let html = read(output.appendingPathComponent("donghu-sme/2023/index.html"))
        let tables = HTMLTables(html)
        #expect(tables.table("t08") == nil && tables.table("t09") != nil)
        let t10 = try #require(tables.table("t10"))
        #expect(t10.caption.hasPrefix("表10 部门决算相关信息统计表"))
        let labels = t10.body.map { $0.first ?? "" }
        #expect(Array(labels.prefix(5)) == ["政府采购情况", "合计", "货物", "工程", "服务"])
        #expect(!labels.contains { $0.contains("机关运行经费合计") })
        #expect(t10.body[1].contains("10.86"))   // 合计 = 2.36 + 0.00 + 8.50, still derived
        #expect(html.contains("注：本表反映本单位2023年度政府采购、机关运行经费和国有资产占用情况。"))
        #expect(html.contains("注：本单位2023年度无政府性基金预算财政拨款收入、支出及结转和结余，故本表为空表。"))
        // 04's 类 lines that nothing fills print blank, not 0.00.
        let t04 = try #require(tables.table("t04"))
        let defence = try #require(t04.body.first { $0.contains { $0.hasSuffix("国防支出") } })
        let at = try #require(defence.firstIndex { $0.hasSuffix("国防支出") })
        let blank = defence[(at + 2)...].allSatisfy { $0.isEmpty }
        #expect(blank, "\(defence)")
        // The other disclosures keep the national form.
        let national = HTMLTables(read(output.appendingPathComponent("donghu-sme/2022/index.html")))
        let nationalT10 = try #require(national.table("t10"))
        #expect(nationalT10.caption.hasPrefix("公开10表 国有资产占用情况表"))
    }

    @Test("the national forms of 2024 and 2025 print the 2023 tables", arguments: ["2024", "2025"])
    func laterNationalForms(_ year: String) throws {
        let (_, content, output) = try copyOfExampleSite("forms-\(year)")
        let file = content.appendingPathComponent("departments/donghu-sme/2023/disclosure.yaml")
        try read(file).replacingOccurrences(of: "form: 2023", with: "form: \(year)").write(to: file, atomically: true, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let reference = exampleBuild.output
        let page = { (root: URL) in HTMLTables(read(root.appendingPathComponent("donghu-sme/2023/index.html"))).tables.map { [$0.caption] + $0.body.flatMap { $0 } } }
        #expect(page(output) == page(reference))
    }

    @Test("a table published elsewhere is listed with where it is, never printed empty")
    func tablesPublishedElsewhere() throws {
        let (_, content, output) = try Self.site("forms-elsewhere") {
            $0.replacingOccurrences(of: "form: variant\n", with: "form: variant\nelsewhere: \"http://www.example.gov.cn/fubiao.html\"\n")
                .replacingOccurrences(of: "  \"07\": {}\n  \"08\": {}\n", with: "")
        }
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let html = read(output.appendingPathComponent("donghu-sme/2023/index.html"))
        let tables = HTMLTables(html)
        #expect(tables.table("t07") == nil, "07 is left out: listed, not printed empty")
        #expect(tables.table("t06") != nil && tables.table("t09") != nil)
        let list = try #require(html.range(of: "<ul class=\"elsewhere-tables\">").map { html[$0.lowerBound...].prefix { $0 != "\n" } })
        #expect(list.contains("政府性基金预算财政拨款收入支出决算表"))
        #expect(!list.contains("国有资本经营预算"), "08 is not in the form's order: not listed")
        #expect(html.contains("刊载于：<a href=\"http://www.example.gov.cn/fubiao.html\">"))
        // Without `elsewhere`, a left-out table is printed empty as before.
        let national = HTMLTables(read(output.appendingPathComponent("donghu-sme/2022/index.html")))
        #expect(national.table("t07") != nil)
    }

    @Test("a table of the document that is no national table is listed in the form's order when the tables are elsewhere")
    func otherTablesElsewhere() throws {
        let form = Self.variant.replacingOccurrences(of: "order: [\"01\", \"02\", \"03\", \"04\", \"05\", \"06\", \"07\", \"09\", \"10\"]",
                                                     with: "order: [\"01\", \"02\", \"03\", \"04\", \"05\", \"06\", {number: 七、, title: 项目支出决算表}, \"07\", \"09\", \"10\"]")
        let (_, content, output) = try Self.site("forms-others", form: form) {
            $0.replacingOccurrences(of: "form: variant\n", with: "form: variant\nelsewhere: 原公开文本的附表\n")
                .replacingOccurrences(of: "  \"07\": {}\n  \"08\": {}\n", with: "")
        }
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let html = read(output.appendingPathComponent("donghu-sme/2023/index.html"))
        let list = try #require(html.range(of: "<ul class=\"elsewhere-tables\">").map { String(html[$0.lowerBound...].prefix { $0 != "\n" }) })
        let other = try #require(list.range(of: "项目支出决算表")), fund = try #require(list.range(of: "政府性基金预算财政拨款收入支出决算表"))
        #expect(other.lowerBound < fund.lowerBound, "listed in the form's order: before 07")
        // The downloads say the same: the JSON's note lists the province's table too, in that order.
        let json = read(output.appendingPathComponent("donghu-sme/2023/donghu-sme-2023-juesuan.json"))
        #expect(json.contains("\"elsewhere\":\"本文件未收录以下决算表，其刊载于：原公开文本的附表。七、 项目支出决算表；公开07表 政府性基金预算财政拨款收入支出决算表"))
        // A disclosure of the same form whose tables are all here lists nothing.
        let (_, whole, wholeOutput) = try Self.site("forms-others-whole", form: form)
        _ = try SiteBuilder.build(BuildOptions(content: whole, output: wholeOutput)).get()
        #expect(!read(wholeOutput.appendingPathComponent("donghu-sme/2023/index.html")).contains("项目支出决算表"))
    }

    @Test("a form's 概况 headings are the document's, in its order")
    func overviewHeadings() throws {
        let form = Self.variant + "\nparts:\n  - {part: overview, title: 第一部分 概况, headings: [一、主要职能, 二、部门决算单位构成, 三、重点工作概述]}\n"
            + "  - {part: tables, title: 第二部分 决算表}\n"
        let (_, content, output) = try Self.site("forms-overview-headings", form: form)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let html = read(output.appendingPathComponent("donghu-sme/2023/index.html"))
        let order = ["<h3>一、主要职能</h3>", "<h3>二、部门决算单位构成</h3>", "<h3>三、重点工作概述</h3>"].map { html.range(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "\(order)")
        #expect(!html.contains("<h3>一、主要职责</h3>"))
        let national = read(output.appendingPathComponent("donghu-sme/2022/index.html"))
        #expect(national.contains("<h3>一、主要职责</h3>") && national.contains("<h3>二、机构设置和人员情况</h3>"))
    }

    @Test("a department whose tables are all published elsewhere draws no empty trend chart")
    func noChartOfTablesElsewhere() throws {
        let content = repoRoot.appendingPathComponent("corpus/ref-003/site/content")
        let root = temporaryFolder("forms-elsewhere-charts")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let page = read(output.appendingPathComponent("ref-003/index.html"))
        #expect(!page.isEmpty && !page.contains("本年无此项支出") && !page.contains("<svg"))
        let disclosure = read(output.appendingPathComponent("ref-003/2023/index.html"))
        #expect(disclosure.contains("以下决算表本页未刊出") && !disclosure.contains("本年无此项支出"))
    }

    @Test("an 附件 part with no attachment says where they are when the source is elsewhere")
    func attachmentsElsewhere() throws {
        let content = repoRoot.appendingPathComponent("corpus/hunan-yueyang-xingangqu-2022/site/content")
        let root = temporaryFolder("forms-elsewhere-attachments")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let page = read(output.appendingPathComponent("yueyang-xingangqu/2022/index.html"))
        #expect(page.contains("附件本页未刊出，见：<a href=\"https://cljxgq.yueyang.gov.cn/") && !page.contains("本年度无附件"))
    }

    @Test("an empty elsewhere is an error at its line")
    func emptyElsewhere() throws {
        let (_, content, output) = try Self.site("forms-elsewhere-empty") {
            $0.replacingOccurrences(of: "form: variant\n", with: "form: variant\nelsewhere: \" \"\n")
        }
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            Issue.record("an empty elsewhere must not build")
            return
        }
        #expect("\(failure)".contains("elsewhere"))
    }

    @Test("a cell typed —— prints ——, is never added up, and downloads say so")
    func dashIsAValue() throws {
        let (_, content, output) = try Self.site("forms-dash") { $0.replacingOccurrences(of: "- [30102, 31.52]", with: "- [30102, ——]") }
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let t06 = try #require(HTMLTables(read(output.appendingPathComponent("donghu-sme/2023/index.html"))).table("t06"))
        let row = try #require(t06.body.first { $0.contains("30102") })
        let at = try #require(row.firstIndex(of: "30102"))
        #expect(row[at + 2] == "——")
        let paths = Downloads.paths(slug: "donghu-sme", year: 2023)
        let package = try [UInt8](Data(contentsOf: output.appendingPathComponent(paths.package)))
        let csv = String(decoding: try #require(Downloads.entry(package, Downloads.tableCSV("06", slug: "donghu-sme", year: 2023))), as: UTF8.self)
        #expect(csv.contains("30102") && csv.contains("——"))
        let json = read(output.appendingPathComponent(paths.json))
        #expect(json.contains("\"——\""))
    }

    @Test("a form file naming a line the national form does not have is an error at its line")
    func unknownLineIsAnError() throws {
        let (_, content, output) = try Self.site("forms-unknown", form: "extends: \"2023\"\ntables:\n  \"10\":\n    lines:\n      政府采购合计: {label: 合计}\n")
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            Issue.record("the build must fail")
            return
        }
        let error = try #require(failure.errors.first { $0.location.file == "forms/variant.yaml" })
        #expect(error.location.line == 5)
        #expect(error.message.contains("政府采购合计") && error.message.contains("政府采购支出合计"))
    }

    @Test("a form prints without 行次 and 栏次, 06 in two blocks, 09 item by item")
    func layoutOptions() throws {
        let form = """
        extends: "2023"
        defaults: {line_numbers: false, column_numbers: false}
        tables:
          "06": {blocks: [1, 1]}
          "09": {layout: wide-by-item}
        """
        let (_, content, output) = try Self.site("forms-layout", form: form)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let html = read(output.appendingPathComponent("donghu-sme/2023/index.html"))
        let tables = HTMLTables(html)
        let t01 = try #require(tables.table("t01"))
        #expect(!t01.head.joined().contains("行次") && !t01.head.joined().contains("栏次"))
        #expect(t01.body[0].count == 4)   // 项目, 决算数 | 项目, 决算数
        let t06 = try #require(tables.table("t06"))
        #expect(t06.head[1].count == 6)
        let t09 = try #require(tables.table("t09"))
        // 合计 预算数, 合计 决算数, 因公出国（境）费 预算数, 决算数 …: budget 0.00 + 1.50 + … ; 1.20 spent on vehicles.
        #expect(t09.body.count == 1 && t09.body[0].count == 12)
        #expect(!html.contains("class=\"lanci\""))
        // split_codes: 06's 科目编码 in two columns, 类 | 款 (301 | 01).
        let (_, splitContent, splitOutput) = try Self.site("forms-split", form: form.replacingOccurrences(of: "{blocks: [1, 1]}", with: "{blocks: [1, 1], split_codes: true}"))
        _ = try SiteBuilder.build(BuildOptions(content: splitContent, output: splitOutput)).get()
        let split = try #require(HTMLTables(read(splitOutput.appendingPathComponent("donghu-sme/2023/index.html"))).table("t06"))
        #expect(split.head[1] == ["类", "款", "科目名称", "决算数", "类", "款", "科目名称", "决算数"])
        let salary = try #require(split.body.first { $0.count > 2 && $0[2] == "基本工资" })
        #expect(Array(salary.prefix(2)) == ["301", "01"])
    }

    @Test("a form prints an empty classified table with its 合计 row, blank")
    func emptyTotal() throws {
        let (_, content, output) = try Self.site("forms-empty-total", form: "extends: \"2023\"\ntables:\n  \"07\": {empty_total: true}\n")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let t07 = try #require(HTMLTables(read(output.appendingPathComponent("donghu-sme/2023/index.html"))).table("t07"))
        #expect(t07.body.count == 1)
        #expect(t07.body.first.map { Array($0.prefix(2)) } == ["", "合计"])
        #expect(t07.body.first?.dropFirst(2).allSatisfy(\.isEmpty) == true)
        // Without it (the national forms), an empty table prints no row.
        let national = try #require(HTMLTables(read(output.appendingPathComponent("donghu-sme/2022/index.html"))).table("t07"))
        #expect(national.body.isEmpty)
    }

    @Test("a form prints 09 as lines in the document's own order")
    func lineOrder() throws {
        let form = """
        extends: "2023"
        tables:
          "09":
            layout: lines
            line_order: [合计, 因公出国（境）费, 公务接待费, 公务用车购置及运行维护费, 公务用车运行维护费, 公务用车购置费]
            lines:
              公务用车运行维护费: {label: 其中：公务用车运行维护费}
        """
        let (_, content, output) = try Self.site("forms-order", form: form)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let t09 = try #require(HTMLTables(read(output.appendingPathComponent("donghu-sme/2023/index.html"))).table("t09"))
        #expect(t09.body.map { $0.first ?? "" } == ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行维护费", "其中：公务用车运行维护费", "公务用车购置费"])
    }

    @Test("a form orders and titles the document's parts")
    func partsInTheDocumentsOrder() throws {
        let form = """
        extends: "2023"
        parts:
          - {part: overview, title: "第一部分 {unit}概况"}
          - {part: explanation, title: "第二部分 {year}年度单位决算情况说明"}
          - {part: glossary, title: 第三部分 名词解释}
          - {part: attachments, title: 第四部分 附件}
          - {part: tables, title: 第五部分 附表}
        """
        let (_, content, output) = try Self.site("forms-parts", form: form)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let html = read(output.appendingPathComponent("donghu-sme/2023/index.html"))
        let titles = html.components(separatedBy: "<h2 id=\"").dropFirst().compactMap { piece -> String? in
            guard let open = piece.firstIndex(of: ">"), let close = piece.range(of: "</h2>") else { return nil }
            return String(piece[piece.index(after: open)..<close.lowerBound])
        }.filter { $0.hasPrefix("第") }
        #expect(titles == ["第一部分 南昌市东湖区中小企业服务局概况", "第二部分 2023年度单位决算情况说明", "第三部分 名词解释", "第四部分 附件", "第五部分 附表"])
        // The table of contents follows the same order.
        let toc = try #require(html.range(of: "<nav class=\"toc\"")).lowerBound
        #expect(html[toc...].range(of: "第五部分 附表")!.lowerBound > html[toc...].range(of: "第四部分 附件")!.lowerBound)
    }

    @Test("a form's part of no national kind prints its own Markdown file, figures from the data")
    func otherPart() throws {
        let form = """
        extends: "2023"
        parts:
          - {part: overview, title: "第一部分 {unit}概况"}
          - {part: tables, title: 第二部分 决算表}
          - {part: explanation, title: 第三部分 情况说明}
          - {part: other, title: 第四部分 其他重要事项及相关口径情况说明, file: other-matters.md}
          - {part: glossary, title: 第五部分 名词解释}
        """
        let (_, content, output) = try Self.site("forms-other-part", form: form)
        let text = "## 一、机关运行经费\n\n本年度政府采购支出{{10.政府采购支出合计}}万元。\n"
        try text.write(to: content.appendingPathComponent("departments/donghu-sme/2023/other-matters.md"), atomically: true, encoding: .utf8)
        let report = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(!report.warnings.contains { $0.location.file.hasSuffix("other-matters.md") })
        let html = read(output.appendingPathComponent("donghu-sme/2023/index.html"))
        let part = try #require(html.range(of: "<section class=\"part\" id=\"part-other-matters\""))
        let glossary = try #require(html.range(of: "<section class=\"part\" id=\"glossary\""))
        #expect(part.lowerBound < glossary.lowerBound)
        #expect(html.contains(">第四部分 其他重要事项及相关口径情况说明</h2>") && html.contains("本年度政府采购支出10.86万元。"))
        // Without its file: a warning naming it, and the part says it has no text.
        try FileManager.default.removeItem(at: content.appendingPathComponent("departments/donghu-sme/2023/other-matters.md"))
        let again = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(again.warnings.contains { $0.location.file == "departments/donghu-sme/2023/other-matters.md" })
        #expect(read(output.appendingPathComponent("donghu-sme/2023/index.html")).contains("本年度未提供本部分内容。"))
        // Its file is a name in the year folder, never a path out of it: an error at its line.
        let (_, badContent, badOutput) = try Self.site("forms-other-part-path", form: form.replacingOccurrences(of: "other-matters.md", with: "../../site.md"))
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: badContent, output: badOutput)) else {
            Issue.record("the build must fail")
            return
        }
        let error = try #require(failure.errors.first { $0.location.file == "forms/variant.yaml" })
        #expect(error.location.line == 6 && error.message.contains("../../site.md"))
    }

    @Test("a 绩效自评表 prints as its document: labels, a two-level header, merged indicators, 总分 as the last row, text sections")
    func performanceAsPrinted() throws {
        let form = """
        extends: "2023"
        performance:
          funds: 项目资金预算安排及执行进度（万元）
          indicators: 绩效指标完成情况
        """
        let performance = """
        - kind: project
          title: 企业培训
          funds:
            header:
              - [项目, {text: 年初预算数, colspan: 2}, 全年执行数, 分值, 执行率, 得分]
              - [项目, 目标申报数, 预算编制数, 全年执行数, 分值, 执行率, 得分]
            columns: [项目, 目标申报数, 预算编制数, 全年执行数, 分值, 执行率, 得分]
            rows:
              - [年度资金总额, 10, 10, 9, 10, "90%", 9]
          indicators:
            columns: [一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分]
            rows:
              - [产出指标, 数量, 培训人次, ">=100", "120", 40, 40]
              - [产出指标, 数量, 培训场次, ">=4", "4", 20, 20]
              - [效益指标, 社会效益, 企业满意度, ">=90%", "95%", 30, 30]
          total: {分值: 100, 得分: 99}
          sections:
            项目绩效分析: 培训按计划完成。
            备注: 无。
        """
        let (_, content, output) = try Self.site("forms-performance", form: form)
        try performance.write(to: content.appendingPathComponent("departments/donghu-sme/2023/performance.yaml"), atomically: true, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let html = read(output.appendingPathComponent("donghu-sme/2023/index.html"))
        #expect(html.contains("<h4>项目资金预算安排及执行进度（万元）</h4>") && html.contains("<h4>绩效指标完成情况</h4>"))
        #expect(html.contains("<th scope=\"colgroup\" colspan=\"2\">年初预算数</th>"))
        #expect(html.contains("<td rowspan=\"2\">产出指标</td><td rowspan=\"2\">数量</td>"))
        #expect(html.contains("<tr><td>总分</td><td></td><td></td><td></td><td></td><td>100</td><td>99</td></tr>"))
        #expect(html.contains("<h4>项目绩效分析</h4><p>培训按计划完成。</p>") && html.contains("<h4>备注</h4><p>无。</p>"))
        #expect(!html.contains("总分：分值"))
    }
}

/// Table rows' markup lives in a template (`partials/grid-row.mustache`); the built-in one is
/// rendered by a fast path that must write exactly what the template writes.
@Suite struct RowTemplateTests {
    @Test("the built-in row template, used as a site's own, writes byte for byte what the fast path writes")
    func templateAndFastPathAgree() throws {
        let (root, content, output) = try copyOfExampleSite("rows-template")
        let partials = root.appendingPathComponent("themes/default/partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("themes/default/partials/grid-row.mustache"),
                                         to: partials.appendingPathComponent("grid-row.mustache"))
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let fast = root.appendingPathComponent("fast")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: fast, themeFolders: [])).get()
        for page in ["donghu-sme/2022/index.html", "donghu-sme/2023/index.html", "changji-sme/2023/index.html"] {
            #expect(read(output.appendingPathComponent(page)) == read(fast.appendingPathComponent(page)), "\(page)")
        }
    }

    @Test("a site's row template changes every table row's markup")
    func siteRowTemplate() throws {
        let (root, content, output) = try copyOfExampleSite("rows-own")
        let partials = root.appendingPathComponent("themes/default/partials")
        try FileManager.default.createDirectory(at: partials, withIntermediateDirectories: true)
        try "<tr data-row{{#rowClass}} class=\"{{.}}\"{{/rowClass}}>{{#cells}}<{{tag}}>{{text}}</{{tag}}>{{/cells}}</tr>\n"
            .write(to: partials.appendingPathComponent("grid-row.mustache"), atomically: true, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let html = read(output.appendingPathComponent("donghu-sme/2022/index.html"))
        #expect(html.contains("<tr data-row class=\"total\">"))
        #expect(!html.contains("<tbody>\n<tr class="))
    }
}
