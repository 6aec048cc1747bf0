import Derive
import Incremental
import Model
import OpenData
import Pipeline
import Support
import Views

extension PageGraph {
    /// What the page groups are made from, worked out once per build: the site's structure (which
    /// disclosure is where), the sources pages read, and the view builder. One method per page
    /// family; each group and page declares its inputs (`PageInput`), and its key follows.
    struct Context: Sendable {
        let config: SiteConfig
        /// The stamp of everything every page depends on (config, theme, binary).
        let shared: String
        let content: SiteContent
        let tree: RegionTree
        let builder: ViewBuilder
        let sources: PageSources
        let ids: [String]
        let yearOf: [Int]
        /// Of each department, the positions of its disclosures.
        let ranges: [String: Range<Int>]
        let previous: [Int?]
        let membersOf: [String: [Department]]

        init(_ site: AnalysedSite, config: SiteConfig, shared: String, stamps: [DisclosureStamps], regions: Regions?, rowsInTemplates: Bool) {
            self.config = config
            self.shared = shared
            content = site.content
            let all = site.disclosures   // sorted by department and year
            let regions = regions ?? Regions(config: config, departments: content.departments)
            membersOf = regions.members
            tree = regions.tree
            builder = ViewBuilder(config: config, tree: tree, rowsInTemplates: rowsInTemplates)
            ids = all.ids
            yearOf = all.years
            ranges = Self.ranges(all.departments)
            previous = site.previous
            let ranges = ranges, yearOf = yearOf
            let years = Dictionary(content.departments.map { dept in (dept.slug, (ranges[dept.slug] ?? 0..<0).map { yearOf[$0] }) },
                                   uniquingKeysWith: { first, _ in first })
            // Peer sets: the disclosures of one year by the departments of one region and 单位性质.
            var peerSets: [String: [Int]] = [:]
            for (region, members) in membersOf.sorted(by: { $0.key < $1.key }) {
                for peer in members {
                    for i in ranges[peer.slug] ?? 0..<0 { peerSets[Self.peerSet(region: region, kind: peer.kind, year: yearOf[i]), default: []].append(i) }
                }
            }
            sources = PageSources(site, stamps: stamps, years: years, peerSets: peerSets, showFindings: config.showFindings)
        }

        /// Positions of each department's disclosures in a list sorted by department.
        static func ranges(_ departmentOf: [String]) -> [String: Range<Int>] {
            var ranges: [String: Range<Int>] = [:]
            var first = 0
            while first < departmentOf.count {
                var end = first + 1
                while end < departmentOf.count && departmentOf[end] == departmentOf[first] { end += 1 }
                ranges[departmentOf[first]] = first..<end
                first = end
            }
            return ranges
        }

        /// Inputs, declared: their key is made of their stamps now.
        func declare(_ inputs: [PageInput]) -> PageDependencies {
            PageDependencies(inputs, stamp: { sources.stamp($0, shared: shared) })
        }

        /// The years of these departments (which of them have which disclosures: what a list shows).
        func listing(_ members: [Department]) -> [PageInput] { members.map { .years($0.slug) } }

        /// The name of a peer set (`PageInput.peers`).
        static func peerSet(region: String, kind: String, year: Int) -> String { "\(region)|\(kind)|\(year)" }

        /// The peer set of a department's disclosures of `year`, if it is in a region.
        func peerSet(of dept: Department, year: Int) -> String? {
            tree.regionOf[dept.slug].map { Self.peerSet(region: $0, kind: dept.kind, year: year) }
        }

