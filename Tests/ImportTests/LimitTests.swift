import Content
import Foundation
@testable import Import
import Model
import Testing

/// Crafted workbooks of a hostile-input review (issue 22, item 7), each made here small: every one is
/// refused with a clear error naming the file, the part and sheet, the limit and its value — never a
/// crash, never gigabytes. These use only the importer's entry points with their default limits.
@Suite struct LimitTests {
    /// What reading a source the way `sitegen import` does reports; nil when it reads.
    func readError(_ source: URL) -> String? {
        do { _ = try Importer.sheets(at: source); return nil } catch { return "\(error)" }
    }

    func expectRefused(_ book: URL, _ expected: [String], part: String = "xl/worksheets/sheet1.xml", sheet: Bool = true,
                       sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        guard let message = readError(book) else {
            Issue.record("\(book.lastPathComponent) was read without an error", sourceLocation: sourceLocation)
            return
        }
        for e in [book.lastPathComponent, part, "超出导入限制"] + (sheet ? ["公开05表"] : []) + expected {
            #expect(message.contains(e), "\(e) not in: \(message)", sourceLocation: sourceLocation)
        }
    }

    /// A cell or row far beyond the sheets of a real export: refused from the reference, before any
    /// cell is padded out to it (the old reader padded a row out to whatever column a cell named).
    @Test func hugeCellReferencesAreRefused() throws {
        expectRefused(try craftedBook("xfd.xlsx", sheetData: "<row r=\"2\"><c r=\"XFD2\"><v>1</v></c></row>"), ["'XFD2'", "1,024", "AMJ"])
        expectRefused(try craftedBook("row.xlsx", sheetData: "<row><c r=\"A99999999999\"><v>1</v></c></row>"), ["'A99999999999'", "100,000"])
        expectRefused(try craftedBook("last.xlsx", sheetData: "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>"), ["'1048576'", "100,000"])
        // Without a reference, a cell goes after the last: the 1,025th of a row is refused too.
        expectRefused(try craftedBook("wide.xlsx", sheetData: "<row r=\"2\">" + String(repeating: "<c><v>1</v></c>", count: 1_025) + "</row>"), ["1,024"])
    }

    /// The blank cells left of a filled one are cells held: 2,000 rows each filled at column AMJ
    /// (2,050,000 cells, from 70 KB of XML) pass the cell limit.
    @Test func blankCellsLeftOfAFilledOneCount() throws {
        let rows = (2...2_001).map { "<row r=\"\($0)\"><c r=\"AMJ\($0)\"><v>1</v></c></row>" }.joined()
        expectRefused(try craftedBook("padded.xlsx", sheetData: rows), ["2,000,000"])
    }

    /// Numbers in references, row numbers and values are read with checked arithmetic: no trap.
    @Test func numbersAreReadWithoutOverflow() throws {
        // 15 letters overflowed Int in the old column reader; a row after row Int.max overflowed its number.
        expectRefused(try craftedBook("letters.xlsx", sheetData: "<row r=\"2\"><c r=\"ZZZZZZZZZZZZZZZ2\"><v>1</v></c></row>"), ["'ZZZZZZZZZZZZZZZ2'", "1,024"])
        expectRefused(try craftedBook("max.xlsx", sheetData: "<row r=\"9223372036854775807\"><c><v>1</v></c></row><row><c><v>2</v></c></row>"),
                      ["'9223372036854775807'", "100,000"])
        expectRefused(try craftedBook("digits.xlsx", sheetData: "<row r=\"99999999999999999999999\"><c><v>1</v></c></row>"), ["100,000"])
        // A number no spreadsheet holds (its exponent overflowed Int in the amount reader).
        expectRefused(try craftedBook("exponent.xlsx", sheetData: "<row r=\"2\"><c r=\"B2\"><v>1E-9223372036854775808</v></c></row>"),
                      ["'B2'", "'1E-9223372036854775808'", "10^308"])
        expectRefused(try craftedBook("big.xlsx", sheetData: "<row r=\"2\"><c r=\"C2\"><v>1\(String(repeating: "0", count: 400))</v></c></row>"), ["'C2'", "10^308"])
        // A shared-string index past Int is no string, as one past the list is.
        let sheets = try Importer.sheets(at: try craftedBook("index.xlsx", sheetData: "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>99999999999999999999</v></c></row>", strings: "<si><t>合计</t></si>"))
        #expect(sheets.first?.rows.last?.cells.first?.text == "")
        // Amounts: an exponent past Int, and numbers beyond any amount, are not amounts (the cell is skipped with the reason).
        for text in ["1E-9223372036854775808", "1E+9223372036854775807", "-1e99999999999999999999"] {
            #expect(Text.amount(Sheet.Cell(text, isNumber: true), count: false) == .invalid("'\(text)' 不是金额"))
        }
        #expect(Text.amount(Sheet.Cell("1E+30", isNumber: true), count: false) == .invalid("'1E+30' 超出金额的范围（最多 10^13 万元）"))
        #expect(Text.amount(Sheet.Cell("99999999999999999999999"), count: false) == .invalid("'99999999999999999999999' 超出金额的范围（最多 10^13 万元）"))
    }

