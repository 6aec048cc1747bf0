import Content
import Foundation
import Model
import Support

/// `sitegen new <dept> <year>`: a year folder to fill in — last year's rows with blank amounts,
/// the form of the year, the year's catalogue, an explanation.md skeleton. Never overwrites.
public enum Scaffold {
    public struct Result: Sendable, CustomStringConvertible {
        public var written: [String] = []
        public var notes: [String] = []
        public var description: String {
            notes.map { localized("提示：\($0)\n", en: "note: \($0)\n") }.joined() + written.map { localized("已写入 \($0)\n", en: "wrote \($0)\n") }.joined()
        }
    }

    /// The 情况说明 headings of docs/domain.md#the-explanation, shared with `sitegen draft`.
    static let headings = [
        "一、收入支出决算总体情况", "二、收入决算情况", "三、支出决算情况", "四、财政拨款收入支出决算总体情况",
        "五、一般公共预算财政拨款支出决算情况", "六、一般公共预算财政拨款基本支出决算情况", "七、政府性基金预算财政拨款收入支出决算情况",
        "八、国有资本经营预算财政拨款支出决算情况", "九、财政拨款“三公”经费支出决算情况", "十、其他重要事项的情况说明", "十一、预算绩效情况",
    ]

    static let staffLabels = ["年末实有人数", "在职人员", "离休人员", "退休人员", "年末其他人员"]

    /// A YAML scalar: plain when safe, double-quoted with escapes otherwise.
    static func scalar(_ s: String) -> String { YAMLText.scalar(s) }

