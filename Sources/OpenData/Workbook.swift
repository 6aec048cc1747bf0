import Support
import Model
import Views

/// A disclosure's ten tables as one XLSX workbook (Office Open XML, SpreadsheetML), a sheet per table
/// in the layout the page prints (`TableLayout.grid`): the title, 编制单位, 年度, the unit, the header
/// rows with their merged cells, 栏次 and 行次, then the rows. Amounts are numbers in the format
/// `0.00`, counts, 行次 and 栏次 whole numbers, codes and names text, and a cell the form prints as
/// not applicable the text ——. Written here over `ZipWriter` (no library, no temporary files, the
/// same bytes for the same disclosure): README.md#design-notes.
public enum Workbook {
    /// What a cell holds in the workbook.
    public enum Value: Equatable, Sendable {
        case text(String)
        /// A number as its decimal text, shown with two decimals.
        case amount(String)
        /// A whole number (counts, 行次, 栏次).
        case integer(String)
    }

    /// A cell of a sheet: row and column from 1, the value, the style (`Style`).
    public struct Cell: Sendable {
        public var row: Int
        public var column: Int
        public var value: Value?
        var style: Style
    }

    /// The cell formats of styles.xml, by index.
    enum Style: Int {
        case plain = 0, title, meta, metaRight, header, text, amount, integer, dash, note
    }

    /// A sheet before it is written: its cells (in row order), merged ranges, column widths.
    public struct Sheet: Sendable {
        public var name: String
        public var cells: [Cell] = []
        public var merged: [(Int, Int, Int, Int)] = []   // first row, first column, last row, last column
        public var width = 1
        var headerRows = 0
        var landscape = false
    }

    /// The sheet of one table.
    public static func sheet(_ table: Table, department: String, year: Int) -> Sheet {
        let grid = TableLayout.grid(table)
        let form = table.printed ?? PrintedTable(number: table.kind.formNumber)
        let title = form.title.isEmpty ? table.title : form.title
        var sheet = Sheet(name: form.number.isEmpty ? table.kind.formNumber : form.number)
        let width = max(grid.width, 1)
        sheet.width = width
        sheet.landscape = width > 7
        func put(_ row: Int, _ column: Int, _ value: Value?, _ style: Style) {
            sheet.cells.append(Cell(row: row, column: column, value: value, style: style))
        }
        put(1, 1, .text(title), .title)
        if width > 1 { sheet.merged.append((1, 1, 1, width)) }
        put(2, 1, .text("编制单位：" + department), .meta)
        put(3, 1, .text("\(year)年度"), .meta)
        if width > 1 {
            put(2, width, .text(form.number), .metaRight)
            put(3, width, .text(form.unit), .metaRight)
        } else {
            sheet.cells[1].value = .text("编制单位：\(department)　\(form.number)")
            sheet.cells[2].value = .text("\(year)年度　\(form.unit)")
        }
        // Header and body rows as an HTML table lays them out: a cell takes the next free column of
        // its row, free of the rowspans of the rows above it.
        var taken: Set<Int> = []   // row << 16 | column
        var r = 4
        for (part, rows) in [(0, grid.head), (1, grid.body)] {
            for gridRow in rows {
                var c = 1
                for cell in gridRow.cells {
                    while taken.contains(r << 16 | c) { c += 1 }
                    let colspan = cell.colspan ?? 1, rowspan = cell.rowspan ?? 1
                    if colspan > 1 || rowspan > 1 { for dr in 0..<rowspan { for dc in 0..<colspan { taken.insert((r + dr) << 16 | (c + dc)) } } }
                    let (value, style) = Self.value(cell, header: part == 0)
                    put(r, c, value, style)
                    // The other cells of a merged range carry its border.
                    for dr in 0..<rowspan { for dc in 0..<colspan where dr > 0 || dc > 0 { put(r + dr, c + dc, nil, style == .header ? .header : .text) } }
                    if colspan > 1 || rowspan > 1 { sheet.merged.append((r, c, r + rowspan - 1, c + colspan - 1)) }
                    c += colspan
                }
                r += 1
            }
            if part == 0 { sheet.headerRows = r - 1 }
        }
        let empty = table.isEmpty ? form.emptyNote.map { [$0] } ?? [] : []
        for note in (form.notes + empty).map({ PrintedTable.fill($0, year: year) }) {
            put(r, 1, .text(note), .note)
            if width > 1 { sheet.merged.append((r, 1, r, width)) }
            r += 1
        }
        sheet.cells.sort { $0.row << 16 | $0.column < $1.row << 16 | $1.column }
        return sheet
    }

