import Charts
import Derive
import Foundation
import Incremental
import Model
import Pipeline
import Support
import Theme
import Views

/// What a page may be made from. A page declares its inputs (`Dependencies`), its key is made of
/// their stamps, and its view reads them only through a `PageReader`, which checks each read
/// against the declaration. Positions are those of the build's `DisclosureList`.
public enum PageInput: Hashable, Sendable, CustomStringConvertible {
    /// What every page depends on: site.yaml, the catalogues, the department.yaml files, the
    /// glossary, the theme and the sitegen binary.
    case shared
    /// A disclosure as read: its tables, its prose, its 绩效 and reports (covers the three below).
    case files(Int)
    /// Its headline figures (`Headline`).
    case figures(Int)
    /// Every cell of its tables (the downloads).
    case cells(Int)
    /// Its publication date (the feed).
    case published(Int)
    /// What the search index takes from it: the names its tables and attachments print, with their ids
    /// (`SearchIndex.terms`).
    case terms(Int)
    /// The headline figures of every disclosure of one year by the departments of one region and
    /// 单位性质 (`PageSources.peerSets`: a department's peers, its own disclosure among them). One
    /// input for the set, not one per peer: a department's group would otherwise declare every
    /// peer's figures, and listing the groups grew with departments × peers.
    case peers(String)
    /// The years a department has a disclosure for.
    case years(String)
    /// The paths every other group publishes (the sitemap).
    case paths

    public var description: String {
        switch self {
        case .shared: "shared"
        case .files(let i): "files(\(i))"
        case .figures(let i): "figures(\(i))"
        case .cells(let i): "cells(\(i))"
        case .published(let i): "published(\(i))"
        case .terms(let i): "terms(\(i))"
        case .peers(let set): "peers(\(set))"
        case .years(let slug): "years(\(slug))"
        case .paths: "paths"
        }
    }
}

public typealias PageDependencies = Dependencies<PageInput>

/// One page to render: where it goes, which template, what it is made from, and how to make its view model.
public struct Page: Sendable {
    public var path: String
    public var template: String
    /// Everything the page shows comes from these inputs: an unchanged key means unchanged bytes.
    public var inputs: PageDependencies
    public var key: String { inputs.key }
    /// The disclosures it may read whole (their files or cells), by position.
    var disclosuresRead: [Int] {
        var seen = Set<Int>()
        for input in inputs.inputs {
            switch input {
            case .files(let i), .cells(let i): seen.insert(i)
            default: break
            }
        }
        return seen.sorted()
    }
    /// Builds the view model (only for pages that are rendered again), reading its inputs through the
    /// reader; problems go to the bag.
    public var make: @Sendable (PageReader, inout DiagnosticBag) -> Any
    /// For files that are not rendered from a template (downloads): their bytes. `read` gives the
    /// bytes of another file of this build as written, for files made from files (the region ZIPs).
    public var data: (@Sendable (PageReader, _ read: (String) -> [UInt8]?) -> [UInt8])?
    /// Made after every other page, so that `read` finds the files it is made from.
    public var madeFromFiles = false

    init(path: String, template: String, inputs: PageDependencies, make: @escaping @Sendable (PageReader, inout DiagnosticBag) -> Any) {
        self.path = path
        self.template = template
        self.inputs = inputs
        self.make = make
    }

    /// A download made without a template.
    init(path: String, inputs: PageDependencies, madeFromFiles: Bool = false,
         data: @escaping @Sendable (PageReader, _ read: (String) -> [UInt8]?) -> [UInt8]) {
        self.init(path: path, template: "", inputs: inputs) { _, _ in () }
        self.data = data
        self.madeFromFiles = madeFromFiles
    }

    static func text(_ path: String, inputs: PageDependencies, _ make: @escaping @Sendable (PageReader) -> String) -> Page {
        Page(path: path, inputs: inputs) { reader, _ in Array(make(reader).utf8) }
    }
}

