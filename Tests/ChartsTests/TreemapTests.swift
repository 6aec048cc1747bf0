import Testing
@testable import Charts
import Model

/// The squarified treemap: rectangles tile the plot, their areas follow their amounts, children
/// tile their parent, every rectangle is a named link; deterministic.
@Suite struct TreemapTests {
    let items = [
        TreemapItem("201 一般公共服务支出", amt("600.00"), href: "#t03", children: [
            TreemapItem("20101 人大事务", amt("350.50"), href: "#t03"), TreemapItem("20103 政府办公厅（室）及相关机构事务", amt("249.50"), href: "#t03")]),
        TreemapItem("208 社会保障和就业支出", amt("240.00"), href: "#t03"),
        TreemapItem("210 卫生健康支出", amt("120.00"), href: "#t03"),
        TreemapItem("221 住房保障支出", amt("33.33"), href: "#t03"),
        TreemapItem("213 农林水支出", amt("6.67"), href: "#t03"),
        TreemapItem("212 城乡社区支出", amt("0.01"), href: "#t03"),
        TreemapItem("空", amt("0.00"), href: "#t03"),
    ]

    @Test("rectangle areas match their amounts within one pixel; children tile their parent exactly")
    func areasMatchAmounts() {
        let (rendered, cells) = Charts.treemap(chart("tm"), items)
        let top = cells.filter { $0.depth == 0 }
        #expect(top.count == 6)   // the zero item has no rectangle
        let plotW = (640 * 100 - 2 * padH) * 10, plotH = Charts.treemapHeight * 1000, left = padH * 10
        #expect(top.reduce(0) { $0 + $1.w * $1.h } == plotW * plotH)
        let total = amt("1000.01")
        for cell in top {
            // Expected area: share × plot area, in exact integers (thousandths of a pixel squared;
            // one px² is 10⁶ of them): |area × total − amount × plot| ≤ 10⁶ × total.
            let error = Int128(cell.w * cell.h) * Int128(total.units) - Int128(cell.value.units) * Int128(plotW * plotH)
            #expect(error.magnitude <= 1_000_000 * UInt128(total.units), "\(cell.path): off by \(error / Int128(total.units)) thousandths²")
            #expect(cell.x >= left && cell.y >= left && cell.x + cell.w <= left + plotW && cell.y + cell.h <= left + plotH)
        }
        let parent = top.first { $0.path == ["201 一般公共服务支出"] }!
        let children = cells.filter { $0.depth == 1 }
        #expect(children.count == 2 && children.reduce(0) { $0 + $1.w * $1.h } == parent.w * parent.h)
        // Every rectangle is a link with its path and figure as its name, in a named group.
        #expect(rendered.svg.components(separatedBy: "<a class=\"sg-treemap-link\" href=\"#t03\"").count - 1 == cells.count)
        #expect(rendered.svg.contains("aria-label=\"201 一般公共服务支出 › 20101 人大事务：350.50 万元，占35.05%\""))
        #expect(rendered.svg.contains("aria-labelledby=\"tm-title tm-desc\"") && !rendered.svg.contains("role="))
        #expect(rendered.textAlternative.count == 1 + 6 + 2)
        #expect(Charts.treemap(chart("tm"), items).rendered.svg == rendered.svg)
    }

    @Test("squarified: the largest rectangles are not slivers")
    func squarified() {
        let many = (1...40).map { TreemapItem("项\($0)", amt("\($0).00"), href: "#x") }
        let (_, cells) = Charts.treemap(chart("tm2"), many)
        let big = cells.sorted { $0.value > $1.value }.prefix(10)
        for cell in big { #expect(max(cell.w, cell.h) <= 4 * min(cell.w, cell.h), "\(cell.path): \(cell.w)×\(cell.h)") }
    }
}
