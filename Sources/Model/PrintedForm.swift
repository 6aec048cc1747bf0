/// A form: for each table its lines, columns and formulas (`TableDefinition`), and how a document
/// prints it — number, title, unit, notes, the note of an empty table, its header rows, and what
/// it prints differently on the form's lines (labels, 行次, "——" cells, lines it leaves out,
/// heading rows). Read from form files by Content (the built-in national forms, and a site's
/// `content/forms/`); a form may extend another and state only what differs. `base` is the
/// national form the document follows (2022 or 2023): the layouts of 06, 09 and 10 that the
/// views and checks know by year.
public struct PrintedForm: Sendable, Hashable {
    /// `2023`, `shanghai-2025`: what a disclosure names in `form:`.
    public var id: String
    /// The national form it follows: 2022 or 2023.
    public var base: Int
    /// The tables it prints, in order; a table not listed is not published.
    public var order: [TableKind]
    public var tables: [TableKind: PrintedTable]
    /// The document's parts, in its order, with their titles.
    public var parts: [PrintedPart]
    /// How it prints its 绩效自评表.
    public var performance = PrintedPerformance()
    /// Tables its documents print that are no national 公开 table (a province's 项目支出决算表, a
    /// second 三公 table): sitegen holds no figures for them, so a disclosure lists them, in the
    /// form's order, among the tables it says are published elsewhere (`elsewhere:`).
    public var others: [OtherTable] = []

    /// A table of `others`: its number and title as printed, and its place among the tables (the
    /// same count as `PrintedTable.position`).
    public struct OtherTable: Sendable, Hashable {
        public var number: String
        public var title: String
        public var position: Int
        public init(number: String, title: String, position: Int) {
            self.number = number
            self.title = title
            self.position = position
        }
    }

    public init(id: String, base: Int, order: [TableKind], tables: [TableKind: PrintedTable], parts: [PrintedPart] = PrintedPart.national) {
        self.id = id
        self.base = base
        self.order = order
        self.tables = tables
        self.parts = parts
    }

    /// The form of `kind`, or a plain one (its number only) if the form file has none.
    public func table(_ kind: TableKind) -> PrintedTable { tables[kind] ?? PrintedTable(number: kind.formNumber) }
}

/// One table of a form: what it is made of, and how a document prints it.
public struct PrintedTable: Sendable, Hashable {
    /// Its sections, columns, lines and formulas.
    public var definition = TableDefinition()
    /// `公开01表`, `表1`, `附表一`, or "" when the document prints no number.
    public var number: String
    public var title: String
    /// `金额单位：万元`
    public var unit: String
    /// The lines printed under the table, as printed (`注：本表反映…`); `{year}` stands for the year.
    public var notes: [String]
    /// What is printed under the table when it has no figures; `{year}` stands for the year.
    public var emptyNote: String?
    /// The header rows as printed, when the form file gives them; otherwise they are made from the
    /// columns.
    public var header: [[HeaderCell]]?
    /// What the document prints differently on a line of the national form, by the line's key.
    public var lines: [String: PrintedLine]
    /// Rows printed with a label only (`政府采购情况`), each before the line it names.
    public var headings: [Heading]
    /// Where the document prints it among its tables (0 first); nil: it does not print it.
    public var position: Int?
    /// The body as its kind prints it nationally (`nil`), or as lines (项目 | 行次 | columns: `lines`),
    /// or in one wide row (09 of 2023: `wide`, 预算数 then 决算数; `wide-by-item`, each item's side by side).
    public var layout: Layout?
    /// Prints a 行次 column (lines of 01, 04, 09, 10).
    public var lineNumbers = true
    /// Prints a 栏次 row under the header.
    public var columnNumbers = true
    /// 06: how many blocks of 科目编码 | 科目名称 | 决算数 each section takes (人员经费, 公用经费).
    public var blocks: [Int]?
    /// The lines in the order the document prints them (by key); lines not listed follow in the
    /// national order.
    public var lineOrder: [String]?
    /// Amounts print with at least this many decimals (2; 0: as written, `3` stays `3`).
    public var minimumDecimals = 2
    /// 06: every 经济分类 类 and 款 of the year's catalogue is printed, whether or not it has an
    /// amount (as the 2023 form prints them).
    public var allCodes = false
    /// Classified tables: 合计 printed in the code column (else in the name column), and last (else first).
    public var totalInCodeColumn = false
    /// 06: the 科目编码 in two columns, 类 and 款 (`301 | 01`), as many provinces print it.
    public var splitCodes = false
    public var totalLast = false
    /// Classified tables (02/03/05/07/08) without figures print their 合计 row, blank (else no row).
    public var emptyTotal = false

