import Charts
import Derive
import Model

public struct CompareColumn: Sendable {
    public var key: String
    public var label: String
    /// Link to the view sorted by this column, the other way round when it is the current one.
    public var href: String
    /// `descending` / `ascending` on the current sort column (aria-sort), nil elsewhere.
    public var sort: String?
    public var arrow: String
}

public struct CompareCell: Sendable {
    public var text: String
    /// Exact value as plain decimal, for the in-page sort script (`data-value`, written only when it
    /// differs from `text`).
    public var value: String
}

public struct CompareRow: Sendable {
    public var name: String
    public var href: String
    public var code: String
    public var isChild: Bool
    public var cells: [CompareCell]
    /// False for a department without a disclosure that year: the row says 未公开 and links to the
    /// department's page.
    public var published = true
}

/// A comparison formatted once (`ViewBuilder.comparisonRows`) for each of its sort orders.
public struct ComparisonRows: Sendable {
    public var comparison: Comparison
    /// By position in `comparison.lines`: each row, and its cells as HTML.
    var rows: [CompareRow]
    var cellsHTML: [String]
    var total: [String]
    var charts: [ChartView]
    var title: String
    /// By position: the row's filter tokens (`CompareFilters`), as the `<tr>`'s attributes.
    var rowAttributes: [String]
}

/// public/compare/<region>/<year>/[<key>-desc.html] — every department of a region in one table.
public struct ComparisonPage: Sendable {
    public var chrome: PageChrome
    public var region: String
    public var year: String
    public var sortedBy: String
    public var columns: [CompareColumn]
    public var rows: [CompareRow]
    /// The rows as HTML (the hot path of these pages; `rows` stays available to themes).
    public var rowsHTML: String
    public var total: [String]
    public var years: [Link]
    public var acrossYears: String
    public var charts: [ChartView]
    public var count: String
    /// How many of them published nothing that year (nil when none).
    public var unpublished: String?
    public var downloads: [Link]
    /// Links to the filtered views, by dimension (empty when the region's departments are all alike).
    public var filters: [CompareFilterGroup]
    /// The filter this view applies (`单位性质：行政单位`), nil on the full table, whose rows
    /// `filter.js` filters in place.
    public var filtered: String?
}

/// public/compare/<region>/ — a figure of every department across the years.
public struct AcrossYearsPage: Sendable {
    public var chrome: PageChrome
    public var region: String
    public var tables: [TextTableView]
    public var years: [Link]
}

/// public/regions/<region>/ — departments and sub-regions of a region.
public struct RegionPage: Sendable {
    public var chrome: PageChrome
    public var name: String
    public var children: [Link]
    public var departments: [HomeDepartment]
    public var comparisons: [Link]
}

extension ViewBuilder {
    static func regionCrumbs(_ tree: RegionTree, _ slug: String, root: String, last: Link?) -> [Link] {
        var links = [Link("首页", href: root)]
        links += tree.path(to: slug).map { Link($0.name, href: "\(root)regions/\($0.slug)/") }
        if let last { links.append(last) } else if !links.isEmpty { links[links.count - 1].current = true }
        return links
    }

    /// A comparison's rows, total and chart, formatted once for the 27 pages that show them in
    /// different orders.
    public func comparisonRows(_ comparison: Comparison, region: Region, year: Int, filters: CompareFilters) -> ComparisonRows {
        let root = "../../../"
        let rows = comparison.lines.map { line in
            guard line.published else {
                return CompareRow(name: line.department.name, href: "\(root)\(line.department.slug)/", code: line.department.code ?? "",
                                  isChild: false, cells: [], published: false)
            }
            return CompareRow(name: line.department.name, href: "\(root)\(line.department.slug)/\(year)/", code: line.department.code ?? "",
                       isChild: false, cells: Comparison.keys.map { key, _ in
                           let v = line.values[key]
                           let text = Comparison.percentKeys.contains(key) ? (v.map(Format.percent) ?? "") : Format.amount(v)
                           return CompareCell(text: text, value: v?.description ?? "")
                       })
        }
        let title = "\(region.name)\(year)年度部门决算对比"
        let top = comparison.sorted(by: "expenditure", descending: true).prefix(30)
        let spec = Chart(id: "chart-compare", title: title + "：本年支出合计",
                         description: "本年支出合计最多的\(top.count)个部门（单位），数据来自各部门公开01表。", labelHeader: "部门")
        let items = top.map { ChartItem($0.department.name, $0.values["expenditure"]) }
        let chart = Charts.bars(spec, items), narrow = Charts.narrow(ChartBuilder.narrow(spec), items, sorted: true)
        return ComparisonRows(comparison: comparison, rows: rows, cellsHTML: rows.map(Self.compareCellsHTML),
                              total: Comparison.keys.map { key, _ in comparison.totals[key].map { Format.amount($0) } ?? "" },
                              charts: rows.isEmpty ? [] : [ChartBuilder.view("chart-compare", "本年支出合计（前\(top.count)位）", chart, narrow: narrow)]
                                  + [ChartBuilder.departmentsTreemap(comparison, year: year, title: title, root: root)].compactMap { $0 }, title: title,
                              rowAttributes: comparison.lines.map { line in
                                  filters.tokens[line.department.slug].map { " data-filter=\"\(HTML.escape($0.joined(separator: " ")))\"" } ?? ""
                              })
    }