        /// A department's group: its disclosure pages, their downloads and the department page.
        func departmentGroup(_ dept: Department) -> PageGroup {
            let range = ranges[dept.slug] ?? 0..<0
            // A disclosure page shows its place among its peers, so it reads their headline figures:
            // an edit to one department's figures makes its peers' pages of that year again (their
            // group's key changes), a prose edit does not.
            let peerFigures = range.compactMap { i in peerSet(of: dept, year: yearOf[i]).map { PageInput.peers($0) } }
            let group = declare([.shared, .years(dept.slug)] + range.flatMap { [PageInput.files($0), .cells($0), .figures($0)] } + peerFigures)
            return PageGroup(id: "department " + dept.slug, inputs: group, region: tree.regionOf[dept.slug]) {
                var pages: [Page] = []
                for i in range {
                    // Last year's disclosure is in the same group.
                    let set = peerSet(of: dept, year: yearOf[i])
                    let inputs = declare([.shared, .files(i)] + (previous[i].map { [.files($0)] } ?? []) + [.years(dept.slug)]
                        + (set.map { [.peers($0)] } ?? []))
                    let regionName = tree.regionOf[dept.slug].flatMap(tree.region)?.name ?? dept.region
                    pages.append(Page(path: "\(dept.slug)/\(yearOf[i])/index.html", template: "disclosure", inputs: inputs) { r, bag in
                        let d = r.disclosure(i)
                        let place = set.flatMap { builder.placeView(dept, year: yearOf[i], regionName: regionName, peers: r.peers($0)) }
                        return builder.disclosurePage(d, department: dept, previous: r.lastYear(i), years: r.years(of: [dept])[dept.slug]!,
                                                      glossary: content.glossary, findings: r.findings(i),
                                                      charts: ChartBuilder.disclosureCharts(d, departmentName: dept.name)
                                                          + ChartBuilder.treemapCharts(d, departmentName: dept.name),
                                                      place: place, into: &bag)
                    })
                }
                for i in range {
                    // Three downloads beside the page: the workbook, the tables' JSON and the data
                    // package, made from the cells (the printed layout comes from the forms, which
                    // are shared): a prose edit leaves them as they are.
                    let dir = "\(dept.slug)/\(yearOf[i])/"
                    let inputs = declare([.shared, .cells(i)])
                    for (n, name) in OpenData.disclosureFileNames(slug: dept.slug, year: yearOf[i]).enumerated() {
                        sources.downloads[i].addUse()
                        pages.append(Page(path: dir + name, inputs: inputs) { r, _ in r.downloads(i).take()[n].1 })
                    }
                }
                let parent = dept.parent.flatMap { content.department($0) }
                pages.append(Page(path: "\(dept.slug)/index.html", template: "department", inputs: declare([.shared] + range.map { .figures($0) })) { r, _ in
                    let years = range.map { (year: yearOf[$0], headline: r.headline($0)) }
                    return builder.departmentPage(dept, years: years, parent: parent, charts: ChartBuilder.departmentCharts(dept, years))
                })
                return pages
            }
        }

        /// A region's groups: its page and comparison across years; per year its comparison pages and
        /// its bulk downloads. Each region includes the regions inside it.
        func regionGroups(_ region: Region) -> (years: [Int], groups: [PageGroup]) {
            let members = membersOf[region.slug] ?? []
            let regionYears = Array(Set(members.flatMap { sources.years[$0.slug] ?? [] })).sorted()
            let listed = [PageInput.shared] + listing(members)
            let across = declare(listed + members.flatMap { m in (ranges[m.slug] ?? 0..<0).map { PageInput.figures($0) } })
            var groups = [PageGroup(id: "region " + region.slug, inputs: across, region: region.slug) {
                var pages = [Page(path: "\(TopLevel.regions)/\(region.slug)/index.html", template: "region", inputs: declare(listed)) { r, _ in
                    builder.regionPage(tree: tree, region: region, departments: members, years: r.years(of: members), compareYears: regionYears)
                }]
                if !regionYears.isEmpty {
                    pages.append(Page(path: "\(TopLevel.compare)/\(region.slug)/index.html", template: "across-years", inputs: across) { r, _ in
                        builder.acrossYearsPage(tree: tree, region: region, departments: members, years: regionYears) { dept, year in
                            ranges[dept.slug]?.first { yearOf[$0] == year }.map(r.headline)
                        }
                    })
                }
                return pages
            }]
            for year in regionYears {
                let entries = members.compactMap { dept in ranges[dept.slug]?.first { yearOf[$0] == year }.map { (dept, $0) } }
                groups.append(compareGroup(region, year: year, years: regionYears, members: members, entries: entries, listed: listed))
                groups.append(bulkGroup(region, year: year, entries: entries))
            }
            return (regionYears, groups)
        }

