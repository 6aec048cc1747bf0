import Check
import Content
import Derive
import Foundation
import Markdown
import Model
import Testing
import TestSite
import Views

/// Inputs that crashed or stalled the ContentFuzz target (Fuzz/ContentFuzz, docs/fuzzing.md), or that
/// were found while it ran. Each runs the same steps as the target on the input.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    static let catalogs: [Int: Catalog] = {
        ContentLoader.load(from: exampleContent).content?.catalogs ?? [:]
    }()

    /// What ContentFuzz.run does with bytes taken as disclosure.yaml.
    @discardableResult
    static func decodeAndDerive(_ text: String) -> Disclosure? {
        let decoded = ContentLoader.decodeDisclosure(text: text, catalogs: catalogs)
        guard let disclosure = decoded.disclosure, let catalog = catalogs[2022] else { return nil }
        let completed = Derive.complete(disclosure, catalog: catalog)
        _ = Checker.check(completed, department: nil)
        _ = ChartBuilder.disclosureCharts(completed, departmentName: "部门")
        _ = Headline(completed)
        return completed
    }

    @Test("a column of a hundred amounts near the largest accepted sums without an overflow trap")
    func sumsOfHugeAmountsSaturate() throws {
        // Found while writing the target (the replay tool trapped in Amount.+ from Derive): the largest amount
        // is 10¹³ 万元, and Int64 holds about 92 of them.
        let codes = (Self.catalogs[2022]?.functional.keys.filter { $0.count == 7 }.sorted() ?? []).prefix(100)
        #expect(codes.count == 100)
        let rows = codes.map { "      - [\($0), ~, 9999999999999, 0]\n" }.joined()
        let completed = try #require(Self.decodeAndDerive("year: 2022\nform: 2022\ntables:\n  \"05\":\n    rows:\n" + rows))
        let total = try #require(completed.table(.t05).sections[0].rows.first { $0.key == .total }?.cells[0].value)
        #expect(total.units == Amount.ceiling)
        #expect((Amount(units: .max, scale: 0) + Amount(units: 1, scale: 0)).units == Amount.ceiling)
        #expect((Amount(units: .min, scale: 0) - Amount(units: 1, scale: 0)).units == -Amount.ceiling)
        #expect((-Amount(units: .min, scale: 0)).units == Amount.ceiling)
        #expect((Amount(units: 3, scale: 0) - Amount(units: 5, scale: 0)).units == -2)
    }

    @Test("headings are shifted in one pass: 160,000 headings (40 s when it was quadratic)")
    func manyHeadings() {
        // Found by profiling the fuzzer (40% of its time in shiftHeadings): replacing tag by tag through
        // Foundation's range(of:) was quadratic — 160,000 `#` lines took 40 s.
        let text = String(repeating: "# 标题\n", count: 160_000)
        let html = Markdown.html(text)
        #expect(html.hasPrefix("<h3>标题</h3>\n") && !html.contains("<h1>"))
        #expect(Markdown.html("# a\n## b\n###### c\n<h1>raw</h1>\n", allowRawHTML: true)
            == "<h3>a</h3>\n<h4>b</h4>\n<h6>c</h6>\n<h3>raw</h3>\n")
        #expect(Markdown.html("# \u{301}x\n") == "<h3>\u{301}x</h3>\n", "a combining mark after the tag")
    }
}
