import Check
import Derive
import Model
import Support

/// Builds page view models from completed disclosures. Everything a template prints is a
/// pre-formatted string here; templates only place it.
public struct ViewBuilder: Sendable {
    public var config: SiteConfig
    public var prose: ProseRenderer
    public var tree: RegionTree
    /// Table rows are rendered by the theme's `partials/grid-row.mustache` (a site's own), not by
    /// the fast path that writes what the built-in one does.
    public var rowsInTemplates: Bool

    public init(config: SiteConfig, tree: RegionTree, rowsInTemplates: Bool = false) {
        self.config = config
        self.prose = ProseRenderer(allowRawHTML: config.unsafeHTML)
        self.tree = tree
        self.rowsInTemplates = rowsInTemplates
    }

    /// 首页 › regions › the department, as links from a page `root` away from the site root.
    func departmentTrail(_ dept: Department, root: String) -> [Link] {
        var links = [Link("首页", href: root)]
        if let slug = tree.regionOf[dept.slug] { links += tree.path(to: slug).map { Link($0.name, href: "\(root)regions/\($0.slug)/") } }
        return links
    }


    public func chrome(title: String, depth: Int, breadcrumbs: [Link], description: String) -> PageChrome {
        PageChrome(siteTitle: config.title, lang: config.language, root: String(repeating: "../", count: depth), title: title,
                   breadcrumbs: breadcrumbs, description: description)
    }

    public static func disclosureTitle(_ dept: Department, _ year: Int) -> String { "\(dept.name)\(year)年度部门决算" }

    /// The page of one disclosure. `d` is completed (Derive); `years` are all years of the department.
    public func disclosurePage(_ d: Disclosure, department dept: Department, previous: Disclosure?, years: [Int],
                               glossary: Prose?, findings: [Finding], charts: [ChartView], place: PlaceView? = nil,
                               into bag: inout DiagnosticBag) -> DisclosurePage {
        let book = FigureBook(current: d, previous: previous)
        let title = Self.disclosureTitle(dept, d.year)
        let root = "../../"
        let away = Set(d.tablesElsewhere.map(\.number))
        let printed = Self.inFormOrder(d).filter { !away.contains($0.number) }
        let tables = printed.map { t in
            var view = tableView(t, department: dept, year: d.year)
            view.charts = charts.filter { $0.table == t.number }
            return view
        }
        let performance = d.performance.enumerated().map {
            performanceView($0.element, index: $0.offset + 1, form: d.printed?.performance ?? PrintedPerformance())
        }
        let reports = d.reports.enumerated().map { i, r in
            ReportView(id: "report-\(i + 1)", title: r.title, html: prose.html(r.body, book: book, topLevel: 4, into: &bag) ?? "",
                       table: r.table.map { textTable($0, caption: "\(r.title) 评分表") })
        }
        // The parts in the order and with the titles of the disclosure's form.
        // An `other` part's id is its file's name: a form may print several.
        let parts = (d.printed?.parts ?? PrintedPart.national).map { part in
            PartView(id: part.file.map { "part-" + $0.dropLast(3) } ?? part.kind.rawValue, title: part.title(unit: dept.name, year: d.year),
                     partial: "parts/" + part.kind.rawValue, headings: part.headings,
                     html: part.file.flatMap { d.otherParts[$0] }.flatMap { prose.html($0, book: book, into: &bag) })
        }
        let toc = parts.map { part in
            let children: [TocEntry] = switch part.id {
            case "tables": tables.map { TocEntry(id: $0.id, title: "\($0.number) \($0.title)", children: []) }
            case "attachments": performance.map { TocEntry(id: $0.id, title: $0.heading, children: []) } + reports.map { TocEntry(id: $0.id, title: $0.title, children: []) }
            default: []
            }
            return TocEntry(id: part.id, title: part.title, children: children)
        }
        let index = years.firstIndex(of: d.year)
        func yearLink(_ y: Int) -> Link { Link("\(y)年度", href: "\(root)\(dept.slug)/\(y)/", current: y == d.year) }
        return DisclosurePage(
            chrome: chrome(title: title, depth: 2, breadcrumbs: departmentTrail(dept, root: root) + [Link(dept.name, href: "\(root)\(dept.slug)/"), Link("\(d.year)年度", href: "./", current: true)],
                           description: "\(dept.name)\(d.year)年度部门决算公开：概况、十张决算表、情况说明、名词解释和附件。"),
            department: dept.name, departmentKind: dept.kind, region: dept.region, year: "\(d.year)",
            formNote: "本公开采用\(d.form)年版表式（公开06、09、10表）。",
            summary: Self.summary(Headline(d), last: previous.map(Headline.init)),
            toc: toc, parts: parts, years: years.map(yearLink),
            previousYear: index.flatMap { $0 > 0 ? yearLink(years[$0 - 1]) : nil },
            nextYear: index.flatMap { $0 + 1 < years.count ? yearLink(years[$0 + 1]) : nil },
            dutiesIntro: dept.dutiesIntro, duties: dept.duties,
            institutions: d.institutions.isEmpty ? nil : "本部门设立\(d.institutions.count)个内设机构：\(d.institutions.joined(separator: "、"))。",
            staff: d.staff.map { LabelValue(label: $0.0, value: Format.amount($0.1, isCount: true) + "人") },
            overviewNoteHTML: prose.html(d.overviewNote, book: book, topLevel: 4, into: &bag),
            tables: tables, charts: charts.filter { $0.table == nil },
            explanationHTML: prose.html(d.explanation, book: book, into: &bag),
            glossaryHTML: prose.html(d.glossary ?? glossary, book: nil, into: &bag),
            performance: performance, reports: reports, hasAttachments: !performance.isEmpty || !reports.isEmpty,
            // The public box says which published figures disagree and by how much: no editor's questions
            // (jumps on last year, wording), no rule ids, no advice, always Chinese.
            findings: findings.filter { !$0.isEditorOnly }.map { FindingView(severity: Messages.publicSeverity($0.severity), text: $0.publicText) },
            draft: d.draft, published: d.published, dataPackage: "\(dept.slug)-\(d.year)-juesuan-datapackage.zip",
            elsewhere: Self.elsewhere(d), place: place)
    }

