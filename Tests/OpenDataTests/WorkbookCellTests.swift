@testable import OpenData
import Testing
import Views

/// How a grid cell becomes a workbook cell: its classes are whole words, a dash stays text.
@Suite struct WorkbookCellTests {
    @Test("a class counts only as a whole word of the cell's classes")
    func classesAreWords() {
        #expect(Workbook.hasClass("num", "num"))
        #expect(Workbook.hasClass("total num", "num"))
        #expect(Workbook.hasClass("num lanci", "lanci"))
        #expect(!Workbook.hasClass("number", "num"))
        #expect(!Workbook.hasClass("lineno-x", "lineno"))
        #expect(!Workbook.hasClass("", "num"))
        #expect(!Workbook.hasClass("total", "num"))
    }

    @Test("amounts, whole numbers, 栏次 and dashes")
    func values() {
        let amount = Workbook.value(GridCell("12.50", cls: "num"), header: false)
        #expect(amount.0 == .amount("12.50"))
        let count = Workbook.value(GridCell("3", cls: "zero num"), header: false)
        #expect(count.0 == .integer("3"))
        let lanci = Workbook.value(GridCell("2", cls: "num lanci"), header: true)
        #expect(lanci.0 == .integer("2"))
        let word = Workbook.value(GridCell("合计", cls: "numeral"), header: false)
        #expect(word.0 == .text("合计"))
        let dash = Workbook.value(GridCell("——", cls: "num"), header: false)
        #expect(dash.0 == .text("——"))
    }
}
