import Derive
import Model
import Support
import Views

/// Open-data downloads: a disclosure's workbook (`Workbook`), its ten tables as JSON, its Frictionless
/// data package (a ZIP of the long CSV of every cell and each table as CSV: UTF-8 with BOM, for
/// Excel), and a region's long CSV and package. Amounts are the exact decimals published on the page.
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

    /// The unit of measure of a cell: the table's money unit (万元), or for counts what is counted —
    /// 辆 (vehicles), 台、套 (equipment), 个 (groups, batches), 人 (person-times).
    public static func unit(_ table: Table, _ section: Section, _ row: Row, _ c: Int) -> String {
        guard section.isCount(row, c) else { return moneyUnit(table) }
        let key = row.key.description
        if key.contains("人次") { return "人" }
        if key.contains("批次") || key.contains("团组") { return "个" }
        if key.hasPrefix("单价100万元") { return "台、套" }
        return "辆"
    }

    /// 万元 unless the form prints another unit of money (元).
    static func moneyUnit(_ table: Table) -> String {
        let printed = table.unit
        return printed.contains("万元") || !printed.contains("元") ? "万元" : "元"
    }

    /// Rows of a table as text cells (amounts exact, blanks empty), with the unit of each value cell.
    public static func rows(_ table: Table) -> [(cells: [String], units: [String])] {
        let columns = columns(table)
        let money = moneyUnit(table)
        var out: [(cells: [String], units: [String])] = []
        for section in table.sections {
            let indexes = columns.map { section.columnIndex($0) }   // once per section, not per cell
            for row in section.rows where !row.isPlaceholder {
                var cells = [section.id, row.code ?? "", row.label, row.lineNumber.map(String.init) ?? ""]
                cells.reserveCapacity(4 + columns.count)
                var units: [String] = []
                units.reserveCapacity(columns.count)
                for index in indexes {
                    // "": not a column of the section, or a cell the form prints —— (nothing to measure).
                    units.append(index.map { row.cells[$0].origin == .notApplicable ? "" : section.isCount(row, $0) ? unit(table, section, row, $0) : money } ?? "")
                    guard let c = index, let v = row.cells[c].value else {
                        // "——" where the table prints it (not applicable), as distinct from blank.
                        cells.append(index.map { row.cells[$0].origin == .notApplicable } == true ? Self.dash : "")
                        continue
                    }
                    cells.append(section.isCount(row, c) ? v.formatted(decimals: 0) : v.formatted(decimals: max(2, v.scale)))
                }
                out.append((cells, units))
            }
        }
        return out
    }

    /// The unit of a row of a wide CSV: of the cells it has values or blanks in (not ——); the units
    /// joined with 、 in the rare row that mixes them; empty for a row of —— only (a heading line).
    static func rowUnit(_ row: (cells: [String], units: [String])) -> String {
        var seen: [String] = []
        for (i, u) in row.units.enumerated() where !u.isEmpty && row.cells[4 + i] != dash && !seen.contains(u) { seen.append(u) }
        return seen.joined(separator: "、")
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

    /// After the table's columns: the unit of the row's values, the department and the year (so that
    /// a file tells what it is wherever it is saved). The first four columns stay first: `sitegen
    /// import` knows its own CSV by them.
    public static let tableTrailer = ["单位", "部门", "年度"]

    /// One table as CSV: `部分, 科目编码, 项目, 行次`, the table's columns, `单位, 部门, 年度`.
    public static func tableCSV(_ table: Table, department: Department, year: Int) -> String {
        tableCSV(table, rows: rows(table), department: department, year: year)
    }

    /// With the table's `rows`, made once for its CSV and the long CSV.
    static func tableCSV(_ table: Table, rows: [(cells: [String], units: [String])], department: Department, year: Int) -> String {
        let columns = columns(table)
        let rows = rows.map { $0.cells + [rowUnit($0), department.name, "\(year)"] }
        let n = fixedHeader.count + columns.count
        return csv(header: fixedHeader + columns + tableTrailer, rows: rows, textColumns: [0, 1, 2, n, n + 1], codeColumns: [1])
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
                    text(section.isCount(row, c) ? v.formatted(decimals: 0) : v.formatted(decimals: max(2, v.scale)))
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

    // MARK: A disclosure's downloads

    /// The stem of a disclosure's downloads, `<department>-<year>-juesuan` (决算): ASCII when the
    /// department's slug is, and never the same for two disclosures, wherever they are saved.
    public static func stem(slug: String, year: Int) -> String { "\(slug)-\(year)-juesuan" }

    /// The downloads of a disclosure, in its page's folder: the workbook, the JSON of the ten tables,
    /// the data package (a ZIP: datapackage.json, the long CSV of every cell, the ten tables as CSV).
    public static func disclosureFileNames(slug: String, year: Int) -> [String] {
        let stem = stem(slug: slug, year: year)
        return [stem + ".xlsx", stem + ".json", stem + "-datapackage.zip"]
    }

    /// A table's CSV inside the data package and the region ZIP: `t05-<department>-<year>.csv`
    /// (`sitegen import` knows the table by the leading tNN).
    public static func tableFileName(_ kind: TableKind, slug: String, year: Int) -> String { "t\(kind.code)-\(slug)-\(year).csv" }

    /// The contents of `disclosureFileNames`, in the same order, made once and shared by the files and
    /// a region ZIP that cannot read them back.
    public static func disclosureFiles(_ d: Disclosure, department: Department, baseURL: String) -> [(String, [UInt8])] {
        let deflater = Deflater()
        let title = "\(department.name)\(d.year)年度部门决算"
        return Array(zip(disclosureFileNames(slug: department.slug, year: d.year), [
            Workbook.xlsx(d, department: department, title: title, deflater: deflater),
            Array(disclosureJSON(d, department: department).utf8),
            packageZip(d, department: department, baseURL: baseURL, deflater: deflater),
        ]))
    }

    /// The ten tables in one JSON: `{"department", "slug", "code", "year", "tables": [tableJSON…]}`.
    public static func disclosureJSON(_ d: Disclosure, department: Department) -> String {
        var out = "{\"department\":"
        JSONText.quote(department.name, into: &out)
        out += ",\"slug\":"
        JSONText.quote(department.slug, into: &out)
        out += ",\"code\":"
        if let code = department.code { JSONText.quote(code, into: &out) } else { out += "null" }
        out += ",\"year\":\(d.year),"
        if let note = elsewhereNote(d) {
            out += "\"elsewhere\":"
            JSONText.quote(note, into: &out)
            out += ","
        }
        out += "\"tables\":["
        for (i, t) in d.tablesPublished.enumerated() {
            if i > 0 { out += ",\n" }
            out += tableJSON(t, department: department, year: d.year)
        }
        return out + "]}\n"
    }

    /// Of a disclosure whose tables are partly published elsewhere: which, and where (its downloads
    /// leave them out rather than carry them as empty tables). The tables are those its page lists
    /// (`ViewBuilder.elsewhere`): by the number and title its form prints, a province's own tables
    /// among them, in the form's order.
    public static func elsewhereNote(_ d: Disclosure) -> String? {
        guard let listed = ViewBuilder.elsewhere(d), !listed.tables.isEmpty else { return nil }
        let names = listed.tables.map { [$0.label, $0.value].filter { !$0.isEmpty }.joined(separator: " ") }.filter { !$0.isEmpty }
        return "本文件未收录以下决算表，其刊载于：\(listed.text)。" + names.joined(separator: "；")
    }

    /// The long CSV of one disclosure: the header and its lines (`longLines`).
    public static func longCSV(_ dept: Department, _ d: Disclosure) -> String { longCSVHeader + longLines(dept, d) }

    /// The data package ZIP: `datapackage.json`, the long CSV `<stem>.csv`, the ten tables' CSVs.
    public static func packageZip(_ d: Disclosure, department: Department, baseURL: String, deflater: Deflater = Deflater()) -> [UInt8] {
        var zip = ZipWriter(deflater: deflater)
        zip.add("datapackage.json", Array(disclosurePackage(d, department: department, baseURL: baseURL).utf8))
        let tables = d.tablesPublished, rows = tables.map(rows)
        zip.add(stem(slug: department.slug, year: d.year) + ".csv", Array((longCSVHeader + longLines(department, d, rows: rows)).utf8))
        for (t, table) in tables.enumerated() {
            zip.add(tableFileName(table.kind, slug: department.slug, year: d.year),
                    Array(tableCSV(table, rows: rows[t], department: department, year: d.year).utf8))
        }
        return zip.finish()
    }

    /// Of a data package ZIP: the long CSV's lines without the header, and the tables' CSV entries
    /// (to copy into a region ZIP as they are deflated). Nil when it is not such a ZIP.
    public struct PackageContents: Sendable {
        /// The long CSV's lines, without its header.
        public var lines: ArraySlice<UInt8>
        /// The tables' CSVs, as deflated in the package.
        public var tables: [ZipReader.Entry]
        public init(lines: ArraySlice<UInt8>, tables: [ZipReader.Entry]) {
            self.lines = lines
            self.tables = tables
        }
    }

    public static func packageContents(_ zip: [UInt8], slug: String, year: Int) -> PackageContents? {
        guard let reader = ZipReader(zip), let long = reader.entry(stem(slug: slug, year: year) + ".csv")?.inflated() else { return nil }
        let header = Array(longCSVHeader.utf8)
        guard long.starts(with: header) else { return nil }
        // All ten tables, or those not published elsewhere (`tablesPublished`).
        let tables = TableKind.allCases.compactMap { reader.entry(tableFileName($0, slug: slug, year: year)) }
        return PackageContents(lines: long[header.count...], tables: tables)
    }

    // MARK: Data packages

    static func resource(name: String, path: String, title: String, fields: [String]) -> String {
        "    {\"name\": \(q(name)), \"path\": \(q(path)), \"title\": \(q(title)), "
            + "\"profile\": \"tabular-data-resource\", \"format\": \"csv\", \"mediatype\": \"text/csv\", \"encoding\": \"utf-8-sig\", "
            + "\"dialect\": {\"delimiter\": \",\", \"lineTerminator\": \"\\r\\n\", \"header\": true}, "
            + "\"schema\": {\"fields\": [\(fields.joined(separator: ", "))], \"missingValues\": [\"\", \"\(Self.dash)\"]}}"
    }

    static var longFields: [String] {
        longHeader.enumerated().map { i, n in
            let type = i == 3 || i == 8 ? "integer" : i == 10 ? "number" : "string"
            let about = i == 10 ? ", \"description\": \"单位见「单位」列：万元，或辆、台、套、个、人\"" : i == 11 ? ", \"description\": \"计量单位\"" : ""
            return "{\"name\": \(q(n)), \"type\": \"\(type)\"\(about)}"
        }
    }

    /// Frictionless Tabular Data Package for one disclosure: the long CSV of every cell, then its ten
    /// tables as CSV, all in the package's ZIP.
    public static func disclosurePackage(_ d: Disclosure, department: Department, baseURL: String) -> String {
        let name = "\(department.slug)-\(d.year)"
        var out = "{\n  \"profile\": \"tabular-data-package\",\n  \"name\": \(q(name)),\n"
        out += "  \"title\": \(q("\(department.name)\(d.year)年度部门决算")),\n"
        out += "  \"homepage\": \(q(baseURL + "\(department.slug)/\(d.year)/")),\n"
        out += "  \"licenses\": [{\"name\": \"other-pd\", \"title\": \"政府信息公开\"}],\n"
        out += "  \"fiscalPeriod\": {\"start\": \"\(d.year)-01-01\", \"end\": \"\(d.year)-12-31\"},\n"
        out += "  \"countryCode\": \"CN\",\n"
        out += "  \"keywords\": [\"部门决算\", \(q(department.region))],\n"
        if let note = elsewhereNote(d) { out += "  \"description\": \(q(note)),\n" }
        out += "  \"resources\": [\n"
        let long = resource(name: "cells", path: stem(slug: department.slug, year: d.year) + ".csv",
                            title: "全部公开表格的每个单元格", fields: longFields)
        out += ([long] + d.tablesPublished.map { t in
            let fields = fixedHeader.enumerated().map { i, n in
                "{\"name\": \(q(n)), \"type\": \(i == 3 ? "\"integer\"" : "\"string\"")}"
            } + columns(t).map { c in
                "{\"name\": \(q(c)), \"type\": \"number\", \"description\": \"单位见「单位」列\"}"
            } + tableTrailer.enumerated().map { i, n in
                "{\"name\": \(q(n)), \"type\": \(i == 2 ? "\"integer\"" : "\"string\"")}"
            }
            return resource(name: "t\(t.kind.code)", path: tableFileName(t.kind, slug: department.slug, year: d.year),
                            title: "\(t.kind.formNumber) \(t.title)", fields: fields)
        }).joined(separator: ",\n")
        return out + "\n  ]\n}\n"
    }

    /// Long format for a region and year: one line per published cell of every disclosure.
    /// 数值 is an amount in 万元 or a count; 单位 says which (单位编码 is the department's code).
    public static let longHeader = ["单位编码", "部门", "部门代码", "年度", "表号", "部分", "科目编码", "项目", "行次", "栏目", "数值", "单位"]

    private static let longIsText = (0..<longHeader.count).map { [0, 1, 2, 5, 6, 7, 9, 11].contains($0) }
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
        longLines(dept, d, rows: d.tablesPublished.map(rows))
    }

    /// With each table's `rows`.
    static func longLines(_ dept: Department, _ d: Disclosure, rows tableRows: [[(cells: [String], units: [String])]]) -> String {
        // Escaped once: the disclosure's fields (0–3) start every line, a table's (4) and a row's (5–8)
        // every line of theirs; only the column and the amount change from cell to cell.
        let disclosure = longFields([dept.code ?? "", dept.name, dept.slug, "\(d.year)"], from: 0)
        var out = ""
        for (t, table) in d.tablesPublished.enumerated() {
            let head = disclosure + longFields([table.kind.code], from: 4)
            let columns = columns(table).map { longFields([$0], from: 9) }
            for row in tableRows[t] {
                let line = head + longFields(Array(row.cells[0..<4]), from: 5)
                for (i, column) in columns.enumerated() where !row.cells[4 + i].isEmpty {
                    out += line
                    out += column
                    out += longFields([row.cells[4 + i], row.units[i]], from: 10)
                    out += "\r\n"
                }
            }
        }
        return out
    }

    /// The long CSV of a region and year is this header, then its disclosures' lines (`longLines`) in order.
    public static let longCSVHeader = csv(header: longHeader, rows: [], textColumns: [])

    public static func regionPackage(region: Region, year: Int, baseURL: String, count: Int) -> String {
        let fields = longFields
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
            {"name": "cells", "path": "data.csv", "title": "全部公开表格的每个单元格（数值的单位见「单位」列）", "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig", "dialect": {"delimiter": ",", "lineTerminator": "\\r\\n", "header": true}, "schema": {"fields": [\(fields.joined(separator: ", "))], "missingValues": ["", "\(dash)"]}}
          ]
        }

        """
    }
}
