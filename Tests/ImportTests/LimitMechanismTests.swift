import Foundation
@testable import Import
import Model
import Testing
import ZIPFoundation

/// Each limit of `ImportLimits`, set low, is enforced at its value and named in the message; the
/// ZIP reader ends on damaged streams; the writer's scalars. (LimitTests has the crafted files at
/// the default limits.)
@Suite struct LimitMechanismTests {
    func readError(_ source: URL, _ limits: ImportLimits) -> String? {
        do { _ = try Importer.sheets(at: source, limits: limits); return nil } catch { return "\(error)" }
    }

    func limits(_ change: (inout ImportLimits) -> Void) -> ImportLimits {
        var l = ImportLimits()
        change(&l)
        return l
    }

    @Test func eachLimitIsEnforcedAtItsValue() throws {
        let row = "<row r=\"2\"><c r=\"A2\"><v>12</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>合计</t></is></c><c r=\"C2\" t=\"s\"><v>0</v></c></row>"
        let book = try craftedBook("book.xlsx", sheetData: row, strings: "<si><t>一</t></si><si><r><t>二</t></r><r><t>三</t></r></si>")
        #expect(readError(book, .default) == nil)
        let cases: [(String, ImportLimits, [String])] = [
            ("entries", limits { $0.entries = 4 }, ["5 个条目", "4 个"]),
            ("entry bytes", limits { $0.entryBytes = 373 }, ["373 字节", "xl/_rels/workbook.xml.rels"]),
            ("total bytes", limits { $0.totalBytes = 1_000 }, ["1,000 字节", "合计"]),
            ("ratio", limits { $0.compressionRatio = 2; $0.ratioGraceBytes = 100 }, ["2:1"]),
            ("sheets", limits { $0.sheets = 0 }, ["0 个"]),
            ("rows", limits { $0.rows = 1 }, ["'2'", "大于 1，"]),
            ("columns", limits { $0.columns = 2 }, ["'C2'", "第 2 列（B 列）"]),
            ("cells", limits { $0.cells = 4 }, ["4 个"]),
            ("depth", limits { $0.xmlDepth = 4 }, ["嵌套超过 4 层"]),
            ("token", limits { $0.xmlTokenBytes = 100 }, ["100 字节"]),
            ("cell characters", limits { $0.cellCharacters = 1 }, ["长于 1 个字符"]),
            ("shared strings", limits { $0.sharedStrings = 1 }, ["共享字符串超过 1 个"]),
            ("shared string bytes", limits { $0.sharedStringBytes = 5 }, ["5 字节"]),
            ("cell text", limits { $0.cellTextBytes = 3 }, ["3 字节"]),
            ("numbers", limits { $0.numberExponent = 0 }, ["10^0"]),
        ]
        for (name, l, expected) in cases {
            guard let message = readError(book, l) else { Issue.record("\(name): read without an error"); continue }
            for e in expected + ["book.xlsx", "超出导入限制"] { #expect(message.contains(e), "\(name): \(e) not in \(message)") }
        }
    }

    @Test func csvFilesAreReadWithinTheLimits() throws {
        #expect(try CSV.parse("\u{FEFF}a,\"b,\"\"c\"\"\"\r\nd\re\n\"x\ny\"") == [["a", "b,\"c\""], ["d"], ["e"], ["x\ny"]])
        let folder = temporaryFolder()
        func csv(_ name: String, _ text: String) throws -> URL {
            let url = folder.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            return url
        }
        let table = try csv("t05.csv", "a,b,c\n1,2,3\n")
        #expect(readError(table, .default) == nil)
        let cases: [(ImportLimits, [String])] = [
            (limits { $0.columns = 2 }, ["第 1 行多于 2 个字段"]),
            (limits { $0.rows = 1 }, ["多于 1 行"]),
            (limits { $0.cellCharacters = 0 }, ["长于 0 个字符"]),
            (limits { $0.entryBytes = 10 }, ["10 字节"]),
            (limits { $0.cells = 5 }, ["5 个"]),
            (limits { $0.cellTextBytes = 4 }, ["4 字节"]),
        ]
        for (l, expected) in cases {
            let message = try #require(readError(table, l))
            for e in expected + ["t05.csv", "超出导入限制"] { #expect(message.contains(e), "\(e) not in \(message)") }
        }
        let two = temporaryFolder()
        for name in ["t01.csv", "t02.csv"] { try Data("a\n".utf8).write(to: two.appendingPathComponent(name)) }
        #expect(readError(two, limits { $0.sheets = 1 })?.contains("t02.csv") == true)
        let invalid = try csv("bad.csv", "a,b\n")
        try Data([0x61, 0x2C, 0xFF, 0x0A]).write(to: invalid)
        #expect(readError(invalid, .default)?.contains("不是 UTF-8 文本") == true)
    }

    /// A deflate stream that does not end within its entry: an error, not a loop (ZIPFoundation's
    /// Archive.extract read on past the entry and, at the end of the file, looped for ever).
    @Test func aDeflateStreamThatDoesNotEndIsAnError() throws {
        let unending = try craftedBook("unending.xlsx", sheet: { zip in
            // A stored block that promises 65,535 bytes and holds 10.
            zip.add("xl/worksheets/sheet1.xml", compressed: Data([0x00, 0xFF, 0xFF, 0x00, 0x00]) + Data(repeating: 0x20, count: 10), size: 65_535, crc: 0)
        })
        let message = try #require(readError(unending, .default))
        #expect(message.contains("unending.xlsx › xl/worksheets/sheet1.xml") && message.contains("文件已损坏"), "\(message)")

        let wrongCRC = try craftedBook("crc.xlsx", sheet: { zip in
            var good = CraftedZip()
            try good.add("x", sheetHead + sheetTail)
            let e = good.entries[0]
            zip.add("xl/worksheets/sheet1.xml", compressed: e.compressed, size: e.size, crc: e.crc ^ 1)
        })
        #expect(readError(wrongCRC, .default)?.contains("CRC") == true)

        let notZip = temporaryFolder().appendingPathComponent("not.xlsx")
        try Data(repeating: 0x41, count: 100).write(to: notZip)
        #expect(readError(notZip, .default)?.contains("不是 .xlsx 工作簿") == true)
    }

    @Test func numberExponentsAreReadWithoutOverflow() {
        let cases: [(String, Int?)] = [("1234.5", 3), ("0.05", -2), ("-7", 0), ("0", 0), ("0.000", 0), (".5", -1), ("1E+400", 400), ("2.5e-3", -3),
                                       ("1E-9223372036854775808", -1_000_000), ("1\(String(repeating: "0", count: 500))", 500),
                                       ("abc", nil), ("1e", nil), ("1.2.3", nil), ("", nil), (".", nil), ("--1", nil)]
        for (text, expected) in cases { #expect(WorksheetReader.decimalExponent(text) == expected, "\(text)") }
    }

    @Test func scalarsArePlainOnlyWhenTheyCanBeNothingElse() {
        for plain in ["一般公共预算财政拨款收入", "“三公”经费", "（一）人员经费", "政府性基金预算财政拨款", "Office 2"] { #expect(YAMLText.scalar(plain) == plain) }
        for (text, quoted) in [("201", "\"201\""), ("null", "\"null\""), ("a: b", "\"a: b\""), ("x\ny", "\"x\\ny\""), ("e\u{2028}f", "\"e\\u2028f\""),
                               ("\u{85}", "\"\\x85\""), ("\u{7}", "\"\\x07\""), ("\u{FEFF}", "\"\\uFEFF\""), ("q\"\\", "\"q\\\"\\\\\""), ("", "\"\""), ("a ", "\"a \"")] {
            #expect(YAMLText.scalar(text) == quoted, "\(text)")
        }
        #expect(YAMLText.comment("a\nb: c\r\u{2029}") == "a\\nb: c\\r\\u2029")
    }
}
