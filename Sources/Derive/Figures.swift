import Model

/// A figure named in prose: `{{03.合计.基本支出 | 占比 03.合计.本年支出合计}}`.
public struct FigureReference: Hashable, Sendable {
    public var path: FigurePath
    public var operation: Operation?

    public init(path: FigurePath, operation: Operation? = nil) {
        self.path = path
        self.operation = operation
    }

    public enum Operation: Hashable, Sendable {
        /// Share of another figure, in % (占比, 执行率).
        case share(of: FigurePath)
        /// Last year's figure (上年).
        case previous
        /// |this − last year| (增减额).
        case difference
        /// 增加 / 减少 / 持平 (增减).
        case changeWord
        /// |this − last year| / last year, in % (增长率).
        case growthRate
        /// 增长 / 下降 / 持平 (增长).
        case growthWord
    }

    static let operations: [String: String] = [
        "占比": "share", "share": "share", "执行率": "share", "完成率": "share",
        "上年": "prev", "prev": "prev",
        "增减额": "diff", "diff": "diff",
        "增减": "change", "change": "change",
        "增长率": "pct", "pct": "pct",
        "增长": "trend", "trend": "trend",
    ]

    /// Parses the text between `{{` and `}}`; the error explains the syntax.
    public static func parse(_ text: String) -> Result<FigureReference, FigureError> {
        let parts = text.pieces("|", maxSplits: 1).map { $0.trimmingSpaces() }
        guard let first = parts.first, case .success(let path) = FigurePath.parse(first) else {
            return .failure(.syntax("'\(text)' is not a figure; expected table.row or table.row.column, e.g. 03.合计.基本支出"))
        }
        guard parts.count == 2 else { return .success(FigureReference(path: path)) }
        let words = parts[1].pieces(" ", "\t")
        guard let name = words.first, let op = operations[name] else {
            return .failure(.syntax("unknown operation '\(parts[1])'; expected 占比 <figure>, 上年, 增减额, 增减, 增长率 or 增长"))
        }
        switch op {
        case "share":
            guard words.count == 2, case .success(let whole) = FigurePath.parse(words[1]) else {
                return .failure(.syntax("\(name) needs the whole it is a share of, e.g. | 占比 03.合计.本年支出合计"))
            }
            return .success(FigureReference(path: path, operation: .share(of: whole)))
        default:
            guard words.count == 1 else { return .failure(.syntax("\(name) takes no argument")) }
            let operation: Operation = switch op {
            case "prev": .previous
            case "diff": .difference
            case "change": .changeWord
            case "pct": .growthRate
            default: .growthWord   // "trend"
            }
            return .success(FigureReference(path: path, operation: operation))
        }
    }
}

/// `03.合计.基本支出`: table, row (code, label, 行次 or 合计), optional column.
public struct FigurePath: Hashable, Sendable, CustomStringConvertible {
    public var table: Int
    public var row: String
    public var column: String?

    public init(table: Int, row: String, column: String? = nil) {
        self.table = table
        self.row = row
        self.column = column
    }

    public static func parse(_ text: String) -> Result<FigurePath, FigureError> {
        let parts = text.pieces(".", keepingEmpty: true)
        if let t = Int(parts[0]), !(1...10).contains(t) {
            return .failure(.syntax("'\(text)': there is no table \(parts[0]); tables are 01 … 10"))
        }
        guard (2...3).contains(parts.count), let t = Int(parts[0]), (1...10).contains(t), parts[0].count <= 2,
              !parts[1].isEmpty, parts.count == 2 || !parts[2].isEmpty else {
            return .failure(.syntax("'\(text)' is not a figure; expected table.row or table.row.column, e.g. 03.合计.基本支出"))
        }
        return .success(FigurePath(table: t, row: parts[1], column: parts.count == 3 ? parts[2] : nil))
    }

    public var description: String { "\(TableKind.code(table)).\(row)" + (column.map { ".\($0)" } ?? "") }
}

public enum FigureError: Error, Equatable, Sendable, CustomStringConvertible {
    case syntax(String)
    case notFound(String)
    case noPreviousYear(String)

    public var description: String {
        switch self {
        case .syntax(let s), .notFound(let s), .noPreviousYear(let s): return s
        }
    }
}

/// What a reference evaluates to; Views formats it.
public enum FigureValue: Hashable, Sendable {
    case amount(Amount, isCount: Bool)
    case percent(Amount)
    case word(String)
    /// The cell exists but is blank.
    case blank
}

/// Resolves figures of one (completed) disclosure, with last year's for year-on-year operations.
public struct FigureBook: Sendable {
    public let current: Disclosure
    public let previous: Disclosure?

    public init(current: Disclosure, previous: Disclosure?) {
        self.current = current
        self.previous = previous
    }

