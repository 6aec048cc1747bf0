import Charts
import Foundation
import Check
import Derive
import Model
import OpenData
import Theme
import ZIPFoundation
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

/// Which pages a site has and what each shows.
public enum PageGraph {
    /// `stamps`: what each disclosure was read from; `shared`: everything all pages depend on (config, theme …).
    public static func pages(_ site: SiteBuilder.Model, config: SiteConfig, stamps: [String: String] = [:], shared: String = "",
                             digests: [String: (figures: String, tables: String)]? = nil) -> [Page] {
        let content = site.content
        let tree = RegionTree(declared: config.regions, departments: content.departments)
        let builder = ViewBuilder(config: config, tree: tree)
        let byDepartment = Dictionary(grouping: site.disclosures, by: \.department)
        let findingsByDisclosure = Dictionary(grouping: site.findings, by: \.disclosure)
        var pages: [Page] = []
        var years: [String: [Int]] = [:]
        var byKey: [String: Disclosure] = [:]
        for d in site.disclosures { byKey[d.id] = d }
        // Downloads of each disclosure, made once for their files and for the region ZIPs.
        var downloads: [String: LazyBox<[(String, String)]>] = [:]
        // Its lines of the long CSV, made once for every region that lists it.
        var longLines: [String: LazyBox<String>] = [:]
        for d in site.disclosures {
            if let dept = content.department(d.department) {
                downloads[d.id] = LazyBox { OpenData.disclosureFiles(d, department: dept, baseURL: config.baseURL) }
                longLines[d.id] = LazyBox { OpenData.longLines(dept, d) }
            }
        }
        func stamp(_ id: String) -> String { stamps[id].map { "\(id)=\($0)" } ?? (byKey[id] == nil ? "" : "\(id)=?") }
        // Pages that show only headline figures (department, comparison) depend on those, not on the
        // files: editing a disclosure's prose re-renders its own page only. Downloads hold every cell.
        let digests = digests ?? Dictionary(uniqueKeysWithValues: site.disclosures.map { ($0.id, PageGraph.digests($0)) })
        func figures(_ id: String) -> String { digests[id].map { "\(id)=\($0.figures)" } ?? "" }
        let tableStamps = digests.mapValues(\.tables)
        func tablesOf(_ id: String) -> String { tableStamps[id].map { "\(id)=\($0)" } ?? "" }
        let glossary = content.glossary

        // Disclosure and department pages.
        for dept in content.departments {
            let list = (byDepartment[dept.slug] ?? []).sorted { $0.year < $1.year }
            let yearList = list.map(\.year)
            years[dept.slug] = yearList
            for d in list {
                let findings = config.showFindings ? (findingsByDisclosure[d.id] ?? []) : []
                let previous = byKey["\(dept.slug)/\(d.year - 1)"]
                pages.append(Page(path: "\(dept.slug)/\(d.year)/index.html", template: "disclosure",
                                  key: [shared, stamp(d.id), stamp("\(dept.slug)/\(d.year - 1)"), "\(yearList)"].joined(separator: "|")) { bag in
                    builder.disclosurePage(d, department: dept, previous: previous, years: yearList, glossary: glossary, findings: findings,
                                           charts: ChartBuilder.disclosureCharts(d, departmentName: dept.name), into: &bag)
                })
            }
            for d in list {
                let key = shared + "|" + tablesOf(d.id)
                let dir = "\(dept.slug)/\(d.year)/data/"
                let files = downloads[d.id]!
                for (i, name) in OpenData.disclosureFileNames(d).enumerated() {
                    files.addUse()
                    pages.append(.text(dir + name, key: key) { files.take()[i].1 })
                }
            }
            let parent = dept.parent.flatMap { content.department($0) }
            pages.append(Page(path: "\(dept.slug)/index.html", template: "department",
                              key: ([shared] + list.map { figures($0.id) }).joined(separator: "|")) { _ in
                builder.departmentPage(dept, disclosures: list, parent: parent, charts: ChartBuilder.departmentCharts(dept, list))
            })
        }

        // Region pages and comparison indexes (each region includes the regions inside it).
        var compareYears: [String: [Int]] = [:]
        let allYears = years
        let disclosuresByID = byKey
        let headlines = LazyBox { disclosuresByID.mapValues(Headline.init) }
        for region in tree.regions {
            let members = tree.departments(in: region.slug, from: content.departments)
            let regionYears = Array(Set(members.flatMap { years[$0.slug] ?? [] })).sorted()
            compareYears[region.slug] = regionYears
            let memberKey = members.map { "\($0.slug):\(years[$0.slug] ?? [])" }.joined(separator: ",")
            pages.append(Page(path: "regions/\(region.slug)/index.html", template: "region", key: shared + "|" + memberKey) { _ in
                builder.regionPage(tree: tree, region: region, departments: members, years: allYears, compareYears: regionYears)
            })
            for year in regionYears {
                let entries = members.compactMap { dept -> (Department, Disclosure, Disclosure?)? in
                    byKey["\(dept.slug)/\(year)"].map { (dept, $0, byKey["\(dept.slug)/\(year - 1)"]) }
                }
                // Keys shared by many pages (27 views of a comparison, 3 downloads) are fingerprinted once here.
                let key = Digest.fnv1a(([shared, "\(regionYears)"] + entries.map { figures($0.1.id) + figures("\($0.0.slug)/\(year - 1)") }).joined(separator: "|"))
                let comparison = LazyBox { Comparison(entries) }
                let base = "compare/\(region.slug)/\(year)/"
                let bundles = entries.map { (dir: "\($0.0.slug)/\($0.1.year)/data/", names: OpenData.disclosureFileNames($0.1), files: downloads[$0.1.id]!) }
                // The downloads hold every cell: they follow the files, not only the headline figures.
                let dataKey = Digest.fnv1a(([shared] + entries.map { tablesOf($0.1.id) }).joined(separator: "|"))
                let lines = entries.map { longLines[$0.1.id]! }
                for box in lines { box.addUse() }
                @Sendable func long() -> String { OpenData.longCSV(lines: lines.map { $0.take() }) }
                let package = OpenData.regionPackage(region: region, year: year, baseURL: config.baseURL, count: entries.count)
                pages.append(.text(base + "data.csv", key: dataKey) { long() })
                pages.append(.text(base + "datapackage.json", key: dataKey) { package })
                pages.append(Page(path: base + "\(region.slug)-\(year).zip", key: dataKey, madeFromFiles: true) { read in
                    BulkDownload.zip(bundles, long: read(base + "data.csv") ?? Array(long().utf8), package: package, read: read)
                })
                pages.append(Page(path: base + "index.html", template: "compare", key: key) { _ in
                    builder.comparisonPage(comparison.value, tree: tree, region: region, year: year, years: regionYears, sortKey: nil, descending: true)
                })
                for (sortKey, _) in Comparison.keys {
                    for descending in [true, false] {
                        pages.append(Page(path: base + "\(sortKey)-\(descending ? "desc" : "asc").html", template: "compare", key: key) { _ in
                            builder.comparisonPage(comparison.value, tree: tree, region: region, year: year, years: regionYears,
                                                   sortKey: sortKey, descending: descending)
                        })
                    }
                }
            }
            if !regionYears.isEmpty {
                let key = ([shared, memberKey] + members.flatMap { m in (years[m.slug] ?? []).map { figures("\(m.slug)/\($0)") } }).joined(separator: "|")
                pages.append(Page(path: "compare/\(region.slug)/index.html", template: "across-years", key: key) { _ in
                    builder.acrossYearsPage(tree: tree, region: region, departments: members, years: regionYears) { dept, year in
                        headlines.value["\(dept.slug)/\(year)"]
                    }
                })
            }
        }
        let departments = content.departments
        let homeKey = Digest.fnv1a(shared + "|" + departments.map { "\($0.slug):\(years[$0.slug] ?? [])" }.joined(separator: ","))
        let allCompareYears = compareYears
        pages.append(Page(path: "index.html", template: "home", key: homeKey) { _ in
            builder.homePage(tree: tree, departments: departments, years: allYears, compareYears: allCompareYears)
        })
        pages.append(Page(path: "404.html", template: "404", key: shared) { _ in builder.notFoundPage() })
        let search = LazyBox { builder.searchPage(departments: departments, years: allYears) }
        pages.append(Page(path: "search/index.html", template: "search", key: homeKey) { _ in search.value })
        pages.append(.text("search/index.json", key: homeKey) { ViewBuilder.searchIndexJSON(search.value) })
        return pages
    }

