extension Forms {
    /// The empty table its definition describes: classified sections without rows, or the fixed
    /// lines with their 行次 and formulas (the 类 of the year expanded).
    static func makeSkeleton(_ kind: TableKind, form: Int, definition: TableDefinition, classes: [(String, String)], extended: Bool) -> Table {
        let specs = extended ? definition.extended ?? definition.sections : definition.sections
        var number = 0
        let sections = specs.map { spec in
            var section = Section(id: spec.id, columns: spec.columns, classification: spec.classification)
            section.codes = spec.codes
            var lines = LineMaker(table: kind.rawValue, section: spec, classes: classes, number: number)
            for line in spec.lines { lines.add(line) }
            section.rows = lines.rows
            number = lines.number
            return section
        }
        return Table(kind: kind, form: form, sections: sections, extendedLayout: extended && definition.extended != nil)
    }

    /// The rows of one section's lines, numbered as they come.
    private struct LineMaker {
        let table: Int
        let section: SectionDefinition
        let classes: [(String, String)]
        /// The last 行次 given.
        var number: Int
        var rows: [Row] = []

        mutating func add(_ line: LineDefinition) {
            switch line.kind {
            case .line: append(line, key: line.key, label: line.label ?? line.key)
            case .blank: blank(key: line.key)
            case .classes:
                for (i, c) in classes.enumerated() { append(line, key: c.0, label: Forms.numeral(i + 1) + c.1, name: c.1) }
            case .padToClasses:
                while rows.count < classes.count { blank(key: "") }
            }
        }

        mutating func next() -> Int? {
            guard section.numbered else { return nil }
            number += 1
            return number
        }

        /// A numbered line that carries nothing; key "" = `#<行次>`.
        mutating func blank(key: String) {
            let n = next()
            rows.append(Row(key: .line(key.isEmpty ? "#\(n ?? rows.count + 1)" : key), label: "", lineNumber: n,
                            cells: section.columns.map { _ in Cell() }, isPlaceholder: true))
        }

        mutating func append(_ line: LineDefinition, key: String, label: String, name: String? = nil) {
            var aliases: [String] = []
            if label != key, !label.isEmpty { aliases.append(label) }
            if let name { aliases.append(name) }
            // 总计 stands on both sides of 01 and 04: 收入总计 / 支出总计 name one side.
            if key.hasSuffix("合计") || key == "总计" { aliases.append(section.id + key) }
            aliases += line.aliases
            let cells = section.columns.map { column in cell(line, key: key, column: column) }
            var row = Row(key: .line(key), label: label, aliases: aliases, lineNumber: next(), level: line.level, cells: cells)
            row.isCount = line.isCount
            rows.append(row)
        }

        /// "——", the line's own sum, the column's row total, or entered.
        func cell(_ line: LineDefinition, key: String, column: Column) -> Cell {
            if LineDefinition.matches(line.dashes, column.label) { return .notApplicable }
            if let terms = line.terms(column.label) {
                let cells = terms.flatMap { refs($0, key: key, column: column.label) }
                return Cell(formula: Formula(sum: cells, zeroWhenAbsent: LineDefinition.matches(line.zeroWhenAbsent, column.label)))
            }
            if !column.sum.isEmpty {
                return Cell(formula: Formula(sum: column.sum.map { CellRef(table: table, section: section.id, row: .line(key), column: $0) }))
            }
            return Cell()
        }

        /// The cells a term names: a line of this section, `classes`, or `TT.section.row.column`.
        func refs(_ term: String, key: String, column: String) -> [CellRef] {
            if term == "classes" { return classes.map { CellRef(table: table, section: section.id, row: .line($0.0), column: column) } }
            if let ref = Forms.reference(term.replacingOccurrences(of: "{key}", with: key)) { return [ref] }
            return [CellRef(table: table, section: section.id, row: .line(term), column: column)]
        }
    }

    /// `03.科目.201.本年支出合计`: a cell of another table (rows of a classified table by code, 合计 its total).
    public static func reference(_ text: String) -> CellRef? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4, parts[0].count == 2, let n = Int(parts[0]), let kind = TableKind(rawValue: n) else { return nil }
        let row: RowKey = kind.classification == nil ? .line(parts[2]) : parts[2] == "合计" ? .total : .code(parts[2])
        return CellRef(table: n, section: parts[1], row: row, column: parts[3])
    }
}
