
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

/// A sheet's name as sitegen keeps it: without control characters or line breaks, which no
/// spreadsheet allows in a name. (A file's name is kept with them escaped: `YAMLText.escaped`.)
func cleanName(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars where YAMLText.isPrintable(u) && !YAMLText.isLineBreak(u) && u != "\t" { out.unicodeScalars.append(u) }
    return out
}
