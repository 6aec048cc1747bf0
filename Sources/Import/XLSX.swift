import Foundation
import Model
import Support

/// Reads the sheets of an .xlsx workbook: workbook.xml for the names, its relationships for the
/// parts, sharedStrings.xml for the texts. Number cells keep the text of `<v>` exactly.
///
/// Every part is inflated within the limits (`ZipPackage`) and read as it inflates
/// (`XMLStream`), keeping only what the tables need; cell references, row numbers and numbers
/// are read with checked arithmetic against `ImportLimits`.
public enum XLSX {
    public static func read(_ url: URL, limits: ImportLimits = .default) throws -> [Sheet] {
        try read(url, budget: ImportBudget(limits))
    }

    static func read(_ url: URL, budget: ImportBudget) throws -> [Sheet] {
        let limits = budget.limits
        let file = Place(file: url.lastPathComponent)
        let package = try ZipPackage(url: url, place: file, limits: limits)

        /// Reads one part through a handler; false when the package has no such part.
        func parse(_ path: String, _ handler: XMLHandler, sheet: String? = nil) throws -> Bool {
            guard let entry = package.entries[path] else { return false }
            let at = file.with(entry: path, sheet: sheet)
            let stream = XMLStream(handler, limits: limits)
            do {
                try package.extract(entry, budget: budget) { try stream.push($0) }
                try stream.finish()
            } catch let p as XMLStream.Problem {
                throw p.isLimit ? at.limit(zh: p.zh, en: p.en) : at.damaged(zh: p.zh, en: p.en)
            }
            return true
        }

        let workbook = WorkbookReader(file.with(entry: "xl/workbook.xml"), limits: limits)
        guard try parse("xl/workbook.xml", workbook) else {
            throw ImportError(localized("\(file.description)：没有 xl/workbook.xml，不是 Excel 工作簿", en: "\(file.description): no xl/workbook.xml — not an Excel workbook"))
        }
        let rels = RelationshipsReader(wanted: Set(workbook.sheets.compactMap(\.rid)))
        _ = try parse("xl/_rels/workbook.xml.rels", rels)
        let strings = SharedStringsReader(file.with(entry: "xl/sharedStrings.xml"), limits: limits)
        _ = try parse("xl/sharedStrings.xml", strings)

        var sheets: [Sheet] = []
        for (i, entry) in workbook.sheets.enumerated() {
            var target = entry.rid.flatMap { rels.targets[$0] } ?? "worksheets/sheet\(i + 1).xml"
            if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
            let at = file.with(entry: target, sheet: entry.name)
            try budget.addSheet(at)
            let reader = WorksheetReader(at, strings: strings.items, budget: budget)
            guard try parse(target, reader, sheet: entry.name) else { continue }
            sheets.append(Sheet(name: entry.name, source: YAMLText.escaped(url.lastPathComponent, quotes: false), rows: reader.rows))
        }
        return sheets
    }
}

private func attribute(_ attributes: [(name: String, value: String)], _ name: String) -> String? {
    attributes.first { $0.name == name }?.value
}

