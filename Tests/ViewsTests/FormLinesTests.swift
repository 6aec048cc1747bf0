import Foundation
import Model
@testable import Site
import Testing
import TestSite

/// A form's lines, columns and formulas are data too: a site's form file may define a table's lines
/// (docs/forms.md#lines-columns-and-formulas), with no Swift change.
@Suite struct FormLinesTests {
    /// 10 of the 2023 form with a 培训费 total and its two sub-lines after the national lines.
    static let form = """
    extends: "2023"
    tables:
      "10":
        sections:
          - id: 统计数
            columns: [{label: 统计数, number: 1}]
            lines:
              - {key: 政府采购支出合计, label: 一、政府采购支出合计, level: 0, sum: [政府采购货物支出, 政府采购工程支出, 政府采购服务支出]}
              - {key: 政府采购货物支出, label: 1.政府采购货物支出, level: 2}
              - {key: 政府采购工程支出, label: 2.政府采购工程支出, level: 2}
              - {key: 政府采购服务支出, label: 3.政府采购服务支出, level: 2}
              - {key: 机关运行经费合计, label: 二、机关运行经费合计, level: 0, sum: [机关运行经费（行政单位）, 机关运行经费（参照公务员法管理事业单位）]}
              - {key: 机关运行经费（行政单位）, label: 1.机关运行经费（行政单位）, level: 2}
              - {key: 机关运行经费（参照公务员法管理事业单位）, label: 2.机关运行经费（参照公务员法管理事业单位）, level: 2}
              - {key: 车辆数合计, label: 三、车辆数合计（辆）, level: 0, count: true, sum: [主要负责人用车, 其他用车]}
              - {key: 主要负责人用车, label: 1.主要负责人用车, level: 2, count: true}
              - {key: 其他用车, label: 2.其他用车, level: 2, count: true}
              - {key: 单价100万元（含）以上设备（不含车辆）, label: 四、单价100万元（含）以上设备（不含车辆）（台、套）, count: true}
              - {key: 培训费合计, label: 五、培训费合计, level: 0, sum: [线上培训费, 线下培训费]}
              - {key: 线上培训费, label: 1.线上培训费, level: 2}
              - {key: 线下培训费, label: 2.线下培训费, level: 2}
    """

    @Test("a line a site's form adds to 10 prints with its 行次, and its total is derived")
    func addedLinePrintsAndAddsUp() throws {
        let (_, content, output) = try FormsTests.site("forms-lines", form: Self.form) { yaml in
            yaml.replacingOccurrences(of: "      副部（省）级及以上领导用车: 0\n", with: "")
                .replacingOccurrences(of: "      机要通信用车: 0\n      应急保障用车: 0\n      执法执勤用车: 0\n      特种专业技术用车: 0\n      离退休干部服务用车: 0\n", with: "")
                .replacingOccurrences(of: "      单价100万元（含）以上设备（不含车辆）: 0\n",
                                      with: "      单价100万元（含）以上设备（不含车辆）: 0\n      线上培训费: 1.20\n      线下培训费: 3.40\n")
        }
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let html = read(output.appendingPathComponent("donghu-sme/2023/index.html"))
        let t10 = try #require(HTMLTables(html).table("t10"))
        let total = try #require(t10.body.first { $0.first == "五、培训费合计" })
        #expect(total.contains("12") && total.contains("4.60"))   // 行次 12; 1.20 + 3.40, derived
        let online = try #require(t10.body.first { $0.first == "1.线上培训费" })
        #expect(online.contains("13") && online.contains("1.20"))
        let vehicles = try #require(t10.body.first { $0.first == "三、车辆数合计（辆）" })
        #expect(vehicles.contains("1") && !vehicles.contains("1.00"))   // a count, not 万元
    }

    @Test("a malformed line definition is an error in Chinese at its file and line")
    func malformedLineIsAnError() throws {
        let form = """
        extends: "2023"
        tables:
          "10":
            sections:
              - id: 统计数
                columns: [统计数]
                lines:
                  - {key: 培训费合计, level: 0, sum: [线上培训, 线下培训费]}
                  - 线上培训费
                  - 线下培训费
                  - {label: 小计}
                  - {key: 一般公共服务, sum: ["03.科目.201.本年支出"]}
        """
        let (_, content, output) = try FormsTests.site("forms-lines-bad", form: form)
        guard case .failure(let failure) = SiteBuilder.build(BuildOptions(content: content, output: output)) else {
            Issue.record("the build must fail")
            return
        }
        let errors = failure.errors.filter { $0.location.file == "forms/variant.yaml" }
        let sum = try #require(errors.first { $0.location.line == 8 })
        #expect(sum.message.contains("没有 '线上培训' 这一行") && sum.message.contains("是不是 '线上培训费'"))
        let key = try #require(errors.first { $0.location.line == 11 })
        #expect(key.message.contains("缺少 key"))
        let reference = try #require(errors.first { $0.location.line == 12 })
        #expect(reference.message.contains("公开03表 科目 没有 '本年支出' 这一栏") && reference.message.contains("本年支出合计"))
    }
}
