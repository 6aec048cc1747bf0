import Content
import Derive
import Foundation
import Model
import Views
import ZIPFoundation

/// The repository root (…/Tests/ImportTests/Support.swift → …).
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let exampleContent = repoRoot.appendingPathComponent("content")
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func temporaryFolder(_ name: String = "sitegen-import-test") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// A copy of the example content to change.
func copyOfExampleContent() throws -> URL {
    let target = temporaryFolder().appendingPathComponent("content")
    try FileManager.default.copyItem(at: exampleContent, to: target)
    return target
}

/// Loads a content folder and returns one disclosure, completed.
func derived(_ content: URL, _ id: String) -> (Disclosure?, [Diagnostic]) {
    let loaded = ContentLoader.load(from: content)
    guard let c = loaded.content, let d = c.disclosures.first(where: { $0.id == id }) else { return (nil, loaded.diagnostics) }
    return (Derive.complete(d, catalog: c.catalogs[d.year]!), loaded.diagnostics)
}

/// Every published cell of the ten tables, as the page prints it: `05 支出 2010399 …: 55.57 | 0.50 | 55.07`.
func publishedCells(_ d: Disclosure) -> [String] {
    d.tables.flatMap { t in
        t.sections.flatMap { s in
            s.rows.filter { !$0.isPlaceholder }.map { r in
                "\(t.kind.code) \(s.id) \(r.key) \(r.label): " + r.cells.indices.map { c in
                    Format.cell(r.cells[c], isCount: s.columns[c].isCount || r.isCount)
                }.joined(separator: " | ")
            }
        }
    }
}

/// The first difference between two lists, for a readable failure.
func firstDifference(_ a: [String], _ b: [String]) -> String? {
    for i in 0..<max(a.count, b.count) {
        let x = i < a.count ? a[i] : "(none)", y = i < b.count ? b[i] : "(none)"
        if x != y { return "line \(i): \(x)  ≠  \(y)" }
    }
    return nil
}

// MARK: sitegen's per-table CSV, written here from the spec (the lead's export writes the same format)

func csvField(_ v: String, text: Bool, quote: Bool) -> String {
    var v = v
    if text, let f = v.first, "=+-@".contains(f) { v = "'" + v }
    return quote || v.contains(",") || v.contains("\"") ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
}

func specCSV(_ t: Table) -> String {
    var columns: [String] = []
    for s in t.sections { for c in s.columns where !columns.contains(c.label) { columns.append(c.label) } }
    var out = "\u{FEFF}" + (["部分", "科目编码", "项目", "行次"] + columns).joined(separator: ",") + "\r\n"
    for s in t.sections {
        for r in s.rows where !r.isPlaceholder {
            var fields = [csvField(s.id, text: true, quote: false), csvField(r.code ?? "", text: true, quote: r.code != nil),
                          csvField(r.label, text: true, quote: false), r.lineNumber.map(String.init) ?? ""]
            for label in columns {
                guard let c = s.columnIndex(label), r.cells[c].origin != .notApplicable, let v = r.cells[c].value else { fields.append(""); continue }
                let count = s.columns[c].isCount || r.isCount
                fields.append(count ? v.formatted(decimals: 0) : v.formatted(decimals: max(2, v.scale)))
            }
            out += fields.joined(separator: ",") + "\r\n"
        }
    }
    return out
}

// MARK: an .xlsx in the 决算 software's layout

/// The sheets of a TSV fixture: `=== name` starts a sheet, then one row per line.
func fixtureSheets(_ file: String) throws -> [(name: String, rows: [[String]])] {
    var sheets: [(String, [[String]])] = []
    for line in try String(contentsOf: fixtures.appendingPathComponent(file), encoding: .utf8).split(separator: "\n") {
        if line.hasPrefix("=== ") { sheets.append((String(line.dropFirst(4)), [])) } else {
            sheets[sheets.count - 1].1.append(line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init))
        }
    }
    return sheets
}

/// Writes a workbook as Excel does: numbers in `<v>` without trailing zeros (0.50 → 0.5), texts in
/// sharedStrings.xml, the 编制单位 line as an inline string; `tail` replaces a number's text (a float export).
func writeXLSX(_ sheets: [(name: String, rows: [[String]])], to url: URL, tail: [String: String] = [:]) throws {
    func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    func column(_ i: Int) -> String { i < 26 ? String(UnicodeScalar(65 + i)!) : column(i / 26 - 1) + column(i % 26) }
    func isNumber(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return !s.isEmpty && parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }
    var strings: [String] = []
    var index: [String: Int] = [:]
    var parts: [(String, String)] = []
    for (n, sheet) in sheets.enumerated() {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
        for (r, row) in sheet.rows.enumerated() {
            xml += "<row r=\"\(r + 1)\">"
            for (c, text) in row.enumerated() where !text.isEmpty {
                let ref = "\(column(c))\(r + 1)"
                if isNumber(text) {
                    var v = text
                    if v.contains(".") { while v.hasSuffix("0") { v.removeLast() }; if v.hasSuffix(".") { v.removeLast() } }
                    xml += "<c r=\"\(ref)\"><v>\(tail[text] ?? v)</v></c>"
                } else if text.hasPrefix("编制单位") {
                    xml += "<c r=\"\(ref)\" t=\"inlineStr\"><is><t>\(esc(text))</t></is></c>"
                } else {
                    if index[text] == nil { index[text] = strings.count; strings.append(text) }
                    xml += "<c r=\"\(ref)\" t=\"s\"><v>\(index[text]!)</v></c>"
                }
            }
            xml += "</row>"
        }
        parts.append(("xl/worksheets/sheet\(n + 1).xml", xml + "</sheetData></worksheet>"))
    }
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main", rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts.append(("[Content_Types].xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\(sheets.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())</Types>
        """))
    parts.append(("_rels/.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="\(rel)/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """))
    parts.append(("xl/workbook.xml", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="\(main)" xmlns:r="\(rel)"><sheets>\(sheets.enumerated().map { "<sheet name=\"\(esc($0.element.name))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined())</sheets></workbook>
        """))
    parts.append(("xl/_rels/workbook.xml.rels", """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(sheets.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined())<Relationship Id="rId\(sheets.count + 1)" Type="\(rel)/sharedStrings" Target="sharedStrings.xml"/></Relationships>
        """))
    parts.append(("xl/sharedStrings.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<sst xmlns=\"\(main)\" count=\"\(strings.count)\" uniqueCount=\"\(strings.count)\">"
        + strings.map { "<si><t xml:space=\"preserve\">\(esc($0))</t></si>" }.joined() + "</sst>"))
    try? FileManager.default.removeItem(at: url)
    let archive = try Archive(url: url, accessMode: .create)
    for (path, text) in parts {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}
