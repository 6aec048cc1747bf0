/// How a row is named: the 合计 row, a classification code, or a fixed line of a form.
public enum RowKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    case total
    case code(String)
    case line(String)

    public var description: String {
        switch self {
        case .total: return "合计"
        case .code(let c): return c
        case .line(let l): return l
        }
    }
}

/// One cell of a published table.
public struct Cell: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// Typed by an editor at this place.
        case entered(SourceLocation)
        /// Computed by sitegen (subtotal, cross-table line).
        case derived
        /// Blank by the form itself (printed ——).
        case notApplicable
        /// Nobody entered it and nothing derives it.
        case missing
        /// Left blank in a line the editor typed, where the form would take the figure from another
        /// table: printed blank, as the document prints it, never filled from the other table
        /// (`check` reports the other table's figure if it has one).
        case blank(SourceLocation)
    }

    public var value: Amount?
    public var origin: Origin
    /// How the form computes this cell, when it does (also what `check` verifies).
    public var formula: Formula?

    public init(value: Amount? = nil, origin: Origin = .missing, formula: Formula? = nil) {
        self.value = value
        self.origin = origin
        self.formula = formula
    }

    public static let notApplicable = Cell(origin: .notApplicable)

    public var isEntered: Bool { if case .entered = origin { return true } else { return false } }
    /// Filled from its formula: neither typed, nor ——, nor left blank on purpose.
    public var isDerivable: Bool {
        switch origin {
        case .missing, .derived: formula != nil
        case .entered, .notApplicable, .blank: false
        }
    }
    public var location: SourceLocation? { if case .entered(let l) = origin { return l } else { return nil } }
}

/// A reference to one cell: table, section, row and column (by label).
public struct CellRef: Hashable, Sendable, CustomStringConvertible {
    public var table: Int
    public var section: String
    public var row: RowKey
    public var column: String

    public init(table: Int, section: String, row: RowKey, column: String) {
        self.table = table
        self.section = section
        self.row = row
        self.column = column
    }

    /// `03.201.本年支出合计` — the same syntax as data references in Markdown.
    public var description: String { "\(TableKind.code(table)).\(row).\(column)" }
}

/// How a derived cell is computed from others: the sum of its terms.
///
/// Most derived cells of a disclosure are subtotals (a 类 is the sum of its 款 in the same column)
/// or row totals (合计 = 基本支出 + 项目支出 in the same row). They are stored as a `FormulaGrid`
/// shared by the cells of a row, plus a column, instead of a list of references per cell: as lists,
/// the formulas were a large part of a derived disclosure's memory
/// (bench/README.md#figures-that-were-in-code-comments).
public struct Formula: Hashable, Sendable {
    enum Storage: Sendable {
        case cells([CellRef])
        /// Every row of the grid, in its column `column`.
        case column(FormulaGrid, Int32)
        /// Every column of the grid, in its only row.
        case row(FormulaGrid)
    }

    var storage: Storage
    /// When none of the terms exists (e.g. a 类 absent from 公开03表), print 0.00 instead of blank.
    public var zeroWhenAbsent: Bool

    public init(sum terms: [CellRef], zeroWhenAbsent: Bool = false) {
        self.storage = .cells(terms)
        self.zeroWhenAbsent = zeroWhenAbsent
    }

    /// The sum of `grid`'s rows in its column `column`.
    public init(column: Int, of grid: FormulaGrid) {
        self.storage = .column(grid, Int32(column))
        self.zeroWhenAbsent = false
    }

    /// The sum of `grid`'s columns in its one row.
    public init(row grid: FormulaGrid) {
        self.storage = .row(grid)
        self.zeroWhenAbsent = false
    }

    /// The cells summed, in order.
    public var terms: [CellRef] {
        switch storage {
        case .cells(let terms): terms
        case .column(let g, let c): g.rows.map { CellRef(table: g.table, section: g.section, row: $0, column: g.columns[Int(c)]) }
        case .row(let g): g.columns.map { CellRef(table: g.table, section: g.section, row: g.rows[0], column: $0) }
        }
    }

    public static func == (a: Formula, b: Formula) -> Bool { a.zeroWhenAbsent == b.zeroWhenAbsent && a.terms == b.terms }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(terms)
        hasher.combine(zeroWhenAbsent)
    }
}

/// Rows × columns of one section of one table, shared by the formulas of a row (see `Formula`).
public final class FormulaGrid: Sendable {
    public let table: Int
    public let section: String
    public let rows: [RowKey]
    public let columns: [String]

    public init(table: Int, section: String, rows: [RowKey], columns: [String]) {
        self.table = table
        self.section = section
        self.rows = rows
        self.columns = columns
    }
}

public struct Column: Sendable, Hashable {
    /// Printed header, also the name used in references (`本年支出合计`).
    public var label: String
    /// A spanning header above this column (`本年支出`), if any.
    public var group: String?
    /// 栏次 printed under the header, if the form has them.
    public var number: Int?
    /// Whether values are counts (printed without decimals) instead of 万元.
    public var isCount: Bool
    /// The columns (by label) it is the sum of, on every row that does not say otherwise (row totals:
    /// 本年支出合计 = 基本支出 + 项目支出).
    public var sum: [String] = []

