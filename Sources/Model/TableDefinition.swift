/// What a table of a form is made of: its sections, their columns and lines, and which cells are
/// derived and how. Read from the form files by Content (docs/forms.md#lines-columns-and-formulas);
/// `Forms.skeleton` makes a table's empty skeleton from it.
public struct TableDefinition: Sendable, Hashable {
    public var sections: [SectionDefinition]
    /// 08: the sections when a disclosure gives it in its extended layout (年初结转和结余 … 年末结转和结余).
    public var extended: [SectionDefinition]?

    public init(sections: [SectionDefinition] = [], extended: [SectionDefinition]? = nil) {
        self.sections = sections
        self.extended = extended
    }

    /// The keys of its lines, section by section (besides them, the 类 of the year).
    public var lineKeys: [String] {
        sections.flatMap { $0.lines.compactMap { $0.kind == .line || $0.kind == .blank ? $0.key : nil }.filter { !$0.isEmpty } }
    }
}

/// A block of a table with its own columns: 收入 / 支出 of 01, 人员经费 / 公用经费 of 06.
public struct SectionDefinition: Sendable, Hashable {
    public var id: String
    public var columns: [Column]
    /// Fixed lines, in print order (01, 04, 09, 10); none for a classified section.
    public var lines: [LineDefinition]
    /// Rows are classification codes entered by editors (02, 03, 05–08).
    public var classification: Classification?
    /// 06: the 类 codes whose rows go here (`301`, `303`); empty: those no other section takes.
    public var codes: [String]
    /// Its lines get 行次, in sequence from where the table's previous section stopped.
    public var numbered: Bool

    public init(id: String, columns: [Column], lines: [LineDefinition] = [], classification: Classification? = nil,
                codes: [String] = [], numbered: Bool = true) {
        self.id = id
        self.columns = columns
        self.lines = lines
        self.classification = classification
        self.codes = codes
        self.numbered = numbered
    }
}

/// One entry of a section's lines: a line, a blank numbered line, the 类 of the year, or blank lines
/// up to the number of 类.
public struct LineDefinition: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A line of the form.
        case line
        /// A numbered line that carries nothing (printed with its 行次 only); key "" = `#<行次>`.
        case blank
        /// One line per 类 of the year's catalogue (key: the code; label: 一、 and its name).
        case classes
        /// Blank lines until the section has as many lines as the year has 类 (01's and 04's 收入
        /// side, beside the 类 of the 支出 side).
        case padToClasses
    }

    public var kind: Kind
    public var key: String
    /// Printed label; nil: the key.
    public var label: String?
    /// 0 total, 1 line, 2 sub-line.
    public var level: Int
    /// Other names it answers to in data references.
    public var aliases: [String]
    /// Its figures are counts (辆, 个), not 万元.
    public var isCount: Bool
    /// Derived cells: per column label (`*`: every column), the terms added up. A term is a line
    /// key of the same section (same column), `classes` (every 类 line of the section), or a
    /// reference `TT.section.row.column` (`03.科目.{key}.本年支出合计`; `{key}` is this line's key).
    public var sums: [String: [String]]
    /// Columns (by label, `*` every one) whose derived cells are 0.00 when none of their terms exists.
    public var zeroWhenAbsent: [String]
    /// Columns (by label, `*` every one) printed "——": no figure belongs there.
    public var dashes: [String]

    public init(_ kind: Kind = .line, key: String = "", label: String? = nil, level: Int = 1, aliases: [String] = [], isCount: Bool = false,
                sums: [String: [String]] = [:], zeroWhenAbsent: [String] = [], dashes: [String] = []) {
        self.kind = kind
        self.key = key
        self.label = label
        self.level = level
        self.aliases = aliases
        self.isCount = isCount
        self.sums = sums
        self.zeroWhenAbsent = zeroWhenAbsent
        self.dashes = dashes
    }

    /// The terms of its cell in `column`, if the line itself derives it.
    public func terms(_ column: String) -> [String]? { sums[column] ?? sums["*"] }

    static func matches(_ list: [String], _ column: String) -> Bool { list.contains("*") || list.contains(column) }
}

extension Section {
    /// For each column that is a row total, the columns it adds up (by index).
    public var rowTotals: [Int: [Int]] {
        var totals: [Int: [Int]] = [:]
        for (c, column) in columns.enumerated() where !column.sum.isEmpty { totals[c] = column.sum.compactMap(columnIndex) }
        return totals
    }
}

extension Table {
    /// The section a classification code's row goes in (06: 301 and 303 in 人员经费, the rest in 公用经费).
    public func sectionIndex(forCode code: String) -> Int? {
        sections.firstIndex { s in s.codes.contains { code.hasPrefix($0) } } ?? sections.firstIndex { $0.codes.isEmpty }
    }
}
