import Charts
import Foundation
import Check
import Derive
import Model
import Support
import OpenData
import Pipeline
import Theme
import Views

/// One page to render: where it goes, which template, what it depends on, and how to make its view model.
public struct Page: Sendable {
    public var path: String
    public var template: String
    /// Everything the page shows comes from these inputs: an unchanged key means unchanged bytes.
    public var key: String
    /// Builds the view model (only for pages that are rendered again); problems go to the bag.
    public var make: @Sendable (inout DiagnosticBag) -> Any
    /// For files that are not rendered from a template (downloads): their bytes. `read` gives the
    /// bytes of another file of this build as written, for files made from files (the region ZIPs).
    public var data: (@Sendable (_ read: (String) -> [UInt8]?) -> [UInt8])?
    /// Made after every other page, so that `read` finds the files it is made from.
    public var madeFromFiles = false

    init(path: String, template: String, key: String, make: @escaping @Sendable (inout DiagnosticBag) -> Any) {
        self.path = path
        self.template = template
        self.key = key
        self.make = make
    }

    /// A download made without a template.
    init(path: String, key: String, madeFromFiles: Bool = false, data: @escaping @Sendable (_ read: (String) -> [UInt8]?) -> [UInt8]) {
        self.init(path: path, template: "", key: key) { _ in () }
        self.data = data
        self.madeFromFiles = madeFromFiles
    }

    static func text(_ path: String, key: String, _ make: @escaping @Sendable () -> String) -> Page {
        Page(path: path, key: key) { _ in Array(make().utf8) }
    }
}

/// Pages made from the same inputs: a department (its disclosure pages, their downloads and the
/// department page), a region (its page and its comparison across years), a region and year's
/// comparison pages, its bulk downloads (long CSV, data package, ZIP), the site's own pages. The
/// group's key fingerprints every input of its pages, so a build whose group key is unchanged skips
/// the group whole, without listing its pages: an edit to one disclosure costs a rebuild one group
/// per region, not 200,000 pages.
public struct PageGroup: Sendable {
    public var id: String
    public var key: String
    /// May be made in a later build than the other groups' changes (`BuildOptions.downloadsLater`).
    public var canWait = false
    public var pages: @Sendable () -> [Page]

    init(id: String, key: String, canWait: Bool = false, pages: @escaping @Sendable () -> [Page]) {
        self.id = id
        self.key = key
        self.canWait = canWait
        self.pages = pages
    }
}