/// Pages made from the same inputs: a department (its disclosure pages, their downloads and the
/// department page), a region (its page and its comparison across years), a region and year's
/// comparison pages, its bulk downloads (long CSV, data package, ZIP), the site's own pages. The
/// group declares every input of its pages, so a build whose group key is unchanged skips the
/// group whole, without listing its pages: an edit to one disclosure costs a rebuild one group
/// per region, not 200,000 pages.
public struct PageGroup: Sendable {
    public var id: String
    public var inputs: PageDependencies
    public var key: String { inputs.key }
    /// May be made in a later build than the other groups' changes (`BuildOptions.downloadsLater`).
    public var canWait = false
    /// The region whose shard makes it (`BuildScope`): a department's region, or the region the
    /// group is about; nil for the site's own pages, which `sitegen merge` makes.
    public var region: String?
    private var list: @Sendable () -> [Page]

    init(id: String, inputs: PageDependencies, canWait: Bool = false, region: String? = nil, pages: @escaping @Sendable () -> [Page]) {
        self.id = id
        self.inputs = inputs
        self.canWait = canWait
        self.region = region
        list = pages
    }

    /// Its pages; an input a page declares that the group does not is an undeclared read of the group.
    public func pages(checkedBy undeclared: Undeclared) -> [Page] {
        let pages = list()
        let reads = Reads(inputs, result: "group " + id, undeclared: undeclared)
        for page in pages { for input in page.inputs.undeclared(in: inputs) { reads.check(input) } }
        return pages
    }
}

/// Which pages a site has and what each shows.
public enum PageGraph {
    /// `shared`: the stamp of everything all pages depend on (config, theme …); `stamps`: of each
    /// disclosure, in the order of `site.disclosures`.
    /// `regions`: the region tree and each region's departments, when the caller kept them (they
    /// change only with site.yaml and the department.yaml files). `rowsInTemplates`: the theme
    /// renders table rows with its own `partials/grid-row.mustache`.
    public static func groups(_ site: AnalysedSite, config: SiteConfig, shared: String, stamps: [DisclosureStamps],
                              regions: Regions? = nil, rowsInTemplates: Bool = false) -> Listing {
        let graph = Context(site, config: config, shared: shared, stamps: stamps, regions: regions, rowsInTemplates: rowsInTemplates)
        // Listed in parallel: in a large site listing the groups is most of what an edit's rebuild does.
        let site = Background(graph.siteInputs)
        var groups = parallelMap(graph.content.departments, graph.departmentGroup)
        let regionGroups = parallelMap(graph.tree.regions, graph.regionGroups)
        for r in regionGroups { groups += r.groups }
        let compareYears = Dictionary(zip(graph.tree.regions.map(\.slug), regionGroups.map(\.years)), uniquingKeysWith: { _, last in last })
        groups.append(graph.siteGroup(site.value, compareYears: compareYears))
        return Listing(groups: groups, sources: graph.sources, tree: graph.tree)
    }

    /// A build's page groups, and what their pages read (through a `PageReader` each).
    public struct Listing: Sendable {
        public let groups: [PageGroup]
        let sources: PageSources
        /// The region tree the groups' `region`s are in.
        public let tree: RegionTree
        /// What the build's pages and groups read without declaring it: a non-empty list fails the build.
        public let undeclared = Undeclared()

        /// The pages of a group, each checked to declare only what the group declares.
        public func pages(of group: PageGroup) -> [Page] { group.pages(checkedBy: undeclared) }

        /// The reader a page's view reads through.
        public func reader(for page: Page) -> PageReader {
            PageReader(sources: sources, reads: Reads(page.inputs, result: page.path, undeclared: undeclared))
        }
    }

    /// The id of the group made by `files`.
    static let filesGroup = "files"