    public static func run(department slug: String, year: Int, content root: URL) throws -> Result {
        guard Importer.isSlug(slug) else { throw ImportError(localized("'\(slug)'：应为单位文件夹名（小写英文字母、数字和 -）", en: "'\(slug)': expected a department folder name (lower-case ASCII letters, digits and -)")) }
        guard (1990...2100).contains(year) else { throw ImportError(localized("\(year)：应为四位数的年份", en: "\(year): expected a four-digit year")) }
        let fm = FileManager.default
        let rel = "departments/\(slug)/\(year)"
        let dir = root.appendingPathComponent(rel)
        for name in ["disclosure.yaml", "disclosure.yml", "disclosure.json", "explanation.md"] where fm.fileExists(atPath: dir.appendingPathComponent(name).path) {
            throw ImportError(localized("\(rel)/\(name) 已存在；sitegen new 不会覆盖已有的文件（请直接编辑它，或先删除这个文件夹）",
                                        en: "\(rel)/\(name) exists; sitegen new does not overwrite (edit it, or remove the folder first)"))
        }
        guard let content = ContentLoader.load(from: root).content else { throw ImportError(localized("\(root.path)：找不到内容文件夹", en: "\(root.path): content folder not found")) }
        var result = Result()

        // The year's catalogue, copied from the latest earlier one when missing.
        var catalog = content.catalogs[year]
        if catalog == nil {
            guard let from = content.catalogs.keys.filter({ $0 < year }).max() else {
                throw ImportError(localized("没有 catalogs/\(year)/，也没有更早的科目目录可以复制：请添加 catalogs/\(year)/functional.yaml 和 economic.yaml",
                                            en: "no catalogs/\(year)/ and no earlier catalogue to copy: add catalogs/\(year)/functional.yaml and economic.yaml"))
            }
            let source = root.appendingPathComponent("catalogs/\(from)"), target = root.appendingPathComponent("catalogs/\(year)")
            try fm.createDirectory(at: target, withIntermediateDirectories: true)
            for file in try fm.contentsOfDirectory(atPath: source.path).sorted() where !file.hasPrefix(".") {
                var data = try Data(contentsOf: source.appendingPathComponent(file))
                if !file.hasSuffix(".json") {
                    data = Data("# 由 sitegen new 从 catalogs/\(from)/ 复制：请按 \(year) 年政府收支分类科目核对、增删。\n".utf8) + data
                }
                try data.write(to: target.appendingPathComponent(file))
                result.written.append("catalogs/\(year)/\(file)")
            }
            result.notes.append(localized("catalogs/\(year)/ 原本不存在：已从 catalogs/\(from)/ 复制——请按 \(year) 年政府收支分类科目核对",
                                          en: "catalogs/\(year)/ did not exist: copied from catalogs/\(from)/ — check it against the \(year) 政府收支分类科目"))
            catalog = content.catalogs[from]
            catalog?.year = year
        }
        let form = year >= 2023 ? 2023 : 2022
        let previous = content.disclosures.filter { $0.department == slug && $0.year < year }.max { $0.year < $1.year }
        let department = content.department(slug)

        // department.yaml, when the department is new.
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let deptDir = root.appendingPathComponent("departments/\(slug)")
        if !["yaml", "yml", "json"].contains(where: { fm.fileExists(atPath: deptDir.appendingPathComponent("department.\($0)").path) }) {
            let yaml = """
            name: 【待填写：单位全称】
            kind: 行政单位          # 单位性质: 行政单位 | 参公事业单位 | 事业单位 | 其他
            parent: ~               # 主管部门的文件夹名（如有）
            duties_intro: ~         # 例如：本单位是……工作部门。主要职责是：
            duties:
              - 【待填写：主要职责】

            """
            try Data(yaml.utf8).write(to: deptDir.appendingPathComponent("department.yaml"))
            result.written.append("departments/\(slug)/department.yaml")
        }

        // disclosure.yaml: last year's rows (codes) with blank amounts, or the bare form.
        var tables: [Table] = []
        var dropped: [String] = []
        for kind in TableKind.allCases {
            let last = previous.map { $0.table(kind) }
            var table = Forms.skeleton(kind, form: form, classes: catalog!.classes, extended: kind == .t08 && last?.extendedLayout == true)
            if kind.classification != nil, let last {
                for (s, section) in last.sections.enumerated() {
                    for row in section.rows {
                        if let code = row.code, catalog!.name(code, in: kind.classification!) == nil { dropped.append("\(kind.code) \(code)"); continue }
                        table.sections[s].rows.append(Row(key: row.key, label: row.label, level: row.level, cells: row.cells.map { _ in Cell() }))
                    }
                }
            }
            tables.append(table)
        }
        if !dropped.isEmpty { result.notes.append(localized("未带入（不在 \(year) 年的科目目录中）：\(dropped.joined(separator: "、"))",
                                                              en: "left out (not in the \(year) catalogue): \(dropped.joined(separator: ", "))")) }
        var overview = "overview:\n  institutions: [\((previous?.institutions ?? []).map(scalar).joined(separator: ", "))]   # 内设机构\n  staff:                  # 年末人数\n"
        for label in previous.map({ $0.staff.map(\.0) }) ?? staffLabels { overview += "    \(scalar(label)): ~\n" }
        if let note = previous?.overviewNote { overview += "  note: \(scalar(note.text))\n" }
        let origin = previous.map { "按 \($0.year) 年的行次和科目生成" } ?? "空白模板"
        let title = "\(department?.name ?? slug) \(year)年度部门决算 — 由 sitegen new \(origin)，金额待填写（~ 为空白；也可用 sitegen import 从决算软件导出的表格导入）"
        let yaml = DisclosureFile.document(title: title, year: year, form: form,
                                           kept: ["status: draft   # 草稿：不发布；填完后删去这一行（或写 status: published）\n",
                                                  "# published: \(year + 1)-09-15   # 公开日期（YYYY-MM-DD）\n", overview],
                                           tables: DisclosureFile.tables(tables, mode: .template))
        try Data(yaml.utf8).write(to: dir.appendingPathComponent("disclosure.yaml"))
        result.written.append("\(rel)/disclosure.yaml")
        if let previous { result.notes.append(localized("各行和 overview 取自 \(previous.year) 年度；表式为 \(form) 年", en: "rows and overview taken from \(previous.year); form \(form)")) }

        // explanation.md skeleton.
        var md = ""
        for h in headings {
            md += "## \(h)\n\n【待填写：\(h.split(separator: "、", maxSplits: 1).last ?? "")】\n\n"
        }
        try Data(md.utf8).write(to: dir.appendingPathComponent("explanation.md"))
        result.written.append("\(rel)/explanation.md")
        result.notes.append(localized("下一步：填写 \(rel)/disclosure.yaml（或用 sitegen import 导入），然后运行 sitegen draft \(slug) \(year) --force，根据表格写出情况说明",
                                      en: "next: fill in \(rel)/disclosure.yaml (or sitegen import), then sitegen draft \(slug) \(year) --force writes 情况说明 from the tables"))
        return result
    }
}