    /// Finds a cell: the section holding the row and the column (or the only column).
    public static func locate(_ path: FigurePath, in d: Disclosure) -> Result<(Row, Column, Cell), FigureError> {
        guard let kind = TableKind(rawValue: path.table) else { return .failure(.notFound("no table \(path.table)")) }
        let table = d.table(kind)
        var rowFound = false
        for section in table.sections {
            guard let r = section.rowIndex(named: path.row) else { continue }
            rowFound = true
            let row = section.rows[r]
            let c: Int?
            if let name = path.column { c = section.columnIndex(name) } else { c = section.columns.count == 1 ? 0 : nil }
            guard let c else { continue }
            return .success((row, section.columns[c], row.cells[c]))
        }
        if !rowFound {
            return .failure(.notFound("\(kind.formNumber) has no row '\(path.row)' in \(d.id)"))
        }
        let columns = table.sections.filter { $0.rowIndex(named: path.row) != nil }.flatMap { $0.columns.map(\.label) }
        if path.column == nil {
            return .failure(.notFound("\(kind.formNumber) row '\(path.row)' has several columns; name one: \(columns.joined(separator: ", "))"))
        }
        return .failure(.notFound("\(kind.formNumber) row '\(path.row)' has no column '\(path.column!)'; columns: \(columns.joined(separator: ", "))"))
    }

    /// The canonical name of a cell (row key, not alias), used to match `prior:` entries.
    static func canonical(_ path: FigurePath, row: Row, column: Column) -> String {
        "\(TableKind.code(path.table)).\(row.key).\(column.label)"
    }

    func amount(_ path: FigurePath, in d: Disclosure) -> Result<(Amount?, Bool), FigureError> {
        Self.locate(path, in: d).map { row, column, cell in
            (cell.value, row.isCount(in: column))
        }
    }

    func lastYear(_ path: FigurePath) -> Result<Amount?, FigureError> {
        switch Self.locate(path, in: current) {
        case .failure(let e): return .failure(e)
        case .success(let (row, column, _)):
            let key = Self.canonical(path, row: row, column: column)
            for (k, v) in current.prior {
                if case .success(let p) = FigurePath.parse(k), case .success(let (pr, pc, _)) = Self.locate(p, in: current),
                   Self.canonical(p, row: pr, column: pc) == key {
                    return .success(v.0)
                }
            }
            if let previous {
                if case .success(let (_, _, cell)) = Self.locate(path, in: previous) { return .success(cell.value) }
                // A row absent last year was 0.
                return .success(.zero)
            }
            return .failure(.noPreviousYear("no \(current.year - 1) figure for \(path): add the \(current.year - 1) disclosure of \(current.department) or `prior: {\"\(path)\": …}` in disclosure.yaml"))
        }
    }

    public func evaluate(_ ref: FigureReference) -> Result<FigureValue, FigureError> {
        let this: (Amount?, Bool)
        switch amount(ref.path, in: current) {
        case .failure(let e): return .failure(e)
        case .success(let v): this = v
        }
        guard let op = ref.operation else {
            return .success(this.0.map { .amount($0, isCount: this.1) } ?? .blank)
        }
        let value = this.0 ?? .zero
        switch op {
        case .share(let whole):
            switch amount(whole, in: current) {
            case .failure(let e): return .failure(e)
            case .success(let (w, _)):
                guard let w, let p = value.percent(of: w) else { return .success(.percent(.zero)) }
                return .success(.percent(p))
            }
        case .previous, .difference, .changeWord, .growthRate, .growthWord:
            let last: Amount
            switch lastYear(ref.path) {
            case .failure(let e): return .failure(e)
            case .success(let v): last = v ?? .zero
            }
            let delta = value - last
            switch op {
            case .previous: return .success(.amount(last, isCount: this.1))
            case .difference: return .success(.amount(delta.magnitude, isCount: this.1))
            case .changeWord: return .success(.word(delta.isZero ? "持平" : delta.isNegative ? "减少" : "增加"))
            case .growthWord: return .success(.word(delta.isZero ? "持平" : delta.isNegative ? "下降" : "增长"))
            default:
                // From nothing to something is conventionally written as 100%.
                guard let p = delta.magnitude.percent(of: last.magnitude) else {
                    return .success(.percent(delta.isZero ? .zero : Amount(integer: 100).atLeast(decimals: 2)))
                }
                return .success(.percent(p))
            }
        }
    }
}

extension String {
    /// `split` over scalars, for the ASCII separators of a reference: splitting Characters (grapheme
    /// breaking of the Chinese text around them) was most of the time spent reading references.
    func pieces(_ separators: Unicode.Scalar..., maxSplits: Int = .max, keepingEmpty: Bool = false) -> [String] {
        unicodeScalars.split(maxSplits: maxSplits, omittingEmptySubsequences: !keepingEmpty, whereSeparator: separators.contains)
            .map { String($0) }
    }
}
