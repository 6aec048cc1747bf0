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
    public static func pages(_ site: SiteBuilder.Model, config: SiteConfig, into bag: inout DiagnosticBag) -> [Page] {
        let content = site.content
        let tree = RegionTree(declared: config.regions, departments: content.departments)
        let builder = ViewBuilder(config: config, tree: tree)
        let byDepartment = Dictionary(grouping: site.disclosures, by: \.department)
        let findingsByDisclosure = Dictionary(grouping: site.findings, by: \.disclosure)
        var pages: [Page] = []
        var years: [String: [Int]] = [:]
        var byKey: [String: Disclosure] = [:]
        for d in site.disclosures { byKey[d.id] = d }

        // Disclosure and department pages.
        for dept in content.departments {
            let list = (byDepartment[dept.slug] ?? []).sorted { $0.year < $1.year }
            years[dept.slug] = list.map(\.year)
            for d in list {
                let findings = config.showFindings ? (findingsByDisclosure[d.id] ?? []) : []
                let page = builder.disclosurePage(d, department: dept, previous: byKey["\(dept.slug)/\(d.year - 1)"], years: list.map(\.year),
                                                  glossary: content.glossary, findings: findings,
                                                  charts: ChartBuilder.disclosureCharts(d, departmentName: dept.name), into: &bag)
                pages.append(Page(path: "\(dept.slug)/\(d.year)/index.html", template: "disclosure", model: page))
            }
            let parent = dept.parent.flatMap { content.department($0) }
            pages.append(Page(path: "\(dept.slug)/index.html", template: "department",
                              model: builder.departmentPage(dept, disclosures: list, parent: parent, charts: ChartBuilder.departmentCharts(dept, list))))
        }

        // Region pages and comparison indexes (each region includes the regions inside it).
        var compareYears: [String: [Int]] = [:]
        for region in tree.regions {
            let members = tree.departments(in: region.slug, from: content.departments)
            let regionYears = Array(Set(members.flatMap { years[$0.slug] ?? [] })).sorted()
            compareYears[region.slug] = regionYears
            pages.append(Page(path: "regions/\(region.slug)/index.html", template: "region",
                              model: builder.regionPage(tree: tree, region: region, departments: members, years: years, compareYears: regionYears)))
            for year in regionYears {
                let entries = members.compactMap { dept -> (Department, Disclosure, Disclosure?)? in
                    byKey["\(dept.slug)/\(year)"].map { (dept, $0, byKey["\(dept.slug)/\(year - 1)"]) }
                }
                let comparison = Comparison(entries)
                let base = "compare/\(region.slug)/\(year)/"
                pages.append(Page(path: base + "index.html", template: "compare",
                                  model: builder.comparisonPage(comparison, tree: tree, region: region, year: year, years: regionYears, sortKey: nil, descending: true)))
                for (key, _) in Comparison.keys {
                    for descending in [true, false] {
                        pages.append(Page(path: base + "\(key)-\(descending ? "desc" : "asc").html", template: "compare",
                                          model: builder.comparisonPage(comparison, tree: tree, region: region, year: year, years: regionYears,
                                                                        sortKey: key, descending: descending)))
                    }
                }
            }
            if !regionYears.isEmpty {
                pages.append(Page(path: "compare/\(region.slug)/index.html", template: "across-years",
                                  model: builder.acrossYearsPage(tree: tree, region: region, departments: members, years: regionYears) { dept, year in
                                      byKey["\(dept.slug)/\(year)"].map(Headline.init)
                                  }))
            }
        }
        pages.append(Page(path: "index.html", template: "home",
                          model: builder.homePage(tree: tree, departments: content.departments, years: years, compareYears: compareYears)))
        pages.append(Page(path: "404.html", template: "404", model: builder.notFoundPage()))
        return pages
    }

    /// Files that are not rendered from templates: chart styles, sitemap, feed.
    static func extraFiles(_ site: SiteBuilder.Model, pages: [Page], theme: Theme) -> [Output.File] {
        var files: [Output.File] = []
        // Chart styles come from the Charts module unless the theme brings its own.
        if !theme.staticFiles.contains(where: { $0.path == "charts.css" }) {
            files.append(Output.File(path: "static/charts.css", text: Charts.defaultCSS))
        }
        let base = site.content.config.baseURL
        files.append(Output.File(path: "sitemap.xml", text: Feeds.sitemap(base: base, paths: pages.map(\.path).filter { $0 != "404.html" })))
        files.append(Output.File(path: "feed.xml", text: Feeds.atom(site.content, disclosures: site.disclosures)))
        return files
    }
}

/// sitemap.xml and an Atom feed of disclosures by publication date (no build timestamps: deterministic).
enum Feeds {
    static func xml(_ s: String) -> String {
        s.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;").replacingAll("\"", "&quot;")
    }

    static func url(_ base: String, _ path: String) -> String {
        let clean = path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path
        return base + clean
    }

    static func sitemap(base: String, paths: [String]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in paths.sorted() { out += "<url><loc>\(xml(url(base, path)))</loc></url>\n" }
        return out + "</urlset>\n"
    }

    static func atom(_ content: SiteContent, disclosures: [Disclosure]) -> String {
        let base = content.config.baseURL
        let dated = disclosures.sorted { ($0.published ?? "", $0.id) > ($1.published ?? "", $1.id) }
        let updated = dated.compactMap(\.published).max() ?? "2000-01-01"
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(xml(content.config.language))\">\n"
        out += "<title>\(xml(content.config.title))</title>\n<id>\(xml(base))</id>\n<link href=\"\(xml(base))\"/>\n<link rel=\"self\" href=\"\(xml(base))feed.xml\"/>\n<updated>\(updated)T00:00:00Z</updated>\n"
        for d in dated {
            guard let dept = content.department(d.department) else { continue }
            let link = base + "\(d.department)/\(d.year)/"
            out += "<entry><title>\(xml(ViewBuilder.disclosureTitle(dept, d.year)))</title><id>\(xml(link))</id><link href=\"\(xml(link))\"/>"
            out += "<updated>\(d.published ?? updated)T00:00:00Z</updated><author><name>\(xml(dept.name))</name></author></entry>\n"
        }
        return out + "</feed>\n"
    }
}

extension String {
    func replacingAll(_ a: String, _ b: String) -> String { split(separator: a, omittingEmptySubsequences: false).joined(separator: b) }
}
