import Model

/// Completes a disclosure's tables: 款/类/合计 rows as sums of their children, row totals as sums
/// of their columns, fixed lines from their formulas (including cross-table lines such as 01's 类
/// from 03). Entered values are never replaced; every derived cell carries the formula it came from.
public enum Derive {
    public static func complete(_ disclosure: Disclosure, catalog: Catalog) -> Disclosure {
        var d = disclosure
        for t in d.tables.indices where d.tables[t].kind.classification != nil {
            d.tables[t] = addHierarchy(d.tables[t], catalog: catalog)
        }
        var evaluator = Evaluator(tables: d.tables)
        for t in d.tables.indices {
            for s in d.tables[t].sections.indices {
                for r in d.tables[t].sections[s].rows.indices {
                    for c in d.tables[t].sections[s].rows[r].cells.indices {
                        let cell = d.tables[t].sections[s].rows[r].cells[c]
                        guard cell.isDerivable else { continue }
                        let value = evaluator.value(Position(t: t, s: s, r: r, c: c))
                        d.tables[t].sections[s].rows[r].cells[c].value = value
                        d.tables[t].sections[s].rows[r].cells[c].origin = .derived
                    }
                }
            }
        }
        return d
    }

    /// The value a cell's formula gives (for checks), whether or not the cell was entered.
    public static func formulaValue(_ formula: Formula, in tables: [Table]) -> Amount? {
        var evaluator = Evaluator(tables: tables)
        return evaluator.sum(formula)
    }

    /// `formulaValue` for many formulas over the same tables: the cell index is built once (checking every
    /// cell with a fresh index would take time quadratic in the number of rows).
    public struct FormulaValues {
        var evaluator: Evaluator
        public init(_ tables: [Table]) { evaluator = Evaluator(tables: tables) }
        public mutating func value(_ formula: Formula) -> Amount? { evaluator.sum(formula) }
    }

    /// Adds derived 款, 类 and 合计 rows, orders rows by code (合计 first) and gives every
    /// parent row and every row-total column its formula.
    static func addHierarchy(_ table: Table, catalog: Catalog) -> Table {
        var table = table
        for s in table.sections.indices {
            var section = table.sections[s]
            let totals = section.rowTotals
            let width = section.columns.count
            var byKey: [RowKey: Row] = [:]
            for row in section.rows { byKey[row.key] = row }
            // Parents of every code present.
            for row in section.rows {
                guard var code = row.code else { continue }
                while code.count > 3 {
                    code = String(code.prefix(code.count - 2))
                    if byKey[.code(code)] == nil {
                        byKey[.code(code)] = Row(key: .code(code), label: catalog.name(code, in: section.classification ?? .functional) ?? "", level: code.count == 3 ? 1 : 2,
                                                 cells: Array(repeating: Cell(), count: width))
                    }
                }
            }
            if !byKey.isEmpty || table.kind == .t06 {
                if byKey[.total] == nil {
                    byKey[.total] = Row(key: .total, label: "合计", level: 0, cells: Array(repeating: Cell(), count: width))
                }
            }
            let codes = byKey.keys.compactMap { k -> String? in if case .code(let c) = k { return c } else { return nil } }.sorted()
            var rows: [Row] = []
            if var total = byKey[.total] {
                if table.kind == .t06 { total.label = section.id + "合计" }
                rows.append(total)
            }
            for code in codes { rows.append(byKey[.code(code)]!) }
            // Direct children of each code ("" = 合计, whose children are the 类), in one pass: linear in rows.
            var childrenOf: [String: [RowKey]] = [:]
            for code in codes { childrenOf[code.count == 3 ? "" : String(code.dropLast(2)), default: []].append(.code(code)) }
            // Formulas: a parent is the sum of its direct children; 合计 the sum of the 类. One grid
            // per row is shared by its cells (see `Formula`).
            let labels = section.columns.map(\.label)
            let partLabels = totals.mapValues { $0.map { labels[$0] } }
            for i in rows.indices {
                let children: [RowKey]
                switch rows[i].key {
                case .total: children = childrenOf[""] ?? []
                case .code(let c): children = childrenOf[c] ?? []
                case .line: children = []
                }
                let down = children.isEmpty ? nil : FormulaGrid(table: table.number, section: section.id, rows: children, columns: labels)
                // A cell printed "——" is neither computed nor checked.
                for c in 0..<width where rows[i].cells[c].origin != .notApplicable {
                    if let down {
                        rows[i].cells[c].formula = Formula(column: c, of: down)
                    } else if let parts = partLabels[c] {
                        rows[i].cells[c].formula = Formula(row: FormulaGrid(table: table.number, section: section.id, rows: [rows[i].key], columns: parts))
                    }
                }
            }
            section.rows = rows
            table.sections[s] = section
        }
        return table
    }
}

