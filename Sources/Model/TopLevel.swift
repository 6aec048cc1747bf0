/// What the site publishes at the top of the output folder besides the departments' folders
/// (`<dept>/`): the page graph writes its pages under these names, and the loader refuses a
/// department folder that has one of them as its slug (its pages would overwrite the site's).
public enum TopLevel {
    /// The search page and its index (`search/index.html`, `search/index.json`).
    public static let search = "search"
    /// A page per region (`regions/<region>/`).
    public static let regions = "regions"
    /// The comparison index and bulk downloads per region and year (`compare/<region>/<year>/`).
    public static let compare = "compare"
    /// The theme's static files and the charts' styles (`static/…`).
    public static let assets = "static"
    public static let home = "index.html"
    public static let notFound = "404.html"
    public static let feed = "feed.xml"
    public static let sitemap = "sitemap.xml"
    /// The n-th part (from 1) of a sitemap too large for one file, which `sitemap` then indexes.
    /// Not among `names`: no slug holds a dot.
    public static func sitemapPart(_ n: Int) -> String { "sitemap-\(n).xml" }

    /// Every name the site publishes at the top, folders then files.
    public static let names = [search, regions, compare, assets, home, notFound, feed, sitemap]

    /// Whether a department folder of this name would collide with the site's own pages.
    public static func isReserved(_ slug: String) -> Bool { names.contains(slug) }
}