/// Which pages a site has and what each shows.
public enum PageGraph {
    /// `shared`: everything all pages depend on (config, theme …); `digests`: of each disclosure, in the
    /// order of `site.disclosures`.
    /// `regions`: the region tree and each region's departments, when the caller kept them (they
    /// change only with site.yaml and the department.yaml files).
    public static func groups(_ site: AnalysedSite, config: SiteConfig, shared: String, digests: [Fingerprints],
                              regions: Regions? = nil) -> [PageGroup] {
        let content = site.content
        let all = site.disclosures   // sorted by department and year
        let regions = regions ?? Regions(config: config, departments: content.departments)
        let tree = regions.tree
        let builder = ViewBuilder(config: config, tree: tree)
        // Positions in `all`: closures capture the list once and an index, not a copy of a disclosure
        // each. Only pages made again ask the list for a disclosure (it may read it then).
        let departmentOf = all.departments, yearOf = all.years
        let ranges: [String: Range<Int>] = {
            var ranges: [String: Range<Int>] = [:]
            var first = 0
            while first < all.count {
                var end = first + 1
                while end < all.count && departmentOf[end] == departmentOf[first] { end += 1 }
                ranges[departmentOf[first]] = first..<end
                first = end
            }
            return ranges
        }()
        let previous = site.previous
        let findingsByDisclosure = Dictionary(grouping: site.findings, by: \.disclosure)
        let years = Dictionary(content.departments.map { dept in (dept.slug, (ranges[dept.slug] ?? 0..<0).map { yearOf[$0] }) },
                               uniquingKeysWith: { first, _ in first })
        // Downloads of each disclosure, made once for their files (and for a region ZIP that cannot
        // read one of them back).
        let base = config.baseURL
        let downloads = all.indices.map { i in
            LazyBox { content.department(departmentOf[i]).map { OpenData.disclosureFiles(all[i], department: $0, baseURL: base) } ?? [] }
        }
        // The parts of page keys each disclosure gives, by position: what it was read from; its
        // headline figures, on which pages that show only those (department, comparison) depend, so
        // that editing a disclosure's prose re-renders its own page only; all its cells (downloads).
        let stampText = digests.map(\.stamp), figureText = digests.map(\.figures), tableText = digests.map(\.tables)
        @Sendable func lastYear(_ text: [String], _ i: Int) -> String { previous[i].map { text[$0] } ?? "" }
        let glossary = content.glossary
        // Disclosure and department pages. Groups are listed in parallel: in a large site listing
        // them is most of what an edit's rebuild does.
        var groups = parallelMap(content.departments) { dept -> PageGroup in
            let range = ranges[dept.slug] ?? 0..<0
            let yearList = years[dept.slug] ?? []
            // Every page key below is made of these parts (last year's disclosure is in the same group).
            var parts = Digest.Stream()
            parts.add(shared)
            for year in yearList { parts.add(year) }
            for i in range { parts.add(stampText[i]); parts.add(tableText[i]); parts.add(figureText[i]) }
            return PageGroup(id: "department " + dept.slug, key: parts.hex) {
                let pageKeys = range.map { i in
                    (page: [shared, stampText[i], lastYear(stampText, i), list(yearList)].joined(separator: "|"), data: shared + "|" + tableText[i])
                }
                let departmentKey = ([shared] + range.map { figureText[$0] }).joined(separator: "|")
                var pages: [Page] = []
                for (i, keys) in zip(range, pageKeys) {
                    let findings = config.showFindings ? (findingsByDisclosure[all.ids[i]] ?? []) : []
                    pages.append(Page(path: "\(dept.slug)/\(yearOf[i])/index.html", template: "disclosure", key: keys.page) { bag in
                        let d = all[i]
                        return builder.disclosurePage(d, department: dept, previous: previous[i].map { all[$0] },
                                                      years: yearList, glossary: glossary, findings: findings,
                                                      charts: ChartBuilder.disclosureCharts(d, departmentName: dept.name), into: &bag)
                    })
                }
                for (i, keys) in zip(range, pageKeys) {
                    let dir = "\(dept.slug)/\(yearOf[i])/data/"
                    let files = downloads[i]
                    for (n, name) in OpenData.disclosureFileNames.enumerated() {
                        files.addUse()
                        pages.append(.text(dir + name, key: keys.data) { files.take()[n].1 })
                    }
                }
                let parent = dept.parent.flatMap { content.department($0) }
                pages.append(Page(path: "\(dept.slug)/index.html", template: "department", key: departmentKey) { _ in
                    let disclosures = range.map { all[$0] }
                    return builder.departmentPage(dept, disclosures: disclosures, parent: parent, charts: ChartBuilder.departmentCharts(dept, disclosures))
                })
                return pages
            }
        }

        /// Which departments, with which years: what a list of them shows.
        @Sendable func listing(_ members: [Department]) -> String {
            var stream = Digest.Stream()
            for m in members { stream.add(m.slug); for y in years[m.slug] ?? [] { stream.add(y) } }
            return stream.hex
        }

        // Region pages and comparison indexes (each region includes the regions inside it).
        let membersOf = regions.members

        let regionGroups = parallelMap(tree.regions) { region -> (years: [Int], groups: [PageGroup]) in
            let members = membersOf[region.slug] ?? []
            let regionYears = Array(Set(members.flatMap { years[$0.slug] ?? [] })).sorted()
            var groups: [PageGroup] = []
            let memberKey = listing(members)
            var across = Digest.Stream()
            across.add(shared)
            across.add(memberKey)
            for m in members { for i in ranges[m.slug] ?? 0..<0 { across.add(figureText[i]) } }
            let acrossKey = across.hex
            groups.append(PageGroup(id: "region " + region.slug, key: acrossKey) {
                var pages = [Page(path: "\(TopLevel.regions)/\(region.slug)/index.html", template: "region", key: shared + "|" + memberKey) { _ in
                    builder.regionPage(tree: tree, region: region, departments: members, years: years, compareYears: regionYears)
                }]
                if !regionYears.isEmpty {
                    pages.append(Page(path: "\(TopLevel.compare)/\(region.slug)/index.html", template: "across-years", key: acrossKey) { _ in
                        builder.acrossYearsPage(tree: tree, region: region, departments: members, years: regionYears) { dept, year in
                            ranges[dept.slug]?.first { yearOf[$0] == year }.map { digests[$0].headline }
                        }
                    })
                }
                return pages
            })
            for year in regionYears {
                let entries = members.compactMap { dept in ranges[dept.slug]?.first { yearOf[$0] == year }.map { (dept, $0) } }
                // Keys shared by many pages (27 views of a comparison, 3 downloads) are fingerprinted once here.
                var figures = Digest.Stream(), cells = Digest.Stream()
                figures.add(shared)
                for y in regionYears { figures.add(y) }
                for (_, i) in entries { figures.add(figureText[i]); figures.add(lastYear(figureText, i)) }
                let key = figures.hex
                // The downloads hold every cell: they follow the files, not only the headline figures.
                cells.add(shared)
                for (_, i) in entries { cells.add(tableText[i]) }
                let dataKey = cells.hex
                groups.append(PageGroup(id: "compare \(region.slug) \(year)", key: key) {
                    let comparison = LazyBox {
                        builder.comparisonRows(Comparison(headlines: entries.map { dept, i in (dept, digests[i].headline, previous[i].map { digests[$0].headline }) }),
                                               region: region, year: year)
                    }
                    let base = "\(TopLevel.compare)/\(region.slug)/\(year)/"
                    var pages = [Page(path: base + "index.html", template: "compare", key: key) { _ in
                        builder.comparisonPage(comparison.value, tree: tree, region: region, year: year, years: regionYears, sortKey: nil, descending: true)
                    }]
                    for (sortKey, _) in Comparison.keys {
                        for descending in [true, false] {
                            pages.append(Page(path: base + "\(sortKey)-\(descending ? "desc" : "asc").html", template: "compare", key: key) { _ in
                                builder.comparisonPage(comparison.value, tree: tree, region: region, year: year, years: regionYears,
                                                       sortKey: sortKey, descending: descending)
                            })
                        }
                    }
                    return pages
                })
                // The bulk downloads: made from every cell of every disclosure of the region, the
                // costliest pages an edit can touch; `serve` may make them after the others. Both the
                // long CSV and the ZIP are made from the disclosures' files as this build has them,
                // so that a disclosure the build did not read (unchanged) is not read for them.
                groups.append(PageGroup(id: "bulk \(region.slug) \(year)", key: dataKey, canWait: true) {
                    let base = "\(TopLevel.compare)/\(region.slug)/\(year)/"
                    let bundles = entries.map { (dir: "\($0.0.slug)/\(year)/data/", names: OpenData.disclosureFileNames, files: downloads[$0.1]) }
                    // The long CSV, made by the first of its two pages and let go after the second.
                    let long = LazyBox<[UInt8]>(uses: 2)
                    @Sendable func longCSV(_ read: (String) -> [UInt8]?) -> [UInt8] {
                        long.take {
                            // Appended as made (a large region's is big: no second copy).
                            var bytes = Array(OpenData.longCSVHeader.utf8)
                            for (dept, i) in entries {
                                let dir = "\(dept.slug)/\(year)/data/"
                                let tables = TableKind.allCases.compactMap { kind in read(dir + "t\(kind.code).csv").map { (kind.code, $0) } }
                                let lines = (tables.count == TableKind.allCases.count ? OpenData.longLines(dept, year: year, tableCSVs: tables) : nil)
                                    ?? OpenData.longLines(dept, all[i])
                                bytes += lines.utf8
                            }
                            return bytes
                        }
                    }
                    let package = OpenData.regionPackage(region: region, year: year, baseURL: config.baseURL, count: entries.count)
                    return [
                        Page(path: base + "data.csv", key: dataKey, madeFromFiles: true) { read in longCSV(read) },
                        .text(base + "datapackage.json", key: dataKey) { package },
                        Page(path: base + "\(region.slug)-\(year).zip", key: dataKey, madeFromFiles: true) { read in
                            BulkDownload.zip(bundles, long: longCSV(read), package: package, read: read)
                        },
                    ]
                })
            }
            return (regionYears, groups)
        }
        for r in regionGroups { groups += r.groups }
        let compareYears = Dictionary(zip(tree.regions.map(\.slug), regionGroups.map(\.years)), uniquingKeysWith: { _, last in last })

        // The home page, search, 404 and the feed.
        let departments = content.departments
        var feed = Digest.Stream()
        feed.add(shared)
        // What the feed lists of each disclosure: its id and publication date.
        for i in digests.indices { feed.add(all.ids[i] + ":" + (digests[i].published ?? "")) }
        let homeKey = shared + "|" + listing(departments), feedKey = feed.hex
        groups.append(PageGroup(id: "site", key: homeKey + feedKey + Digest.fnv1a(shared)) {
            let search = LazyBox { builder.searchPage(departments: departments, years: years) }
            return [
                Page(path: TopLevel.home, template: "home", key: homeKey) { _ in
                    builder.homePage(tree: tree, departments: departments, years: years, compareYears: compareYears)
                },
                Page(path: TopLevel.notFound, template: "404", key: shared) { _ in builder.notFoundPage() },
                Page(path: "\(TopLevel.search)/index.html", template: "search", key: homeKey) { _ in search.value },
                .text("\(TopLevel.search)/index.json", key: homeKey) { ViewBuilder.searchIndexJSON(search.value) },
                .text(TopLevel.feed, key: feedKey) {
                    Feeds.atom(content, entries: all.indices.map { (all.ids[$0], departmentOf[$0], yearOf[$0], digests[$0].published) })
                },
            ]
        })
        return groups
    }