    /// The comparison index of a region and year, sorted by `key` (nil = grouped by 主管部门); `made`
    /// of only the departments `active` keeps when it is a filtered view.
    public func comparisonPage(_ made: ComparisonRows, tree: RegionTree, region: Region, year: Int, years: [Int],
                               sortKey: String?, descending: Bool, filters: CompareFilters, active: CompareFilter? = nil) -> ComparisonPage {
        let root = "../../../"
        let here = "\(root)compare/\(region.slug)/\(year)/"
        let columns = Comparison.keys.map { key, label -> CompareColumn in
            let current = key == sortKey
            let nextDescending = current ? !descending : true
            return CompareColumn(key: key, label: label, href: "\(here)\(key)-\(nextDescending ? "desc" : "asc").html",
                                 sort: current ? (descending ? "descending" : "ascending") : nil,
                                 arrow: current ? (descending ? "▼" : "▲") : "")
        }
        let ordered = sortKey.map { made.comparison.groupedOrder(by: $0, descending: descending) } ?? made.comparison.groupedOrder()
        var rows: [CompareRow] = []
        rows.reserveCapacity(ordered.count)
        var rowsHTML = ""
        rowsHTML.reserveCapacity(ordered.reduce(0) { $0 + made.cellsHTML[$1.index].utf8.count + 30 })
        for (i, isChild) in ordered {
            var row = made.rows[i]
            row.isChild = isChild
            rows.append(row)
            rowsHTML += (isChild ? "<tr class=\"child\"" : "<tr") + made.rowAttributes[i] + ">" + made.cellsHTML[i] + "</tr>\n"
        }
        let sortLabel = sortKey.flatMap { k in Comparison.keys.first { $0.0 == k }?.1 }
        return ComparisonPage(
            chrome: chrome(title: made.title, depth: 3,
                           breadcrumbs: Self.regionCrumbs(tree, region.slug, root: root, last: Link("\(year)年度对比", href: "./", current: true)),
                           description: "\(region.name)各部门\(year)年度决算主要指标对比。"),
            region: region.name, year: "\(year)", sortedBy: (active.map { "仅\($0.dimension)为\($0.label)的部门（单位），" } ?? "")
                + (sortLabel.map { "按\($0)\(descending ? "从高到低" : "从低到高")排列" } ?? "按主管部门分组，按单位编码排列"),
            columns: columns, rows: rows, rowsHTML: rowsHTML, total: made.total,
            years: years.map { Link("\($0)年度", href: "\(root)compare/\(region.slug)/\($0)/", current: $0 == year) },
            acrossYears: "\(root)compare/\(region.slug)/",
            // The treemap only on the index: the sorted views repeat the same departments 42 times.
            charts: sortKey == nil ? made.charts : made.charts.filter { $0.id != "chart-treemap" },
            count: "\(rows.count)",
            unpublished: rows.contains { !$0.published } ? "\(rows.filter { !$0.published }.count)" : nil,
            downloads: [Link("本表全部列（CSV，每个部门一行）", href: here + Self.comparisonCSVName(region: region.slug, year: year)),
                        Link("全部数据（CSV，每个单元格一行）", href: "\(here)data.csv"), Link("数据包说明（datapackage.json）", href: "\(here)datapackage.json"),
                        Link("批量下载（ZIP：全部数据和各部门十张表的 CSV）", href: "\(here)\(region.slug)-\(year).zip")],
            filters: Self.filterGroups(filters, here: here, active: active),
            filtered: active.map { "\($0.dimension)：\($0.label)" })
    }