    /// Its tables in the order its form prints them, without those it does not print.
    static func inFormOrder(_ d: Disclosure) -> [Table] {
        d.tables.filter { $0.printed?.position != nil || $0.printed == nil }
            .sorted { ($0.printed?.position ?? $0.number) < ($1.printed?.position ?? $1.number) }
    }

    /// The tables published elsewhere, by the number and title its form prints, and where.
    /// `printsNone`: the page prints no table (the form lists none): it still says where they are.
    /// The form's tables that are no national table (`PrintedForm.others`) are listed among them, in
    /// the form's order.
    /// The page and the downloads' note (`OpenData.elsewhereNote`) list the same tables.
    public static func elsewhere(_ d: Disclosure) -> ElsewhereView? {
        let away = Set(d.tablesElsewhere.map(\.number))
        let inOrder = inFormOrder(d)
        let tables = inOrder.filter { away.contains($0.number) }
        let printsNone = tables.count == inOrder.count
        let others = d.printed?.others ?? []
        guard let text = d.elsewhere, !tables.isEmpty || !others.isEmpty || printsNone else { return nil }
        let href = text.hasPrefix("https://") || text.hasPrefix("http://") ? text : nil
        let national = tables.enumerated().map { i, t in
            let form = t.printed ?? PrintedTable(number: t.kind.formNumber)
            return (form.position ?? i, LabelValue(label: form.number, value: form.title))
        }
        let listed = (national + others.map { ($0.position, LabelValue(label: $0.number, value: $0.title)) })
            .enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map(\.element.1)
        return ElsewhereView(text: text, href: href, tables: listed)
    }

    public func tableView(_ t: Table, department: Department, year: Int) -> TableView {
        let grid = TableLayout.grid(t).withHTML(rowsInTemplates: rowsInTemplates)
        let halves = TableLayout.halves(t).map { TableHalf(side: $0.side, grid: $0.grid.withHTML(rowsInTemplates: rowsInTemplates)) }
        let form = t.printed ?? PrintedTable(number: t.kind.formNumber)
        let empty = t.isEmpty ? form.emptyNote.map { [$0] } ?? [] : []
        return TableView(id: "t\(t.kind.code)", partial: "partials/table-\(t.kind.code)", number: form.number, title: form.title,
                         department: department.name, year: "\(year)年度", unit: form.unit, isEmpty: t.isEmpty,
                         grid: grid, notes: (form.notes + empty).map { PrintedTable.fill($0, year: year) },
                         wide: grid.width > 7,
                         // The disclosure's downloads (OpenData.disclosureFileNames): the workbook has a sheet per table.
                         csv: "\(department.slug)-\(year)-juesuan.xlsx", json: "\(department.slug)-\(year)-juesuan.json", halves: halves,
                         zeroRows: grid.body.contains { $0.rowClass?.split(separator: " ").contains("zero") ?? false })
    }

