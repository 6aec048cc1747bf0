import Derive
import Model
import Support

/// Open-data downloads: each table as CSV (UTF-8 with BOM, for Excel) and JSON, and Frictionless
/// Data Package descriptors. Amounts are the exact decimals published on the page.
public enum OpenData {
    /// What a cell the table prints as not applicable holds in downloads: "——", never blank or 0.
    static let dash = "——"
    /// `部分, 科目编码, 项目, 行次`, then the columns of the table.
    public static let fixedHeader = ["部分", "科目编码", "项目", "行次"]

    /// The columns of a table in order (the union over its sections).
    public static func columns(_ table: Table) -> [String] {
        var out: [String] = []
        for section in table.sections { for c in section.columns where !out.contains(c.label) { out.append(c.label) } }
        return out
    }

    static func isCount(_ table: Table, _ section: Section, _ row: Row, _ c: Int) -> Bool {
        section.columns[c].isCount || (table.kind == .t10 && Forms.isCountLine(row.key.description))
    }

    /// Rows of a table as text cells (amounts exact, blanks empty).
    public static func rows(_ table: Table) -> [[String]] {
        let columns = columns(table)
        var out: [[String]] = []
        for section in table.sections {
            let indexes = columns.map { section.columnIndex($0) }   // once per section, not per cell
            for row in section.rows where !row.isPlaceholder {
                var cells = [section.id, row.code ?? "", row.label, row.lineNumber.map(String.init) ?? ""]
                cells.reserveCapacity(4 + columns.count)
                for index in indexes {
                    guard let c = index, let v = row.cells[c].value else {
                        // "——" where the table prints it (not applicable), as distinct from blank.
                        cells.append(index.map { row.cells[$0].origin == .notApplicable } == true ? Self.dash : "")
                        continue
                    }
                    cells.append(isCount(table, section, row, c) ? v.formatted(decimals: 0) : v.formatted(decimals: max(2, v.scale)))
                }
                out.append(cells)
            }
        }
        return out
    }

    // MARK: CSV

    /// RFC 4180 CSV with a byte-order mark and CRLF. Codes are always quoted (text, not numbers);
    /// text beginning with = + - @ is prefixed with ' so spreadsheets do not run it as a formula.
    public static func csv(header: [String], rows: [[String]], textColumns: Set<Int>, codeColumns: Set<Int> = []) -> String {
        var out = "\u{FEFF}"
        out.reserveCapacity(64 * (rows.count + 1) * max(1, header.count))
        let width = max(header.count, rows.map(\.count).max() ?? 0)
        let isText = (0..<width).map { textColumns.contains($0) }, isCode = (0..<width).map { codeColumns.contains($0) }
        for (i, h) in header.enumerated() {
            if i > 0 { out += "," }
            append(h, text: true, quote: false, to: &out)
        }
        out += "\r\n"
        for row in rows {
            for (i, v) in row.enumerated() {
                if i > 0 { out += "," }
                append(v, text: isText[i], quote: isCode[i] && !v.isEmpty, to: &out)
            }
            out += "\r\n"
        }
        return out
    }