    public enum Layout: String, Sendable, Hashable {
        case lines, wide
        case wideByItem = "wide-by-item"
    }
    /// 01's and 04's 类 lines with nothing in 03/05/07/08 print blank (else 0.00, as the national
    /// form of 2022 prints them).
    public var blankWhenAbsent = false

    public init(number: String, title: String = "", unit: String = "", notes: [String] = [], emptyNote: String? = nil,
                header: [[HeaderCell]]? = nil, lines: [String: PrintedLine] = [:], headings: [Heading] = [], blankWhenAbsent: Bool = false) {
        self.number = number
        self.title = title
        self.unit = unit
        self.notes = notes
        self.emptyNote = emptyNote
        self.header = header
        self.lines = lines
        self.headings = headings
        self.blankWhenAbsent = blankWhenAbsent
    }

    /// A note with the year filled in.
    public static func fill(_ note: String, year: Int) -> String {
        // Most notes have no field: Foundation's replacing searches each with a locale.
        note.utf8.contains(UInt8(ascii: "{")) ? note.replacingOccurrences(of: "{year}", with: String(year)) : note
    }
}

/// A part of the document: 概况, the tables, 情况说明, 名词解释, 附件 — in the order and with the
/// titles the document prints (`{unit}` is the unit's name, `{year}` the year).
public struct PrintedPart: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case overview, tables, explanation, glossary, attachments
        /// A part of no national kind (云南's 其他重要事项及相关口径情况说明): its text is the
        /// Markdown file `file` in the disclosure's year folder.
        case other
    }

    public var kind: Kind
    public var title: String
    /// The headings the document prints inside the part, in order (概况: the one over 主要职责, the
    /// one over 机构设置和人员, then any others); empty: the theme's.
    public var headings: [String] = []
    /// `other` parts: the Markdown file of the year folder that holds its text (`other-matters.md`).
    public var file: String?

    public init(_ kind: Kind, _ title: String, headings: [String] = [], file: String? = nil) {
        self.kind = kind
        self.title = title
        self.headings = headings
        self.file = file
    }

    /// The parts when no form says otherwise.
    public static let national = [PrintedPart(.overview, "第一部分 概况"), PrintedPart(.tables, "第二部分 决算表"),
                                  PrintedPart(.explanation, "第三部分 情况说明"), PrintedPart(.glossary, "第四部分 名词解释"),
                                  PrintedPart(.attachments, "第五部分 附件")]

    /// The title with the unit's name and the year filled in.
    public func title(unit: String, year: Int) -> String {
        title.replacingOccurrences(of: "{unit}", with: unit).replacingOccurrences(of: "{year}", with: String(year))
    }
}

/// How a document prints its 绩效自评表: the labels it gives their parts, and which indicator
/// columns print a repeated cell once, merged over its rows.
public struct PrintedPerformance: Sendable, Hashable {
    public var project = "项目支出绩效自评表"
    public var overall = "部门（单位）整体支出绩效自评表"
    public var funds = "资金执行情况（万元）"
    public var goals = "年度总体目标"
    public var indicators = "绩效指标"
    /// The label of the last row of the indicators, which carries the total 分值 and 得分.
    public var total = "总分"
    /// Indicator columns (by header) whose repeated cells print merged (rowspan).
    public var merged = ["一级指标", "二级指标"]

    public init() {}
}

/// A cell of a printed header row.
public struct HeaderCell: Sendable, Hashable {
    public var text: String
    public var colspan: Int
    public var rowspan: Int

    public init(_ text: String, colspan: Int = 1, rowspan: Int = 1) {
        self.text = text
        self.colspan = colspan
        self.rowspan = rowspan
    }
}

/// A line of the national form as a document prints it.
public struct PrintedLine: Sendable, Hashable {
    /// The label printed instead of the national one (the national one still names it in data references).
    public var label: String?
    /// The 行次 printed instead of the national one; `withoutLineNumber`: none printed.
    public var lineNumber: Int?
    public var withoutLineNumber: Bool
    /// Columns (by label) whose cells print "——" on this line; `["*"]`: every column.
    public var dashes: [String]
    /// The document does not print the line (its figures still count where the form adds them up).
    public var hidden: Bool

    public init(label: String? = nil, lineNumber: Int? = nil, withoutLineNumber: Bool = false, dashes: [String] = [], hidden: Bool = false) {
        self.label = label
        self.lineNumber = lineNumber
        self.withoutLineNumber = withoutLineNumber
        self.dashes = dashes
        self.hidden = hidden
    }
}

/// A row printed with a label only, before the line `before` (by key).
public struct Heading: Sendable, Hashable {
    public var before: String
    public var label: String

    public init(before: String, label: String) {
        self.before = before
        self.label = label
    }
}

extension Table {
    /// Its title as its form prints it.
    public var title: String { printed?.title ?? "" }
    /// Its unit as its form prints it (`金额单位：万元`).
    public var unit: String { printed?.unit ?? "" }
}
