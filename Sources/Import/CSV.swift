import Foundation
import Model
import Support

// MARK: - CSV (RFC 4180)

public enum CSV {
    /// Parses CSV text (a byte-order mark, CRLF or LF line ends, quoted fields with "" escapes).
    public static func parse(_ text: String, limits: ImportLimits = .default) throws -> [[String]] {
        try Array(text.utf8).withUnsafeBufferPointer { try parse($0, budget: ImportBudget(limits), place: Place(file: "CSV"))! }
    }

    /// Reads a CSV file as UTF-8 (what sitegen and Excel's "CSV UTF-8" write).
    public static func read(_ url: URL, source: String, limits: ImportLimits = .default) throws -> Sheet {
        try read(url, source: source, budget: ImportBudget(limits))
    }

    static func read(_ url: URL, source: String, budget: ImportBudget) throws -> Sheet {
        let place = Place(file: source)
        let limits = budget.limits
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
        if size > limits.entryBytes {
            throw place.limit(zh: "文件有 \(Place.bytes(size))，大于单个文件上限 \(Place.bytes(limits.entryBytes))",
                              en: "the file has \(Place.bytes(size)), more than \(Place.bytes(limits.entryBytes)) for one file")
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ImportError(localized("\(place.description)：无法读取（\(error.localizedDescription)）", en: "\(place.description): cannot be read (\(error.localizedDescription))"))
        }
        // The size read, not the size stat-ed, counts (the file may have grown in between).
        if data.count > limits.entryBytes {
            throw place.limit(zh: "文件大于单个文件上限 \(Place.bytes(limits.entryBytes))", en: "the file has more than \(Place.bytes(limits.entryBytes)) for one file")
        }
        try budget.addBytes(data.count, place)
        try budget.addSheet(place)
        guard let texts = try data.withUnsafeBytes({ try parse($0.bindMemory(to: UInt8.self), budget: budget, place: place) }) else {
            throw ImportError(localized("\(place.description)：不是 UTF-8 文本；请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
                                        en: "\(place.description): not UTF-8 text; in Excel save it as “CSV UTF-8（逗号分隔）”"))
        }
        let name = cleanName(url.deletingPathExtension().lastPathComponent)
        return Sheet(name: name, source: YAMLText.escaped(source, quotes: false), texts: texts)
    }

    /// Fields of UTF-8 bytes; nil when they are not UTF-8. Rows, fields, characters and text within the limits.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, budget: ImportBudget, place: Place) throws -> [[String]]? {
        let limits = budget.limits
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var characters = 0
        var quoted = false
        let rest = bytes

        func endField() throws -> Bool {
            guard let text = String(validating: field, as: UTF8.self) else { return false }
            if row.count >= limits.columns {
                throw place.limit(zh: "第 \(Place.number(rows.count + 1)) 行多于 \(Place.number(limits.columns)) 个字段", en: "row \(Place.number(rows.count + 1)) has more than \(Place.number(limits.columns)) fields")
            }
            try budget.addCells(1, place)
            try budget.addCellText(field.count, place)
            row.append(text)
            field.removeAll(keepingCapacity: true)
            characters = 0
            return true
        }
        func endRow() throws {
            if rows.count >= limits.rows {
                throw place.limit(zh: "多于 \(Place.number(limits.rows)) 行", en: "more than \(Place.number(limits.rows)) rows")
            }
            try budget.addCells(1, place)
            rows.append(row)
            row = []
        }
        func append(_ b: UInt8) throws {
            field.append(b)
            if b & 0xC0 != 0x80 {
                characters += 1
                if characters > limits.cellCharacters {
                    throw place.limit(zh: "第 \(Place.number(rows.count + 1)) 行有字段长于 \(Place.number(limits.cellCharacters)) 个字符",
                                      en: "row \(Place.number(rows.count + 1)) has a field longer than \(Place.number(limits.cellCharacters)) characters")
                }
            }
        }

        var i = rest.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < rest.endIndex {
            let c = rest[i]
            i += 1
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if i < rest.endIndex, rest[i] == UInt8(ascii: "\"") { try append(c); i += 1 } else { quoted = false }
                } else {
                    try append(c)
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): quoted = true
            case UInt8(ascii: ","): guard try endField() else { return nil }
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                if c == UInt8(ascii: "\r"), i < rest.endIndex, rest[i] == UInt8(ascii: "\n") { i += 1 }
                guard try endField() else { return nil }
                try endRow()
            default: try append(c)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            guard try endField() else { return nil }
            try endRow()
        }
        return rows
    }
}
