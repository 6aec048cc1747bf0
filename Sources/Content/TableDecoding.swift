import Model

extension Decoder {
    /// Decodes `tables:` of disclosure.yaml into the ten tables of the form year.
    ///
    /// `others` are the catalogues of other years (to tell an editor that a code belongs to another year);
    /// `incomplete` the classifications whose catalogue file is missing or broken (already reported).
    mutating func tables(_ node: Located?, form: Int, catalog: Catalog, parent: Located,
                         others: [Int: Catalog] = [:], incomplete: Set<Classification> = []) -> [Table] {
        var byKind: [TableKind: Located] = [:]
        if let m = mapping(node, "tables") {
            for (k, v) in m {
                let key = k.scalar ?? ""
                let normalized = key.count == 1 ? "0" + key : key
                guard let kind = TableKind.allCases.first(where: { $0.code == normalized }) else {
                    error(k, "tables: found unknown table '\(key)'; expected \"01\" … \"10\" (the ten 公开 tables)")
                    continue
                }
                if byKind[kind] != nil { error(k, "tables: found table \(kind.code) a second time (as '\(key)'); expected each table once") }
                byKind[kind] = v
            }
        }
        return TableKind.allCases.map { kind in
            let node = byKind[kind]
            let extended = kind == .t08 && node?["layout"]?.scalar == "extended"
            var table = Forms.skeleton(kind, form: form, classes: catalog.classes, extended: extended)
            table.location = node?.location
            guard let node, !node.isNull else { return table }
            guard node.mapping != nil else {
                let expected = kind.classification != nil
                    ? "a mapping with rows: (then the rows, each [code, amount, …])"
                    : "a mapping of sections (\(table.sections.map { $0.id + ":" }.joined(separator: ", ")))"
                error(node, "\(kind.formNumber): found \(node.kindName); expected \(expected)")
                return table
            }
            if kind.classification != nil {
                classifiedRows(node, into: &table, catalog: catalog, others: others, incomplete: incomplete)
            } else {
                lines(node, into: &table)
            }
            return table
        }
    }

    /// Rows `[code, (name,) amount…]` of 02/03/05/06/07/08.
    mutating func classifiedRows(_ node: Located, into table: inout Table, catalog: Catalog,
                                 others: [Int: Catalog] = [:], incomplete: Set<Classification> = []) {
        let kind = table.kind
        let classification = kind.classification!
        expectKeys(node, kind == .t08 ? ["rows", "layout"] : ["rows"], kind.formNumber)
        if kind == .t08, let layout = node["layout"], layout.scalar != "extended", layout.scalar != "standard" {
            error(layout, "公开08表 layout: found '\(layout.scalar ?? layout.kindName)'; expected standard or extended")
        }
        guard let rowsNode = node["rows"], !rowsNode.isNull else { return }
        guard let rows = rowsNode.sequence else {
            error(rowsNode, "\(kind.formNumber) rows: found \(rowsNode.kindName); expected a list of rows, each - [code, amount, …]")
            return
        }
        guard rows.count <= limits.tableRows else {
            error(rowsNode, tooManyRows(kind.formNumber, rows.count, perCode: true))
            return
        }
        let columns = table.sections[0].columns
        let validLengths = classification == .functional ? [3, 5, 7] : [3, 5]
        var seen: [String: SourceLocation] = [:]
        for row in rows {
            guard var items = row.sequence, let first = items.first else {
                let text = row.scalar.map { " '\($0)'" } ?? ""
                error(row, "\(kind.formNumber): found \(row.sequence != nil ? "an empty row" : row.kindName + text) as a row; expected a list in brackets: [code, amount, …]")
                continue
            }
            guard let code = first.scalar, !first.isNull else {
                error(first, "\(kind.formNumber): found \(first.isNull ? "a blank cell" : first.kindName) where the row's code belongs; expected its code first (e.g. 2010399) or 合计")
                continue
            }
            items.removeFirst()
            var typedName: String?
            // [code, name, amount…]: a name only when the row has one cell more than the form has columns,
            // so that a mistyped amount ('5.OO') is reported as an amount, not taken for a name.
            if items.count == columns.count + 1, let n = items.first, let s = n.scalar, !n.isNull,
               case .failure(.notANumber) = Amount.parse(s) {
                typedName = s
                items.removeFirst()
            }
            let isTotal = code == "合计"
            let name: String
            if isTotal {
                name = "合计"
            } else {
                guard code.allSatisfy({ $0.isASCII && $0.isNumber }), validLengths.contains(code.count) else {
                    var hint = ""
                    if classification == .economic, catalog.functional[code] != nil {
                        hint = " (\(code) is a 支出功能分类 code; 公开06表 rows are 经济分类 codes such as 30101)"
                    }
                    error(first, "\(kind.formNumber): found '\(code)', which is not a \(classification == .functional ? "支出功能分类" : "部门支出经济分类") code; expected \(classification == .functional ? "3 digits (类), 5 (款) or 7 (项)" : "3 digits (类) or 5 (款)"), or 合计\(hint)")
                    continue
                }
                guard let known = catalog.name(code, in: classification) else {
                    // A missing or broken catalogue file is reported once, not once per row.
                    if incomplete.contains(classification) { continue }
                    let file = "catalogs/\(catalog.year)/\(classification == .functional ? "functional" : "economic").yaml"
                    let elsewhere = others.keys.sorted().filter { $0 != catalog.year && others[$0]?.name(code, in: classification) != nil }
                    let hint = elsewhere.isEmpty ? "" : " (it is in the \(elsewhere.map(String.init).joined(separator: ", ")) catalogue: codes change between years — use a \(catalog.year) code)"
                    error(first, "\(kind.formNumber): found code \(code), which is not in the \(catalog.year) catalogue (\(file)); expected a code listed there\(hint)")
                    continue
                }
                name = known
                if let typedName, typedName != known {
                    bag.warning(first.location, "\(kind.formNumber) row \(code): typed name '\(typedName)' differs from the catalogue's '\(known)'; the catalogue's name is published")
                }
            }
            if let earlier = seen[code] {
                error(first, "\(kind.formNumber): found row \(code) a second time (first on line \(earlier.line)); expected each row once")
                continue
            }
            seen[code] = first.location
            guard items.count == columns.count else {
                error(row, "\(kind.formNumber) row \(code): found \(items.count) amount\(items.count == 1 ? "" : "s"); expected \(columns.count) (\(columns.map(\.label).joined(separator: ", ")))")
                continue
            }
            var cells: [Cell] = []
            var ok = true
            for (i, item) in items.enumerated() {
                guard let value = amount(item, "\(kind.formNumber) row \(code) \(name), column \(columns[i].label)") else { ok = false; continue }
                cells.append(value == nil ? Cell() : Cell(value: value, origin: .entered(item.location)))
            }
            guard ok else { continue }
            let level = isTotal ? 0 : (code.count == 3 ? 1 : code.count == 5 ? 2 : 3)
            let sectionID = kind == .t06 ? (isTotal ? nil : Forms.group06(ofCode: code)) : Forms.classifiedSection
            guard let sectionID, let s = table.sections.firstIndex(where: { $0.id == sectionID }) else {
                error(first, "公开06表: found a 合计 row; expected 经济分类 rows only (人员经费合计 and 公用经费合计 are derived)")
                continue
            }
            table.sections[s].rows.append(Row(key: isTotal ? .total : .code(code), label: name, level: level, cells: cells, location: row.location))
        }
    }