    /// A grid cell's value and format: numbers where the page prints numbers, the rest text.
    static func value(_ cell: GridCell, header: Bool) -> (Value?, Style) {
        let text = cell.text
        let cls = cell.cellClass ?? ""
        if text.isEmpty { return (nil, header ? .header : .text) }
        if text.utf8.elementsEqual("——".utf8) { return (.text(text), .dash) }
        let numeric = (hasClass(cls, "num") || hasClass(cls, "lineno")) && isNumber(text)
        if header { return (numeric && hasClass(cls, "lanci") ? .integer(text) : .text(text), .header) }
        guard numeric else { return (.text(text), .text) }
        return text.utf8.contains(UInt8(ascii: ".")) ? (.amount(text), .amount) : (.integer(text), .integer)
    }

    /// Whether a cell's space-separated classes include `name`, compared as bytes (Foundation's
    /// `contains` searches with a locale; splitting into words allocated for every cell).
    static func hasClass(_ classes: String, _ name: String) -> Bool {
        let utf8 = classes.utf8
        var start = utf8.startIndex
        while true {
            let end = utf8[start...].firstIndex(of: 0x20) ?? utf8.endIndex
            if utf8[start..<end].elementsEqual(name.utf8) { return true }
            guard end < utf8.endIndex else { return false }
            start = utf8.index(after: end)
        }
    }

    static func isNumber(_ text: String) -> Bool {
        var digits = 0, dots = 0
        for (i, b) in text.utf8.enumerated() {
            switch b {
            case 0x30...0x39: digits += 1
            case 0x2E: dots += 1
            case 0x2D where i == 0: break
            default: return false
            }
        }
        return digits > 0 && dots <= 1
    }

    /// The workbook of a disclosure: a sheet per table, in order.
    public static func sheets(_ d: Disclosure, department: Department) -> [Sheet] {
        var used: Set<String> = []
        var sheets = d.tablesPublished.map { table in
            var sheet = sheet(table, department: department.name, year: d.year)
            sheet.name = sheetName(sheet.name, fallback: "t" + table.kind.code, used: &used)
            return sheet
        }
        // Tables published elsewhere are not sheets of empty tables: a sheet says which and where.
        if let note = OpenData.elsewhereNote(d) {
            var sheet = Sheet(name: sheetName("说明", fallback: "note", used: &used))
            sheet.cells = [Cell(row: 1, column: 1, value: .text(note), style: .note)]
            sheets.append(sheet)
        }
        return sheets
    }

    /// At most 31 characters, none of `[]:*?/\`, unique in the workbook (case-insensitively).
    static func sheetName(_ name: String, fallback: String, used: inout Set<String>) -> String {
        var clean = String(String(name.unicodeScalars.filter { !"[]:*?/\\'".unicodeScalars.contains($0) && $0.value >= 0x20 }).prefix(31))
        if clean.isEmpty || used.contains(clean.lowercased()) { clean = fallback }
        while used.contains(clean.lowercased()) { clean += "_" }
        used.insert(clean.lowercased())
        return clean
    }

    public static func xlsx(_ d: Disclosure, department: Department, title: String, deflater: Deflater = Deflater()) -> [UInt8] {
        xlsx(sheets(d, department: department), title: title, deflater: deflater)
    }