    /// Nesting is counted, not recursed: elements 5,000 deep are refused at the 101st level (the
    /// old reader recursed once per level and crashed on a deep enough file).
    @Test func deepXMLIsRefusedBeforeItGetsDeep() throws {
        let deep = String(repeating: "<x>", count: 5_000) + String(repeating: "</x>", count: 5_000)
        expectRefused(try craftedBook("deep.xlsx", sheetData: "<row r=\"2\"><c r=\"A2\"><v>1</v></c></row>" + deep), ["100", "嵌套"])
        // No DTD: entities of the file's own (a billion laughs) are never expanded.
        let laughs = try craftedBook("laughs.xlsx", sheet: { zip in
            try zip.add("xl/worksheets/sheet1.xml", "<?xml version=\"1.0\"?><!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                        + "<worksheet xmlns=\"\(spreadsheetML)\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>")
        })
        let message = try #require(readError(laughs))
        #expect(message.contains("DOCTYPE") && message.contains("laughs.xlsx › xl/worksheets/sheet1.xml"), "\(message)")
    }

    /// A part that inflates far: refused from its declared size and ratio before a byte is inflated,
    /// and, when its declared size is false, as soon as it inflates past it.
    @Test func zipBombsAreRefused() throws {
        let head = sheetHead + "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
        // 20 MiB of spaces in 20 KB: honest sizes, a ratio of about 1,000:1.
        let ratio = try craftedBook("ratio.xlsx", sheet: { try $0.add("xl/worksheets/sheet1.xml", head: head, filler: 0x20, count: 20 << 20, tail: sheetTail) })
        expectRefused(ratio, ["压缩比", "200:1"], sheet: false)
        // The same part saying it inflates to 4,000,000,000 bytes.
        let claims = try craftedBook("claims.xlsx", sheet: {
            try $0.add("xl/worksheets/sheet1.xml", head: head, filler: 0x20, count: 20 << 20, tail: sheetTail, declaredSize: 4_000_000_000)
        })
        expectRefused(claims, ["4,000,000,000 字节", "64 MiB"], sheet: false)
        // And saying it is 1,000 bytes: stopped once it inflates past them.
        let lies = try craftedBook("lies.xlsx", sheet: {
            try $0.add("xl/worksheets/sheet1.xml", head: head, filler: 0x20, count: 20 << 20, tail: sheetTail, declaredSize: 1_000)
        })
        expectRefused(lies, ["1,000 字节", "声明的大小不实"], sheet: false)
    }

    /// sharedStrings.xml with one string more than the 100,000 allowed (the old reader held as many as a file had).
    @Test func sharedStringsAreCounted() throws {
        let strings = (0...100_000).map { "<si><t>\($0)</t></si>" }.joined()
        expectRefused(try craftedBook("strings.xlsx", strings: strings), ["100,000", "共享字符串"], part: "xl/sharedStrings.xml", sheet: false)
    }