/// A text without the white space around it, as XMLCoder gave values (most values have none: no copy then).
private func trimmed(_ s: String) -> String {
    guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last,
          first.properties.isWhitespace || last.properties.isWhitespace else { return s }
    return s.trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Names of sheets and parts: a spreadsheet's own are 31 characters at most.
private let maxNameCharacters = 1_024

/// workbook.xml: each sheet's name and relationship id.
final class WorkbookReader: XMLHandler {
    let place: Place
    let limits: ImportLimits
    var sheets: [(name: String, rid: String?)] = []
    var wantsText: Bool { false }

    init(_ place: Place, limits: ImportLimits) {
        self.place = place
        self.limits = limits
    }

    func start(_ name: String, _ attributes: [(name: String, value: String)]) throws {
        guard name == "sheet" else { return }
        if sheets.count >= limits.sheets {
            throw place.limit(zh: "工作簿的工作表超过 \(Place.number(limits.sheets)) 个", en: "more than \(Place.number(limits.sheets)) sheets in the workbook")
        }
        let sheetName = attribute(attributes, "name") ?? "", rid = attribute(attributes, "id")
        if sheetName.count > maxNameCharacters || (rid?.count ?? 0) > maxNameCharacters {
            throw place.damaged(zh: "工作表名称或编号长于 \(Place.number(maxNameCharacters)) 个字符", en: "a sheet name or id longer than \(Place.number(maxNameCharacters)) characters")
        }
        sheets.append((cleanName(sheetName), rid))
    }

    func end(_ name: String) throws {}
    func text(_ text: String) throws {}
}

/// workbook.xml.rels: the part of each sheet's relationship id (only those the workbook names are kept).
final class RelationshipsReader: XMLHandler {
    let wanted: Set<String>
    var targets: [String: String] = [:]
    var wantsText: Bool { false }

    init(wanted: Set<String>) { self.wanted = wanted }

    func start(_ name: String, _ attributes: [(name: String, value: String)]) throws {
        guard name == "Relationship", let id = attribute(attributes, "Id"), wanted.contains(id), targets[id] == nil,
              let target = attribute(attributes, "Target"), target.utf8.count <= ZipPackage.maxPathBytes else { return }
        targets[id] = target
    }

    func end(_ name: String) throws {}
    func text(_ text: String) throws {}
}

/// sharedStrings.xml: the text of each `<si>` (its `<t>`, or its runs' `<t>`; phonetic runs left out),
/// within the count and size limits.
final class SharedStringsReader: XMLHandler {
    let place: Place
    let limits: ImportLimits
    var items: [String] = []
    private var bytes = 0
    private var item: String?
    private var piece: String?
    private var phonetic = 0
    var wantsText: Bool { piece != nil }

    init(_ place: Place, limits: ImportLimits) {
        self.place = place
        self.limits = limits
    }

    func start(_ name: String, _ attributes: [(name: String, value: String)]) throws {
        switch name {
        case "si":
            if items.count >= limits.sharedStrings {
                throw place.limit(zh: "共享字符串超过 \(Place.number(limits.sharedStrings)) 个", en: "more than \(Place.number(limits.sharedStrings)) shared strings")
            }
            item = ""
        case "rPh": phonetic += 1
        case "t" where item != nil && phonetic == 0: piece = ""
        default: break
        }
    }

    func text(_ text: String) throws {
        piece! += text
        if piece!.utf8.count > limits.cellCharacters * 4, piece!.count > limits.cellCharacters { throw tooLong() }
    }

    private func tooLong() -> ImportError {
        place.limit(zh: "第 \(Place.number(items.count + 1)) 个共享字符串长于 \(Place.number(limits.cellCharacters)) 个字符",
                    en: "shared string \(Place.number(items.count + 1)) is longer than \(Place.number(limits.cellCharacters)) characters")
    }

    func end(_ name: String) throws {
        switch name {
        case "t":
            if let p = piece { item? += trimmed(p) }
            piece = nil
        case "rPh": phonetic -= 1
        case "si":
            guard let text = item else { return }
            item = nil
            if text.utf8.count > limits.cellCharacters, text.count > limits.cellCharacters { throw tooLong() }
            bytes += text.utf8.count
            if bytes > limits.sharedStringBytes {
                throw place.limit(zh: "共享字符串合计超过 \(Place.bytes(limits.sharedStringBytes))", en: "shared strings of more than \(Place.bytes(limits.sharedStringBytes)) in all")
            }
            items.append(text)
        default: break
        }
    }
}

/// A worksheet: rows of cells as the old reader gave them (texts trimmed, blanks padded on the
/// left of a filled cell), with rows, columns, cells, texts and numbers held to the limits.
final class WorksheetReader: XMLHandler {
    let place: Place
    let limits: ImportLimits
    let budget: ImportBudget
    let strings: [String]
    var rows: [(number: Int, cells: [Sheet.Cell])] = []

    private var cells: [Sheet.Cell] = []
    private var rowNumber: Int?
    private var cell: (column: Int, reference: String?, type: String?)?
    private var value = ""
    private var inline = ""
    private var piece: String?
    private var inInline = false
    private var phonetic = 0
    var wantsText: Bool { piece != nil }

    init(_ place: Place, strings: [String], budget: ImportBudget) {
        self.place = place
        self.limits = budget.limits
        self.budget = budget
        self.strings = strings
    }

    private func beyondRows(_ found: String) -> ImportError {
        place.limit(zh: "行号 \(Place.sample(found)) 大于 \(Place.number(limits.rows))", en: "row number \(Place.sample(found)) is above \(Place.number(limits.rows))")
    }

    private func beyondColumns(_ found: String) -> ImportError {
        place.limit(zh: "单元格 \(Place.sample(found)) 在第 \(Place.number(limits.columns)) 列（\(spreadsheetColumn(limits.columns)) 列）之后",
                    en: "cell \(Place.sample(found)) lies beyond column \(Place.number(limits.columns)) (\(spreadsheetColumn(limits.columns)))")
    }

    /// Digits → a row number within the limit, read one digit at a time so that no number of digits overflows.
    private func parseRow(_ digits: Substring.UTF8View, _ found: String) throws -> Int {
        var n = 0
        for b in digits {
            guard b >= 48 && b <= 57 else {
                throw place.damaged(zh: "行号 \(Place.sample(found)) 不是整数", en: "row number \(Place.sample(found)) is not a whole number")
            }
            n = n * 10 + Int(b - 48)
            if n > limits.rows { throw beyondRows(found) }
        }
        guard n >= 1 else { throw place.damaged(zh: "行号 \(Place.sample(found)) 不是正整数", en: "row number \(Place.sample(found)) is not a positive whole number") }
        return n
    }

    /// `XFD12` → column index 16383 (0-based), its row checked too; letters read one at a time against the limit.
    private func columnOf(_ ref: String) throws -> Int {
        var n = 0
        let bytes = Substring(ref).utf8
        var i = bytes.startIndex
        while i < bytes.endIndex, bytes[i] >= 65 && bytes[i] <= 90 {
            n = n * 26 + Int(bytes[i] - 64)
            if n > limits.columns { throw beyondColumns(ref) }
            i = bytes.index(after: i)
        }
        var end = i
        while end < bytes.endIndex, bytes[end] >= 48 && bytes[end] <= 57 { end = bytes.index(after: end) }
        if end > i { _ = try parseRow(bytes[i..<end], ref) }
        return max(0, n - 1)
    }

    func start(_ name: String, _ attributes: [(name: String, value: String)]) throws {
        switch name {
        case "row":
            if let r = attribute(attributes, "r") {
                rowNumber = try parseRow(Substring(r.trimmingCharacters(in: .whitespaces)).utf8, r)
            } else {
                let next = (rows.last?.number ?? 0) + 1
                if next > limits.rows { throw beyondRows(String(next)) }
                rowNumber = next
            }
            cells = []
            try budget.addCells(1, place)
        case "c" where rowNumber != nil:
            let reference = attribute(attributes, "r")
            let column = try reference.map(columnOf) ?? cells.count
            if column >= limits.columns { throw beyondColumns(reference ?? "\(spreadsheetColumn(column + 1))\(rowNumber!)") }
            cell = (column, reference, attribute(attributes, "t"))
            value = ""
            inline = ""
        case "v" where cell != nil: piece = ""
        case "is" where cell != nil: inInline = true
        case "rPh": phonetic += 1
        case "t" where inInline && phonetic == 0: piece = ""
        default: break
        }
    }

    func text(_ text: String) throws {
        piece! += text
        if piece!.utf8.count > limits.cellCharacters * 4, piece!.count > limits.cellCharacters { throw tooLong() }
    }

    private func tooLong() -> ImportError {
        place.limit(zh: "单元格 \(Place.sample(cell?.reference ?? "")) 长于 \(Place.number(limits.cellCharacters)) 个字符",
                    en: "cell \(Place.sample(cell?.reference ?? "")) is longer than \(Place.number(limits.cellCharacters)) characters")
    }

    func end(_ name: String) throws {
        switch name {
        case "v":
            if let p = piece { value += p }
            piece = nil
        case "t":
            if let p = piece { inline += trimmed(p) }
            piece = nil
        case "rPh": phonetic -= 1
        case "is": inInline = false
        case "c":
            guard let (column, reference, type) = cell else { return }
            cell = nil
            let v = trimmed(value)
            let text: String
            switch type {
            case "s": text = Int(v).flatMap { strings.indices.contains($0) ? strings[$0] : nil } ?? ""
            case "inlineStr": text = inline
            case "b": text = v == "1" ? "TRUE" : "FALSE"
            default: text = v
            }
            if text.utf8.count > limits.cellCharacters, text.count > limits.cellCharacters { throw tooLong() }
            let isNumber = type == nil || type == "n"
            if isNumber, let exponent = Self.decimalExponent(text), abs(exponent) > limits.numberExponent {
                throw place.limit(zh: "单元格 \(Place.sample(reference ?? "")) 的数值 \(Place.sample(text)) 超出 ±10^\(limits.numberExponent)（电子表格数值的范围）",
                                  en: "cell \(Place.sample(reference ?? "")) holds the number \(Place.sample(text)), outside ±10^\(limits.numberExponent) (the range of a spreadsheet number)")
            }
            if type != "s" {
                try budget.addCellText(text.utf8.count, place)
            }
            if column >= cells.count {
                try budget.addCells(column + 1 - cells.count, place)
                while cells.count < column { cells.append(Sheet.Cell("")) }
                cells.append(Sheet.Cell(text, isNumber: isNumber))
            } else {
                cells[column] = Sheet.Cell(text, isNumber: isNumber)
            }
        case "row":
            if let number = rowNumber { rows.append((number, cells)) }
            rowNumber = nil
            cells = []
        default: break
        }
    }

    /// The power of ten of a number's leading digit (`1234.5` → 3, `0.05` → -2, `1E+400` → 400), with
    /// its exponent read digit by digit and capped, so no number overflows; 0 for zero; nil for a text
    /// that is not a number (left to the table reader, as before).
    static func decimalExponent(_ s: String) -> Int? {
        var s = s
        return s.withUTF8 { bytes -> Int? in
            let n = bytes.count
            var i = 0
            if i < n && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) { i += 1 }
            var wholeDigits = 0         // integer digits from the first non-zero one (capped)
            var fractionZeros = 0       // zeros after the point before the first non-zero digit (capped)
            var fractionNonZero = false
            var digits = 0, point = false
            while i < n {
                let b = bytes[i]
                if b == UInt8(ascii: ".") {
                    if point { return nil }
                    point = true
                } else if b >= 48 && b <= 57 {
                    digits += 1
                    if !point {
                        if wholeDigits > 0 || b != 48 { wholeDigits = min(wholeDigits + 1, 1_000_000) }
                    } else if !fractionNonZero {
                        if b == 48 { fractionZeros = min(fractionZeros + 1, 1_000_000) } else { fractionNonZero = true }
                    }
                } else { break }
                i += 1
            }
            guard digits > 0 else { return nil }
            var exponent = 0
            if i < n {
                guard bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") else { return nil }
                i += 1
                var negative = false
                if i < n && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) { negative = bytes[i] == UInt8(ascii: "-"); i += 1 }
                guard i < n else { return nil }
                while i < n {
                    guard bytes[i] >= 48 && bytes[i] <= 57 else { return nil }
                    exponent = min(exponent * 10 + Int(bytes[i] - 48), 1_000_000)
                    i += 1
                }
                if negative { exponent = -exponent }
            }
            if wholeDigits > 0 { return wholeDigits - 1 + exponent }
            return fractionNonZero ? exponent - fractionZeros - 1 : 0
        }
    }
}
