import Foundation
import Model
import Derive
import Testing
import TestSite
import Views
@testable import Site

/// A department's place among the departments of its region and 单位性质 (its disclosure page).
@Suite struct PlaceTests {
    func dept(_ slug: String) -> Department {
        Department(slug: slug, name: slug + "局", kind: "行政单位", region: "r", code: slug, location: SourceLocation(file: "x"))
    }

    func headline(_ expenditure: String, staff: Int?) -> Headline {
        var values: [String: Amount] = ["expenditure": try! Amount.parse(expenditure).get()]
        if let staff { values[Headline.staffKey] = Amount(integer: staff) }
        return Headline(values: values)
    }

    @Test("statements rank exactly, ties share a place, a measure nobody else has says so")
    func statements() throws {
        let builder = ViewBuilder(config: SiteConfig(), tree: RegionTree(declared: [], departments: []))
        let peers = [(dept("a"), headline("100.00", staff: 4)), (dept("b"), headline("90.00", staff: 3)),
                     (dept("c"), headline("75.00", staff: 3)), (dept("d"), headline("10.00", staff: nil))]
        let place = try #require(builder.placeView(dept("c"), year: 2023, regionName: "某区", peers: peers))
        // 人均支出: a 25.00, b 30.00, c 25.00 (d has no 在职人员): c shares second place with a.
        #expect(place.statements.first == "人均支出 25.00 万元，在某区 3 个行政单位中居第 2 位（从高到低）。")
        #expect(place.chart?.svg.contains("<title id=\"chart-place-title\">") == true)
        // d has no per-person figure: no statement for it.
        #expect(builder.placeView(dept("d"), year: 2023, regionName: "某区", peers: peers) == nil)
        let alone = try #require(builder.placeView(dept("a"), year: 2023, regionName: "某区", peers: [peers[0]]))
        #expect(alone.statements == ["某区本年公开决算的行政单位只有本单位，暂无同类单位可比。"] && alone.chart == nil)
        // b is alone in a measure (人均支出 with peers c, but 基本支出占比 with none): said so, no strip row.
        var basic = peers[1].1.values
        basic["basic"] = try Amount.parse("45.00").get()
        let mixed = try #require(builder.placeView(dept("b"), year: 2023, regionName: "某区", peers: [(dept("b"), Headline(values: basic)), peers[2]]))
        #expect(mixed.statements.contains("基本支出占比 50.00%，某区本年没有其他行政单位有此项，无从比较。"))
        #expect(mixed.statements.first == "人均支出 30.00 万元，在某区 2 个行政单位中居第 1 位（从高到低）。")
    }

    @Test("the disclosure page shows its place")
    func disclosurePageShowsItsPlace() throws {
        _ = try exampleBuild.result.get()
        let page = read(exampleBuild.output.appendingPathComponent("donghu-sme/2023/index.html"))
        #expect(page.contains("<section class=\"place\" aria-labelledby=\"place-title\">"))
        #expect(page.contains("南昌市东湖区本年公开决算的行政单位只有本单位，暂无同类单位可比。"))
    }
}

/// A disclosure page declares its peers' figures: an edit to one peer's headline figures makes
/// the page again; the page then shows the new place.
@Suite struct PlaceIncrementalTests {
    @Test("editing a peer's 在职人员 rebuilds the page that ranks against it")
    func peerEditRebuildsThePage() throws {
        let (_, content, output) = try copyOfExampleSite("place")
        let dept = content.appendingPathComponent("departments/xinfeng-gxj")
        // xinfeng-gxj beside donghu-sme, with a copy of its 2022 disclosure: two 行政单位 of one region.
        let yaml = try String(contentsOf: dept.appendingPathComponent("department.yaml"), encoding: .utf8)
        try yaml.replacingOccurrences(of: "region: 信丰县", with: "region: 南昌市东湖区")
            .write(to: dept.appendingPathComponent("department.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dept.appendingPathComponent("2022"), withIntermediateDirectories: true)
        let source = content.appendingPathComponent("departments/donghu-sme/2022/disclosure.yaml")
        let copy = dept.appendingPathComponent("2022/disclosure.yaml")
        try FileManager.default.copyItem(at: source, to: copy)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        let page = output.appendingPathComponent("donghu-sme/2022/index.html")
        #expect(read(page).contains("在南昌市东湖区 2 个行政单位中居第 1 位"))
        // Fewer staff at the peer: its per-person figures go up and donghu-sme comes second.
        let text = try String(contentsOf: copy, encoding: .utf8)
        try text.replacingOccurrences(of: "    在职人员: 8\n", with: "    在职人员: 5\n").write(to: copy, atomically: true, encoding: .utf8)
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()
        #expect(read(page).contains("人均支出") && read(page).contains("在南昌市东湖区 2 个行政单位中居第 2 位"))
    }
}
