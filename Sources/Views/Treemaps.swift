import Charts
import Derive
import Model

/// Treemaps of a disclosure (公开03表 by 类 → 款 → 项, 公开06表 by 经济分类 类 → 款) and of a
/// region's departments by expenditure: static SVG, each rectangle a link, the figures as a table.
extension ChartBuilder {
    public static func treemapCharts(_ d: Disclosure, departmentName: String) -> [ChartView] {
        let prefix = "\(departmentName)\(d.year)年度"
        var charts: [ChartView] = []
        for (table, id, caption, about) in [(TableKind.t03, "chart-treemap-03", "支出按功能分类（类、款、项）", "公开03表"),
                                            (TableKind.t06, "chart-treemap-06", "基本支出按经济分类（类、款）", "公开06表")] {
            let t = d.table(table)
            guard !t.isEmpty else { continue }
            let items = hierarchy(t.sections.flatMap(\.rows), table: table)
            guard !items.isEmpty else { continue }
            let spec = Chart(id: id, title: prefix + caption + "（矩形图）",
                             description: "每个矩形的面积与其金额成比例，类中套款、款中套项；点击矩形转到\(about)的这一行。数据来自\(about)。",
                             labelHeader: "科目", valueHeader: "金额")
            charts.append(view(id, caption + "（矩形图）", Charts.treemap(spec, items).0, narrow: Charts.treemap(narrow(spec), items).0,
                               table: table.rawValue))
        }
        return charts
    }

    /// Rows with a code, nested by level (类 1, 款 2, 项 3) under the row before them of a lower level;
    /// each links to its line of the table (`#t03-2010101`, the ids `TableLayout.anchors` gives).
    static func hierarchy(_ rows: [Row], table: TableKind) -> [TreemapItem] {
        var roots: [TreemapItem] = []
        func append(_ item: TreemapItem, level: Int) {
            func insert(_ list: inout [TreemapItem], _ depth: Int) {
                if depth + 1 >= level || list.isEmpty { list.append(item) } else { insert(&list[list.count - 1].children, depth + 1) }
            }
            insert(&roots, 0)
        }
        for row in rows {
            guard case .code(let code) = row.key, !row.isHidden, let value = row.cells.first?.value, value.units > 0 else { continue }
            append(TreemapItem("\(code) \(row.label)", value, href: "#t\(table.code)-\(code)"), level: row.level)
        }
        return roots
    }

    /// The departments of a region and year by 本年支出合计, each linking to its disclosure.
    static func departmentsTreemap(_ comparison: Comparison, year: Int, title: String, root: String) -> ChartView? {
        let items = comparison.lines.compactMap { line -> TreemapItem? in
            guard let v = line.values["expenditure"], v.units > 0 else { return nil }
            return TreemapItem(line.department.name, v, href: "\(root)\(line.department.slug)/\(year)/")
        }
        guard !items.isEmpty else { return nil }
        let spec = Chart(id: "chart-treemap", title: title + "：各部门本年支出合计（矩形图）",
                         description: "每个矩形的面积与该部门（单位）本年支出合计成比例；点击矩形转到其决算公开页。数据来自各部门公开01表。",
                         labelHeader: "部门", valueHeader: "本年支出合计")
        return view("chart-treemap", "各部门本年支出合计（矩形图）", Charts.treemap(spec, items).0, narrow: Charts.treemap(narrow(spec), items).0)
    }
}
