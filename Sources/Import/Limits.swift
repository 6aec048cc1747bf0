import Model
import Support

/// What `sitegen import` accepts from a workbook or CSV file. A real export is a few hundred KB
/// with a few thousand rows of about 30 columns at most; every default is far above that and
/// far below what would exhaust memory (docs/guarantees.md, "Import"). A file past any of
/// them is refused with an `ImportError` naming the file, the part, the limit and its value.
public struct ImportLimits: Sendable, Equatable {
    /// Entries (files) in the .xlsx package, as its central directory declares them.
    public var entries = 2_000
    /// Uncompressed bytes of one package part (entry) read.
    public var entryBytes = 64 << 20
    /// Uncompressed bytes of all parts read in one import (and of all CSV files).
    public var totalBytes = 256 << 20
    /// Uncompressed size ÷ compressed size of a part, once it is larger than `ratioGraceBytes`.
    public var compressionRatio = 200
    /// Parts up to this size are not held to `compressionRatio` (a small part of blanks compresses well).
    public var ratioGraceBytes = 1 << 20
    /// Sheets (and CSV files) in one import.
    public var sheets = 256
    /// Highest row number of a sheet (and rows of a CSV file).
    public var rows = 100_000
    /// Highest column of a sheet (1,024 is column AMJ; and fields in a CSV row).
    public var columns = 1_024
    /// Cells held in one import: every row counts one, and so does every blank cell left of a filled one.
    public var cells = 2_000_000
    /// Nesting depth of XML elements.
    public var xmlDepth = 100
    /// Bytes of one XML tag, text run, comment or CDATA section.
    public var xmlTokenBytes = 1 << 20
    /// Characters of one cell (Excel's own limit), shared string or CSV field.
    public var cellCharacters = 32_767
    /// Items in sharedStrings.xml.
    public var sharedStrings = 100_000
    /// UTF-8 bytes of all shared strings of a workbook.
    public var sharedStringBytes = 16 << 20
    /// UTF-8 bytes of all other cell texts held (inline strings, numbers, CSV fields) in one import.
    public var cellTextBytes = 32 << 20
    /// A number cell's value may be at most ±10^numberExponent (a spreadsheet number stops near 1.8 × 10³⁰⁸).
    public var numberExponent = 308

    public init() {}

    public static let `default` = ImportLimits()
}

/// What one import has used of the limits that span its files.
final class ImportBudget {
    let limits: ImportLimits
    var bytes = 0
    var sheets = 0
    var cells = 0
    var cellTextBytes = 0

    init(_ limits: ImportLimits) { self.limits = limits }

    func addBytes(_ n: Int, _ place: Place) throws {
        bytes += n
        if bytes > limits.totalBytes {
            throw place.limit(zh: "导入的文件解压后合计超过 \(Place.bytes(limits.totalBytes))", en: "the files of this import inflate to more than \(Place.bytes(limits.totalBytes)) in total")
        }
    }

    func addSheet(_ place: Place) throws {
        sheets += 1
        if sheets > limits.sheets {
            throw place.limit(zh: "工作表（及 CSV 文件）超过 \(Place.number(limits.sheets)) 个", en: "more than \(Place.number(limits.sheets)) sheets (and CSV files)")
        }
    }

    func addCells(_ n: Int, _ place: Place) throws {
        cells += n
        if cells > limits.cells {
            throw place.limit(zh: "单元格（含每行及其左侧空单元格）合计超过 \(Place.number(limits.cells)) 个", en: "more than \(Place.number(limits.cells)) cells in all (each row and each blank cell left of a filled one count)")
        }
    }

    func addCellText(_ n: Int, _ place: Place) throws {
        cellTextBytes += n
        if cellTextBytes > limits.cellTextBytes {
            throw place.limit(zh: "单元格文字（共享字符串以外）合计超过 \(Place.bytes(limits.cellTextBytes))", en: "cell texts (other than shared strings) of more than \(Place.bytes(limits.cellTextBytes)) in all")
        }
    }
}

/// Where in the source a problem is: the file, the package part, the sheet — for every message.
struct Place {
    var file: String
    var entry: String?
    var sheet: String?

    init(file: String, entry: String? = nil, sheet: String? = nil) {
        self.file = Place.display(file)
        self.entry = entry.map(Place.display)
        self.sheet = sheet.map(Place.display)
    }

    func with(entry: String? = nil, sheet: String? = nil) -> Place {
        var p = self
        if let entry { p.entry = Place.display(entry) }
        if let sheet { p.sheet = Place.display(sheet) }
        return p
    }

    /// `book.xlsx › xl/worksheets/sheet1.xml（工作表“公开05表”）`
    var description: String {
        var out = file
        if let entry { out += " › " + entry }
        if let sheet { out += localized("（工作表“\(sheet)”）", en: " (sheet \(sheet))") }
        return out
    }

    /// An error past a limit: where, what was found, and that a real export never gets there.
    func limit(zh: String, en: String) -> ImportError {
        ImportError(localized("\(description)：\(zh)，超出导入限制。真实的决算导出远小于此：文件已损坏或是特意构造的（限制见 docs/guarantees.md“Import”）",
                              en: "\(description): \(en), beyond the import limit. Real 决算 exports are far smaller: the file is damaged or crafted (limits: docs/guarantees.md, \"Import\")"))
    }

    /// An error in the file's structure (not a limit): damaged or not what it claims to be.
    func damaged(zh: String, en: String) -> ImportError {
        ImportError(localized("\(description)：\(zh)（文件已损坏或不是 Excel 保存的 .xlsx；请在 Excel 或 WPS 中另存为 .xlsx，或导出 CSV）",
                              en: "\(description): \(en) (the file is damaged or not an .xlsx saved by Excel; save it again as .xlsx from Excel or WPS, or export CSV files)"))
    }

    /// 1234567 → `1,234,567`.
    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// 67108864 → `64 MiB（67,108,864 字节）`; 4000000000 → `3.7 GiB（4,000,000,000 字节）` (in English `64 MiB (67,108,864 bytes)`).
    static func bytes(_ n: Int) -> String {
        let bytes = localized("\(number(n)) 字节", en: "\(number(n)) bytes")
        guard let (unit, name) = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")].first(where: { n >= $0.0 }) else { return bytes }
        let tenths = n % unit * 10 / unit
        return "\(number(n / unit))\(n % unit == 0 ? "" : ".\(tenths)") \(name)" + localized("（\(bytes)）", en: " (\(bytes))")
    }

    /// A name from the file (file, part or sheet name) for a message: control characters and line
    /// breaks shown as escapes, at most 200 characters.
    static func display(_ s: String) -> String {
        let escaped = YAMLText.escaped(s, quotes: false)
        return escaped.count > 200 ? String(escaped.prefix(200)) + "…" : escaped
    }

    /// A found text for a message: at most 40 characters, escaped.
    static func sample(_ s: String) -> String {
        let escaped = YAMLText.escaped(s.count > 40 ? String(s.prefix(40)) + "…" : s, quotes: false)
        return "'\(escaped)'"
    }
}