    static func append(_ value: String, text: Bool, quote: Bool, to out: inout String) {
        var defuse = false
        var special = false
        if text, let b = value.utf8.first, b == 0x3D || b == 0x2B || b == 0x2D || b == 0x40 || b == 0x09 || b == 0x0D { defuse = true }
        for b in value.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            special = true
            break
        }
        if !(quote || special) {
            if defuse { out += "'" }
            out += value
            return
        }
        out += "\""
        if defuse { out += "'" }
        out += special ? doublingQuotes(value) : value
        out += "\""
    }

    /// The text with every `"` doubled. Found among the UTF-8 bytes, not the Characters: a `"` followed
    /// by a combining mark is one Character, which a search for `"` does not find — the quote was left
    /// single, ended the field there and moved every later field of the row one column on.
    static func doublingQuotes(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 8)
        for b in value.utf8 {
            bytes.append(b)
            if b == 0x22 { bytes.append(0x22) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func tableCSV(_ table: Table) -> String {
        csv(header: fixedHeader + columns(table), rows: rows(table), textColumns: [0, 1, 2], codeColumns: [1])
    }

    // MARK: JSON

    public static func q(_ s: String) -> String { JSONText.quote(s) }

    /// One table as JSON: amounts as exact decimal strings, `null` when blank.
    public static func tableJSON(_ table: Table, department: Department, year: Int) -> String {
        // Appended into one text: made as small strings and joined, the tables' JSON was a large part
        // of the data downloads' CPU (bench/README.md#figures-that-were-in-code-comments).
        var out = "{\"table\":"
        out.reserveCapacity(4096)
        func text(_ s: String) { JSONText.quote(s, into: &out) }
        text(table.kind.code)
        out += ",\"formNumber\":"; text(table.kind.formNumber)
        out += ",\"title\":"; text(table.title)
        out += ",\"department\":"; text(department.name)
        out += ",\"year\":\(year),\"form\":\(table.form),\"unit\":"; text(table.unit)
        out += ",\"sections\":["
        for (i, section) in table.sections.enumerated() {
            if i > 0 { out += "," }
            out += "{\"id\":"; text(section.id)
            out += ",\"columns\":["
            for (c, column) in section.columns.enumerated() {
                if c > 0 { out += "," }
                text(column.label)
            }
            out += "],\"rows\":["
            var first = true
            for row in section.rows where !row.isPlaceholder {
                out += first ? "{\"key\":" : ",{\"key\":"
                first = false
                text(row.key.description)
                out += ",\"label\":"; text(row.label)
                if let n = row.lineNumber { out += ",\"line\":\(n)" }
                out += ",\"values\":["
                for (c, cell) in row.cells.enumerated() {
                    if c > 0 { out += "," }
                    guard let v = cell.value else { out += cell.origin == .notApplicable ? "\"\(Self.dash)\"" : "null"; continue }
                    text(isCount(table, section, row, c) ? v.formatted(decimals: 0) : v.formatted(decimals: max(2, v.scale)))
                }
                out += "],\"derived\":["
                for (c, cell) in row.cells.enumerated() {
                    if c > 0 { out += "," }
                    out += cell.origin == .derived ? "true" : "false"
                }
                out += "]}"
            }
            out += "]}"
        }
        return out + "]}"
    }

    /// The downloads of one disclosure: `tNN.csv`, `tNN.json` (every disclosure has the ten tables,
    /// in order) and `datapackage.json`.
    public static let disclosureFileNames = TableKind.allCases.flatMap { ["t\($0.code).csv", "t\($0.code).json"] } + ["datapackage.json"]

    /// Their contents, in the same order, made once and shared by the files and the bulk ZIP.
    public static func disclosureFiles(_ d: Disclosure, department: Department, baseURL: String) -> [(String, String)] {
        let texts = d.tables.flatMap { [tableCSV($0), tableJSON($0, department: department, year: d.year)] }
            + [disclosurePackage(d, department: department, baseURL: baseURL)]
        return Array(zip(disclosureFileNames, texts))
    }

    // MARK: Data packages

    /// Frictionless Tabular Data Package for one disclosure: its ten CSV files.
    public static func disclosurePackage(_ d: Disclosure, department: Department, baseURL: String) -> String {
        let name = "\(department.slug)-\(d.year)"
        var out = "{\n  \"profile\": \"tabular-data-package\",\n  \"name\": \(q(name)),\n"
        out += "  \"title\": \(q("\(department.name)\(d.year)年度部门决算")),\n"
        out += "  \"homepage\": \(q(baseURL + "\(department.slug)/\(d.year)/")),\n"
        out += "  \"licenses\": [{\"name\": \"other-pd\", \"title\": \"政府信息公开\"}],\n"
        out += "  \"fiscalPeriod\": {\"start\": \"\(d.year)-01-01\", \"end\": \"\(d.year)-12-31\"},\n"
        out += "  \"countryCode\": \"CN\",\n"
        out += "  \"keywords\": [\"部门决算\", \(q(department.region))],\n"
        out += "  \"resources\": [\n"
        out += d.tables.map { t in
            let fields = fixedHeader.enumerated().map { i, n in
                "{\"name\": \(q(n)), \"type\": \(i == 3 ? "\"integer\"" : "\"string\"")}"
            } + columns(t).map { c in
                "{\"name\": \(q(c)), \"type\": \"number\", \"description\": \(q(t.unit))}"
            }
            return "    {\"name\": \"t\(t.kind.code)\", \"path\": \"t\(t.kind.code).csv\", \"title\": \(q("\(t.kind.formNumber) \(t.title)")), "
                + "\"profile\": \"tabular-data-resource\", \"format\": \"csv\", \"mediatype\": \"text/csv\", \"encoding\": \"utf-8-sig\", "
                + "\"dialect\": {\"delimiter\": \",\", \"lineTerminator\": \"\\r\\n\", \"header\": true}, "
                + "\"schema\": {\"fields\": [\(fields.joined(separator: ", "))], \"missingValues\": [\"\", \"\(Self.dash)\"]}}"
        }.joined(separator: ",\n")
        return out + "\n  ]\n}\n"
    }

    /// Long format for a region and year: one line per published cell of every disclosure.
    public static let longHeader = ["单位编码", "部门", "部门代码", "年度", "表号", "部分", "科目编码", "项目", "行次", "栏目", "金额"]

    private static let longIsText = (0..<longHeader.count).map { [0, 1, 2, 5, 6, 7, 9].contains($0) }
    private static let longIsCode = (0..<longHeader.count).map { [0, 4, 6].contains($0) }

    /// Fields `from`… of a line of the long CSV, escaped, each after a comma but the line's first.
    private static func longFields(_ values: [String], from first: Int) -> String {
        var out = ""
        for (k, v) in values.enumerated() {
            let j = first + k
            if j > 0 { out += "," }
            append(v, text: longIsText[j], quote: longIsCode[j] && !v.isEmpty, to: &out)
        }
        return out
    }

    /// One disclosure's lines of the long CSV (no header).
    public static func longLines(_ dept: Department, _ d: Disclosure) -> String {
        // Escaped once: the disclosure's fields (0–3) start every line, a table's (4) and a row's (5–8)
        // every line of theirs; only the column and the amount change from cell to cell.
        let disclosure = longFields([dept.code ?? "", dept.name, dept.slug, "\(d.year)"], from: 0)
        var out = ""
        for table in d.tables {
            let head = disclosure + longFields([table.kind.code], from: 4)
            let columns = columns(table).map { longFields([$0], from: 9) }
            for row in rows(table) {
                let line = head + longFields(Array(row[0..<4]), from: 5)
                for (i, column) in columns.enumerated() where !row[4 + i].isEmpty {
                    out += line
                    out += column
                    out += longFields([row[4 + i]], from: 10)
                    out += "\r\n"
                }
            }
        }
        return out
    }

    /// The same lines made from the disclosure's table CSVs as written (`tableCSV`, the ten in
    /// order: code and bytes), without the disclosure: a row's fields and a column's name are
    /// escaped there exactly as in the long CSV, so they are copied as written. Nil when a file is
    /// not such a CSV.
    public static func longLines(_ dept: Department, year: Int, tableCSVs: [(code: String, csv: [UInt8])]) -> String? {
        let disclosure = longFields([dept.code ?? "", dept.name, dept.slug, "\(year)"], from: 0)
        var out = ""
        for (code, csv) in tableCSVs {
            let records = writtenRecords(csv)
            guard let header = records.first, Array(header.prefix(4)) == fixedHeader else { return nil }
            let head = disclosure + longFields([code], from: 4)
            let columns = header.dropFirst(4).map { "," + $0 }
            for record in records.dropFirst() {
                guard record.count == header.count else { return nil }
                let line = head + "," + record[0..<4].joined(separator: ",")
                for (i, column) in columns.enumerated() where !record[4 + i].isEmpty {
                    out += line
                    out += column
                    out += "," + record[4 + i]
                    out += "\r\n"
                }
            }
        }
        return out
    }

    /// The records of a CSV written by `csv`, each as its fields exactly as written (quotes, doubled
    /// quotes and line breaks inside quotes kept): no byte-order mark, records end with CRLF.
    static func writtenRecords(_ csv: [UInt8]) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var start = csv.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var quoted = false
        var i = start
        while i < csv.count {
            switch csv[i] {
            case 0x22: quoted.toggle()   // a doubled quote toggles twice
            case 0x2C where !quoted:
                fields.append(String(decoding: csv[start..<i], as: UTF8.self))
                start = i + 1
            case 0x0D where !quoted && i + 1 < csv.count && csv[i + 1] == 0x0A:
                fields.append(String(decoding: csv[start..<i], as: UTF8.self))
                records.append(fields)
                fields = []
                i += 1
                start = i + 1
            default: break
            }
            i += 1
        }
        if start < csv.count { fields.append(String(decoding: csv[start...], as: UTF8.self)) }
        if !fields.isEmpty { records.append(fields) }
        return records
    }

    /// The long CSV of a region and year is this header, then its disclosures' lines (`longLines`) in order.
    public static let longCSVHeader = csv(header: longHeader, rows: [], textColumns: [])

    public static func regionPackage(region: Region, year: Int, baseURL: String, count: Int) -> String {
        let fields = longHeader.enumerated().map { i, n in
            "{\"name\": \(q(n)), \"type\": \(i == 3 || i == 8 ? "\"integer\"" : i == 10 ? "\"number\"" : "\"string\"")}"
        }
        return """
        {
          "profile": "tabular-data-package",
          "name": \(q("\(region.slug)-\(year)")),
          "title": \(q("\(region.name)\(year)年度部门决算（\(count)个部门）")),
          "homepage": \(q(baseURL + "compare/\(region.slug)/\(year)/")),
          "licenses": [{"name": "other-pd", "title": "政府信息公开"}],
          "fiscalPeriod": {"start": "\(year)-01-01", "end": "\(year)-12-31"},
          "countryCode": "CN",
          "resources": [
            {"name": "cells", "path": "data.csv", "title": "全部公开表格的每个单元格（万元；车辆等为数量）", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig", "dialect": {"delimiter": ",", "lineTerminator": "\\r\\n", "header": true}, "schema": {"fields": [\(fields.joined(separator: ", "))], "missingValues": ["", "\(dash)"]}}
          ]
        }

        """
    }
}