    public init(_ label: String, group: String? = nil, number: Int? = nil, isCount: Bool = false, sum: [String] = []) {
        self.label = label
        self.group = group
        self.number = number
        self.isCount = isCount
        self.sum = sum
    }
}

public struct Row: Sendable, Hashable {
    public var key: RowKey
    /// Printed label (科目名称, or the form's line label with its numbering).
    public var label: String
    /// Other names this row answers to in references (the label without numbering, the 行次).
    public var aliases: [String]
    /// 行次, for forms that number their lines.
    public var lineNumber: Int?
    /// 0 合计, 1 类, 2 款, 3 项; for fixed lines 0 total, 1 line, 2 sub-line.
    public var level: Int
    public var cells: [Cell]
    /// Where the row was typed, if it was.
    public var location: SourceLocation?
    /// A numbered line of the form that carries nothing (printed with its 行次 only), or a heading
    /// row a document prints with a label only.
    public var isPlaceholder: Bool
    /// A line of the national form that the document does not print (`PrintedLine.hidden`).
    public var isHidden = false
    /// Its figures are counts (车辆数, 个), printed without decimals, whatever its column says.
    public var isCount = false

    public init(key: RowKey, label: String, aliases: [String] = [], lineNumber: Int? = nil, level: Int = 1,
                cells: [Cell], location: SourceLocation? = nil, isPlaceholder: Bool = false) {
        self.key = key
        self.label = label
        self.aliases = aliases
        self.lineNumber = lineNumber
        self.level = level
        self.cells = cells
        self.location = location
        self.isPlaceholder = isPlaceholder
    }

    public var code: String? { if case .code(let c) = key { return c } else { return nil } }

    /// Its figure in `column` is a count (辆, 台套, 个), not 万元: the column or the line says so.
    public func isCount(in column: Column) -> Bool { column.isCount || isCount }
}

/// A block of a table with its own columns: 收入 / 支出 of 01, 人员经费 / 公用经费 of 06.
public struct Section: Sendable, Hashable {
    public var id: String
    public var columns: [Column]
    public var rows: [Row]
    /// Rows are classification codes (功能分类 or 经济分类), ordered and summed by hierarchy.
    public var classification: Classification?
    /// 06: the 类 codes whose rows it takes (`301`, `303`); empty: those no other section takes.
    public var codes: [String] = []

    /// `row`'s figure in column `c` is a count (`Row.isCount(in:)`).
    public func isCount(_ row: Row, _ c: Int) -> Bool { row.isCount(in: columns[c]) }

    public init(id: String, columns: [Column], rows: [Row] = [], classification: Classification? = nil) {
        self.id = id
        self.columns = columns
        self.rows = rows
        self.classification = classification
    }

    public func columnIndex(_ label: String) -> Int? { columns.firstIndex { $0.label == label } }

    public func rowIndex(_ key: RowKey) -> Int? { rows.firstIndex { $0.key == key } }

    /// Finds a row by key, code, label, alias or 行次 (as written in a data reference).
    public func rowIndex(named name: String) -> Int? {
        if let i = rows.firstIndex(where: { $0.key.description == name && !$0.isPlaceholder }) { return i }
        if let i = rows.firstIndex(where: { !$0.isPlaceholder && ($0.label == name || $0.aliases.contains(name)) }) { return i }
        if let n = Int(name), let i = rows.firstIndex(where: { $0.lineNumber == n && !$0.isPlaceholder }) { return i }
        return nil
    }
}

public enum Classification: String, Sendable, Hashable {
    /// 支出功能分类: 类 3 digits, 款 5, 项 7.
    case functional
    /// 部门支出经济分类: 类 3 digits, 款 5.
    case economic
}

/// One of the ten 公开 tables of a disclosure.
public struct Table: Sendable, Hashable {
    public var kind: TableKind
    /// 2022 or 2023: which layout of 06/09/10.
    public var form: Int
    public var sections: [Section]
    /// The `"0N":` key in disclosure.yaml, when the table was written at all.
    public var location: SourceLocation?
    /// 08 with 年初结转和结余 / 本年收入 / 年末结转和结余.
    public var extendedLayout: Bool
    /// How the disclosure's document prints it (its form file); nil for a table made without one.
    public var printed: PrintedTable?

    public init(kind: TableKind, form: Int, sections: [Section], location: SourceLocation? = nil, extendedLayout: Bool = false,
                printed: PrintedTable? = nil) {
        self.kind = kind
        self.form = form
        self.sections = sections
        self.location = location
        self.extendedLayout = extendedLayout
        self.printed = printed
    }

    public var number: Int { kind.rawValue }

    public func section(_ id: String) -> Section? { sections.first { $0.id == id } }

    /// True when no cell carries a value: published with its form's empty note.
    public var isEmpty: Bool {
        !sections.contains { $0.rows.contains { $0.cells.contains { $0.value != nil } } }
    }
}
