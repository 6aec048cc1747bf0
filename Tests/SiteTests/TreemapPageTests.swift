import Foundation
import Testing
import TestSite

/// The treemaps on the example site: where they are, and that every rectangle's link resolves.
@Suite struct TreemapPageTests {
    @Test("disclosure pages draw 03 and 06 as treemaps, the comparison its departments; every link resolves")
    func treemapsLinkWhereTheySay() throws {
        _ = try exampleBuild.result.get()
        let page = read(exampleBuild.output.appendingPathComponent("donghu-sme/2023/index.html"))
        for id in ["chart-treemap-03", "chart-treemap-06"] { #expect(page.contains("<figure class=\"chart\" id=\"\(id)\">"), "\(id)") }
        // Each rectangle links to its line of the table (#t03-2010101), and that line is on the page.
        let targets = page.components(separatedBy: "<a class=\"sg-treemap-link\" href=\"#").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(targets.filter { $0.hasPrefix("t03-") }.count > 3 && targets.contains { $0.hasPrefix("t06-") })
        let missing = targets.filter { !page.contains("id=\"\($0)\"") }
        #expect(missing.isEmpty, "\(missing)")
        let compare = read(exampleBuild.output.appendingPathComponent("compare/jiangxi/2023/index.html"))
        #expect(compare.contains("<a class=\"sg-treemap-link\" href=\"../../../donghu-sme/2023/\""))
        let sorted = read(exampleBuild.output.appendingPathComponent("compare/jiangxi/2023/income-desc.html"))
        #expect(!sorted.contains("sg-treemap-link") && sorted.contains("id=\"chart-compare\""))
        // Every link of every page, the rectangles' among them, resolves.
        let broken = LinkChecker.broken(in: exampleBuild.output)
        #expect(broken.isEmpty, "\(broken.prefix(10))")
    }
}
