import Model
import Support

/// What import did with one table: rows and cells mapped, rows skipped and why, notes.
public struct TableReport: Sendable {
    public var kind: TableKind
    /// `book.xlsx › 公开01表`, or nil when the source has no such table.
    public var source: String?
    public var rows = 0
    public var cells = 0
    /// Rows that hold no data: title, header, 栏次, empty and note rows, totals sitegen derives.
    public var skipped: [(row: Int, reason: String)] = []
    /// Rows with content that was not imported (an unknown code or line, no code): the import
    /// stops on them unless `--allow-skipped`.
    public var dropped: [(row: Int, reason: String)] = []
    /// Cells that are not amounts (`十万`), each naming row, column and header: the import stops.
    public var errors: [String] = []
    /// The header of each column read: `D「财政拨款收入」→ 财政拨款收入`.
    public var columns: [String] = []
    /// Columns with content whose header is not recognised (not read; the import stops unless `--allow-skipped`).
    public var unread: [String] = []
    public var notes: [String] = []
    /// Amounts with a floating-point tail, rounded to 2 decimals: `row 6 一般公共预算财政拨款收入: '55.569999999999993' → 55.57`.
    public var rounded: [String] = []

    public init(kind: TableKind, source: String? = nil) {
        self.kind = kind
        self.source = source
    }

    mutating func skip(_ row: Int, _ reason: String) { skipped.append((row, reason)) }
    mutating func drop(_ row: Int, _ reason: String) { dropped.append((row, reason)) }

    /// Skipped rows grouped by reason, in order of first appearance: `第 3、9–12 行（空行）` (`empty row: rows 3, 9–12`).
    public var skippedSummary: [String] { Self.summary(skipped) }
    /// Rows not imported, grouped the same way.
    public var droppedSummary: [String] { Self.summary(dropped) }

    static func summary(_ list: [(row: Int, reason: String)]) -> [String] {
        var order: [String] = []
        var rows: [String: [Int]] = [:]
        for (row, reason) in list {
            if rows[reason] == nil { order.append(reason) }
            rows[reason, default: []].append(row)
        }
        return order.map { reason in
            let list = rows[reason]!
            return localized("第 \(Self.ranges(list, separator: "、")) 行（\(reason)）", en: "\(reason): row\(list.count == 1 ? "" : "s") \(Self.ranges(list))")
        }
    }

    /// [1, 2, 3, 7, 9, 10] → `1–3, 7, 9–10`.
    static func ranges(_ numbers: [Int], separator: String = ", ") -> String {
        var parts: [String] = []
        var i = 0
        let n = numbers.sorted()
        while i < n.count {
            var j = i
            while j + 1 < n.count && n[j + 1] == n[j] + 1 { j += 1 }
            parts.append(j == i ? "\(n[i])" : "\(n[i])–\(n[j])")
            i = j + 1
        }
        return parts.joined(separator: separator)
    }
}

/// The whole import: one report per table, in table order, plus notes about the source.
public struct ImportReport: Sendable, CustomStringConvertible {
    public var tables: [TableReport]
    public var notes: [String]
    /// 编制单位 and 年度 as the sheets print them, against the department and year (one line each).
    public var checks: [String] = []
    public var form: Int
    /// Content-relative path of the file written.
    public var output: String
    /// Whether it was written (not when the import is refused).
    public var written = true

    /// Sheets not read because they hold a table a second time.
    public var duplicates: [String] = []

    /// Every row not imported, across tables: `book.xlsx › 公开02表 第 9 行（未知的编码 …）`.
    public var dropped: [String] { duplicates + tables.flatMap { t in t.droppedSummary.map { "\(t.source ?? t.kind.formNumber) \($0)" } + t.unread.map { "\(t.source ?? t.kind.formNumber) \($0)" } } }
    /// Every cell that is not an amount, across tables.
    public var errors: [String] { tables.flatMap { t in t.errors.map { "\(t.source ?? t.kind.formNumber) \($0)" } } }

    init(tables: [TableReport], notes: [String], form: Int, output: String) {
        self.tables = tables
        self.notes = notes
        self.form = form
        self.output = output
    }

    public var description: String {
        let note = localized("提示：", en: "note: ")
        var out = checks.map { "\($0)\n" }.joined() + notes.map { "\(note)\($0)\n" }.joined()
            + duplicates.map { localized("未导入：\($0)\n", en: "not imported: \($0)\n") }.joined()
        for t in tables {
            let title = "\(t.kind.formNumber) \(t.kind.title(form: form))"
            guard let source = t.source else {
                if !written { out += localized("\(title)：来源中没有这张表\n", en: "\(title): not in the source\n"); continue }
                out += localized("\(title)：来源中没有这张表——写为 {}（发布时显示“本表无数据”）\n",
                                 en: "\(title): not in the source — written as {} (published with 本表无数据)\n")
                continue
            }
            out += "\(title) ← \(source)\n"
            if !t.columns.isEmpty { out += localized("  列：", en: "  columns: ") + t.columns.joined(separator: localized("；", en: "; ")) + "\n" }
            for u in t.unread { out += localized("  未读取的列：\(u)\n", en: "  column not read: \(u)\n") }
            out += localized("  读入 \(t.rows) 行、\(t.cells) 个单元格\n",
                             en: "  mapped \(t.rows) row\(t.rows == 1 ? "" : "s"), \(t.cells) cell\(t.cells == 1 ? "" : "s")\n")
            for s in t.skippedSummary { out += localized("  跳过\(s)\n", en: "  skipped \(s)\n") }
            for s in t.droppedSummary { out += localized("  未导入\(s)\n", en: "  not imported: \(s)\n") }
            for e in t.errors { out += localized("  错误：\(e)\n", en: "  error: \(e)\n") }
            if !t.rounded.isEmpty {
                out += localized("  提示：\(t.rounded.count) 个金额带有浮点尾数，已四舍五入到 2 位小数：",
                                 en: "  note: \(t.rounded.count) amount\(t.rounded.count == 1 ? "" : "s") with a floating-point tail rounded to 2 decimals: ")
                    + t.rounded.prefix(3).joined(separator: localized("；", en: "; ")) + (t.rounded.count > 3 ? localized("；…", en: "; …") : "") + "\n"
            }
            for n in t.notes { out += "  \(note)\(n)\n" }
        }
        let rows = tables.reduce(0) { $0 + $1.rows }, cells = tables.reduce(0) { $0 + $1.cells }
        let found = tables.filter { $0.source != nil }.count
        guard written else { return out }
        out += localized("已写入 \(output)（\(form) 年表式）：来自 10 张表中的 \(found) 张，共 \(rows) 行、\(cells) 个单元格\n",
                         en: "wrote \(output) (form \(form)): \(rows) rows, \(cells) cells from \(found) of 10 tables\n")
        return out
    }
}

/// An import that wrote nothing: what the source held (the report) and why it stopped.
public struct ImportRefused: Error, CustomStringConvertible {
    public var report: ImportReport
    public var reasons: [String]

    public var description: String {
        reasons.joined(separator: "\n") + "\n" + localized("未写入任何文件。", en: "nothing was written.")
    }
}