    /// The id of the group made by `files`.
    static let filesGroup = "files"

    /// Files that are not made from the content: the theme's static files and chart styles, and the
    /// sitemap, which lists the pages of every other group (`paths`, one list per group; `shapes`
    /// fingerprint those lists).
    static func files(theme: Theme, shared: String, baseURL: String, shapes: [String], paths: @escaping @Sendable () -> [[String]]) -> PageGroup {
        var sitemap = Digest.Stream()
        for part in [shared, baseURL] + shapes { sitemap.add(part) }
        let sitemapKey = sitemap.hex
        return PageGroup(id: filesGroup, key: sitemapKey) {
            var pages: [Page] = [.text(TopLevel.sitemap, key: sitemapKey) {
                Feeds.sitemap(base: baseURL, paths: paths().flatMap { $0.filter { $0.hasSuffix(".html") && $0 != TopLevel.notFound } })
            }]
            // Chart styles come from the Charts module unless the theme brings its own.
            if !theme.staticFiles.contains(where: { $0.path == "charts.css" }) {
                pages.append(.text("\(TopLevel.assets)/charts.css", key: shared) { Charts.defaultCSS })
            }
            for (path, source) in theme.staticFiles {
                guard let data = FileManager.default.contents(atPath: source.path) else { continue }
                pages.append(Page(path: TopLevel.assets + "/" + path, key: shared) { _ in [UInt8](data) })
            }
            return pages
        }
    }

