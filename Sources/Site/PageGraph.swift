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
        let graph = Context(site, config: config, shared: shared, digests: digests, regions: regions)
        // Listed in parallel: in a large site listing the groups is most of what an edit's rebuild does.
        var groups = parallelMap(graph.content.departments, graph.departmentGroup)
        let regionGroups = parallelMap(graph.tree.regions, graph.regionGroups)
        for r in regionGroups { groups += r.groups }
        let compareYears = Dictionary(zip(graph.tree.regions.map(\.slug), regionGroups.map(\.years)), uniquingKeysWith: { _, last in last })
        groups.append(graph.siteGroup(compareYears: compareYears))
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