    /// Files that are not made from the content: the theme's static files and chart styles, and the
    /// sitemap, which lists the pages of every other group (`paths`, one list per group; `shapes`
    /// fingerprint those lists), in as many files as `config.sitemapURLs` asks (`Feeds.sitemaps`;
    /// site.yaml is part of `shared`).
    static func files(theme: Theme, shared: String, config: SiteConfig, shapes: [String], paths: @escaping @Sendable () -> [[String]]) -> PageGroup {
        let pathList = Digest.fnv1a(shapes.joined(separator: "|"))
        // The base URL is part of site.yaml, so of `shared`.
        let stamp: (PageInput) -> String = { $0 == .shared ? shared : pathList }
        let sitemapInputs = PageDependencies([.shared, .paths], stamp: stamp), sharedOnly = PageDependencies([.shared], stamp: stamp)
        return PageGroup(id: filesGroup, inputs: sitemapInputs) {
            let listed = paths().flatMap { $0.filter { $0.hasSuffix(".html") && $0 != TopLevel.notFound } }
            var pages = Feeds.sitemaps(base: config.baseURL, paths: listed, limit: config.sitemapURLs).map { file in
                Page.text(file.path, inputs: sitemapInputs) { _ in file.text() }
            }
            // Chart styles come from the Charts module unless the theme brings its own.
            if !theme.staticFiles.contains(where: { $0.path == "charts.css" }) {
                pages.append(.text("\(TopLevel.assets)/charts.css", inputs: sharedOnly) { _ in Charts.defaultCSS })
            }
            for (path, source) in theme.staticFiles {
                guard let data = FileManager.default.contents(atPath: source.path) else { continue }
                pages.append(Page(path: TopLevel.assets + "/" + path, inputs: sharedOnly) { _, _ in [UInt8](data) })
            }
            return pages
        }
    }

    /// The region tree and each region's departments (those of the regions inside it included).
    public struct Regions: Sendable {
        public var tree: RegionTree
        public var members: [String: [Department]]

        public init(config: SiteConfig, departments: [Department]) {
            tree = RegionTree(declared: config.regions, departments: departments)
            members = tree.departmentsByRegion(from: departments)
        }
    }

    /// The stamps of what pages take from a disclosure (`PageInput`), made once per version of its
    /// files (kept between builds): what it was read from, its headline figures, all its cells; and
    /// the headline figures and publication date themselves, for pages that show only those.
    public static func stamps(of d: Disclosure, files stamp: String) -> DisclosureStamps {
        let h = Headline(d)
        var text = ""
        for t in d.tables { for sec in t.sections { for row in sec.rows {
            text += row.key.description + row.label
            for c in row.cells { text += c.value.map { "|\($0)" } ?? "|-" }
        } } }
        let id = d.id, terms = SearchIndex.terms(d)
        var stamps = DisclosureStamps(files: id + "=" + stamp,
                                      figures: id + "=" + Digest.fnv1a(h.values.keys.sorted().map { "\($0):\(h.values[$0]!)" }.joined(separator: ";")),
                                      cells: id + "=" + Digest.fnv1a(text), headline: h, published: d.published, terms: termsStamp(id, terms))
        stamps.searchTerms = terms
        return stamps
    }

    /// `PageInput.terms` of a disclosure: its search terms, fingerprinted.
    static func termsStamp(_ id: String, _ terms: [SearchTerm]) -> String {
        id + "=" + Digest.fnv1a(terms.map { $0.text + "\u{1}" + $0.anchor }.joined(separator: "\u{2}"))
    }
}

/// What pages take from one disclosure besides itself: the stamps of its `PageInput`s (each
/// starting with its id), its headline figures and its publication date.
public struct DisclosureStamps: Sendable {
    /// `PageInput.files`: what it was read from.
    public var files: String
    /// `PageInput.figures`: its headline figures.
    public var figures: String
    /// `PageInput.cells`: every cell of its tables.
    public var cells: String
    public var headline: Headline
    /// Its publication date, which the feed lists.
    public var published: String?
    /// `PageInput.terms`: what the search index takes from it.
    public var terms: String
    /// The search terms themselves, made with the stamps (a merge takes them from the shards'
    /// manifests), so the search page reads no disclosure; nil when the stamps were kept on disk by
    /// an earlier build: then `SearchIndex.terms` of the disclosure.
    public var searchTerms: [SearchTerm]? = nil
}