struct Position { var t, s, r, c: Int }

/// Text hashed and compared by its UTF-8 bytes. `String` hashes non-ASCII text through Unicode
/// normalization, which was most of the cost of finding a formula's cells by their Chinese section
/// ids, row labels and column labels. Those come from the same constants (`Forms`) or the same
/// parsed file on both sides, so equal texts are equal bytes.
struct ByteKey: Hashable {
    let text: String
    init(_ text: String) { self.text = text }
    func hash(into hasher: inout Hasher) {
        var text = text   // `withUTF8` is mutating; a native string is not copied
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
    static func == (a: ByteKey, b: ByteKey) -> Bool {
        var a = a.text, b = b.text
        return a.withUTF8 { x in b.withUTF8 { y in x.count == y.count && x.elementsEqual(y) } }
    }
}

/// A `RowKey` hashed by bytes, as `ByteKey`.
struct RowBytes: Hashable {
    let kind: UInt8
    let text: ByteKey
    init(_ key: RowKey) {
        switch key {
        case .total: (kind, text) = (0, ByteKey(""))
        case .code(let c): (kind, text) = (1, ByteKey(c))
        case .line(let l): (kind, text) = (2, ByteKey(l))
        }
    }
}

/// Evaluates formulas across the tables of one disclosure, memoised, with a cycle guard.
struct Evaluator {
    let tables: [Table]
    /// Table number → section id → where its rows and columns are.
    var index: [Int: [ByteKey: SectionIndex]] = [:]
    /// Cells are numbered in order (`first[t][s][r] + c`); values found so far (nil: not yet), and the
    /// cells being evaluated (the cycle guard), are kept in arrays by that number rather than hashed by position.
    var first: [[[Int]]] = []
    var memo: [Amount??]
    var visiting: [Bool]

    init(tables: [Table]) {
        self.tables = tables
        var count = 0
        // Rows and columns indexed per section (rows + columns entries, not rows × columns cell references).
        for (t, table) in tables.enumerated() {
            first.append([])
            for (s, section) in table.sections.enumerated() {
                var place = SectionIndex(t: t, s: s)
                for (r, row) in section.rows.enumerated() { place.rows[RowBytes(row.key)] = r }
                for (c, column) in section.columns.enumerated() { place.columns[ByteKey(column.label)] = c }
                index[table.number, default: [:]][ByteKey(section.id)] = place
                first[t].append(section.rows.map { row in defer { count += row.cells.count }; return count })
            }
        }
        memo = Array(repeating: nil, count: count)
        visiting = Array(repeating: false, count: count)
    }

    struct SectionIndex {
        var t, s: Int
        var rows: [RowBytes: Int] = [:]
        var columns: [ByteKey: Int] = [:]
    }

    func position(_ ref: CellRef) -> Position? {
        guard let place = index[ref.table]?[ByteKey(ref.section)], let r = place.rows[RowBytes(ref.row)],
              let c = place.columns[ByteKey(ref.column)] else { return nil }
        return Position(t: place.t, s: place.s, r: r, c: c)
    }

    mutating func value(_ p: Position) -> Amount? {
        let k = first[p.t][p.s][p.r] + p.c
        if let known = memo[k] { return known }
        let cell = tables[p.t].sections[p.s].rows[p.r].cells[p.c]
        var result = cell.value
        if cell.isDerivable, let f = cell.formula, !visiting[k] {
            visiting[k] = true
            result = sum(f)
            visiting[k] = false
        }
        memo[k] = .some(result)
        return result
    }

    mutating func sum(_ f: Formula) -> Amount? {
        var total: Amount?
        for term in f.terms {
            guard let p = position(term), let v = value(p) else { continue }
            total = (total ?? Amount(units: 0, scale: v.scale)) + v
        }
        if total == nil && f.zeroWhenAbsent {
            // 0.00 for a 类 absent from a table that lists classification rows; blank when it lists none
            // (an empty table, or one given only as its 合计 row).
            if let t = f.terms.first?.table, let table = tables.first(where: { $0.number == t }),
               table.sections.contains(where: { $0.rows.contains { $0.code != nil && $0.cells.contains { $0.value != nil } } }) {
                return .zero
            }
        }
        return total
    }
}
