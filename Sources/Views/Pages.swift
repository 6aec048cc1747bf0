import Check
import Derive
import Model

/// Links and labels every page shares.
public struct PageChrome: Sendable {
    public var siteTitle: String
    public var lang: String
    /// Relative path to the site root from this page (`../../`), so public/ works from any folder or file://.
    public var root: String
    public var title: String
    public var breadcrumbs: [Link]
    public var description: String
}

public struct Link: Sendable {
    public var text: String
    public var href: String
    public var current: Bool
    public init(_ text: String, href: String, current: Bool = false) {
        self.text = text
        self.href = href
        self.current = current
    }
}

public struct LabelValue: Sendable {
    public var label: String
    public var value: String
}

/// One of the ten tables as the theme renders it.
public struct TableView: Sendable {
    /// `t05`: anchor and partial suffix.
    public var id: String
    public var partial: String
    public var number: String
    public var title: String
    public var department: String
    public var year: String
    public var unit: String
    public var isEmpty: Bool
    public var grid: Grid
    /// The lines printed under the table, as its form prints them (with the year filled in); with
    /// the form's empty-table note last when the table has no figures.
    public var notes: [String]
    public var wide: Bool
    /// Downloads of this table.
    public var csv: String
    public var json: String
    /// Charts that summarise this table, shown right after it.
    public var charts: [ChartView] = []
    /// 01 and 04: 收入 and 支出 as two tables, which narrow screens show instead of `grid`.
    public var halves: [TableHalf] = []
    /// Some rows are all zeros or blank (class `zero`): the page offers to hide them.
    public var zeroRows = false
}

/// One side of a two-sided table (收入 or 支出 of 01 and 04), for narrow screens.
public struct TableHalf: Sendable {
    /// 收入 or 支出.
    public var side: String
    public var grid: Grid
}

public struct TextTableView: Sendable {
    public var caption: String?
    public var head: [String]
    public var rows: [[String]]
    /// `head` and `rows` as escaped HTML cells: the default theme's fast path, as for `Grid`
    /// (a theme may still iterate `head` and `rows` in its own `partials/text-table.mustache`).
    public var headHTML: String
    public var bodyHTML: String

    /// `header`: the header rows as printed, when they are more than `head`; `merged`: columns whose
    /// repeated cells print once, over their rows (within the run of the merged columns before them).
    public init(caption: String?, head: [String], rows: [[String]], header: [[HeaderCell]]? = nil, merged: [Int] = []) {
        self.caption = caption
        self.head = head
        self.rows = rows
        headHTML = HTML.rows(header.map { $0.map { row in GridRow(row.map { GridCell.col($0.text, colspan: $0.colspan, rowspan: $0.rowspan) }) } }
                             ?? [GridRow(head.map { GridCell.col($0) })])
        bodyHTML = HTML.rows(Self.merging(rows, columns: merged))
    }

    /// Rows with the repeated cells of `columns` merged: the first of a run spans it, the others are left out.
    static func merging(_ rows: [[String]], columns: [Int]) -> [GridRow] {
        var spans = rows.map { $0.map { _ in 1 } }
        for (n, c) in columns.enumerated() {
            var start = 0
            while start < rows.count {
                var end = start + 1
                func same(_ r: Int) -> Bool {
                    c < rows[r].count && !rows[start][c].isEmpty && rows[r][c] == rows[start][c]
                        && columns.prefix(n).allSatisfy { rows[r][$0] == rows[start][$0] && spans[r][$0] == 0 }
                }
                while end < rows.count && same(end) { end += 1 }
                if end - start > 1 {
                    spans[start][c] = end - start
                    for r in start + 1..<end { spans[r][c] = 0 }
                }
                start = end
            }
        }
        return rows.indices.map { r in
            GridRow(rows[r].indices.compactMap { c in spans[r][c] == 0 ? nil : GridCell(rows[r][c], rowspan: spans[r][c]) })
        }
    }
}

public struct PerformanceView: Sendable {
    public var id: String
    public var heading: String
    public var title: String
    public var fields: [LabelValue]
    public var funds: TextTableView?
    /// The labels its form prints over its parts.
    public var fundsTitle: String
    public var goalsTitle: String
    public var indicatorsTitle: String
    public var deviation: String?
    public var goalExpected: String?
    public var goalActual: String?
    /// The indicators, with 总分 (分值 and 得分) as their last row.
    public var indicators: TextTableView?
    public var totalWeight: String?
    public var totalScore: String?
    public var grade: String?
    /// Text sections printed with the table (项目绩效分析 …).
    public var sections: [LabelValue]
}

public struct ReportView: Sendable {
    public var id: String
    public var title: String
    public var html: String
    public var table: TextTableView?
}

