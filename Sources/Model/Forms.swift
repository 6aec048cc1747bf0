import Foundation
import Support
/// The ten 公开 tables and the layout of each in the 2022 and 2023 forms.
///
/// Lines, columns and 行次 of the national template live here as data; the list of 类 comes from
/// the year's code catalogue (it changes between years).
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

/// A line of a fixed form (01, 04, 09, 10): key, printed label, 行次 and how it is computed.
public struct LineSpec: Sendable {
    public var key: String
    public var label: String
    public var lineNumber: Int?
    public var level: Int
    /// Per column: nil = entered; a formula = derived; `.notApplicable` cells print ——.
    public var cells: [CellSpec]
    public var isPlaceholder: Bool

    public enum CellSpec: Sendable {
        case input
        case derived(Formula)
        case notApplicable
    }

    public init(_ key: String, label: String? = nil, line: Int? = nil, level: Int = 1, cells: [CellSpec], placeholder: Bool = false) {
        self.key = key
        self.label = label ?? key
        self.lineNumber = line
        self.level = level
        self.cells = cells
        self.isPlaceholder = placeholder
    }
}

public struct SectionSpec: Sendable {
    public var id: String
    public var columns: [Column]
    public var lines: [LineSpec]
    public var classification: Classification?
}

/// Builds the empty skeleton of a table for a form year; Content fills it, Derive completes it.
public enum Forms {
    static let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
                           "十六", "十七", "十八", "十九", "二十", "二十一", "二十二", "二十三", "二十四", "二十五", "二十六",
                           "二十七", "二十八", "二十九", "三十"]

    /// `三、` for 3.
    public static func numeral(_ i: Int) -> String { i >= 1 && i <= numerals.count ? numerals[i - 1] + "、" : "\(i)、" }

    /// The one section of 02/03/05/07/08: rows by 支出功能分类科目.
    public static let classifiedSection = "科目"

    public static let incomeColumns02 = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    public static let expenditureColumns03 = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    public static let columns05 = ["本年支出合计", "基本支出", "项目支出"]
    public static let columns07 = ["年初结转和结余", "本年收入", "本年支出合计", "基本支出", "项目支出", "年末结转和结余"]
    public static let funds04 = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]

    /// Columns of a classification table: (label, group).
    public static func classifiedColumns(_ kind: TableKind, extended: Bool) -> [Column] {
        func numbered(_ labels: [String], groups: [String?]) -> [Column] {
            labels.enumerated().map { Column($0.element, group: groups[$0.offset], number: $0.offset + 1) }
        }
        switch kind {
        case .t02: return numbered(incomeColumns02, groups: Array(repeating: nil, count: 7))
        case .t03: return numbered(expenditureColumns03, groups: Array(repeating: nil, count: 6))
        case .t05: return numbered(columns05, groups: ["本年支出", "本年支出", "本年支出"])
        case .t07: return numbered(columns07, groups: [nil, nil, "本年支出", "本年支出", "本年支出", nil])
        case .t08:
            return extended ? numbered(columns07, groups: [nil, nil, "本年支出", "本年支出", "本年支出", nil])
                            : numbered(columns05, groups: ["本年支出", "本年支出", "本年支出"])
        case .t06: return [Column("决算数")]
        default: return []
        }
    }

    /// For each column of a classification table: the columns it is the sum of (row totals).
    public static func rowTotals(_ kind: TableKind, extended: Bool) -> [Int: [Int]] {
        switch kind {
        case .t02: return [0: Array(1...6)]
        case .t03: return [0: Array(1...5)]
        case .t05: return [0: [1, 2]]
        case .t07: return [2: [3, 4]]
        case .t08: return extended ? [2: [3, 4]] : [0: [1, 2]]
        default: return [:]
        }
    }

    /// 06: which group an economic 类 belongs to.
    public static func group06(ofCode code: String) -> String {
        code.hasPrefix("301") || code.hasPrefix("303") ? "人员经费" : "公用经费"
    }

    /// The fixed-line sections of 01, 04, 09 and 10. `classes` are the 类 of the year: (code, name).
    public static func lineSections(_ kind: TableKind, form: Int, classes: [(String, String)]) -> [SectionSpec] {
        let n = classes.count
        func ref(_ t: Int, _ s: String, _ row: RowKey, _ c: String) -> CellRef { CellRef(table: t, section: s, row: row, column: c) }
        func line(_ t: Int, _ s: String, _ key: String, _ c: String) -> CellRef { ref(t, s, .line(key), c) }
        /// A numbered line that carries nothing; `key`: the spacer lines before 总计, which a form may
        /// name (to leave one out), else "#<行次>".
        func placeholder(_ no: Int, _ columns: Int, key: String? = nil) -> LineSpec {
            LineSpec(key ?? "#\(no)", label: "", line: no, cells: Array(repeating: .input, count: columns), placeholder: true)
        }
        switch kind {
        case .t01:
            let incomes = ["一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入", "上级补助收入",
                           "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
            var left: [LineSpec] = incomes.enumerated().map {
                LineSpec($0.element, label: numeral($0.offset + 1) + $0.element, line: $0.offset + 1, cells: [.input])
            }
            if n > incomes.count { left += (incomes.count + 1...n).map { placeholder($0, 1) } }
            let base = max(n, incomes.count)
            left += [
                LineSpec("本年收入合计", line: base + 1, level: 0,
                         cells: [.derived(Formula(sum: incomes.map { line(1, "收入", $0, "决算数") }))]),
                LineSpec("使用非财政拨款结余", line: base + 2, cells: [.input]),
                LineSpec("年初结转和结余", line: base + 3, cells: [.input]),
                placeholder(base + 4, 1, key: "空行"),
                LineSpec("总计", line: base + 5, level: 0, cells: [.derived(Formula(sum: ["本年收入合计", "使用非财政拨款结余", "年初结转和结余"].map { line(1, "收入", $0, "决算数") }))]),
            ]
            let r0 = base + 6
            var right: [LineSpec] = classes.enumerated().map { i, c in
                LineSpec(c.0, label: numeral(i + 1) + c.1, line: r0 + i,
                         cells: [.derived(Formula(sum: [ref(3, "科目", .code(c.0), "本年支出合计")], zeroWhenAbsent: true))])
            }
            right += [
                LineSpec("本年支出合计", line: r0 + n, level: 0, cells: [.derived(Formula(sum: classes.map { line(1, "支出", $0.0, "决算数") }))]),
                LineSpec("结余分配", line: r0 + n + 1, cells: [.input]),
                LineSpec("年末结转和结余", line: r0 + n + 2, cells: [.input]),
                placeholder(r0 + n + 3, 1, key: "空行"),
                LineSpec("总计", line: r0 + n + 4, level: 0, cells: [.derived(Formula(sum: ["本年支出合计", "结余分配", "年末结转和结余"].map { line(1, "支出", $0, "决算数") }))]),
            ]
            // 右侧的 类 lines answer to their names too.
            return [SectionSpec(id: "收入", columns: [Column("决算数", number: 1)], lines: left),
                    SectionSpec(id: "支出", columns: [Column("决算数", number: 2)], lines: right)]

        case .t04:
            var left: [LineSpec] = funds04.enumerated().map { LineSpec($0.element, label: numeral($0.offset + 1) + $0.element, line: $0.offset + 1, cells: [.input]) }
            let base = max(n, funds04.count)
            if base > funds04.count { left += (funds04.count + 1...base).map { placeholder($0, 1) } }
            let opening = funds04.map { "年初" + $0 }
            left += [
                LineSpec("本年收入合计", line: base + 1, level: 0, cells: [.derived(Formula(sum: funds04.map { line(4, "收入", $0, "金额") }))]),
                LineSpec("年初财政拨款结转和结余", line: base + 2, level: 0, cells: [.derived(Formula(sum: opening.map { line(4, "收入", $0, "金额") }))]),
            ]
            left += opening.enumerated().map { LineSpec($0.element, label: numeral($0.offset + 1) + funds04[$0.offset], line: base + 3 + $0.offset, level: 2, cells: [.input]) }
            left.append(LineSpec("总计", line: base + 6, level: 0, cells: [.derived(Formula(sum: ["本年收入合计", "年初财政拨款结转和结余"].map { line(4, "收入", $0, "金额") }))]))
            let r0 = base + 7
            let cols = ["合计"] + funds04
            func fundCells(_ rowKey: RowKey, sources: [CellRef?]) -> [LineSpec.CellSpec] {
                [.derived(Formula(sum: funds04.map { ref(4, "支出", rowKey, $0) }))] + sources.map { s in
                    s.map { .derived(Formula(sum: [$0], zeroWhenAbsent: true)) } ?? .input
                }
            }
            var right: [LineSpec] = classes.enumerated().map { i, c in
                LineSpec(c.0, label: numeral(i + 1) + c.1, line: r0 + i, cells: fundCells(.line(c.0), sources: [
                    ref(5, "科目", .code(c.0), "本年支出合计"), ref(7, "科目", .code(c.0), "本年支出合计"), ref(8, "科目", .code(c.0), "本年支出合计"),
                ]))
            }
            right.append(LineSpec("本年支出合计", line: r0 + n, level: 0, cells: cols.map { c in
                .derived(Formula(sum: classes.map { line(4, "支出", $0.0, c) }))
            }))
            right.append(LineSpec("年末财政拨款结转和结余", line: r0 + n + 1, cells: fundCells(.line("年末财政拨款结转和结余"), sources: [nil, nil, nil])))
            right += (r0 + n + 2...r0 + n + 4).enumerated().map { placeholder($0.element, 4, key: "空行\($0.offset + 1)") }
            right.append(LineSpec("总计", line: r0 + n + 5, level: 0, cells: cols.map { c in
                .derived(Formula(sum: ["本年支出合计", "年末财政拨款结转和结余"].map { line(4, "支出", $0, c) }))
            }))
            return [SectionSpec(id: "收入", columns: [Column("金额", number: 1)], lines: left),
                    SectionSpec(id: "支出", columns: cols.enumerated().map { Column($0.element, number: $0.offset + 2) }, lines: right)]

        case .t09:
            return form >= 2023 ? threePublic2023() : threePublic2022()

        case .t10:
            return form >= 2023 ? relatedStatistics2023() : assets2022()

        default:
            return []
        }
    }

    static func sumLine(_ t: Int, _ s: String, _ keys: [String], _ c: String) -> LineSpec.CellSpec {
        .derived(Formula(sum: keys.map { CellRef(table: t, section: s, row: .line($0), column: c) }))
    }

    static func threePublic2022() -> [SectionSpec] {
        let cols = ["年初预算数", "全年预算数", "决算数"]
        func item(_ key: String, _ label: String, _ no: Int, level: Int = 1, sumOf: [String]? = nil, actualOnly: Bool = false, actualSum: [String]? = nil) -> LineSpec {
            let cells: [LineSpec.CellSpec] = cols.map { c in
                if actualOnly && c != "决算数" { return .notApplicable }
                if let s = sumOf { return sumLine(9, "经费", s, c) }
                if c == "决算数", let s = actualSum { return sumLine(9, "经费", s, c) }
                return .input
            }
            return LineSpec(key, label: label, line: no, level: level, cells: cells)
        }
        let money = [
            item("“三公”经费支出", "一、“三公”经费支出", 1, level: 0, sumOf: ["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"]),
            item("因公出国（境）费", "1.因公出国（境）费", 2),
            item("公务用车购置及运行维护费", "2.公务用车购置及运行维护费", 3, sumOf: ["公务用车购置费", "公务用车运行维护费"]),
            item("公务用车购置费", "（1）公务用车购置费", 4, level: 2),
            item("公务用车运行维护费", "（2）公务用车运行维护费", 5, level: 2),
            item("公务接待费", "3.公务接待费", 6, actualSum: ["国内接待费", "国（境）外接待费"]),
            item("国内接待费", "（1）国内接待费", 7, level: 2, actualOnly: true),
            item("其中：外事接待费", "其中：外事接待费", 8, level: 2, actualOnly: true),
            item("国（境）外接待费", "（2）国（境）外接待费", 9, level: 2, actualOnly: true),
        ]
        let counts: [(String, String)] = [
            ("因公出国（境）团组数", "1.因公出国（境）团组数（个）"), ("因公出国（境）人次", "2.因公出国（境）人次（人）"),
            ("公务用车购置数", "3.公务用车购置数（辆）"), ("公务用车保有量", "4.公务用车保有量（辆）"),
            ("国内公务接待批次", "5.国内公务接待批次（个）"), ("其中：外事接待批次", "其中：外事接待批次（个）"),
            ("国内公务接待人次", "6.国内公务接待人次（人）"), ("其中：外事接待人次", "其中：外事接待人次（人）"),
            ("国（境）外公务接待批次", "7.国（境）外公务接待批次（个）"), ("国（境）外公务接待人次", "8.国（境）外公务接待人次（人）"),
        ]
        var stats = [LineSpec("相关统计数", label: "二、相关统计数", line: 10, level: 0, cells: [.notApplicable, .notApplicable, .notApplicable])]
        stats += counts.enumerated().map { LineSpec($0.element.0, label: $0.element.1, line: 11 + $0.offset, level: $0.element.0.hasPrefix("其中") ? 2 : 1,
                                                    cells: [.notApplicable, .notApplicable, .input]) }
        let columns = cols.enumerated().map { Column($0.element, number: $0.offset + 1) }
        var countColumns = columns
        countColumns[2].isCount = true
        return [SectionSpec(id: "经费", columns: columns, lines: money),
                SectionSpec(id: "统计数", columns: countColumns, lines: stats)]
    }

    static func threePublic2023() -> [SectionSpec] {
        let cols = ["预算数", "决算数"]
        let lines: [LineSpec] = [
            LineSpec("合计", level: 0, cells: cols.map { sumLine(9, "经费", ["因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"], $0) }),
            LineSpec("因公出国（境）费", cells: [.input, .input]),
            LineSpec("公务用车购置及运行维护费", level: 1, cells: cols.map { sumLine(9, "经费", ["公务用车购置费", "公务用车运行维护费"], $0) }),
            LineSpec("公务用车购置费", label: "公务用车购置费", level: 2, cells: [.input, .input]),
            LineSpec("公务用车运行维护费", label: "公务用车运行维护费", level: 2, cells: [.input, .input]),
            LineSpec("公务接待费", cells: [.input, .input]),
        ]
        return [SectionSpec(id: "经费", columns: cols.map { Column($0) }, lines: lines)]
    }

    static let vehicles2022 = ["副部（省）级及以上领导用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车",
                               "特种专业技术用车", "离退休干部用车", "其他用车"]
    static let vehicles2023 = ["副部（省）级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车", "执法执勤用车",
                               "特种专业技术用车", "离退休干部服务用车", "其他用车"]
    static let equipment = "单价100万元（含）以上设备（不含车辆）"

    static func assets2022() -> [SectionSpec] {
        var lines = [LineSpec("车辆数合计", label: "一、车辆数合计（台、辆）", line: 1, level: 0, cells: [sumLine(10, "决算数", vehicles2022, "决算数")])]
        lines += vehicles2022.enumerated().map { LineSpec($0.element, label: "\($0.offset + 1).\($0.element)", line: $0.offset + 2, level: 2, cells: [.input]) }
        lines.append(LineSpec(equipment, label: "二、" + equipment, line: 10, cells: [.input]))
        return [SectionSpec(id: "决算数", columns: [Column("决算数", number: 1, isCount: true)], lines: lines)]
    }

    static func relatedStatistics2023() -> [SectionSpec] {
        let purchases = ["政府采购货物支出", "政府采购工程支出", "政府采购服务支出"]
        let running = ["机关运行经费（行政单位）", "机关运行经费（参照公务员法管理事业单位）"]
        let col = "统计数"
        var lines = [LineSpec("政府采购支出合计", label: "一、政府采购支出合计", line: 1, level: 0, cells: [sumLine(10, col, purchases, col)])]
        lines += purchases.enumerated().map { LineSpec($0.element, label: "\($0.offset + 1).\($0.element)", line: 2 + $0.offset, level: 2, cells: [.input]) }
        lines.append(LineSpec("机关运行经费合计", label: "二、机关运行经费合计", line: 5, level: 0, cells: [sumLine(10, col, running, col)]))
        lines += running.enumerated().map { LineSpec($0.element, label: "\($0.offset + 1).\($0.element)", line: 6 + $0.offset, level: 2, cells: [.input]) }
        lines.append(LineSpec("车辆数合计", label: "三、国有资产占用：车辆数合计（辆）", line: 8, level: 0, cells: [sumLine(10, col, vehicles2023, col)]))
        lines += vehicles2023.enumerated().map { LineSpec($0.element, label: "\($0.offset + 1).\($0.element)", line: 9 + $0.offset, level: 2, cells: [.input]) }
        lines.append(LineSpec(equipment, label: "四、" + equipment + "（台、套）", line: 17, cells: [.input]))
        return [SectionSpec(id: col, columns: [Column(col, number: 1)], lines: lines)]
    }

    /// Lines of 10 (2023 form) that are counts rather than 万元.
    public static func isCountLine(_ key: String) -> Bool {
        vehicles2022.contains(key) || vehicles2023.contains(key) || key == equipment || key == "车辆数合计"
    }

    /// The empty table of a kind: fixed lines with their formulas, or classification sections without rows.
    /// Made once per kind, form and catalogue and then copied: every disclosure shares the rows and
    /// formulas it does not change (a copy of its own for each was a noticeable part of a loaded
    /// site's memory: bench/README.md#figures-that-were-in-code-comments).
    /// `printed`: how the document prints it.
    public static func skeleton(_ kind: TableKind, form: Int, classes: [(String, String)], extended: Bool = false,
                                printed: PrintedTable? = nil) -> Table {
        let key = SkeletonKey(kind: kind, form: form, extended: extended, classes: classes.map { $0.0 + "=" + $0.1 }, printed: printed)
        if let made = skeletons.withLock({ $0[key] }) { return made }
        var made = makeSkeleton(kind, form: form, classes: classes, extended: extended)
        if let printed { made = print(made, as: printed) }
        skeletons.withLock { $0[key] = made }
        return made
    }

    private static let skeletons = Locked<[SkeletonKey: Table]>([:])

    /// What a skeleton is made from: the form as printed is part of it (a site's form file may change
    /// between builds of one process, under the same id).
    private struct SkeletonKey: Hashable {
        var kind: TableKind
        var form: Int
        var extended: Bool
        var classes: [String]
        var printed: PrintedTable?
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

    /// The keys of the lines a form prints (01, 04, 09, 10; besides them, the 类 of the year).
    public static func lineKeys(_ kind: TableKind, form: Int) -> [String: [String]] {
        Dictionary(lineSections(kind, form: form, classes: []).map { ($0.id, $0.lines.map(\.key)) }, uniquingKeysWith: { a, _ in a })
    }

    static func makeSkeleton(_ kind: TableKind, form: Int, classes: [(String, String)], extended: Bool) -> Table {
        if kind.classification != nil {
            let columns = classifiedColumns(kind, extended: extended)
            if kind == .t06 {
                return Table(kind: kind, form: form, sections: [
                    Section(id: "人员经费", columns: columns, classification: .economic),
                    Section(id: "公用经费", columns: columns, classification: .economic),
                ])
            }
            return Table(kind: kind, form: form, sections: [Section(id: classifiedSection, columns: columns, classification: .functional)], extendedLayout: extended)
        }
        let sections = lineSections(kind, form: form, classes: classes).map { spec in
            Section(id: spec.id, columns: spec.columns, rows: spec.lines.map { l in
                var aliases: [String] = []
                if l.label != l.key, !l.label.isEmpty { aliases.append(l.label) }
                if let name = classes.first(where: { $0.0 == l.key })?.1 { aliases.append(name) }
                // 总计 stands on both sides of 01 and 04: 收入总计 / 支出总计 name one side.
                if l.key.hasSuffix("合计") || l.key == "总计" { aliases.append(spec.id + l.key) }
                return Row(key: .line(l.key), label: l.label, aliases: aliases, lineNumber: l.lineNumber, level: l.level,
                           cells: l.cells.map { spec in
                               switch spec {
                               case .input: return Cell()
                               case .notApplicable: return .notApplicable
                               case .derived(let f): return Cell(formula: f)
                               }
                           }, isPlaceholder: l.isPlaceholder)
            })
        }
        return Table(kind: kind, form: form, sections: sections)
    }
}
