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
        let links03 = page.components(separatedBy: "<a class=\"sg-treemap-link\" href=\"#t03\"").count - 1
        #expect(links03 > 3 && page.contains("id=\"t03\"") && page.contains("id=\"t06\""))
        let compare = read(exampleBuild.output.appendingPathComponent("compare/jiangxi/2023/index.html"))
        #expect(compare.contains("<a class=\"sg-treemap-link\" href=\"../../../donghu-sme/2023/\""))
        let sorted = read(exampleBuild.output.appendingPathComponent("compare/jiangxi/2023/income-desc.html"))
        #expect(!sorted.contains("sg-treemap-link") && sorted.contains("id=\"chart-compare\""))
        // Every link of every page, the rectangles' among them, resolves.
        let broken = LinkChecker.broken(in: exampleBuild.output)
        #expect(broken.isEmpty, "\(broken.prefix(10))")
    }
}