    /// A file name with line breaks (and other controls) stays inside the header comment of the
    /// written disclosure.yaml: it cannot add keys to it.
    @Test func fileNamesCannotAddYAMLKeys() throws {
        for name in ["x\npublished: 1999-01-01\ny.xlsx", "x\rform: 2099\r#.xlsx", "x\u{2028}year: 1999\u{85}#.xlsx", "x\u{7}\u{1B}[31m.xlsx"] {
            let book = temporaryFolder().appendingPathComponent(name)
            try writeXLSX(try fixtureSheets("reference-000-tables.tsv"), to: book)
            let content = try copyOfExampleContent()
            _ = try Importer.run(ImportOptions(source: book, department: "donghu-sme", year: 2022, content: content, force: true))
            let written = try String(contentsOf: content.appendingPathComponent("departments/donghu-sme/2022/disclosure.yaml"), encoding: .utf8)
            let lines = written.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[0].hasPrefix("# ") && lines[1] == "year: 2022" && lines[2] == "form: 2022", "\(lines.prefix(3))")
            #expect(!written.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || [0x85, 0x2028, 0x2029].contains($0.value) })
            let loaded = ContentLoader.load(from: content)
            let errors = loaded.diagnostics.filter { $0.severity == .error && $0.location.file.hasPrefix("departments/donghu-sme/2022") }
            #expect(errors.isEmpty, "\(errors)")
            let d = try #require(loaded.content?.disclosures.first { $0.id == "donghu-sme/2022" })
            #expect(d.year == 2022 && d.form == 2022)
        }
    }

    /// Names that `sitegen new` copies into YAML (institutions, the department's name in the header)
    /// read back exactly as they were, whatever they hold.
    @Test func namesWrittenIntoYAMLReadBackExactly() throws {
        let content = try copyOfExampleContent()
        let nasty = ["a, b", "x\ny: z", "null", "#c", "- d", "e\u{2028}f", "'q'", "\"dq\"", "t\tab", "n\u{85}el", "back\\slash", "[x]", "：全角", "1.5", "~", "trail ", " lead", "a: b", "c #d", "%x", "@y"]
        let file = content.appendingPathComponent("departments/donghu-sme/2023/disclosure.yaml")
        var yaml = try String(contentsOf: file, encoding: .utf8)
        // JSON is YAML; its line breaks other than \n must be escapes there too (else YAML folds them).
        let json = String(decoding: try JSONSerialization.data(withJSONObject: nasty), as: UTF8.self)
            .replacingOccurrences(of: "\u{85}", with: "\\u0085").replacingOccurrences(of: "\u{2028}", with: "\\u2028")
        let line = try #require(yaml.split(separator: "\n").first { $0.hasPrefix("  institutions:") })
        yaml = yaml.replacingOccurrences(of: String(line), with: "  institutions: \(json)")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let department = content.appendingPathComponent("departments/donghu-sme/department.yaml")
        let text = try String(contentsOf: department, encoding: .utf8)
        try text.replacingOccurrences(of: "name: 南昌市东湖区中小企业服务局", with: "name: \"东湖区\\nyear: 1999\\u2028局\"").write(to: department, atomically: true, encoding: .utf8)
        let before = try #require(ContentLoader.load(from: content).content?.disclosures.first { $0.id == "donghu-sme/2023" })
        #expect(before.institutions == nasty)

        _ = try Scaffold.run(department: "donghu-sme", year: 2024, content: content)
        let loaded = ContentLoader.load(from: content)
        let errors = loaded.diagnostics.filter { $0.severity == .error && $0.location.file.contains("2024") }
        #expect(errors.isEmpty, "\(errors)")
        let d = try #require(loaded.content?.disclosures.first { $0.id == "donghu-sme/2024" })
        #expect(d.institutions == nasty)
        #expect(d.year == 2024)
    }

    /// The command line: each crafted workbook ends `sitegen import` with exit status 1 and a clear
    /// message on standard error, and the child's peak resident memory stays under 100 MiB.
    @Test func craftedWorkbooksExitOneFromTheCommandLine() throws {
        let head = sheetHead + "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
        let books: [(URL, String)] = [
            (try craftedBook("huge-ref.xlsx", sheetData: "<row><c r=\"XFD1048576\"><v>1</v></c></row>"), "'XFD1048576'"),
            (try craftedBook("overflow.xlsx", sheetData: "<row r=\"2\"><c r=\"ZZZZZZZZZZZZZZZ2\"><v>1</v></c></row>"), "1,024"),
            (try craftedBook("deep.xlsx", sheetData: String(repeating: "<x>", count: 5_000) + String(repeating: "</x>", count: 5_000)), "嵌套"),
            (try craftedBook("bomb.xlsx", sheet: { try $0.add("xl/worksheets/sheet1.xml", head: head, filler: 0x20, count: 20 << 20, tail: sheetTail) }), "200:1"),
            (try craftedBook("lying-bomb.xlsx", sheet: { try $0.add("xl/worksheets/sheet1.xml", head: head, filler: 0x20, count: 20 << 20, tail: sheetTail, declaredSize: 1_000) }), "声明的大小不实"),
            (try craftedBook("strings.xlsx", strings: (0...100_000).map { "<si><t>\($0)</t></si>" }.joined()), "100,000"),
        ]
        let content = try copyOfExampleContent()
        for (book, expected) in books {
            let run = try runSitegen(["import", book.path, "--department", "donghu-sme", "--year", "2024", "--content", content.path, "--force"])
            #expect(!run.signalled && run.status == 1, "\(book.lastPathComponent): status \(run.status)\(run.signalled ? " (signal)" : "")\n\(run.stderr)")
            #expect(run.stderr.hasPrefix("error: \(book.lastPathComponent) › ") && run.stderr.contains(expected) && run.stderr.contains("超出导入限制"),
                    "\(book.lastPathComponent): \(run.stderr)")
            #expect(run.peakMemory > 0 && run.peakMemory < 100 << 20, "\(book.lastPathComponent): peak memory \(run.peakMemory >> 20) MiB")
        }
        #expect(!FileManager.default.fileExists(atPath: content.appendingPathComponent("departments/donghu-sme/2024").path))
    }
}
