import Content
import Derive
import Model
import Testing
import TestSite

@Suite struct CompareTests {
    func disclosure(_ dept: String, year: Int, expenditure: String?) -> Disclosure {
        var tables = TableKind.allCases.map { Forms.skeleton($0, form: 2022, classes: [("201", "一般公共服务支出")]) }
        if let e = expenditure {
            let s = tables[0].sections.firstIndex { $0.id == "支出" }!
            let r = tables[0].sections[s].rowIndex(.line("本年支出合计"))!
            tables[0].sections[s].rows[r].cells[0] = Cell(value: try! Amount.parse(e).get(), origin: .entered(SourceLocation(file: "x")))
        }
        return Disclosure(department: dept, year: year, form: 2022, tables: tables, location: SourceLocation(file: "x"))
    }

    func dept(_ slug: String, code: String, parent: String? = nil) -> Department {
        Department(slug: slug, name: slug, kind: "行政单位", parent: parent, region: "r", code: code, location: SourceLocation(file: "x"))
    }

    @Test func sortedViewsBreakTiesByCodeAndPutBlanksLast() {
        let entries: [(Department, Disclosure, Disclosure?)] = [
            (dept("a", code: "3"), disclosure("a", year: 2023, expenditure: "10.00"), nil),
            (dept("b", code: "1"), disclosure("b", year: 2023, expenditure: "10.00"), nil),
            (dept("c", code: "2"), disclosure("c", year: 2023, expenditure: nil), nil),
            (dept("d", code: "4"), disclosure("d", year: 2023, expenditure: "99.99"), nil),
        ]
        let c = Comparison(entries)
        #expect(c.sorted(by: "expenditure", descending: true).map(\.department.slug) == ["d", "b", "a", "c"])
        #expect(c.sorted(by: "expenditure", descending: false).map(\.department.slug) == ["b", "a", "d", "c"])
        #expect(c.totals["expenditure"]?.description == "119.99")
    }

    @Test func yearOnYearChangeAndGroupingByParent() {
        let entries: [(Department, Disclosure, Disclosure?)] = [
            (dept("child", code: "2", parent: "boss"), disclosure("child", year: 2023, expenditure: "5.00"), disclosure("child", year: 2022, expenditure: "4.00")),
            (dept("boss", code: "9"), disclosure("boss", year: 2023, expenditure: "1.00"), nil),
            (dept("alone", code: "5"), disclosure("alone", year: 2023, expenditure: "2.00"), nil),
        ]
        let c = Comparison(entries)
        let child = c.lines.first { $0.department.slug == "child" }!
        #expect(child.change?.description == "1.00")
        #expect(child.changePercent?.description == "25.00")
        #expect(c.grouped().map { "\($0.line.department.slug)\($0.isChild ? "*" : "")" } == ["alone", "boss", "child*"])
    }

    @Test func regionTotalsAreExactSums() {
        let entries = (0..<1000).map { i in
            (dept("d\(i)", code: String(format: "%04d", i)), disclosure("d\(i)", year: 2023, expenditure: "0.01"), Disclosure?.none)
        }
        #expect(Comparison(entries).totals["expenditure"]?.description == "10.00")
    }
}

/// The fair measures of the comparison (docs/measures.md): exact, blank without a denominator.
@Suite struct MeasuresTests {
    @Test("per-person measures and shares are exact; a missing or zero denominator leaves them blank")
    func measures() throws {
        let dept = Department(slug: "a", name: "甲", kind: "行政单位", region: "r", location: SourceLocation(file: "a"))
        let values: [String: Amount] = ["expenditure": try Amount.parse("100.00").get(), "basic": try Amount.parse("60.00").get(),
                                        "project": try Amount.parse("40.00").get(), "threePublic": try Amount.parse("1.50").get(),
                                        "threePublicBudget": try Amount.parse("2.00").get(), Headline.staffKey: Amount(integer: 3)]
        let line = try #require(Comparison(headlines: [(dept, Headline(values: values), nil)]).lines.first)
        #expect(line.values["perStaff"]?.description == "33.33")
        #expect(line.values["perStaffBasic"]?.description == "20.00")
        #expect(line.values["perStaffThreePublic"]?.description == "0.50")
        #expect(line.values["basicShare"]?.description == "60.00" && line.values["projectShare"]?.description == "40.00")
        #expect(line.values["threePublicRate"]?.description == "75.00")
        #expect(line.values["perStaffRunning"] == nil && line.values["fiscalShare"] == nil)
        var noStaff = values
        noStaff[Headline.staffKey] = Amount(integer: 0)
        let zero = try #require(Comparison(headlines: [(dept, Headline(values: noStaff), nil)]).lines.first)
        #expect(zero.values["perStaff"] == nil && zero.values["basicShare"] != nil)
    }
}

/// Sorting keeps each 主管部门 with its 所属单位 (the pre-sorted pages and sort.js), and a department
/// without a disclosure that year is a line of its own, blank, last in every order.
@Suite struct GroupedSortTests {
    let t = CompareTests()

    @Test("sorted views keep grouping: blocks by their first line, 所属单位 sorted under it, 未公开 last")
    func sortingKeepsGrouping() {
        let entries: [(Department, Disclosure, Disclosure?)] = [
            (t.dept("boss", code: "1"), t.disclosure("boss", year: 2023, expenditure: "1.00"), nil),
            (t.dept("small", code: "2", parent: "boss"), t.disclosure("small", year: 2023, expenditure: "5.00"), nil),
            (t.dept("big", code: "3", parent: "boss"), t.disclosure("big", year: 2023, expenditure: "50.00"), nil),
            (t.dept("alone", code: "4"), t.disclosure("alone", year: 2023, expenditure: "20.00"), nil),
        ]
        let c = Comparison(headlines: entries.map { ($0.0, Headline($0.1), nil) }, unpublished: [t.dept("quiet", code: "0")])
        func names(_ order: [(index: Int, isChild: Bool)]) -> [String] {
            order.map { "\(c.lines[$0.index].department.slug)\($0.isChild ? "*" : "")" }
        }
        #expect(names(c.groupedOrder(by: "expenditure", descending: true)) == ["alone", "boss", "big*", "small*", "quiet"])
        #expect(names(c.groupedOrder(by: "expenditure", descending: false)) == ["boss", "small*", "big*", "alone", "quiet"])
        let quiet = c.lines.first { $0.department.slug == "quiet" }!
        #expect(!quiet.published && quiet.values.isEmpty)
        #expect(c.totals["expenditure"]?.description == "76.00")
    }
}
