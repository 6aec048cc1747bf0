import Foundation
import Model
import OpenData
import Testing
import TestSite

/// The comparison table as CSV, read back against the page it is linked from.
@Suite struct ComparisonCSVTests {
    @Test("the comparison CSV has every column and figure of the comparison page, exact, blanks blank")
    func comparisonCSVMatchesThePage() throws {
        _ = try exampleBuild.result.get()
        let dir = "compare/jiangxi/2023/"
        let page = read(exampleBuild.output.appendingPathComponent(dir + "index.html"))
        let name = OpenData.comparisonFileName(region: "jiangxi", year: 2023)
        #expect(page.contains("href=\"../../../\(dir)\(name)\""))
        let table = try #require(HTMLTables(page).tables.first)
        let csv = try String(decoding: Data(contentsOf: exampleBuild.output.appendingPathComponent(dir + name)), as: UTF8.self)
        #expect(csv.hasPrefix("\u{FEFF}"))
        let records = NamesRecords.parse(csv)
        let header = records[0], lead = OpenData.comparisonLeading.count
        #expect(header == OpenData.comparisonHeader)
        let columns = Array(header[lead..<(header.count - OpenData.comparisonTrailer.count)])
        // The page's column headers, in the same order (a unit added where it is a percentage).
        #expect(columns.map { $0.replacingOccurrences(of: "（%）", with: "") } == Array(table.head[0].dropFirst()))
        let body = table.body.filter { $0[0] != "合计" }
        #expect(records.count - 1 == body.count && body.count >= 2)
        var figures = 0
        for (record, row) in zip(records.dropFirst(), body) {
            #expect(record.count == header.count)
            #expect(record[1] == row[0])
            #expect(Array(record.suffix(3)) == ["万元", "2023", "已公开"])
            for (k, column) in columns.enumerated() {
                let value = record[lead + k], shown = row[1 + k]
                guard !value.isEmpty else {
                    #expect(shown.isEmpty, "\(record[1]) \(column): blank in the CSV, \(shown) on the page")
                    continue
                }
                let a = try Amount.parse(value).get()
                let expected = column.hasSuffix("（%）") ? a.formatted(decimals: 2) + "%" : a.formatted(decimals: max(2, a.scale))
                #expect(expected == shown, "\(record[1]) \(column)")
                figures += 1
            }
        }
        #expect(figures > 20)
    }
}
