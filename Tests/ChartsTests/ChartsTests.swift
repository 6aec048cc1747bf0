import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Charts
import Model

// MARK: helpers

func amt(_ s: String) -> Amount { try! Amount.parse(s).get() }

func chart(_ id: String = "c1", width: Int = 640) -> Chart {
    Chart(id: id, title: "支出按功能分类", description: "2023年度支出决算按功能分类的类级科目。", width: width)
}

/// Values of `attribute` on every `<element …>` whose class list contains `cls`, in document order.
func attributes(_ svg: String, _ element: String, cls: String, _ attribute: String) -> [Double] {
    svg.components(separatedBy: "<\(element) ").dropFirst().compactMap { tag -> Double? in
        let head = " " + String(tag.prefix { $0 != ">" })
        guard let c = field(head, "class"), c.split(separator: " ").contains(Substring(cls)) else { return nil }
        return field(head, attribute).flatMap(Double.init)
    }
}

func field(_ head: String, _ name: String) -> String? {
    guard let r = head.range(of: " \(name)=\"") else { return nil }
    return String(head[r.upperBound...].prefix { $0 != "\"" })
}

/// Unescaped visible contents of every `<text>`, with any `<title>` child removed.
func texts(_ svg: String) -> [String] {
    svg.components(separatedBy: "<text ").dropFirst().map { part in
        var body = String(part[part.index(after: part.firstIndex(of: ">")!)...])
        body = String(body[..<body.range(of: "</text>")!.lowerBound])
        if let t = body.range(of: "</title>") { body = String(body[t.upperBound...]) }
        return body.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

final class WellFormed: NSObject, XMLParserDelegate {
    var root: String?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if root == nil { root = name }
    }
}

func checkAccessible(_ r: RenderedChart, id: String = "c1") {
    let svg = r.svg
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.hasSuffix("</svg>"))
    #expect(!svg.contains("<?xml") && !svg.contains("DOCTYPE") && !svg.contains("<style"))
    #expect(svg.contains("role=\"img\""))
    #expect(svg.contains("aria-labelledby=\"\(id)-title \(id)-desc\""))
    #expect(svg.contains("<title id=\"\(id)-title\">"))
    #expect(svg.contains("<desc id=\"\(id)-desc\">"))
    #expect(svg.components(separatedBy: "</svg>").count == 2)
    #expect(!svg.contains("NaN") && !svg.contains("inf"))
    let parser = XMLParser(data: Data(svg.utf8))
    let delegate = WellFormed()
    parser.delegate = delegate
    #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
    #expect(delegate.root == "svg")
}