        /// A region and year's comparison: its index and a page per sort order, all of the same inputs.
        func compareGroup(_ region: Region, year: Int, years regionYears: [Int], members: [Department], entries: [(Department, Int)],
                          listed: [PageInput]) -> PageGroup {
            let inputs = declare(listed + entries.flatMap { _, i in [PageInput.figures(i)] + (previous[i].map { [.figures($0)] } ?? []) })
            return PageGroup(id: "compare \(region.slug) \(year)", inputs: inputs, region: region.slug) {
                let comparison = Locked<ComparisonRows?>(nil)
                // Filters by 单位性质, 主管部门 and 地区层级: from department.yaml files and the region tree only.
                let filters = CompareFilters(members: members, tree: tree, region: region.slug)
                @Sendable func rows(_ r: PageReader) -> ComparisonRows {
                    comparison.withLock { made in
                        if let made { return made }
                        let headlines = entries.map { dept, i in (dept, r.headline(i), previous[i].map(r.headline)) }
                        // Departments of the region without a disclosure that year: rows that say 未公开.
                        let years = r.years(of: members)
                        let unpublished = members.filter { !(years[$0.slug] ?? []).contains(year) }
                        made = builder.comparisonRows(Comparison(headlines: headlines, unpublished: unpublished), region: region, year: year,
                                                      filters: filters)
                        return made!
                    }
                }
                let base = "\(TopLevel.compare)/\(region.slug)/\(year)/"
                var pages = [Page(path: base + "index.html", template: "compare", inputs: inputs) { r, _ in
                    builder.comparisonPage(rows(r), tree: tree, region: region, year: year, years: regionYears, sortKey: nil, descending: true, filters: filters)
                }]
                // A page per filter, grouped (its sorted orders are the script's).
                for filter in filters.filters {
                    pages.append(Page(path: base + "\(filter.token).html", template: "compare", inputs: inputs) { r, _ in
                        let kept = rows(r).comparison.filtered { filters.keeps($0.department.slug, filter) }
                        return builder.comparisonPage(builder.comparisonRows(kept, region: region, year: year, filters: filters), tree: tree,
                                                      region: region, year: year, years: regionYears, sortKey: nil, descending: true,
                                                      filters: filters, active: filter)
                    })
                }
                for (sortKey, _) in Comparison.keys {
                    for descending in [true, false] {
                        pages.append(Page(path: base + "\(sortKey)-\(descending ? "desc" : "asc").html", template: "compare", inputs: inputs) { r, _ in
                            builder.comparisonPage(rows(r), tree: tree, region: region, year: year, years: regionYears,
                                                   sortKey: sortKey, descending: descending, filters: filters)
                        })
                    }
                }
                // The table with all its columns, as CSV (made from the same figures).
                pages.append(.text(base + OpenData.comparisonFileName(region: region.slug, year: year), inputs: inputs) { r in
                    OpenData.comparisonCSV(rows(r).comparison, year: year,
                                           parentName: { $0.parent.flatMap { content.department($0)?.name } ?? "" },
                                           regionName: { tree.regionOf[$0.slug].flatMap(tree.region)?.name ?? $0.region })
                })
                return pages
            }
        }

        /// The bulk downloads: made from every cell of every disclosure of the region, the costliest
        /// pages an edit can touch; `serve` may make them after the others. Both the long CSV and the
        /// ZIP are made from the disclosures' files as this build has them, so that a disclosure the
        /// build did not read (unchanged) is not read for them.
        func bulkGroup(_ region: Region, year: Int, entries: [(Department, Int)]) -> PageGroup {
            // The package names the region's files and counts its disclosures: it reads no cell (a
            // page declaring them all would keep every disclosure of the region in hand until it is made).
            let members: [PageInput] = [.shared] + entries.map { .years($0.0.slug) }
            let listed = declare(members), inputs = declare(members + entries.map { .cells($0.1) })
            return PageGroup(id: "bulk \(region.slug) \(year)", inputs: inputs, canWait: true, region: region.slug) {
                let base = "\(TopLevel.compare)/\(region.slug)/\(year)/"
                // What each disclosure's data package ZIP gives them (its long CSV's lines and its tables'
                // CSVs, deflated), read once for the long CSV and the ZIP and let go after the second.
                let contents = LazyBox<[OpenData.PackageContents]>(uses: 2)
                @Sendable func package(_ dept: Department, _ i: Int, _ r: PageReader, _ read: (String) -> [UInt8]?) -> OpenData.PackageContents {
                    let path = "\(dept.slug)/\(year)/" + OpenData.disclosureFileNames(slug: dept.slug, year: year)[2]
                    if let zip = read(path), let got = OpenData.packageContents(zip, slug: dept.slug, year: year) { return got }
                    // Not readable (removed by hand): made again from the disclosure.
                    let zip: [UInt8] = r.downloads(i).take()[2].1
                    if let got = OpenData.packageContents(zip, slug: dept.slug, year: year) { return got }
                    return OpenData.PackageContents(lines: ArraySlice(Array(OpenData.longLines(dept, r.cells(i)).utf8)), tables: [])
                }
                @Sendable func packages(_ r: PageReader, _ read: (String) -> [UInt8]?) -> [OpenData.PackageContents] {
                    contents.take { entries.map { dept, i in package(dept, i, r, read) } }
                }
                @Sendable func longCSV(_ r: PageReader, _ read: (String) -> [UInt8]?) -> [UInt8] { Self.joined(packages(r, read)) }
                let package = OpenData.regionPackage(region: region, year: year, baseURL: config.baseURL, count: entries.count)
                return [
                    Page(path: base + "data.csv", inputs: inputs, madeFromFiles: true) { r, read in longCSV(r, read) },
                    .text(base + "datapackage.json", inputs: listed) { _ in package },
                    Page(path: base + "\(region.slug)-\(year).zip", inputs: inputs, madeFromFiles: true) { r, read in
                        let made = packages(r, read)
                        let long = Self.joined(made)
                        let bundles: [(slug: String, tables: [ZipReader.Entry])] = entries.indices.map { (entries[$0].0.slug, made[$0].tables) }
                        return BulkDownload.zip(bundles, long: long, package: package)
                    },
                ]
            }
        }

