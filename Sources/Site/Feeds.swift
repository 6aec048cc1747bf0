import Model
import Support
import Views

/// sitemap.xml (an index of parts, for a large site) and an Atom feed of the latest disclosures by
/// publication date (no build timestamps: deterministic).
enum Feeds {
    static func xml(_ s: String) -> String { Markup.escape(s) }

    static func url(_ base: String, _ path: String) -> String {
        let clean = path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path
        return base + clean
    }

    /// The sitemap of the pages at `paths`, in sorted order: `sitemap.xml`, one urlset of every URL;
    /// or, with more than `limit` URLs, `sitemap.xml` an index of `sitemap-1.xml`, `sitemap-2.xml` …,
    /// each a urlset of at most `limit` of them. Each file with what makes its text.
    static func sitemaps(base: String, paths: [String], limit: Int) -> [(path: String, text: @Sendable () -> String)] {
        let sorted = paths.sorted()
        guard sorted.count > limit else { return [(TopLevel.sitemap, { urlset(base: base, sorted[...]) })] }
        let parts = stride(from: 0, to: sorted.count, by: limit).map { sorted[$0..<min($0 + limit, sorted.count)] }
        let index: (path: String, text: @Sendable () -> String) = (TopLevel.sitemap, { sitemapIndex(base: base, parts: parts.count) })
        return [index] + parts.enumerated().map { n, part in (TopLevel.sitemapPart(n + 1), { urlset(base: base, part) }) }
    }

    static func urlset(base: String, _ sorted: ArraySlice<String>) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in sorted { out += "<url><loc>\(xml(url(base, path)))</loc></url>\n" }
        return out + "</urlset>\n"
    }

    static func sitemapIndex(base: String, parts: Int) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for n in 1...parts { out += "<sitemap><loc>\(xml(base + TopLevel.sitemapPart(n)))</loc></sitemap>\n" }
        return out + "</sitemapindex>\n"
    }

    /// The latest `config.feedEntries` disclosures, by publication date then id. `entries`: id,
    /// department, year and publication date of each disclosure (all of them: which are the latest
    /// depends on every date).
    static func atom(_ content: SiteContent, entries: [(id: String, department: String, year: Int, published: String?)]) -> String {
        let base = content.config.baseURL
        let dated = entries.sorted { ($0.published ?? "", $0.id) > ($1.published ?? "", $1.id) }
        let updated = entries.compactMap(\.published).max() ?? "2000-01-01"
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"\(xml(content.config.language))\">\n"
        out += "<title>\(xml(content.config.title))</title>\n<id>\(xml(base))</id>\n<link href=\"\(xml(base))\"/>\n<link rel=\"self\" href=\"\(xml(base))feed.xml\"/>\n<updated>\(updated)T00:00:00Z</updated>\n"
        for d in dated.prefix(content.config.feedEntries) {
            guard let dept = content.department(d.department) else { continue }
            let link = base + "\(d.department)/\(d.year)/"
            out += "<entry><title>\(xml(ViewBuilder.disclosureTitle(dept, d.year)))</title><id>\(xml(link))</id><link href=\"\(xml(link))\"/>"
            out += "<updated>\(d.published ?? updated)T00:00:00Z</updated><author><name>\(xml(dept.name))</name></author></entry>\n"
        }
        return out + "</feed>\n"
    }
}
