import Foundation
import Testing
@testable import Charts
import Model

/// The narrow form of every chart: labels above the bars, so that at `Charts.narrowWidth` nothing is
/// scaled down and no label is cut short.
@Suite struct NarrowChartTests {
    static let years = ["2021年", "2022年", "2023年"]
    static let two = [Series("预算数", [amt("100"), nil, amt("120")]), Series("决算数", [amt("90"), amt("-95"), amt("130")])]

    @Test("at its own width the text keeps the label font size and the labels their whole text")
    func labelsAboveBarsAtFullSize() {
        let narrow = chart("n", width: Charts.narrowWidth)
        for r in [Charts.narrow(narrow, sample, sorted: true), Charts.narrow(narrow, categories: Self.years, series: Self.two),
                  Charts.narrow(narrow, sample, shares: true)] {
            checkAccessible(r, id: "n")
            #expect(attributes(r.svg, "svg", cls: "sg-chart", "width") == [Double(Charts.narrowWidth)])
            #expect(r.svg.contains("font-size=\"12\""))
            #expect(!texts(r.svg).contains { $0.hasSuffix("…") }, "a label was cut short")
            // Nothing is drawn outside the viewBox.
            for x in attributes(r.svg, "text", cls: "sg-label", "x") { #expect(x >= 0 && x <= Double(Charts.narrowWidth)) }
        }
    }

    @Test("bars are proportional, sorted like `bars`, and each label is above its bar")
    func proportionalAndSorted() {
        let r = Charts.narrow(chart(width: Charts.narrowWidth), sample, sorted: true)
        let widths = attributes(r.svg, "rect", cls: "sg-bar", "width"), ys = attributes(r.svg, "rect", cls: "sg-bar", "y")
        let values = sample.compactMap(\.value).sorted(by: >)
        #expect(widths.count == values.count && widths == widths.sorted(by: >))
        for (w, v) in zip(widths, values) { #expect(abs(w - Double(v.units) * widths[0] / Double(values[0].units)) <= 0.5) }
        let shown = texts(r.svg)
        let labelYs = sample.sorted { $0.value! > $1.value! }.map { item in
            attributes(r.svg, "text", cls: "sg-label", "y")[shown.firstIndex(of: item.label)!]
        }
        for (labelY, barY) in zip(labelYs, ys) { #expect(labelY < barY) }
    }

    @Test("a composition's bars carry their shares; several series get a legend; negatives extend left")
    func sharesLegendAndNegatives() {
        let c = Charts.narrow(chart(width: Charts.narrowWidth), [ChartItem("财政拨款收入", amt("75")), ChartItem("事业收入", amt("25"))], shares: true)
        #expect(texts(c.svg).contains("75.00（75.00%）") && texts(c.svg).contains("25.00（25.00%）"))
        let g = Charts.narrow(chart(width: Charts.narrowWidth), categories: Self.years, series: Self.two)
        #expect(texts(g.svg).contains("预算数") && texts(g.svg).contains("决算数") && texts(g.svg).contains("—"))
        let zero = attributes(g.svg, "line", cls: "sg-axis", "x1")[0]
        let xs = attributes(g.svg, "rect", cls: "sg-bar", "x"), ws = attributes(g.svg, "rect", cls: "sg-bar", "width")
        #expect(zip(xs, ws).contains { abs($0 + $1 - zero) < 0.01 && $0 < zero })
        checkFiguresLabelled(g, columns: 0..<3)
        #expect(Charts.narrow(chart(width: Charts.narrowWidth), categories: Self.years, series: Self.two).svg == g.svg)
    }
}
