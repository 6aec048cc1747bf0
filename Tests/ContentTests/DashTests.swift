@testable import Content
import Model
import Testing

/// A cell the form prints as not applicable is written as a dash, in the spellings documents use,
/// with or without spaces around it; an amount (a negative one too) is never one.
@Suite struct DashTests {
    static func isDash(_ text: String) throws -> Bool {
        let yaml = "cell: \"\(text)\"\n"
        let node = try Located.parse(SourceFile(path: "t.yaml", text: yaml), limits: ContentLimits()).get()
        return Decoder.isDash(try #require(node["cell"]))
    }

    @Test("the dash spellings, with spaces of any width around them, are dashes")
    func dashes() throws {
        for text in ["——", "—", "－－", "--", "―", "——————", " —— ", "\t——", "\u{3000}——\u{3000}"] {
            #expect(try Self.isDash(text), "\(text)")
        }
    }

    @Test("amounts, words and other dashes are not")
    func notDashes() throws {
        for text in ["12.00", "-5.00", "-", "0", "", "无", "—5", "- -", "——a"] {
            #expect(try !Self.isDash(text), "\(text)")
        }
    }
}
