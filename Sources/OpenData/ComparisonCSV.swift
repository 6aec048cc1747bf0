import Derive
import Model
import Views

/// The comparison table of a region and year as a CSV download: one row per department in the
/// page's grouped order, every column of the table (headline figures, change, fair measures) as an
/// exact decimal, a blank where the page is blank.
extension OpenData {
    /// `<region>-<year>-compare.csv`, beside the comparison page.
    public static func comparisonFileName(region: String, year: Int) -> String {
        ViewBuilder.comparisonCSVName(region: region, year: year)
    }

    /// Who each row is, before the table's columns.
    public static let comparisonLeading = ["单位编码", "部门", "单位性质", "主管部门", "地区"]
    /// After them, as in the other CSVs: the unit of the amounts, the year, and whether the
    /// department published that year (未公开 rows have every figure blank).
    public static let comparisonTrailer = ["单位", "年度", "公开情况"]

    /// The header: a column's unit is in its name where it is not 万元 (a percentage, or the
    /// measures that name their unit).
    public static var comparisonHeader: [String] {
        comparisonLeading + Comparison.keys.map { key, label in
            Comparison.percentKeys.contains(key) && !label.contains("%") ? label + "（%）" : label
        } + comparisonTrailer
    }

    /// The CSV. `parentName` and `regionName` name a department's 主管部门 and region.
    public static func comparisonCSV(_ comparison: Comparison, year: Int, parentName: (Department) -> String,
                                     regionName: (Department) -> String) -> String {
        let rows = comparison.groupedOrder().map { position -> [String] in
            let line = comparison.lines[position.index]
            let dept = line.department
            return [dept.code ?? "", dept.name, dept.kind, parentName(dept), regionName(dept)]
                + Comparison.keys.map { key, _ in line.values[key]?.description ?? "" }
                + ["万元", "\(year)", line.published ? "已公开" : "未公开"]
        }
        let text = Set(0..<comparisonLeading.count).union([comparisonLeading.count + Comparison.keys.count,
                                                          comparisonLeading.count + Comparison.keys.count + 2])
        return csv(header: comparisonHeader, rows: rows, textColumns: text, codeColumns: [0])
    }
}