    /// The filter links by dimension, each led by 全部 (the whole table).
    static func filterGroups(_ filters: CompareFilters, here: String, active: CompareFilter?) -> [CompareFilterGroup] {
        var groups: [CompareFilterGroup] = []
        for f in filters.filters {
            if groups.last?.label != f.dimension {
                groups.append(CompareFilterGroup(label: f.dimension, links: [Link("全部", href: here, current: active == nil)]))
            }
            groups[groups.count - 1].links.append(Link(f.label, href: "\(here)\(f.token).html", current: active == f))
        }
        return groups
    }

    public func acrossYearsPage(tree: RegionTree, region: Region, departments: [Department], years: [Int],
                                value: (Department, Int) -> Headline?) -> AcrossYearsPage {
        let root = "../../"
        let tables = [("expenditure", "本年支出合计"), ("income", "本年收入合计"), ("threePublic", "“三公”经费决算数")].map { key, label in
            TextTableView(caption: "\(region.name)各部门历年\(label)（万元）", head: ["部门（单位）"] + years.map { "\($0)年度" },
                          rows: departments.map { dept in [dept.name] + years.map { Format.amount(value(dept, $0)?[key]) } })
        }
        return AcrossYearsPage(
            chrome: chrome(title: "\(region.name)历年部门决算对比", depth: 2,
                           breadcrumbs: Self.regionCrumbs(tree, region.slug, root: root, last: Link("历年对比", href: "./", current: true)),
                           description: "\(region.name)各部门历年决算主要指标。"),
            region: region.name, tables: tables,
            years: years.map { Link("\($0)年度", href: "\(root)compare/\(region.slug)/\($0)/") })
    }

    public func regionPage(tree: RegionTree, region: Region, departments: [Department], years: [String: [Int]], compareYears: [Int]) -> RegionPage {
        let root = "../../"
        return RegionPage(
            chrome: chrome(title: region.name, depth: 2, breadcrumbs: Self.regionCrumbs(tree, region.slug, root: root, last: nil),
                           description: "\(region.name)各部门（单位）决算公开。"),
            name: region.name,
            children: tree.children(of: region.slug).map { Link($0.name, href: "\(root)regions/\($0.slug)/") },
            departments: departments.map { homeDepartment($0, years: years[$0.slug] ?? [], root: root) },
            comparisons: compareYears.map { Link("\($0)年度对比", href: "\(root)compare/\(region.slug)/\($0)/") }
                + (compareYears.count > 1 ? [Link("历年对比", href: "\(root)compare/\(region.slug)/")] : []))
    }

    /// The comparison table as CSV (`OpenData.comparisonCSV`), beside its page.
    public static func comparisonCSVName(region: String, year: Int) -> String { "\(region)-\(year)-compare.csv" }

    /// A row's cells as HTML, between its `<tr>` and `</tr>`.
    static func compareCellsHTML(_ row: CompareRow) -> String {
        var out = "<th scope=\"row\" data-value=\"\(HTML.escape(row.code))\"><a href=\"\(HTML.escape(row.href))\">\(HTML.escape(row.name))</a></th>"
        // The sort value only where the text is not it (a percentage, a rounded amount): the
        // pre-sorted views repeat these rows 27 times, and a sort value on every cell made them much
        // larger (bench/README.md#figures-that-were-in-code-comments).
        if !row.published {
            return out + "<td class=\"unpublished\" colspan=\"\(Comparison.keys.count)\">本年度未公开决算</td>"
        }
        for cell in row.cells {
            out += cell.value == cell.text ? "<td>" : "<td data-value=\"\(HTML.escape(cell.value))\">"
            out += HTML.escape(cell.text) + "</td>"
        }
        return out
    }

    func homeDepartment(_ dept: Department, years: [Int], root: String) -> HomeDepartment {
        HomeDepartment(name: dept.name, href: "\(root)\(dept.slug)/", kind: dept.kind,
                       years: years.map { Link("\($0)年度", href: "\(root)\(dept.slug)/\($0)/") })
    }
}