/// Every figure in the text alternative appears as a label in the chart.
func checkFiguresLabelled(_ r: RenderedChart, columns: Range<Int>) {
    let labels = texts(r.svg).joined(separator: "\n")
    for row in r.textAlternative.dropFirst() {
        for figure in row[columns] where figure != "—" { #expect(labels.contains(figure), "\(figure) not labelled") }
    }
}

let sample = [
    ChartItem("一般公共服务支出", amt("1234.56")),
    ChartItem("教育支出", amt("50")),
    ChartItem("科学技术支出", amt("12.3456")),
    ChartItem("社会保障和就业支出", amt("617.28")),
    ChartItem("卫生健康支出", amt("0.01")),
]

// MARK: bars

@Test func barsAreProportionalAndSorted() {
    let r = Charts.bars(chart(), sample)
    checkAccessible(r)
    let widths = attributes(r.svg, "rect", cls: "sg-bar", "width")
    let values = sample.compactMap(\.value).sorted(by: >)
    #expect(widths.count == values.count)
    let perUnit = widths[0] / Double(values[0].units)
    for (w, v) in zip(widths, values) { #expect(abs(w - Double(v.units) * perUnit) <= 0.5) }
    #expect(widths == widths.sorted(by: >))
    #expect(r.textAlternative[0] == ["项目", "金额（万元）"])
    #expect(r.textAlternative.dropFirst().map { $0[1] } == ["1234.56", "617.28", "50.00", "12.35", "0.01"])
    #expect(!r.isEmpty)
}

@Test func everyLabelAndFigureIsPresent() {
    let r = Charts.bars(chart(), sample)
    let shown = texts(r.svg)
    for item in sample {
        #expect(shown.contains(item.label))
        #expect(shown.contains(item.value!.formatted(decimals: 2)))
    }
    #expect(shown.contains("单位：万元"))
    checkFiguresLabelled(r, columns: 0..<2)
}

@Test func unsortedKeepsInputOrder() {
    let r = Charts.bars(chart(), sample, sorted: false)
    #expect(r.textAlternative.dropFirst().map { $0[0] } == sample.map(\.label))
}

@Test func negativeZeroAndBlank() {
    let items = [ChartItem("收入", amt("300")), ChartItem("调整", amt("-120.5")), ChartItem("零", amt("0")), ChartItem("空", nil)]
    let r = Charts.bars(chart(), items)
    checkAccessible(r)
    let xs = attributes(r.svg, "rect", cls: "sg-bar", "x"), ws = attributes(r.svg, "rect", cls: "sg-bar", "width")
    #expect(xs.count == 2)   // no bar for zero or blank
    let zero = attributes(r.svg, "line", cls: "sg-axis", "x1")[0]
    #expect(abs(xs[0] - zero) < 0.01)              // positive starts at zero line
    #expect(abs(xs[1] + ws[1] - zero) < 0.01)      // negative ends at it
    #expect(abs(ws[1] / ws[0] - 120.5 / 300) * ws[0] <= 0.5)
    let shown = texts(r.svg)
    #expect(shown.contains("-120.50") && shown.contains("0.00") && shown.contains("—"))
    #expect(r.textAlternative.map { $0[1] } == ["金额（万元）", "300.00", "0.00", "-120.50", "—"])
    // Ticks include zero and reach beyond both ends.
    let ticks = shown.filter { Double($0) != nil && !$0.contains(".") }
    #expect(ticks.contains("0") && ticks.contains { Double($0)! < 0 } && ticks.contains { Double($0)! > 0 })
}

@Test func oneAndThirtyItems() {
    let one = Charts.bars(chart(), [ChartItem("唯一", amt("5"))])
    let thirty = Charts.bars(chart(), (1...30).map { ChartItem("项目\($0)", Amount(integer: $0 * 7)) })
    checkAccessible(one)
    checkAccessible(thirty)
    #expect(attributes(one.svg, "rect", cls: "sg-bar", "width").count == 1)
    #expect(attributes(thirty.svg, "rect", cls: "sg-bar", "width").count == 30)
    let h1 = attributes(one.svg, "svg", cls: "sg-chart", "height")[0], h30 = attributes(thirty.svg, "svg", cls: "sg-chart", "height")[0]
    #expect(h30 >= h1 + 29 * 20)
    #expect(thirty.textAlternative.count == 31)
    let ys = attributes(thirty.svg, "rect", cls: "sg-bar", "y")
    #expect(zip(ys, ys.dropFirst()).allSatisfy { $0 < $1 })   // no overlapping rows
}

@Test func longLabelsAreTruncatedWithFullTitle() {
    let long = String(repeating: "一般公共预算财政拨款支出", count: 5)
    let r = Charts.bars(chart(), [ChartItem(long, amt("10")), ChartItem("Short", amt("5"))])
    checkAccessible(r)
    #expect(r.svg.contains("<title>\(long)</title>"))
    let shown = texts(r.svg).first { $0.hasSuffix("…") }!
    #expect(long.hasPrefix(shown.dropLast()))
    #expect(textWidth(shown) <= 640 * 40)
    #expect(texts(r.svg).contains("Short"))
    #expect(r.textAlternative[1][0] == long)  // the table keeps the full name
}

@Test func textWidthAndTruncation() {
    #expect(textWidth("教育") == 2 * 100 * fontPx)
    #expect(textWidth("ab") == 2 * 55 * fontPx)
    #expect(textWidth("（一）") == 3 * 100 * fontPx)
    let (t, cut) = truncated("一二三四五六七八九十", toFit: 5 * 100 * fontPx)
    #expect(cut && t == "一二三四…")
    #expect(truncated("一二三", toFit: 3 * 100 * fontPx) == ("一二三", false))
}

@Test func hostileTextIsInert() {
    let evil = "</svg><script>alert(\"x\")</script>&'"
    var c = chart("x\"><script>")
    c.title = evil
    c.description = evil
    let items = [ChartItem(evil, amt("1"), note: evil)]
    for r in [Charts.bars(c, items), Charts.composition(c, items),
              Charts.grouped(c, categories: [evil], series: [Series(evil, [amt("1")])]),
              Charts.trend(c, periods: [evil], series: [Series(evil, [amt("1")]), Series(evil, [amt("2")])], style: .line)] {
        checkAccessible(r, id: "x---script-")
        #expect(!r.svg.contains("<script"))
        #expect(r.svg.contains("&lt;/svg&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"))
    }
}

@Test func deterministic() {
    let make = { () -> [RenderedChart] in
        [Charts.bars(chart(), sample), Charts.composition(chart(), sample),
         Charts.grouped(chart(), categories: ["甲", "乙"], series: [Series("预算数", [amt("1"), amt("2")]), Series("决算数", [amt("1.5"), nil])]),
         Charts.trend(chart(), periods: ["2021", "2022", "2023"], series: [Series("支出", [amt("1"), amt("-2"), nil])])]
    }
    #expect(make() == make())
}

@Test func allZeroOrBlankShowsMessage() {
    let r = Charts.bars(chart(), [ChartItem("甲", amt("0")), ChartItem("乙", nil)])
    checkAccessible(r)
    #expect(r.isEmpty)
    #expect(texts(r.svg) == ["本年无此项支出"])
    #expect(!r.svg.contains("<rect"))
    #expect(r.textAlternative.count == 3)
    for e in [Charts.bars(chart(), []), Charts.composition(chart(), [ChartItem("甲", nil)]),
              Charts.grouped(chart(), categories: ["甲"], series: [Series("预算数", [amt("0")])]),
              Charts.trend(chart(), periods: ["2023"], series: [Series("支出", [nil])])] {
        checkAccessible(e)
        #expect(e.isEmpty && texts(e.svg) == ["本年无此项支出"])
    }
}

// MARK: axis

@Test func niceTicks() {
    let s = Scale([amt("1234.56")], length: 400, maxTicks: 5)!
    #expect(s.ticks.map { $0.formatted(decimals: s.decimals) } == ["0", "250", "500", "750", "1000"])
    let small = Scale([amt("0.07"), amt("-0.03")], length: 400, maxTicks: 5)!
    #expect(small.ticks.map { $0.formatted(decimals: small.decimals) } == ["-0.02", "0.00", "0.02", "0.04", "0.06"])
    for span in [1, 7, 99, 12_345, 999_999, 123_456_789] as [Int64] {
        let step = Scale.niceStep(span, maxTicks: 5)
        var m = step
        while m % 10 == 0 { m /= 10 }
        #expect([1, 2, 25, 5].contains(m))
        #expect(step * 5 >= span)
    }
    #expect(Scale([amt("0")], length: 100, maxTicks: 5) == nil)
    #expect(fmt(-5) == "-0.05" && fmt(123_407) == "1234.07" && fmt(0) == "0.00")
}

// MARK: composition

@Test func compositionSegmentsFillTheBar() {
    let items = [ChartItem("基本支出", amt("300")), ChartItem("项目支出", amt("100")), ChartItem("其他", amt("0")), ChartItem("未列", nil)]
    let r = Charts.composition(chart(), items)
    checkAccessible(r)
    let xs = attributes(r.svg, "rect", cls: "sg-bar", "x"), ws = attributes(r.svg, "rect", cls: "sg-bar", "width")
    #expect(ws.count == 2)
    #expect(abs(xs[0] + ws[0] - xs[1]) < 0.001)   // adjacent
    #expect(abs(ws[0] - 3 * ws[1]) <= 0.5)
    #expect(r.svg.contains("sg-series-2") && r.svg.contains("url(#c1-p2)") && r.svg.contains("<pattern id=\"c1-p2\""))
    #expect(r.textAlternative[0] == ["项目", "金额（万元）", "占比"])
    #expect(r.textAlternative[1] == ["基本支出", "300.00", "75.00%"])
    #expect(r.textAlternative[3] == ["其他", "0.00", "0.00%"])
    #expect(r.textAlternative[4] == ["未列", "—", "—"])
    #expect(texts(r.svg).contains("300.00（75.00%）"))
    #expect(r.svg.components(separatedBy: "class=\"sg-leader\"").count - 1 == 2)  // one leader per segment
    checkFiguresLabelled(r, columns: 0..<3)
}

// MARK: grouped

@Test func groupedBudgetVersusActual() {
    let cats = ["因公出国（境）费", "公务用车购置及运行费", "公务接待费"]
    let series = [Series("预算数", [amt("10"), amt("40"), amt("5")]), Series("决算数", [amt("0"), amt("32.5"), nil])]
    let r = Charts.grouped(chart("sangong"), categories: cats, series: series)
    checkAccessible(r, id: "sangong")
    let budget = attributes(r.svg, "rect", cls: "sg-series-1", "width"), actual = attributes(r.svg, "rect", cls: "sg-series-2", "width")
    #expect(budget.count == 4 && actual.count == 2)   // 3 bars + legend swatch; 1 bar + swatch
    #expect(abs(budget[2] * 32.5 / 40 - actual[1]) <= 0.5)
    #expect(r.svg.contains("<pattern id=\"sangong-p2\"") && r.svg.contains("fill=\"url(#sangong-p2)\""))
    let shown = texts(r.svg)
    #expect(shown.contains("预算数") && shown.contains("决算数"))
    #expect(r.textAlternative[0] == ["项目", "预算数（万元）", "决算数（万元）"])
    #expect(r.textAlternative[3] == ["公务接待费", "5.00", "—"])
    checkFiguresLabelled(r, columns: 0..<3)
}

// MARK: trend

@Test func trendColumnsAndLine() {
    let periods = ["2021年", "2022年", "2023年"]
    let cols = Charts.trend(chart(), periods: periods, series: [Series("支出合计", [amt("100"), amt("150"), amt("-50")])])
    checkAccessible(cols)
    let hs = attributes(cols.svg, "rect", cls: "sg-bar", "height")
    #expect(hs.count == 3 && abs(hs[1] - hs[0] * 1.5) <= 0.5 && abs(hs[2] - hs[0] / 2) <= 0.5)
    #expect(texts(cols.svg).contains("-50.00"))
    checkFiguresLabelled(cols, columns: 0..<2)

    let two = [Series("预算数", [amt("100"), nil, amt("120")]), Series("决算数", [amt("90"), amt("95"), amt("130")])]
    let line = Charts.trend(chart(), periods: periods, series: two, style: .line)
    checkAccessible(line)
    #expect(line.svg.contains("class=\"sg-line sg-line-1\"") && line.svg.contains("class=\"sg-line sg-line-2\""))
    #expect(texts(line.svg).contains("预算数") && texts(line.svg).contains("—"))
    checkFiguresLabelled(line, columns: 0..<3)

    let many = Charts.trend(chart(), periods: (2001...2030).map { "\($0)" }, series: two)
    checkAccessible(many)
    #expect(attributes(many.svg, "svg", cls: "sg-chart", "width")[0] > 640)   // grows instead of overlapping
}

@Test func writeSamples() throws {
    guard let dir = ProcessInfo.processInfo.environment["CHARTS_SAMPLES"] else { return }
    let two = [Series("预算数", [amt("100"), nil, amt("120"), amt("80")]), Series("决算数", [amt("90"), amt("95"), amt("130"), amt("-10")])]
    let years = ["2020年", "2021年", "2022年", "2023年"]
    let samples: [(String, RenderedChart)] = [
        ("bars", Charts.bars(chart(), sample + [ChartItem(String(repeating: "其他长名称支出", count: 6), amt("-77.7")), ChartItem("空白", nil)])),
        ("composition", Charts.composition(chart(), [ChartItem("财政拨款收入", amt("5000")), ChartItem("事业收入", amt("800.5")),
                                                   ChartItem("经营收入", amt("20")), ChartItem("其他收入", amt("3")), ChartItem("附属单位上缴收入", amt("150"))])),
        ("grouped", Charts.grouped(chart(), categories: ["因公出国（境）费", "公务用车购置及运行费", "公务接待费", "合计"],
                                   series: [Series("预算数", [amt("10"), amt("40"), amt("5"), amt("55")]), Series("决算数", [amt("0"), amt("32.5"), nil, amt("32.5")])])),
        ("trend", Charts.trend(chart(), periods: years, series: two)),
        ("line", Charts.trend(chart(), periods: years, series: two, style: .line)),
        ("empty", Charts.bars(chart(), [])),
    ]
    for (name, r) in samples {
        let html = "<!doctype html><meta charset=utf-8><style>\(Charts.defaultCSS)</style>\(r.svg)"
        try html.write(toFile: "\(dir)/\(name).html", atomically: true, encoding: .utf8)
        try r.svg.write(toFile: "\(dir)/\(name).svg", atomically: true, encoding: .utf8)
    }
}

@Test func extremeInputsStayValid() {
    let huge = Amount(units: Amount.limit, scale: 2), tiny = Amount(units: 1, scale: 4)
    let items = [ChartItem("大", huge), ChartItem("小", tiny), ChartItem("负", -huge)]
    for width in [1, 120, 2000] {
        let c = chart(width: width)
        for r in [Charts.bars(c, items), Charts.composition(c, items),
                  Charts.grouped(c, categories: ["甲"], series: [Series("A", [huge]), Series("B", [tiny]), Series("C", [-tiny]), Series("D", [nil])]),
                  Charts.trend(c, periods: ["2023"], series: [Series("A", [huge])], style: .line)] {
            checkAccessible(r)
            #expect(!r.isEmpty)
        }
    }
    let single = Charts.composition(chart(), [ChartItem("全部", amt("12.5"))])
    #expect(single.textAlternative[1] == ["全部", "12.50", "100.00%"])
    #expect(cmp(Charts.bars(chart(), [ChartItem("a", amt("1"))]).svg, Charts.bars(chart("c2"), [ChartItem("a", amt("1"))]).svg))
}

/// Same chart under another id differs only in the ids.
func cmp(_ a: String, _ b: String) -> Bool { a.replacingOccurrences(of: "c1-", with: "c2-") == b }
