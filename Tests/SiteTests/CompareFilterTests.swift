import Foundation
import Model
import Testing
import TestSite
import Views

/// The comparison's filters on a generated site (kinds, 主管部门 with 所属单位, regions inside
/// regions): each filter has a pre-built page of exactly the rows the in-page filter keeps, with
/// their own exact totals.
@Suite struct CompareFilterTests {
    /// Each body row of a comparison page: (department link, its data-filter tokens, its 本年收入合计 sort value).
    static func rows(_ html: String) -> [(href: String, tokens: Set<String>, income: String)] {
        guard let body = html.range(of: "<tbody>"), let end = html.range(of: "</tbody>") else { return [] }
        return html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr").dropFirst().map { row in
            let tag = String(row.prefix { $0 != ">" }) + ">"
            let tokens = Set((LinkChecker.attributes("data-filter", in: tag).first ?? "").split(separator: " ").map(String.init))
            let cell: String = row.components(separatedBy: "<td").dropFirst().first ?? ""
            let value = LinkChecker.attributes("data-value", in: String(cell.prefix { $0 != ">" }) + ">").first
                ?? String(cell.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
            return (LinkChecker.attributes("href", in: row).first ?? "", tokens, cell.contains("unpublished") ? "" : value)
        }
    }

    @Test("every filter link opens a page of exactly the rows that carry its token, with their exact total")
    func filteredPagesMatchTheTokens() throws {
        _ = try GeneratedSiteTests.site.result.get()
        let compare = GeneratedSiteTests.site.output.appendingPathComponent("compare")
        var dimensions: Set<String> = [], pages = 0
        for region in try FileManager.default.contentsOfDirectory(atPath: compare.path) {
            let years = (try? FileManager.default.contentsOfDirectory(atPath: compare.appendingPathComponent(region).path)) ?? []
            for year in years where Int(year) != nil {
                let dir = compare.appendingPathComponent("\(region)/\(year)")
                let index = read(dir.appendingPathComponent("index.html"))
                let all = Self.rows(index)
                guard let nav = index.range(of: "<nav class=\"compare-filters\""), let navEnd = index[nav.upperBound...].range(of: "</nav>") else { continue }
                let links = LinkChecker.attributes("href", in: String(index[nav.upperBound..<navEnd.lowerBound]))
                    .compactMap { $0.split(separator: "/").last.map(String.init) }.filter { $0.hasSuffix(".html") }
                let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
                    .filter { $0.hasPrefix("kind-") || $0.hasPrefix("parent-") || $0.hasPrefix("level-") }
                #expect(Set(links) == Set(files), "\(region)/\(year)")
                for name in links {
                    let token = String(name.dropLast(5))
                    dimensions.insert(String(token.prefix { $0 != "-" }))
                    let page = read(dir.appendingPathComponent(name))
                    let shown = Self.rows(page)
                    #expect(shown.map(\.href).sorted() == all.filter { $0.tokens.contains(token) }.map(\.href).sorted(), "\(region)/\(year)/\(name)")
                    #expect(!shown.isEmpty && page.contains("<span data-count>\(shown.count)</span>"))
                    #expect(!page.contains("data-filterable") && page.contains("aria-current=\"page\">"))
                    // The total row is the exact sum of the rows shown.
                    let sum = try shown.compactMap { $0.income.isEmpty ? nil : try Amount.parse($0.income).get() }.sum()
                    let foot = String(page[page.range(of: "<tfoot>")!.upperBound...])
                    let total = foot.components(separatedBy: "<td class=\"num\">").dropFirst(1).first.map { String($0.prefix { $0 != "<" }) }
                    #expect(total == (sum.map { $0.formatted(decimals: max(2, $0.scale)) } ?? ""), "\(region)/\(year)/\(name)")
                    pages += 1
                }
            }
        }
        #expect(dimensions.isSuperset(of: ["kind", "parent"]), "\(dimensions)")
        #expect(pages > 0)
    }

    @Test("filters: kinds in their usual order, a 主管部门 with every unit under it, levels of regions below")
    func filtersOfARegion() {
        let tree = RegionTree(declared: [Region(slug: "sheng", name: "某省"), Region(slug: "shi", name: "某市", parent: "sheng"),
                                         Region(slug: "xian", name: "某县", parent: "shi")], departments: [])
        func dept(_ slug: String, _ kind: String, _ region: String, parent: String? = nil) -> Department {
            Department(slug: slug, name: slug, kind: kind, parent: parent, region: region, location: SourceLocation(file: "x"))
        }
        let members = [dept("a", "事业单位", "sheng", parent: "b"), dept("b", "行政单位", "sheng"), dept("c", "参公事业单位", "shi", parent: "a"),
                       dept("d", "行政单位", "xian")]
        let tree2 = RegionTree(declared: tree.regions, departments: members)
        let f = CompareFilters(members: members, tree: tree2, region: "sheng")
        #expect(f.filters.map(\.token) == ["kind-xingzheng", "kind-cangong", "kind-shiye", "parent-a", "parent-b", "level-0", "level-1", "level-2"])
        #expect(f.filters.map(\.label).suffix(3) == ["本级", "下一级（某市）", "下二级（某县）"])
        #expect(Set(f.tokens["c"] ?? []) == ["kind-cangong", "parent-a", "parent-b", "level-1"])
        #expect(Set(f.tokens["b"] ?? []) == ["kind-xingzheng", "parent-b", "level-0"])
        // One kind, no 所属单位, one level: nothing to filter.
        #expect(CompareFilters(members: [dept("d", "行政单位", "xian")], tree: tree2, region: "sheng").filters.isEmpty)
    }
}