    public func textTable(_ t: TextTable, merged: [String] = []) -> TextTableView {
        TextTableView(caption: t.caption, head: t.columns, rows: t.rows.map { $0.map { $0 ?? "" } }, header: t.header,
                      merged: merged.compactMap { t.columns.firstIndex(of: $0) })
    }

    /// A text table that has no caption of its own gets `caption`: every table on a page is named.
    public func textTable(_ t: TextTable, caption: String, merged: [String] = []) -> TextTableView {
        var view = textTable(t, merged: merged)
        if (view.caption ?? "").isEmpty { view.caption = caption }
        return view
    }

    /// A 绩效自评表 as its form prints it (`PrintedPerformance`): its labels, the indicators with
    /// their repeated 一级/二级 cells merged and 总分 as their last row, its text sections.
    public func performanceView(_ p: PerformanceTable, index: Int, form: PrintedPerformance = PrintedPerformance()) -> PerformanceView {
        let heading = (p.kind == .project ? form.project : form.overall) + "：" + p.title
        var grade = p.grade
        if grade == nil, let s = p.totalScore, case .success(let score) = Amount.parse(s) { grade = PerformanceTable.grade(for: score) }
        var indicators = p.indicators
        if var table = indicators, p.totalWeight != nil || p.totalScore != nil {
            // 总分 as the last row, its 分值 and 得分 under their columns.
            var total: [String?] = table.columns.map { _ in nil }
            if !total.isEmpty { total[0] = form.total }
            if let c = table.columns.firstIndex(of: "分值") { total[c] = p.totalWeight }
            if let c = table.columns.firstIndex(of: "得分") { total[c] = p.totalScore }
            table.rows.append(total)
            indicators = table
        }
        return PerformanceView(id: "performance-\(index)", heading: heading, title: p.title,
                               fields: p.fields.map { LabelValue(label: $0.0, value: $0.1) },
                               funds: p.funds.map { textTable($0, caption: "\(p.title) \(form.funds)") },
                               fundsTitle: form.funds, goalsTitle: form.goals, indicatorsTitle: form.indicators,
                               deviation: p.deviation, goalExpected: p.goalExpected, goalActual: p.goalActual,
                               indicators: indicators.map { textTable($0, caption: "\(p.title) \(form.indicators)", merged: form.merged) },
                               totalWeight: p.totalWeight, totalScore: p.totalScore, grade: grade,
                               sections: p.sections.map { LabelValue(label: $0.0, value: $0.1) })
    }

    /// The headline figures a reader looks for first, each with its change on last year's.
    static func summary(_ h: Headline, last: Headline?) -> [LabelValue] {
        Headline.orderedKeys.compactMap { key, label in
            guard let value = h[key] else { return nil }
            var text = Format.amount(value) + "万元"
            if let last, let (delta, percent) = Headline.change(value, last[key]) {
                let pct = percent.map { "，\(delta.isNegative ? "下降" : "增长")\(Format.percent($0.magnitude))" } ?? ""
                text += delta.isZero ? "（与上年持平）" : "（比上年\(delta.isNegative ? "减少" : "增加")\(Format.amount(delta.magnitude))万元\(pct)）"
            }
            return LabelValue(label: label, value: text)
        }
    }

    /// Headline figures of one disclosure, formatted.
    public static func headlineFigures(_ h: Headline) -> [LabelValue] {
        Headline.orderedKeys.map { LabelValue(label: $0.1, value: Format.amount(h[$0.0])) }
    }

    /// `years`: each year's headline figures, in order of year (the page shows nothing else of a disclosure).
    public func departmentPage(_ dept: Department, years: [(year: Int, headline: Headline)], parent: Department?, charts: [ChartView]) -> DepartmentPage {
        let root = "../"
        let summaries = years.map { y in
            DisclosureSummary(year: "\(y.year)年度", href: "\(y.year)/", figures: Self.headlineFigures(y.headline))
        }
        // Trend table: one row per headline figure, one column per year, with the change on the year before.
        let heads = Headline.orderedKeys
        let lines = years.map(\.headline)
        var rows: [[String]] = []
        for (key, label) in heads {
            var row = [label]
            for (i, h) in lines.enumerated() {
                var text = Format.amount(h[key])
                // The change is Derive's (Headline.change); only its wording is made here.
                if i > 0, let (delta, percent) = Headline.change(h[key], lines[i - 1][key]) {
                    let pct = percent.map { "，\(delta.isNegative ? "下降" : "增长")\(Format.percent($0.magnitude))" } ?? ""
                    text += delta.isZero ? "（持平）" : "（\(delta.isNegative ? "减少" : "增加")\(Format.amount(delta.magnitude))\(pct)）"
                }
                row.append(text)
            }
            rows.append(row)
        }
        let trend = TextTableView(caption: "\(dept.name)主要指标（万元）", head: ["项目"] + years.map { "\($0.year)年度" }, rows: rows)
        return DepartmentPage(
            chrome: chrome(title: dept.name, depth: 1, breadcrumbs: departmentTrail(dept, root: root) + [Link(dept.name, href: "./", current: true)],
                           description: "\(dept.name)历年部门决算公开与主要指标变化。"),
            name: dept.name, kind: dept.kind, region: dept.region,
            parent: parent.map { Link($0.name, href: "\(root)\($0.slug)/") },
            disclosures: summaries, trend: trend, charts: charts)
    }

