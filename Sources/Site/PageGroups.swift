import Charts
import Check
import Derive
import Foundation
import Model
import OpenData
import Pipeline
import Support
import Theme
import Views

extension PageGraph {
    /// What the page groups are made from, worked out once per build: the site, its disclosures by
    /// position, the parts of page keys each gives, and the view builder. One method per page family.
    struct Context: Sendable {
        let config: SiteConfig
        /// Everything every page depends on (config, theme, binary).
        let shared: String
        let digests: [Fingerprints]
        let content: SiteContent
        let all: DisclosureList
        let tree: RegionTree
        let builder: ViewBuilder
        let departmentOf: [String]
        let yearOf: [Int]
        let ranges: [String: Range<Int>]
        let previous: [Int?]
        let findingsByDisclosure: [String: [Finding]]
        let years: [String: [Int]]
        let downloads: [LazyBox<[(String, String)]>]
        let stampText: [String]
        let figureText: [String]
        let tableText: [String]
        let glossary: Prose?
        let membersOf: [String: [Department]]

        init(_ site: AnalysedSite, config: SiteConfig, shared: String, digests: [Fingerprints], regions: Regions?) {
            self.config = config
            self.shared = shared
            self.digests = digests
            let content = site.content
            let all = site.disclosures   // sorted by department and year
            let regions = regions ?? Regions(config: config, departments: content.departments)
            let membersOf = regions.members
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
            let glossary = content.glossary
            // Disclosure and department pages. Groups are listed in parallel: in a large site listing
            // them is most of what an edit's rebuild does.
            self.content = content
            self.all = all
            self.tree = tree
            self.builder = builder
            self.departmentOf = departmentOf
            self.yearOf = yearOf
            self.ranges = ranges
            self.previous = previous
            self.findingsByDisclosure = findingsByDisclosure
            self.years = years
            self.downloads = downloads
            self.stampText = stampText
            self.figureText = figureText
            self.tableText = tableText
            self.glossary = glossary
            self.membersOf = membersOf
        }

        /// Of the parts `text` gives of each disclosure, last year's disclosure's ("" when none).
        func lastYear(_ text: [String], _ i: Int) -> String { previous[i].map { text[$0] } ?? "" }

        /// Which departments, with which years: what a list of them shows.
        func listing(_ members: [Department]) -> String {
            var stream = Digest.Stream()
            for m in members { stream.add(m.slug); for y in years[m.slug] ?? [] { stream.add(y) } }
            return stream.hex
        }

        /// A department's group: its disclosure pages, their downloads and the department page.
        func departmentGroup(_ dept: Department) -> PageGroup {
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

        /// A region's groups: its page and comparison across years; per year its comparison pages and
        /// its bulk downloads. Each region includes the regions inside it.
        func regionGroups(_ region: Region) -> (years: [Int], groups: [PageGroup]) {
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

        /// The home page, search, 404 and the feed.
        func siteGroup(compareYears: [String: [Int]]) -> PageGroup {
            let departments = content.departments
            var feed = Digest.Stream()
            feed.add(shared)
            // What the feed lists of each disclosure: its id and publication date.
            for i in digests.indices { feed.add(all.ids[i] + ":" + (digests[i].published ?? "")) }
            let homeKey = shared + "|" + listing(departments), feedKey = feed.hex
            return PageGroup(id: "site", key: homeKey + feedKey + Digest.fnv1a(shared)) {
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
            }
        }
    }
}
