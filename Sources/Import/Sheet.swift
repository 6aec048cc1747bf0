import Foundation
import XMLCoder
import ZIPFoundation

/// One table as exported: a grid of cell texts, from an XLSX sheet or a CSV file.
public struct Sheet: Sendable {
    public struct Cell: Sendable, Hashable {
        public var text: String
        /// A number cell of a workbook (its text is the stored value, e.g. `0.5` for a cell shown as 0.50).
        public var isNumber: Bool
        public init(_ text: String, isNumber: Bool = false) {
            self.text = text
            self.isNumber = isNumber
        }
    }

    /// Sheet name, or file name for CSV.
    public var name: String
    /// Where it came from, for the report (`book.xlsx`, `tables/公开02表.csv`).
    public var source: String
    /// Rows with their 1-based number in the sheet (empty rows may be absent).
    public var rows: [(number: Int, cells: [Cell])]

    public init(name: String, source: String, rows: [(number: Int, cells: [Cell])]) {
        self.name = name
        self.source = source
        self.rows = rows
    }

    public init(name: String, source: String, texts: [[String]]) {
        self.init(name: name, source: source, rows: texts.enumerated().map { ($0.offset + 1, $0.element.map { Cell($0) }) })
    }
}

public struct ImportError: Error, CustomStringConvertible {
    public var description: String
    public init(_ message: String) { description = message }
}

// MARK: - XLSX (ZIPFoundation for the package, XMLCoder for its parts)

/// Reads the sheets of an .xlsx workbook: workbook.xml for the names, its relationships for the
/// parts, sharedStrings.xml for the texts. Number cells keep the text of `<v>` exactly.
public enum XLSX {
    struct Text: Decodable {
        var value: String
        enum CodingKeys: String, CodingKey { case value = "" }
    }

    struct Workbook: Decodable {
        struct Sheets: Decodable { var sheet: [Entry] }
        struct Entry: Decodable {
            var name: String
            var rid: String?
            enum CodingKeys: String, CodingKey { case name, rid = "r:id" }
        }
        var sheets: Sheets
    }

    struct Relationships: Decodable {
        struct Relationship: Decodable { var Id: String; var Target: String }
        var Relationship: [Relationship]?
    }

    struct SharedStrings: Decodable {
        struct Item: Decodable {
            struct Run: Decodable { var t: Text? }
            var t: Text?
            var r: [Run]?
            var text: String { t?.value ?? (r ?? []).compactMap { $0.t?.value }.joined() }
        }
        var si: [Item]?
    }

    struct Worksheet: Decodable {
        struct Data: Decodable { var row: [Row]? }
        struct Row: Decodable { var r: Int?; var c: [Cell]? }
        struct Cell: Decodable {
            struct Inline: Decodable { var t: Text?; var r: [SharedStrings.Item.Run]? }
            var r: String?
            var t: String?
            var v: String?
            var `is`: Inline?
        }
        var sheetData: Data
    }

    public static func read(_ url: URL) throws -> [Sheet] {
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw ImportError("\(url.lastPathComponent): not an .xlsx workbook (\(error)); save it from Excel as .xlsx, or export CSV files")
        }
        let decoder = XMLDecoder()
        decoder.shouldProcessNamespaces = true
        func part<T: Decodable>(_ path: String, _ type: T.Type) throws -> T? {
            guard let entry = archive[path] else { return nil }
            var data = Data()
            _ = try archive.extract(entry, skipCRC32: true) { data.append($0) }
            do { return try decoder.decode(T.self, from: data) } catch {
                throw ImportError("\(url.lastPathComponent): cannot read \(path) (\(error))")
            }
        }
        guard let workbook = try part("xl/workbook.xml", Workbook.self) else {
            throw ImportError("\(url.lastPathComponent): no xl/workbook.xml — not an Excel workbook")
        }
        let rels = try part("xl/_rels/workbook.xml.rels", Relationships.self)?.Relationship ?? []
        let strings = (try part("xl/sharedStrings.xml", SharedStrings.self)?.si ?? []).map(\.text)
        var sheets: [Sheet] = []
        for (i, entry) in workbook.sheets.sheet.enumerated() {
            var target = rels.first { $0.Id == entry.rid }?.Target ?? "worksheets/sheet\(i + 1).xml"
            if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
            guard let ws = try part(target, Worksheet.self) else { continue }
            var rows: [(Int, [Sheet.Cell])] = []
            for (k, row) in (ws.sheetData.row ?? []).enumerated() {
                var cells: [Sheet.Cell] = []
                for c in row.c ?? [] {
                    let column = c.r.map(columnIndex) ?? cells.count
                    let text: String
                    switch c.t {
                    case "s": text = Int(c.v ?? "").flatMap { strings.indices.contains($0) ? strings[$0] : nil } ?? ""
                    case "inlineStr": text = c.is?.t?.value ?? (c.is?.r ?? []).compactMap { $0.t?.value }.joined()
                    case "b": text = c.v == "1" ? "TRUE" : "FALSE"
                    default: text = c.v ?? ""
                    }
                    while cells.count < column { cells.append(Sheet.Cell("")) }
                    let cell = Sheet.Cell(text, isNumber: c.t == nil || c.t == "n")
                    if column < cells.count { cells[column] = cell } else { cells.append(cell) }
                }
                rows.append((row.r ?? (rows.last?.0 ?? k) + 1, cells))
            }
            sheets.append(Sheet(name: entry.name, source: url.lastPathComponent, rows: rows))
        }
        return sheets
    }

    /// `C12` → 2.
    static func columnIndex(_ reference: String) -> Int {
        var n = 0
        for u in reference.unicodeScalars {
            guard u.value >= 65 && u.value <= 90 else { break }
            n = n * 26 + Int(u.value - 64)
        }
        return max(0, n - 1)
    }
}

// MARK: - CSV (RFC 4180)

public enum CSV {
    /// Parses CSV text (a byte-order mark, CRLF or LF line ends, quoted fields with "" escapes).
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var chars = Substring(text)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = chars.startIndex
        while i < chars.endIndex {
            let c = chars[i]
            i = chars.index(after: i)
            if quoted {
                if c == "\"" {
                    if i < chars.endIndex, chars[i] == "\"" { field.append("\""); i = chars.index(after: i) } else { quoted = false }
                } else {
                    field.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",": row.append(field); field = ""
            case "\r\n", "\n", "\r":
                row.append(field); field = ""
                rows.append(row); row = []
            default: field.append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    /// Reads a CSV file as UTF-8 (what sitegen and Excel's "CSV UTF-8" write).
    public static func read(_ url: URL, source: String) throws -> Sheet {
        let data = try Data(contentsOf: url)
        guard let text = String(data: data, encoding: .utf8) else {
            throw ImportError("\(source): not UTF-8 text; in Excel save it as “CSV UTF-8（逗号分隔）”")
        }
        let name = url.deletingPathExtension().lastPathComponent
        return Sheet(name: name, source: source, texts: parse(text))
    }
}
