import Foundation
import Support
/// The ten 公开 tables. Their lines, columns and formulas are data: each form file's `sections`
/// (docs/forms.md), read by Content into a `TableDefinition`; the list of 类 comes from the year's
/// code catalogue (it changes between years).
public enum TableKind: Int, CaseIterable, Sendable, Hashable, Comparable {
    case t01 = 1, t02, t03, t04, t05, t06, t07, t08, t09, t10

    public static func < (a: TableKind, b: TableKind) -> Bool { a.rawValue < b.rawValue }

    /// `05` for 5.
    public static func code(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    public var code: String { TableKind.code(rawValue) }
    /// 公开05表
    public var formNumber: String { "公开\(code)表" }

    /// Tables whose rows are classification codes entered by editors.
    public var classification: Classification? {
        switch self {
        case .t02, .t03, .t05, .t07, .t08: return .functional
        case .t06: return .economic
        default: return nil
        }
    }
}

/// Builds the empty skeleton of a table from its definition; Content fills it, Derive completes it.
public enum Forms {
    static let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
                           "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五", "二十六",
                           "二十七", "二十八", "二十九", "三十"]

    /// `三、` for 3.
    public static func numeral(_ i: Int) -> String { i >= 1 && i <= numerals.count ? numerals[i - 1] + "、" : "\(i)、" }

    /// The empty table of a kind: fixed lines with their formulas, or classification sections without rows.
    /// Made once per kind, form and catalogue and then copied: every disclosure shares the rows and
    /// formulas it does not change (a copy of its own for each was a noticeable part of a loaded
    /// site's memory: bench/README.md#figures-that-were-in-code-comments).
    /// `definition`: its lines, columns and formulas; `printed`: how the document prints it.
    public static func skeleton(_ kind: TableKind, form: Int, definition: TableDefinition, classes: [(String, String)], extended: Bool = false,
                                printed: PrintedTable? = nil) -> Table {
        // The definition a form prints with is already part of `printed` (hashed once, not twice).
        let key = SkeletonKey(kind: kind, form: form, extended: extended, classes: classes.map { $0.0 + "=" + $0.1 },
                              definition: printed?.definition == definition ? nil : definition, printed: printed)
        if let made = skeletons.withLock({ $0[key] }) { return made }
        var made = makeSkeleton(kind, form: form, definition: definition, classes: classes, extended: extended)
        if let printed { made = print(made, as: printed) }
        skeletons.withLock { $0[key] = made }
        return made
    }

    private static let skeletons = Locked<[SkeletonKey: Table]>([:])

    /// What a skeleton is made from: the form's definition and how it prints are part of it (a
    /// site's form file may change between builds of one process, under the same id).
    private struct SkeletonKey: Hashable {
        var kind: TableKind
        var form: Int
        var extended: Bool
        var classes: [String]
        var definition: TableDefinition?
        var printed: PrintedTable?

        /// Hashes what tells skeletons apart cheaply; `==` still compares the form as printed and
        /// its definition in full (hashing them for every table of every disclosure was most of a
        /// lookup's time: a form's definition holds every line).
        func hash(into hasher: inout Hasher) {
            hasher.combine(kind)
            hasher.combine(form)
            hasher.combine(extended)
            hasher.combine(classes)
            hasher.combine(printed?.title)
            hasher.combine(printed?.number)
        }
    }

    /// The table with what its document prints differently on the form's lines: labels (the
    /// national label still names the line in data references), 行次, "——" cells, lines left out,
    /// heading rows.
    static func print(_ table: Table, as printed: PrintedTable) -> Table {
        var table = table
        table.printed = printed
        for s in table.sections.indices {
            var rows: [Row] = []
            let columns = table.sections[s].columns
            for var row in table.sections[s].rows {
                let key = row.key.description
                for heading in printed.headings where heading.before == key {
                    rows.append(Row(key: .line("#" + heading.label), label: heading.label, level: 0,
                                    cells: columns.map { _ in Cell() }, isPlaceholder: true))
                }
                if let line = printed.lines[key] {
                    if let label = line.label, label != row.label {
                        if !row.aliases.contains(row.label) { row.aliases.append(row.label) }
                        row.label = label
                    }
                    if line.withoutLineNumber { row.lineNumber = nil } else if let n = line.lineNumber { row.lineNumber = n }
                    for (c, column) in columns.enumerated() where line.dashes.contains("*") || line.dashes.contains(column.label) {
                        row.cells[c] = .notApplicable
                    }
                    row.isHidden = line.hidden
                }
                if printed.blankWhenAbsent {
                    for c in row.cells.indices where row.cells[c].formula?.zeroWhenAbsent == true { row.cells[c].formula!.zeroWhenAbsent = false }
                }
                rows.append(row)
            }
            if let order = printed.lineOrder {
                let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                rows = rows.enumerated().sorted { a, b in
                    (rank[a.element.key.description] ?? order.count + a.offset, a.offset) < (rank[b.element.key.description] ?? order.count + b.offset, b.offset)
                }.map(\.element)
            }
            table.sections[s].rows = rows
        }
        return table
    }

}