        /// The long CSV of a region and year: the header, then every disclosure's lines, in a buffer
        /// of its final size (not grown by doubling: each growth touched new pages and copied).
        @Sendable static func joined(_ packages: [OpenData.PackageContents]) -> [UInt8] {
            let header = Array(OpenData.longCSVHeader.utf8)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(packages.reduce(header.count) { $0 + $1.lines.count })
            bytes += header
            for package in packages { bytes += package.lines }
            return bytes
        }

        /// What the site group's pages read: the home page and search the years of every department,
        /// the feed every date, the search terms every disclosure's. Declared apart from the group, which
        /// needs the region groups' years: in a large site, beside them.
        struct SiteInputs: Sendable { let home, feed, index: PageDependencies }

        func siteInputs() -> SiteInputs {
            // The feed lists the latest disclosures only, but which they are depends on every date.
            SiteInputs(home: declare([.shared] + listing(content.departments)), feed: declare([.shared] + ids.indices.map { .published($0) }),
                       index: declare([.shared] + ids.indices.map { .terms($0) }))
        }

        /// The home page, search, 404 and the feed.
        func siteGroup(_ inputs: SiteInputs, compareYears: [String: [Int]]) -> PageGroup {
            let departments = content.departments
            let (home, feed, index) = (inputs.home, inputs.feed, inputs.index)
            return PageGroup(id: "site", inputs: declare(home.inputs + feed.inputs.dropFirst() + index.inputs.dropFirst())) {
                let search = Locked<SearchPage?>(nil)
                @Sendable func searchPage(_ r: PageReader) -> SearchPage {
                    search.withLock { made in
                        if made == nil { made = builder.searchPage(departments: departments, years: r.years(of: departments)) }
                        return made!
                    }
                }
                return [
                    Page(path: TopLevel.home, template: "home", inputs: home) { r, _ in
                        builder.homePage(tree: tree, departments: departments, years: r.years(of: departments), compareYears: compareYears)
                    },
                    Page(path: TopLevel.notFound, template: "404", inputs: declare([.shared])) { _, _ in builder.notFoundPage() },
                    Page(path: "\(TopLevel.search)/index.html", template: "search", inputs: home) { r, _ in searchPage(r) },
                    .text("\(TopLevel.search)/index.json", inputs: home) { r in ViewBuilder.searchIndexJSON(searchPage(r)) },
                    .text("\(TopLevel.search)/terms.json", inputs: index) { r in
                        SearchIndex.json(pages: ids.indices.map { i in
                            let slug = sources.all.departments[i]
                            return ("\(slug)/\(yearOf[i])/", "\(content.department(slug)?.name ?? slug) \(yearOf[i])年度")
                        }, terms: ids.indices.map(r.terms))
                    },
                    .text(TopLevel.feed, inputs: feed) { r in
                        Feeds.atom(content, entries: ids.indices.map { (ids[$0], sources.all.departments[$0], yearOf[$0], r.published($0)) })
                    },
                ]
            }
        }
    }
}
