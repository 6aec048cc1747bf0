/// Spreadsheet column letters, 1-based: `1` → `A`, `26` → `Z`, `27` → `AA`, `1024` → `AMJ`. The
/// workbook writer names its cells with them and the importer its messages.
public func spreadsheetColumn(_ number: Int) -> String {
    var n = number, out = ""
    while n > 0 {
        let r = (n - 1) % 26
        out = String(UnicodeScalar(UInt8(65 + r))) + out
        n = (n - 1) / 26
    }
    return out
}