    /// Fingerprints of a disclosure's headline figures and of all its table cells.
    public static func digests(_ d: Disclosure) -> (figures: String, tables: String) {
        let h = Headline(d)
        var text = ""
        for t in d.tables { for sec in t.sections { for row in sec.rows {
            text += row.key.description + row.label
            for c in row.cells { text += c.value.map { "|\($0)" } ?? "|-" }
        } } }
        return (Digest.fnv1a(h.values.keys.sorted().map { "\($0):\(h.values[$0]!)" }.joined(separator: ";")), Digest.fnv1a(text))
    }

    /// Files that are not rendered from templates: chart styles, sitemap, feed.
    static func extraFiles(_ site: SiteBuilder.Model, pages: [Page], theme: Theme) -> [Output.File] {
        var files: [Output.File] = []
        // Chart styles come from the Charts module unless the theme brings its own.
        if !theme.staticFiles.contains(where: { $0.path == "charts.css" }) {
            files.append(Output.File(path: "static/charts.css", text: Charts.defaultCSS))
        }
        let base = site.content.config.baseURL
        files.append(Output.File(path: "sitemap.xml", text: Feeds.sitemap(base: base, paths: pages.map(\.path).filter { $0.hasSuffix(".html") && $0 != "404.html" })))
        files.append(Output.File(path: "feed.xml", text: Feeds.atom(site.content, disclosures: site.disclosures)))
        return files
    }
}

