import Charts
import Derive
import Model

/// Chooses and fills the charts of each page (SVG from the Charts module, figures from Derive).
public enum ChartBuilder {
    /// A chart and its narrow form (`Charts.narrow`, with ids of its own), which narrow screens show instead.
    static func view(_ id: String, _ caption: String, _ rendered: RenderedChart, narrow: RenderedChart, table: Int? = nil) -> ChartView {
        let rows = rendered.textAlternative
        return ChartView(id: id, table: table, caption: caption, svg: rendered.svg, narrowSVG: narrow.svg,
                         figures: TextTableView(caption: caption + "（数据）", head: rows.first ?? [], rows: Array(rows.dropFirst())))
    }

    /// The chart's narrow form: the same text, its own ids, `Charts.narrowWidth` wide.
    static func narrow(_ chart: Chart) -> Chart {
        var narrow = chart
        narrow.id += "-narrow"
        narrow.width = Charts.narrowWidth
        return narrow
    }

    static func value(_ d: Disclosure, _ table: Int, _ row: String, _ column: String? = nil) -> Amount? {
        if case .success(let (_, _, cell)) = FigureBook.locate(FigurePath(table: table, row: row, column: column), in: d) { return cell.value }
        return nil
    }

    public static func disclosureCharts(_ d: Disclosure, departmentName: String) -> [ChartView] {
        var charts: [ChartView] = []
        let prefix = "\(departmentName)\(d.year)年度"
        if !d.table(.t01).isEmpty {
            let incomes = ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入",
                           "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
            let items = incomes.map { ChartItem($0, value(d, 1, $0)) }
            let caption = "收入构成"
            let chart = Chart(id: "chart-income", title: prefix + caption, description: "本年收入合计按来源的构成，数据来自公开01表。")
            charts.append(view("chart-income", caption, Charts.composition(chart, items), narrow: Charts.narrow(narrow(chart), items, shares: true), table: 1))
        }
        let t03 = d.table(.t03)
        if !t03.isEmpty {
            let kinds = t03.sections[0].columns.dropFirst().map { ChartItem($0.label, value(d, 3, "合计", $0.label)) }
            let caption = "支出构成（按支出性质）"
            let chart = Chart(id: "chart-kinds", title: prefix + caption, description: "本年支出合计中基本支出、项目支出等的构成，数据来自公开03表。")
            charts.append(view("chart-kinds", caption, Charts.composition(chart, kinds), narrow: Charts.narrow(narrow(chart), kinds, shares: true), table: 3))
            let classes = t03.sections[0].rows.filter { $0.level == 1 }.map { ChartItem($0.label, $0.cells[0].value) }
            if !classes.isEmpty {
                let caption = "支出按功能分类（类）"
                let chart = Chart(id: "chart-classes", title: prefix + caption, description: "本年支出合计按支出功能分类“类”级科目排列，数据来自公开03表。")
                charts.append(view("chart-classes", caption, Charts.bars(chart, classes), narrow: Charts.narrow(narrow(chart), classes, sorted: true), table: 3))
            }
        }
        if !d.table(.t06).isEmpty {
            let items = [ChartItem("人员经费", value(d, 6, "人员经费合计")), ChartItem("公用经费", value(d, 6, "公用经费合计"))]
            let caption = "基本支出：人员经费与公用经费"
            let chart = Chart(id: "chart-basic", title: prefix + caption, description: "一般公共预算财政拨款基本支出中人员经费与公用经费的构成，数据来自公开06表。")
            charts.append(view("chart-basic", caption, Charts.composition(chart, items), narrow: Charts.narrow(narrow(chart), items, shares: true), table: 6))
        }
        let t09 = d.table(.t09)
        if !t09.isEmpty {
            let items = ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
            let budget = d.form >= 2023 ? "预算数" : "全年预算数"
            let caption = "“三公”经费预算与决算"
            let chart = Chart(id: "chart-three-public", title: prefix + caption, description: "“三公”经费各项的\(budget)与决算数对比，数据来自公开09表。")
            let series = [Series(budget, items.map { value(d, 9, $0, budget) }), Series("决算数", items.map { value(d, 9, $0, "决算数") })]
            charts.append(view("chart-three-public", caption, Charts.grouped(chart, categories: items, series: series),
                               narrow: Charts.narrow(narrow(chart), categories: items, series: series), table: 9))
        }
        return charts
    }

    /// `years`: each year's headline figures, in order of year.
    public static func departmentCharts(_ dept: Department, _ years: [(year: Int, headline: Headline)]) -> [ChartView] {
        guard !years.isEmpty else { return [] }
        let heads = years.map(\.headline)
        let periods = years.map { "\($0.year)" }
        let caption = "历年收入支出"
        let totals = Chart(id: "chart-trend", title: "\(dept.name)\(caption)", description: "各年度本年收入合计与本年支出合计，数据来自各年度公开01表。", labelHeader: "年度")
        let totalSeries = [Series("本年收入合计", heads.map { $0["income"] }), Series("本年支出合计", heads.map { $0["expenditure"] })]
        let kinds = Chart(id: "chart-trend-kinds", title: "\(dept.name)历年基本支出与项目支出", description: "各年度基本支出与项目支出，数据来自各年度公开03表。", labelHeader: "年度")
        let kindSeries = [Series("基本支出", heads.map { $0["basic"] }), Series("项目支出", heads.map { $0["project"] })]
        // A chart none of whose figures any year holds (tables published elsewhere, `elsewhere:`) is
        // not drawn: its empty text would say 本年无此项支出 of accounts the site does not hold.
        func holds(_ keys: [String]) -> Bool { heads.contains { h in keys.contains { h[$0] != nil } } }
        // On narrow screens the years are horizontal bars, a year's label above its two bars.
        return (holds(["income", "expenditure"]) ? [view("chart-trend", caption, Charts.trend(totals, periods: periods, series: totalSeries),
                                                         narrow: Charts.narrow(narrow(totals), categories: periods, series: totalSeries))] : [])
            + (holds(["basic", "project"]) ? [view("chart-trend-kinds", "历年基本支出与项目支出", Charts.trend(kinds, periods: periods, series: kindSeries),
                                                   narrow: Charts.narrow(narrow(kinds), categories: periods, series: kindSeries))] : [])
    }
}
