@testable import Import
import Testing

/// `sitegen import` reads sitegen's own CSV downloads back: field by field, whatever the names hold.
@Suite struct CSVReadingTests {
    /// Read by Character, `,` or `"` followed by a combining mark is one Character that is neither:
    /// the field would not end there and the row would come out a column short. CSV.parse reads bytes.
    @Test func combiningMarksAfterDelimitersKeepTheColumns() throws {
        let csv = "\u{FEFF}部分,科目编码,项目,本年收入合计\r\n科目,\"2010399\",\u{301}其他,\"东\"\"\u{301}湖,局\"\r\n科目,,e\u{301},1.00\n"
        #expect(try CSV.parse(csv) == [
            ["部分", "科目编码", "项目", "本年收入合计"],
            ["科目", "2010399", "\u{301}其他", "东\"\u{301}湖,局"],
            ["科目", "", "e\u{301}", "1.00"],
        ])
    }
}