    /// Years as key text (`Array.description` costs more than the rest of a key).
    static func list(_ years: [Int]) -> String { years.map(String.init).joined(separator: ",") }

    /// The region tree and each region's departments (those of the regions inside it included).
    public struct Regions: Sendable {
        public var tree: RegionTree
        public var members: [String: [Department]]

        public init(config: SiteConfig, departments: [Department]) {
            tree = RegionTree(declared: config.regions, departments: departments)
            members = tree.departmentsByRegion(from: departments)
        }
    }

    /// What pages take from a disclosure besides itself, made once per version of its files (serve
    /// keeps them): its headline figures, its publication date, and the parts of page keys it gives
    /// — `id=` what it was read from, a fingerprint of its headline figures, of all its table cells.
    public struct Fingerprints: Sendable {
        public var stamp: String
        public var figures: String
        public var tables: String
        public var headline: Headline
        /// Its publication date, which the feed lists.
        public var published: String?
    }

    /// `stamp`: what the disclosure was read from.
    public static func digests(_ d: Disclosure, stamp: String) -> Fingerprints {
        let h = Headline(d)
        var text = ""
        for t in d.tables { for sec in t.sections { for row in sec.rows {
            text += row.key.description + row.label
            for c in row.cells { text += c.value.map { "|\($0)" } ?? "|-" }
        } } }
        let id = d.id
        return Fingerprints(stamp: id + "=" + stamp,
                            figures: id + "=" + Digest.fnv1a(h.values.keys.sorted().map { "\($0):\(h.values[$0]!)" }.joined(separator: ";")),
                            tables: id + "=" + Digest.fnv1a(text), headline: h,
                            published: d.published)
    }
}

/// sitemap.xml and an Atom feed of disclosures by publication date (no build timestamps: deterministic).
enum Feeds {
    static func xml(_ s: String) -> String { Markup.escape(s) }

    static func url(_ base: String, _ path: String) -> String {
        let clean = path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path
        return base + clean
    }

    static func sitemap(base: String, paths: [String]) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in paths.sorted() { out += "<url><loc>\(xml(url(base, path)))</loc></url>\n" }
        return out + "</urlset>\n"
    }

    /// `entries`: id, department, year and publication date of each disclosure.
    static func atom(_ content: SiteContent, entries: [(id: String, department: String, year: Int, published: String?)]) -> String {
        let base = content.config.baseURL
        let dated = entries.sorted { ($0.published ?? "", $0.id) > ($1.published ?? "", $1.id) }
        let updated = entries.compactMap(\.published).max() ?? "2000-01-01"
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