/// A part of a disclosure page, in the order its form prints them: `partial` (`parts/overview` …)
/// renders it, under `title`.
public struct PartView: Sendable {
    public var id: String
    public var title: String
    public var partial: String
    /// 概况: the heading over 主要职责, the one over 机构设置和人员, and any the document prints after
    /// them (before the overview's note), as the form's part says (`headings`).
    public var headings: [String] = []
    public var dutiesHeading: String { headings.first ?? "一、主要职责" }
    public var staffHeading: String { headings.count > 1 ? headings[1] : "二、机构设置和人员情况" }
    public var moreHeadings: [String] { Array(headings.dropFirst(2)) }
    /// An `other` part: its text, as HTML (nil: none was given).
    public var html: String? = nil
}

public struct TocEntry: Sendable {
    public var id: String
    public var title: String
    public var children: [TocEntry]
}

public struct ChartView: Sendable {
    public var id: String
    /// The 公开 table the chart summarises (placed next to it), if any.
    public var table: Int? = nil
    public var caption: String
    public var svg: String
    /// The same chart laid out for narrow screens (`Charts.narrow`), shown there instead of `svg`.
    public var narrowSVG: String
    public var figures: TextTableView
}

public struct FindingView: Sendable {
    public var severity: String
    public var text: String
}

/// public/<department>/<year>/index.html
public struct DisclosurePage: Sendable {
    public var chrome: PageChrome
    public var department: String
    public var departmentKind: String
    public var region: String
    public var year: String
    public var formNote: String
    /// The headline figures at the top of the page, each with its change on last year.
    public var summary: [LabelValue]
    public var toc: [TocEntry]
    /// The parts, in the order the document prints them.
    public var parts: [PartView]
    public var years: [Link]
    public var previousYear: Link?
    public var nextYear: Link?
    // 第一部分 概况
    public var dutiesIntro: String?
    public var duties: [String]
    public var institutions: String?
    public var staff: [LabelValue]
    public var overviewNoteHTML: String?
    // 第二部分
    public var tables: [TableView]
    public var charts: [ChartView]
    // 第三部分
    public var explanationHTML: String?
    // 第四部分
    public var glossaryHTML: String?
    // 第五部分
    public var performance: [PerformanceView]
    public var reports: [ReportView]
    public var hasAttachments: Bool
    public var findings: [FindingView]
    /// Why this disclosure is a draft (shown only where drafts are: `serve`, `build --drafts`).
    public var draft: [String] = []
    public var published: String?
    /// Frictionless data package of the ten tables.
    public var dataPackage: String
    /// The tables the page does not print because they are published elsewhere, and where.
    public var elsewhere: ElsewhereView? = nil
    /// Its place among the departments of its region and 单位性质 (`placeView`), if it has a measure.
    public var place: PlaceView? = nil
}

/// Tables of a disclosure published elsewhere (disclosure.yaml `elsewhere:`): listed by number and
/// title with where they are, never printed empty.
public struct ElsewhereView: Sendable {
    /// Where they are published, as the editor wrote it.
    public var text: String
    /// `text` when it is a web address, for a link.
    public var href: String?
    /// Each table: `label` its number (公开01表, 表一, or empty), `value` its title.
    public var tables: [LabelValue]
}

public struct DisclosureSummary: Sendable {
    public var year: String
    public var href: String
    public var figures: [LabelValue]
}

/// public/<department>/index.html
public struct DepartmentPage: Sendable {
    public var chrome: PageChrome
    public var name: String
    public var kind: String
    public var region: String
    public var parent: Link?
    public var disclosures: [DisclosureSummary]
    public var trend: TextTableView
    public var charts: [ChartView]
}

public struct HomeDepartment: Sendable {
    public var name: String
    public var href: String
    public var kind: String
    public var years: [Link]
}

public struct HomeRegion: Sendable {
    public var name: String
    public var href: String
    /// 0 for a top-level region.
    public var depth: Int
    /// Departments in the region and inside it.
    public var count: String
    public var comparisons: [Link]
    public var departments: [HomeDepartment]
}

/// public/index.html
public struct HomePage: Sendable {
    public var chrome: PageChrome
    public var regions: [HomeRegion]
    public var disclosureCount: String
    public var departmentCount: String
    /// The home page's title is the site title alone.
    public var isHome = true
}

/// public/404.html
public struct NotFoundPage: Sendable {
    public var chrome: PageChrome
}

public struct SearchEntry: Sendable {
    public var name: String
    public var href: String
    public var code: String
    public var region: String
    public var kind: String
    /// Lower-cased text the in-page filter matches: name, its pinyin initials, code, slug, region, years.
    public var terms: String
    public var years: [Link]
}

/// public/search/ — every department and disclosure; a small script filters the list in place.
public struct SearchPage: Sendable {
    public var chrome: PageChrome
    public var entries: [SearchEntry]
    public var count: String
}
