import Content
import Derive
import Foundation
@testable import Import
import Model
import Site
import Testing
import Views

@Suite struct DraftTests {
    /// Drafts for donghu-sme 2023 (with 2022 beside it) and 2022 (no 2021): the site builds, the
    /// rendered numbers are the tables', and the placeholders are warnings.
    @Test func draftsBuildAndTheirNumbersAreTheTables() throws {
        let content = try copyOfExampleContent()
        for year in [2022, 2023] {
            #expect(throws: ImportError.self) { try Draft.run(department: "donghu-sme", year: year, content: content, force: false) }
            let (_, placeholders) = try Draft.run(department: "donghu-sme", year: year, content: content, force: true)
            #expect(placeholders > 0)
        }
        let draft2022 = try String(contentsOf: content.appendingPathComponent("departments/donghu-sme/2022/explanation.md"), encoding: .utf8)
        let draft2023 = try String(contentsOf: content.appendingPathComponent("departments/donghu-sme/2023/explanation.md"), encoding: .utf8)
        #expect(!draft2022.contains("| 增减") && !draft2022.contains("增长率"))          // no 2021: no year-on-year clauses
        #expect(draft2023.contains("{{05.2010399.本年支出合计 | 增减}}{{05.2010399.本年支出合计 | 增减额}}万元"))
        #expect(draft2023.contains("{{09.合计.决算数 | 执行率 09.合计.预算数}}"))
        #expect(draft2022.contains("公开07表为空表") && draft2022.contains("公开09表为空表"))
        // No typed figures: outside references only years, list numbers and 100万元 of the equipment line.
        for text in [draft2022, draft2023] {
            let typed = DataReferences.scan(text).found.reduce(text) { $0.replacingOccurrences(of: "{{\($1.expression)}}", with: "") }
            let numbers = typed.split(whereSeparator: { !($0.isASCII && $0.isNumber) && $0 != "." }).filter { $0.contains { $0.isNumber } }
            #expect(numbers.allSatisfy { ["2021", "2022", "2023", "12", "31", "100", "07", "08", "09", "1.", "2.", "3.", "4.", "5.", "6.", "7.", "8.", "9."].contains(String($0)) }, "\(numbers)")
        }

        let output = temporaryFolder().appendingPathComponent("public")
        let report: BuildReport
        // Drafts (their 【待填写】 keep them off the public site) built as a preview shows them.
        var options = BuildOptions(content: content, output: output)
        options.drafts = true
        switch SiteBuilder.build(options) {
        case .failure(let f): Issue.record("build failed:\n\(f)"); return
        case .success(let r): report = r
        }
        for year in [2022, 2023] {
            #expect(report.warnings.contains { $0.location.file == "departments/donghu-sme/\(year)/explanation.md" && $0.message.contains("【待填写") })
        }

        let (d, _) = derived(content, "donghu-sme/2023")
        let (p, _) = derived(content, "donghu-sme/2022")
        let d23 = try #require(d), d22 = try #require(p)
        func value(_ d: Disclosure, _ kind: TableKind, _ section: Int, _ row: String, _ column: Int = 0) -> Amount {
            let s = d.table(kind).sections[section]
            return s.rows.first { $0.key.description == row || $0.label == row }!.cells[column].value!
        }
        let html = try String(contentsOf: output.appendingPathComponent("donghu-sme/2023/index.html"), encoding: .utf8)
        let total = value(d23, .t01, 0, "总计"), spending05 = value(d23, .t05, 0, "合计"), spending03 = value(d23, .t03, 0, "合计")
        let personnel = value(d23, .t06, 0, "人员经费合计"), item = value(d23, .t05, 0, "2010399"), lastItem = value(d22, .t05, 0, "2010399")
        let expected = [
            "收入总计\(Format.amount(total))万元",
            "一般公共预算财政拨款支出\(Format.amount(spending05))万元，占本年支出合计的\(Format.percent(spending05.percent(of: spending03)!))",
            "人员经费\(Format.amount(personnel))万元",
            "（项）\(Format.amount(item))万元，比上年\(item < lastItem ? "减少" : "增加")\(Format.amount((item - lastItem).magnitude))万元",
            "决算\(Format.amount(value(d23, .t09, 0, "合计", 1)))万元",
        ]
        for e in expected { #expect(html.contains(e), "\(e) not in the page") }
        let html22 = try String(contentsOf: output.appendingPathComponent("donghu-sme/2022/index.html"), encoding: .utf8)
        #expect(html22.contains("基本支出\(Format.amount(value(d22, .t05, 0, "合计", 1)))万元"))
    }

    /// `sitegen new`: last year's rows with blank amounts, the year's catalogue copied; a new department gets the bare form.
    @Test func newScaffoldsFromLastYearAndRefusesToOverwrite() throws {
        let content = try copyOfExampleContent()
        let result = try Scaffold.run(department: "donghu-sme", year: 2024, content: content)
        #expect(result.written.contains("catalogs/2024/functional.yaml"))
        #expect(throws: ImportError.self) { try Scaffold.run(department: "donghu-sme", year: 2024, content: content) }
        let yaml = try String(contentsOf: content.appendingPathComponent("departments/donghu-sme/2024/disclosure.yaml"), encoding: .utf8)
        #expect(yaml.contains("form: 2023") && yaml.contains("- [2010301, ~, ~, ~, ~, ~, ~, ~]") && yaml.contains("公务用车运行维护费: [~, ~]"))
        #expect(yaml.contains("institutions: [办公室, 政策指导股, 企业服务股]"))

        _ = try Scaffold.run(department: "new-unit", year: 2023, content: content)
        let fresh = try String(contentsOf: content.appendingPathComponent("departments/new-unit/2023/disclosure.yaml"), encoding: .utf8)
        for code in ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"] { #expect(fresh.contains("\"\(code)\":")) }

        let loaded = ContentLoader.load(from: content)
        let errors = loaded.diagnostics.filter { $0.severity == .error && ($0.location.file.contains("2024") || $0.location.file.contains("new-unit")) }
        #expect(errors.isEmpty, "\(errors)")
        let d = try #require(loaded.content?.disclosures.first { $0.id == "donghu-sme/2024" })
        #expect(d.table(.t02).sections[0].rows.map(\.key.description) == ["2010301", "2010302", "2010399", "2080505", "2080506", "2101101", "2101103", "2210201"])
        #expect(d.tables.allSatisfy { $0.isEmpty })
    }
}