    /// Departments are listed on the home page up to this count; beyond it, on region pages only.
    public static let homeListLimit = 200

    public func homePage(tree: RegionTree, departments: [Department], years: [String: [Int]], compareYears: [String: [Int]]) -> HomePage {
        let listAll = departments.count <= Self.homeListLimit
        func region(_ r: Region, depth: Int) -> [HomeRegion] {
            let direct = departments.filter { tree.regionOf[$0.slug] == r.slug }
            let all = tree.departments(in: r.slug, from: departments)
            let here = HomeRegion(name: r.name, href: "regions/\(r.slug)/", depth: depth, count: "\(all.count)",
                                  comparisons: (compareYears[r.slug] ?? []).map { Link("\($0)年度对比", href: "compare/\(r.slug)/\($0)/") },
                                  departments: listAll ? direct.map { homeDepartment($0, years: years[$0.slug] ?? [], root: "") } : [])
            return [here] + tree.children(of: r.slug).flatMap { region($0, depth: depth + 1) }
        }
        let count = years.values.reduce(0) { $0 + $1.count }
        return HomePage(chrome: chrome(title: config.title, depth: 0, breadcrumbs: [], description: "\(config.title)：各部门决算公开。"),
                        regions: tree.roots.flatMap { region($0, depth: 0) },
                        disclosureCount: "\(count)", departmentCount: "\(departments.count)")
    }

    public func searchPage(departments: [Department], years: [String: [Int]]) -> SearchPage {
        let root = "../"
        let entries = departments.map { dept -> SearchEntry in
            let ys = years[dept.slug] ?? []
            let region = tree.regionOf[dept.slug].flatMap { tree.region($0)?.name } ?? dept.region
            return SearchEntry(name: dept.name, href: "\(root)\(dept.slug)/", code: dept.code ?? "", region: region, kind: dept.kind,
                               terms: ([dept.name, Pinyin.initials(dept.name), dept.code ?? "", dept.slug, region] + ys.map(String.init))
                                   .joined(separator: " ").lowercased(),
                               years: ys.map { Link("\($0)年度", href: "\(root)\(dept.slug)/\($0)/") })
        }
        return SearchPage(chrome: chrome(title: "查找部门决算", depth: 1, breadcrumbs: [Link("首页", href: root), Link("查找", href: "./", current: true)],
                                         description: "按部门名称、单位编码或年度查找部门决算公开。"),
                          entries: entries, count: "\(entries.count)")
    }

    /// The search index as JSON, for tools and for scripts that prefer fetching it.
    public static func searchIndexJSON(_ page: SearchPage) -> String {
        func q(_ s: String) -> String { JSONText.quote(s) }
        return "[" + page.entries.map { e in
            "{\"name\":\(q(e.name)),\"code\":\(q(e.code)),\"region\":\(q(e.region)),\"kind\":\(q(e.kind)),\"url\":\(q(String(e.href.dropFirst(3)))),"
                + "\"years\":[\(e.years.map { String($0.text.prefix(4)) }.joined(separator: ","))]}"
        }.joined(separator: ",\n") + "]\n"
    }

    /// `/sub/` from `https://example.gov.cn/sub/`.
    public static func sitePath(_ baseURL: String) -> String {
        guard let scheme = baseURL.range(of: "://") else { return baseURL.hasPrefix("/") ? baseURL : "/" }
        let rest = baseURL[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return "/" }
        return String(rest[slash...])
    }

    public func notFoundPage() -> NotFoundPage {
        // Served at any depth, so links start from the site's absolute path.
        var page = NotFoundPage(chrome: chrome(title: "页面不存在", depth: 0, breadcrumbs: [], description: "页面不存在"))
        page.chrome.root = Self.sitePath(config.baseURL)
        return page
    }
}