    /// The workbook's bytes: content types, relationships, workbook, styles, shared strings, sheets.
    public static func xlsx(_ sheets: [Sheet], title: String, deflater: Deflater = Deflater()) -> [UInt8] {
        var strings = SharedStrings()
        let sheetXML = sheets.enumerated().map { i, s in worksheet(s, selected: i == 0, strings: &strings) }
        var zip = ZipWriter(deflater: deflater)
        let overrides = sheets.indices.map {
            "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }.joined()
        zip.add("[Content_Types].xml", Array((xmlHead + """
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        \(overrides)</Types>
        """).utf8))
        zip.add("_rels/.rels", Array((xmlHead + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        </Relationships>
        """).utf8))
        zip.add("docProps/core.xml", Array((xmlHead + """
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>\(escape(title))</dc:title><dc:creator>sitegen</dc:creator></cp:coreProperties>
        """).utf8))
        let entries = sheets.enumerated().map { i, s in "<sheet name=\"\(escape(s.name))\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>" }.joined()
        zip.add("xl/workbook.xml", Array((xmlHead + """
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><bookViews><workbookView/></bookViews>\
        <sheets>\(entries)</sheets></workbook>
        """).utf8))
        let rels = sheets.indices.map {
            "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>"
        }.joined()
        let n = sheets.count
        zip.add("xl/_rels/workbook.xml.rels", Array((xmlHead + """
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)\
        <Relationship Id="rId\(n + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        <Relationship Id="rId\(n + 2)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
        </Relationships>
        """).utf8))
        zip.add("xl/styles.xml", Array(styles.utf8))
        zip.add("xl/sharedStrings.xml", Array(strings.xml().utf8))
        for (i, xml) in sheetXML.enumerated() { zip.add("xl/worksheets/sheet\(i + 1).xml", Array(xml.utf8)) }
        return zip.finish()
    }

    static let xmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    /// Fonts: 宋体 11, bold 11, bold 16. Borders: none, thin. Cell formats in `Style` order; number
    /// formats 2 (`0.00`) and 1 (`0`) are built in.
    static let styles = xmlHead + """
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <fonts count="3"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font>\
    <font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font>\
    <font><b/><sz val="16"/><name val="宋体"/><charset val="134"/></font></fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
    <border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="10">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right"/></xf>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf>\
    <xf numFmtId="2" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf>\
    <xf numFmtId="1" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" applyAlignment="1"><alignment vertical="center"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>\
    </cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
    """

    /// Strings once per workbook, by first use.
    struct SharedStrings {
        var index: [String: Int] = [:]
        var list: [String] = []
        var uses = 0

        mutating func id(_ s: String) -> Int {
            uses += 1
            if let i = index[s] { return i }
            index[s] = list.count
            list.append(s)
            return list.count - 1
        }

        func xml() -> String {
            var out = xmlHead + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"\(uses)\" uniqueCount=\"\(list.count)\">"
            for s in list {
                let space = s.first?.isWhitespace == true || s.last?.isWhitespace == true || s.utf8.contains(UInt8(ascii: "\n"))
                out += space ? "<si><t xml:space=\"preserve\">" : "<si><t>"
                out += escape(s)
                out += "</t></si>"
            }
            return out + "</sst>"
        }
    }

    static func worksheet(_ sheet: Sheet, selected: Bool, strings: inout SharedStrings) -> String {
        var out = xmlHead + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
            + "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        out.reserveCapacity(256 + sheet.cells.count * 48)
        let lastRow = sheet.cells.last?.row ?? 1
        out += "<dimension ref=\"A1:\(spreadsheetColumn(sheet.width))\(lastRow)\"/>"
        out += "<sheetViews><sheetView workbookViewId=\"0\"\(selected ? " tabSelected=\"1\"" : "")>"
        if sheet.headerRows > 3 {
            out += "<pane ySplit=\"\(sheet.headerRows)\" topLeftCell=\"A\(sheet.headerRows + 1)\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        }
        out += "</sheetView></sheetViews>"
        // Column widths from the longest text of the column (CJK characters count two), titles aside.
        var widths = Array(repeating: 8, count: sheet.width + 1)
        let spanning = Set(sheet.merged.filter { $0.3 > $0.1 }.map { $0.0 << 16 | $0.1 })
        for cell in sheet.cells where cell.row > 3 && cell.column <= sheet.width && cell.style != .note {
            guard let value = cell.value, !spanning.contains(cell.row << 16 | cell.column) else { continue }
            let text: String
            switch value { case .text(let t), .amount(let t), .integer(let t): text = t }
            let w = text.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E7F ? 2 : 1) } + 2
            widths[cell.column] = min(max(widths[cell.column], w), 60)
        }
        out += "<cols>"
        for c in 1...sheet.width { out += "<col min=\"\(c)\" max=\"\(c)\" width=\"\(widths[c])\" customWidth=\"1\"/>" }
        out += "</cols><sheetData>"
        let names = (0...max(sheet.width, sheet.cells.map(\.column).max() ?? 1)).map(spreadsheetColumn)
        var row = 0
        for cell in sheet.cells {
            if cell.row != row {
                if row > 0 { out += "</row>" }
                row = cell.row
                out += row == 1 ? "<row r=\"1\" ht=\"30\" customHeight=\"1\">" : "<row r=\"\(row)\">"
            }
            out += "<c r=\""
            out += names[cell.column]
            out += String(cell.row)
            out += "\""
            if cell.style != .plain { out += " s=\"\(cell.style.rawValue)\"" }
            switch cell.value {
            case nil: out += "/>"
            case .text(let t): out += " t=\"s\"><v>\(strings.id(t))</v></c>"
            case .amount(let v), .integer(let v): out += "><v>" + v + "</v></c>"
            }
        }
        if row > 0 { out += "</row>" }
        out += "</sheetData>"
        if !sheet.merged.isEmpty {
            out += "<mergeCells count=\"\(sheet.merged.count)\">"
            for (r1, c1, r2, c2) in sheet.merged { out += "<mergeCell ref=\"\(spreadsheetColumn(c1))\(r1):\(spreadsheetColumn(c2))\(r2)\"/>" }
            out += "</mergeCells>"
        }
        out += "<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>"
        out += "<pageSetup paperSize=\"9\" orientation=\"\(sheet.landscape ? "landscape" : "portrait")\" fitToHeight=\"0\"/>"
        return out + "</worksheet>"
    }

    /// Nothing to escape or drop: no `& < > "`, no control character, no U+FFFE or U+FFFF (EF BF BE/BF).
    static func isPlain(_ s: String) -> Bool {
        var previous: (UInt8, UInt8) = (0, 0)
        for b in s.utf8 {
            if b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 { return false }
            if previous == (0xEF, 0xBF) && (b == 0xBE || b == 0xBF) { return false }
            previous = (previous.1, b)
        }
        return true
    }

    /// Text for XML: the five entities; characters XML 1.0 cannot hold dropped.
    static func escape(_ s: String) -> String {
        if isPlain(s) { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
