import Charts
import Check
import Derive
import Model
import Theme
import Views

/// One page to render: where it goes, which template, and its view model.
public struct Page: @unchecked Sendable {
    public var path: String
    public var template: String
    public var model: Any
}

/// Which pages a site has and what each shows.
public enum PageGraph {
    public static func pages(_ site: SiteBuilder.Model, builder: ViewBuilder, into bag: inout DiagnosticBag) -> [Page] {
        let content = site.content
        let byDepartment = Dictionary(grouping: site.disclosures, by: \.department)
        let findingsByDisclosure = Dictionary(grouping: site.findings, by: \.disclosure)
        var pages: [Page] = []
        var years: [String: [Int]] = [:]
        for dept in content.departments {
            let list = (byDepartment[dept.slug] ?? []).sorted { $0.year < $1.year }
            years[dept.slug] = list.map(\.year)
            for (i, d) in list.enumerated() {
                let previous = i > 0 && list[i - 1].year == d.year - 1 ? list[i - 1] : nil
                let findings = content.config.showFindings ? (findingsByDisclosure[d.id] ?? []) : []
                let page = builder.disclosurePage(d, department: dept, previous: previous, years: list.map(\.year),
                                                  glossary: content.glossary, findings: findings,
                                                  charts: ChartBuilder.disclosureCharts(d, departmentName: dept.name), into: &bag)
                pages.append(Page(path: "\(dept.slug)/\(d.year)/index.html", template: "disclosure", model: page))
            }
            let parent = dept.parent.flatMap { content.department($0) }
            pages.append(Page(path: "\(dept.slug)/index.html", template: "department",
                              model: builder.departmentPage(dept, disclosures: list, parent: parent, charts: ChartBuilder.departmentCharts(dept, list))))
        }
        pages.append(Page(path: "index.html", template: "home", model: builder.homePage(departments: content.departments, years: years)))
        pages.append(Page(path: "404.html", template: "404", model: builder.notFoundPage()))
        return pages
    }

    /// Files that are not rendered from templates.
    static func extraFiles(_ site: SiteBuilder.Model, theme: Theme) -> [Output.File] {
        var files: [Output.File] = []
        // Chart styles come from the Charts module unless the theme brings its own.
        if !theme.staticFiles.contains(where: { $0.path == "charts.css" }) {
            files.append(Output.File(path: "static/charts.css", text: Charts.defaultCSS))
        }
        return files
    }
}