    /// Fixed lines of 01/04/09/10: `section: {line: amount or [amounts]}`.
    mutating func lines(_ node: Located, into table: inout Table) {
        let kind = table.kind
        expectKeys(node, table.sections.map(\.id), kind.formNumber + " (\(table.form) form)")
        for s in table.sections.indices {
            let section = table.sections[s]
            guard let m = mapping(node[section.id], "\(kind.formNumber) \(section.id)") else { continue }
            var seen: [Int: Int] = [:]   // row → line in the file
            for (k, v) in m {
                let key = k.scalar ?? ""
                guard let r = section.rowIndex(named: key) else {
                    let expected = section.rows.filter { !$0.isPlaceholder }.map { $0.key.description }
                    let hint = Decoder.closest(key, in: expected).map { " (did you mean '\($0)'?)" } ?? ""
                    error(k, "\(kind.formNumber) \(section.id): unknown line '\(key)'\(hint); expected one of: \(expected.joined(separator: ", "))")
                    continue
                }
                if let earlier = seen[r] {
                    let same = section.rows[r].key.description == key ? "" : " (the same line as '\(section.rows[r].key)')"
                    error(k, "\(kind.formNumber) \(section.id): found line '\(key)'\(same) a second time (first on line \(earlier)); expected each line once")
                    continue
                }
                seen[r] = k.location.line
                let row = section.rows[r]
                let open = row.cells.indices.filter { row.cells[$0].origin != .notApplicable }
                let items: [Located] = v.sequence ?? [v]
                guard items.count == open.count else {
                    let names = open.map { section.columns[$0].label }.joined(separator: ", ")
                    error(v, "\(kind.formNumber) \(section.id) line '\(key)': found \(items.count) value\(items.count == 1 ? "" : "s"); expected \(open.count) (\(names))")
                    continue
                }
                let countLine = kind == .t10 && Forms.isCountLine(row.key.description)
                let balance = row.key.description.contains("结余")
                for (item, c) in zip(items, open) {
                    let column = section.columns[c]
                    guard let value = amount(item, "\(kind.formNumber) line '\(row.key)', column \(column.label)",
                                             count: column.isCount || countLine, allowNegative: balance) else { continue }
                    if let value {
                        table.sections[s].rows[r].cells[c].value = value
                        table.sections[s].rows[r].cells[c].origin = .entered(item.location)
                    }
                }
                table.sections[s].rows[r].location = k.location
            }
        }
    }
}
