import Testing
@testable import Charts
import Model

/// The strip chart of a department's place: peers as ticks, its own figure as a mark, each row on
/// its own scale from the lowest to the highest.
@Suite struct StripTests {
    @Test("the own mark sits where its figure is between the lowest and the highest peer, integer geometry")
    func ownMarkIsPlacedExactly() {
        let row = StripRow(label: "人均支出", values: [amt("10.00"), amt("20.00"), amt("30.00")], own: 1, figure: "20.00 万元", place: "第 2 位 / 共 3 个")
        let made = Charts.strip(Chart(id: "p", title: "位置", description: "d", unit: "", width: 560), [row])
        let bars = attributes(made.svg, "rect", cls: "sg-bar", "x"), widths = attributes(made.svg, "rect", cls: "sg-bar", "width")
        #expect(bars.count == 1 && widths == [4])
        // The ticks: one path, a vertical stroke per peer's pixel column ("M<x> …V…").
        let path = made.svg.components(separatedBy: "<path class=\"sg-axis\" d=\"").dropFirst().first?.prefix { $0 != "\"" } ?? ""
        let ticks = path.split(separator: "M").compactMap { Double($0.split(separator: " ").first ?? "") }
        #expect(ticks.count == 2)
        // The mark's centre is halfway between the two ticks (the lowest and the highest).
        #expect(bars[0] + 2 == (ticks[0] + ticks[1]) / 2)
        #expect(made.textAlternative == [["项目", "金额", "位次（从高到低）"], ["人均支出", "20.00 万元", "第 2 位 / 共 3 个"]])
        #expect(!made.svg.contains("e+") && !made.isEmpty)
        // Deterministic.
        #expect(Charts.strip(Chart(id: "p", title: "位置", description: "d", unit: "", width: 560), [row]).svg == made.svg)
    }

    /// A strip's size is bounded by its width, not by its peers: 2,000 peers draw at most one tick per pixel.
    @Test("thousands of peers stay a few kilobytes")
    func manyPeersShareTicks() {
        let values = (0..<2000).map { Amount(units: Int64($0) * 37, scale: 2) }
        let row = StripRow(label: "人均支出", values: values, own: 5, figure: "0.02 万元", place: "第 1996 位 / 共 2000 个")
        let made = Charts.strip(Chart(id: "p", title: "位置", description: "d", unit: "", width: 560), [row])
        #expect(made.svg.utf8.count < 12_000, "\(made.svg.utf8.count) bytes")
    }
}
