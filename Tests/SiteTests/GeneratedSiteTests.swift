import Fixture
import Foundation
import Model
import Testing
import TestSite
@testable import Site

/// A generated site of 200 departments × 3 years: comparison indexes, sorted views, totals, links.
@Suite struct GeneratedSiteTests {
    static let site: (content: URL, output: URL, result: Result<BuildReport, BuildFailure>) = {
        let root = temporaryFolder("generated")
        let content = root.appendingPathComponent("content")
        _ = try? Fixture.write(FixtureOptions(departments: 200, years: 3, seed: 11), to: content)
        let output = root.appendingPathComponent("public")
        return (content, output, SiteBuilder.build(BuildOptions(content: content, output: output)))
    }()

    /// Rows of a comparison page: (department link, cells' sort values: data-value, else the text,
    /// whether it is a 所属单位 under the row before).
    func rows(_ page: URL) -> [(String, [String], Bool)] {
        let html = read(page)
        guard let body = html.range(of: "<tbody>"), let end = html.range(of: "</tbody>") else { return [] }
        return html[body.upperBound..<end.lowerBound].components(separatedBy: "<tr").dropFirst().map { row in
            let href = LinkChecker.attributes("href", in: row).first ?? ""
            let values = row.components(separatedBy: "<td").dropFirst().map { cell in
                LinkChecker.attributes("data-value", in: String(cell.prefix { $0 != ">" }) + ">").first
                    ?? String(cell.drop { $0 != ">" }.dropFirst().prefix { $0 != "<" })
            }
            return (href, values, row.hasPrefix(" class=\"child\""))
        }
    }

    @Test func buildsWithoutFindings() throws {
        let report = try Self.site.result.get()
        #expect(report.disclosures == 600)
        #expect(report.findings.filter { $0.severity == .error }.isEmpty)
    }

    @Test func everyDepartmentOncePerYearPerIndexAndSortedViewsInOrder() throws {
        _ = try Self.site.result.get()
        let compare = Self.site.output.appendingPathComponent("compare")
        let regions = try FileManager.default.contentsOfDirectory(atPath: compare.path).sorted()
        #expect(!regions.isEmpty)
        var checked = 0
        for region in regions {
            for year in ["2021", "2022", "2023"] {
                let folder = compare.appendingPathComponent("\(region)/\(year)")
                guard FileManager.default.fileExists(atPath: folder.path) else { continue }
                let base = rows(folder.appendingPathComponent("index.html"))
                let links = base.map(\.0)
                #expect(Set(links).count == links.count, "\(region) \(year): a department twice")
                #expect(links.allSatisfy { $0.hasSuffix("/\(year)/") })
                // Each sorted view: same departments, values in order, blanks last.
                for (i, key) in ["income", "expenditure", "basic", "threePublic", "change"].enumerated() {
                    for direction in ["desc", "asc"] {
                        let view = rows(folder.appendingPathComponent("\(key)-\(direction).html"))
                        #expect(Set(view.map(\.0)) == Set(links), "\(region)/\(year)/\(key)-\(direction) lists other departments")
                        let column = [0, 1, 3, 8, 11][i]
                        // Grouped: each 主管部门 with its 所属单位 after it; blocks in order of their
                        // first row, the 所属单位 in order among themselves.
                        var blocks: [[String]] = []
                        for row in view {
                            if row.2, !blocks.isEmpty { blocks[blocks.count - 1].append(row.1[column]) } else { blocks.append([row.1[column]]) }
                        }
                        var read = 0
                        for values in [blocks.map { $0[0] }] + blocks.map { Array($0.dropFirst()) } {
                            let numbers = values.prefix { !$0.isEmpty }.compactMap { try? Amount.parse($0).get() }
                            read += numbers.count
                            let blanksLast = values.drop { !$0.isEmpty }.allSatisfy { $0.isEmpty }
                            #expect(blanksLast, "blanks last")
                            let ordered = zip(numbers, numbers.dropFirst()).allSatisfy { direction == "desc" ? $0 >= $1 : $0 <= $1 }
                            #expect(ordered, "\(region)/\(year)/\(key)-\(direction) out of order")
                        }
                        #expect(read > 0 || (key == "change" && year == "2021"), "\(region)/\(year)/\(key)-\(direction): no values read")
                        #expect(view.filter(\.2).count == base.filter(\.2).count, "the grouping is kept")
                        checked += 1
                    }
                }
                // Region total = exact sum of the rows.
                let html = read(folder.appendingPathComponent("index.html"))
                if let foot = html.range(of: "<tfoot>") {
                    let total = html[foot.upperBound...].components(separatedBy: "<td class=\"num\">").dropFirst().first?.components(separatedBy: "<").first ?? ""
                    let sum = base.compactMap { try? Amount.parse($0.1[0]).get() }.sum()
                    #expect(sum.map { $0.formatted(decimals: 2) } == total, "\(region) \(year) total")
                }
            }
        }
        #expect(checked > 20)
    }

    @Test func everyInternalLinkResolves() throws {
        _ = try Self.site.result.get()
        let broken = LinkChecker.broken(in: Self.site.output)
        #expect(broken.isEmpty, "\(broken.prefix(10).joined(separator: "\n"))")
    }
}