/// The bulk download of a region and year: every disclosure's CSV and JSON, the long CSV and its data package.
enum BulkDownload {
    /// Entries get a fixed date so the same content gives the same bytes.
    static let epoch = Date(timeIntervalSince1970: 315_532_800)   // 1980-01-01

    /// `bundles`: each disclosure's data folder and file names; the files are read as this build
    /// wrote them (nothing held in memory for the ZIPs), made again only if one cannot be read.
    static func zip(_ bundles: [(dir: String, names: [String], files: LazyBox<[(String, String)]>)], long: [UInt8], package: String,
                    read: (String) -> [UInt8]?) -> [UInt8] {
        guard let archive = try? Archive(accessMode: .create) else { return [] }
        func add(_ path: String, _ data: Data) {
            try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: epoch,
                                  compressionMethod: .deflate, bufferSize: 1 << 16) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        add("data.csv", Data(long))
        add("datapackage.json", Data(package.utf8))
        for bundle in bundles {
            let slug = bundle.dir.split(separator: "/").first.map(String.init) ?? ""
            var made: [(String, String)]?   // only when a file cannot be read back
            for (i, name) in bundle.names.enumerated() where name != "datapackage.json" {
                let bytes = read(bundle.dir + name) ?? {
                    if made == nil { made = bundle.files.take() }
                    return Array(made![i].1.utf8)
                }()
                add("\(slug)/\(name)", Data(bytes))
            }
        }
        return archive.data.map { [UInt8]($0) } ?? []
    }
}

/// Computes a value once, on first use, from any thread. A value with counted consumers (`addUse`,
/// `take`) is dropped after the last of them, so a build does not hold every download until its end.
final class LazyBox<T: Sendable>: @unchecked Sendable {
    private var stored: T?
    private var uses = 0
    private let make: @Sendable () -> T
    private let lock = NSLock()
    init(_ make: @escaping @Sendable () -> T) { self.make = make }
    var value: T { lock.withLock { if let v = stored { return v }; let v = make(); stored = v; return v } }
    /// One more page will `take` the value.
    func addUse() { lock.withLock { uses += 1 } }
    /// The value, for one of the counted pages (made again if asked for after the last one).
    func take() -> T {
        lock.withLock {
            let v = stored ?? make()
            uses -= 1
            stored = uses > 0 ? v : nil
            return v
        }
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

    static func atom(_ content: SiteContent, disclosures: [Disclosure]) -> String {
        let base = content.config.baseURL
        // Sorted as (date, id, position): moving whole disclosures around in the sort cost more than the feed.
        let dated = disclosures.indices.map { (disclosures[$0].published ?? "", disclosures[$0].id, $0) }.sorted { ($0.0, $0.1) > ($1.0, $1.1) }
            .map { disclosures[$0.2] }
        let updated = disclosures.compactMap(\.published).max() ?? "2000-01-01"
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
