import Foundation
import Model
import Support

extension Decoder {
    /// The dashes documents print for "not applicable".
    static let dashSpellings = ["——", "—", "－－", "--", "―", "——————"]
    /// Their first scalars: a cell that starts with none of them is not trimmed and compared.
    static let dashStarts = Set(dashSpellings.compactMap(\.unicodeScalars.first))

    /// A cell written as a dash (`dashSpellings`), spaces around it aside.
    static func isDash(_ node: Located) -> Bool {
        // Most cells are amounts: only a text whose first scalar after spaces starts a dash is
        // trimmed and compared (Foundation's trimming was a noticeable part of reading a disclosure).
        guard let raw = node.scalar,
              let first = raw.unicodeScalars.first(where: { $0 != "\t" && $0.properties.generalCategory != .spaceSeparator }),
              dashStarts.contains(first) else { return false }
        return dashSpellings.contains(raw.trimmingCharacters(in: .whitespaces))
    }

    /// Decodes `tables:` of disclosure.yaml into the ten tables of the form year.
    ///
    /// `others` are the catalogues of other years (to tell an editor that a code belongs to another year);
    /// `incomplete` the classifications whose catalogue file is missing or broken (already reported).
    /// `printed`: how the disclosure's document prints them (its form).
    mutating func tables(_ node: Located?, form: Int, catalog: Catalog, parent: Located,
                         others: [Int: Catalog] = [:], incomplete: Set<Classification> = [], printed: PrintedForm? = nil) -> [Table] {
        var byKind: [TableKind: Located] = [:]
        if let m = mapping(node, "tables") {
            for (k, v) in m {
                let key = k.scalar ?? ""
                let normalized = key.count == 1 ? "0" + key : key
                guard let kind = TableKind.allCases.first(where: { $0.code == normalized }) else {
                    error(k, localized("tables：未知的表 '\(key)'；应为 \"01\" … \"10\"（十张公开表）",
                                       en: "tables: found unknown table '\(key)'; expected \"01\" … \"10\" (the ten 公开 tables)"))
                    continue
                }
                if byKind[kind] != nil {
                    error(k, localized("tables：表 \(kind.code) 出现了第二次（写作 '\(key)'）；每张表只能写一次",
                                       en: "tables: found table \(kind.code) a second time (as '\(key)'); expected each table once"))
                }
                byKind[kind] = v
            }
        }
        var tables = TableKind.allCases.map { kind in
            let node = byKind[kind]
            let extended = kind == .t08 && node?["layout"]?.scalar == "extended"
            var table = Forms.skeleton(kind, form: form, classes: catalog.classes, extended: extended,
                                       printed: printed?.table(kind))
            table.location = node?.location
            guard let node, !node.isNull else { return table }
            guard node.mapping != nil else {
                let sections = table.sections.map { $0.id + ":" }
                let expected = kind.classification != nil
                    ? localized("含 rows: 的映射（其下各行，每行 [科目编码, 金额, …]）", en: "a mapping with rows: (then the rows, each [code, amount, …])")
                    : localized("由各部分组成的映射（\(sections.joined(separator: "、"))）", en: "a mapping of sections (\(sections.joined(separator: ", ")))")
                error(node, localized("\(kind.formNumber)：写的是\(node.kindName)；应为\(expected)", en: "\(kind.formNumber): found \(node.kindName); expected \(expected)"))
                return table
            }
            if kind.classification != nil {
                classifiedRows(node, into: &table, catalog: catalog, others: others, incomplete: incomplete)
            } else {
                lines(node, into: &table)
            }
            return table
        }
        for t in tables.indices where tables[t].printed?.allCodes == true { Self.listEveryCode(&tables[t], catalog: catalog) }
        return tables
    }

    /// 06 as a form that lists every 经济分类 类 and 款 prints it: a blank row for each code of the
    /// catalogue the disclosure does not give (in its part: 301 and 303 人员经费, the rest 公用经费).
    static func listEveryCode(_ table: inout Table, catalog: Catalog) {
        guard table.kind == .t06 else { return }
        let given = Set(table.sections.flatMap { $0.rows.compactMap(\.code) })
        for code in catalog.economic.keys.sorted() where (code.count == 3 || code.count == 5) && !given.contains(code) {
            guard let s = table.sectionIndex(forCode: code) else { continue }
            table.sections[s].rows.append(Row(key: .code(code), label: catalog.economic[code] ?? "", level: code.count == 3 ? 1 : 2,
                                               cells: table.sections[s].columns.map { _ in Cell() }))
        }
    }

    /// Rows `[code, (name,) amount…]` of 02/03/05/06/07/08.
    mutating func classifiedRows(_ node: Located, into table: inout Table, catalog: Catalog,
                                 others: [Int: Catalog] = [:], incomplete: Set<Classification> = []) {
        let kind = table.kind
        expectKeys(node, kind == .t08 ? ["rows", "layout"] : ["rows"], kind.formNumber)
        if kind == .t08, let layout = node["layout"], layout.scalar != "extended", layout.scalar != "standard" {
            error(layout, localized("公开08表 layout：写的是 '\(layout.scalar ?? layout.kindName)'；应为 standard 或 extended",
                                    en: "公开08表 layout: found '\(layout.scalar ?? layout.kindName)'; expected standard or extended"))
        }
        guard let rowsNode = node["rows"], !rowsNode.isNull else { return }
        guard let rows = rowsNode.sequence else {
            error(rowsNode, localized("\(kind.formNumber) rows：写的是\(rowsNode.kindName)；应为由各行组成的列表，每行 - [科目编码, 金额, …]",
                                      en: "\(kind.formNumber) rows: found \(rowsNode.kindName); expected a list of rows, each - [code, amount, …]"))
            return
        }
        guard rows.count <= limits.tableRows else {
            error(rowsNode, tooManyRows(kind.formNumber, rows.count, perCode: true))
            return
        }
        let columns = table.sections[0].columns
        var seen: [String: SourceLocation] = [:]
        for row in rows {
            guard var items = row.sequence, let first = items.first else {
                let text = row.scalar.map { " '\($0)'" } ?? ""
                error(row, localized(
                    "\(kind.formNumber)：有一行写的是\(row.sequence != nil ? "空行" : row.kindName + text)；每行应为方括号中的列表：[科目编码, 金额, …]",
                    en: "\(kind.formNumber): found \(row.sequence != nil ? "an empty row" : row.kindName + text) as a row; expected a list in brackets: [code, amount, …]"))
                continue
            }
            guard let code = first.scalar, !first.isNull else {
                error(first, localized(
                    "\(kind.formNumber)：这一行应写科目编码的位置是\(first.isNull ? "空白单元格" : first.kindName)；每行应先写科目编码（如 2010399）或 合计",
                    en: "\(kind.formNumber): found \(first.isNull ? "a blank cell" : first.kindName) where the row's code belongs; expected its code first (e.g. 2010399) or 合计"))
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
            guard let name = isTotal ? "合计" : catalogName(code, at: first, kind: kind, typed: typedName, catalog: catalog,
                                                            others: others, incomplete: incomplete) else { continue }
            if let earlier = seen[code] {
                error(first, localized("\(kind.formNumber)：\(code) 行出现了第二次（第一次在第 \(earlier.line) 行）；每行只能写一次",
                                      en: "\(kind.formNumber): found row \(code) a second time (first on line \(earlier.line)); expected each row once"))
                continue
            }
            seen[code] = first.location
            guard items.count == columns.count else {
                error(row, localized(
                    "\(kind.formNumber) \(code) 行：有 \(items.count) 个金额；应为 \(columns.count) 个（\(columns.map(\.label).joined(separator: "、"))）",
                    en: "\(kind.formNumber) row \(code): found \(items.count) amount\(items.count == 1 ? "" : "s"); expected \(columns.count) (\(columns.map(\.label).joined(separator: ", ")))"))
                continue
            }
            var cells: [Cell] = []
            var ok = true
            for (i, item) in items.enumerated() {
                if Self.isDash(item) { cells.append(.notApplicable); continue }
                guard let value = amount(item, localized("\(kind.formNumber) \(code) \(name) 行“\(columns[i].label)”列",
                                                  en: "\(kind.formNumber) row \(code) \(name), column \(columns[i].label)")) else { ok = false; continue }
                cells.append(value == nil ? Cell() : Cell(value: value, origin: .entered(item.location)))
            }
            guard ok else { continue }
            // Blank stays blank: in a row typed with figures, a blank cell is printed blank, not filled with
            // the sum of the rows under it; only a row-total column (本年支出合计 …) is still derived.
            if cells.contains(where: \.isEntered) {
                let totals = table.sections.first?.rowTotals ?? [:]
                for c in cells.indices where !cells[c].isEntered && cells[c].origin != .notApplicable && totals[c] == nil {
                    cells[c].origin = .blank(items[c].location)
                }
            }
            let level = isTotal ? 0 : (code.count == 3 ? 1 : code.count == 5 ? 2 : 3)
            guard let s = isTotal ? (table.sections.count == 1 ? 0 : nil) : table.sectionIndex(forCode: code) else {
                error(first, localized("公开06表：有一行 合计；应只有经济分类行（人员经费合计和公用经费合计由系统计算）",
                                      en: "公开06表: found a 合计 row; expected 经济分类 rows only (人员经费合计 and 公用经费合计 are derived)"))
                continue
            }
            table.sections[s].rows.append(Row(key: isTotal ? .total : .code(code), label: name, level: level, cells: cells, location: row.location))
        }
    }

    /// The catalogue's name of a row's code (`first`, its first cell); nil, reported, when the code is
    /// not one of the classification's or not in the catalogue. A typed name that differs is a warning.
    mutating func catalogName(_ code: String, at first: Located, kind: TableKind, typed typedName: String?, catalog: Catalog,
                              others: [Int: Catalog], incomplete: Set<Classification>) -> String? {
        let classification = kind.classification!
        let validLengths = classification == .functional ? [3, 5, 7] : [3, 5]
        guard code.allSatisfy({ $0.isASCII && $0.isNumber }), validLengths.contains(code.count) else {
            let functionalCode = classification == .economic && catalog.functional[code] != nil
            let kindName = classification == .functional ? "支出功能分类" : "部门支出经济分类"
            error(first, localized(
                "\(kind.formNumber)：'\(code)' 不是\(kindName)编码；应为 \(classification == .functional ? "3 位（类）、5 位（款）或 7 位（项）" : "3 位（类）或 5 位（款）")数字，或 合计"
                    + (functionalCode ? "（\(code) 是支出功能分类编码；公开06表的行应为经济分类编码，如 30101）" : ""),
                en: "\(kind.formNumber): found '\(code)', which is not a \(kindName) code; expected \(classification == .functional ? "3 digits (类), 5 (款) or 7 (项)" : "3 digits (类) or 5 (款)"), or 合计"
                    + (functionalCode ? " (\(code) is a 支出功能分类 code; 公开06表 rows are 经济分类 codes such as 30101)" : "")))
            return nil
        }
        guard let known = catalog.name(code, in: classification) else {
            // A missing or broken catalogue file is reported once, not once per row.
            if incomplete.contains(classification) { return nil }
            let file = "catalogs/\(catalog.year)/\(classification == .functional ? "functional" : "economic").yaml"
            let elsewhere = others.keys.sorted().filter { $0 != catalog.year && others[$0]?.name(code, in: classification) != nil }
            let years = elsewhere.map(String.init)
            error(first, localized(
                "\(kind.formNumber)：编码 \(code) 不在 \(catalog.year) 年的科目目录（\(file)）中；应为其中列出的编码"
                    + (elsewhere.isEmpty ? "" : "（它在 \(years.joined(separator: "、")) 年的科目目录中：科目编码逐年变化——请用 \(catalog.year) 年的编码）"),
                en: "\(kind.formNumber): found code \(code), which is not in the \(catalog.year) catalogue (\(file)); expected a code listed there"
                    + (elsewhere.isEmpty ? "" : " (it is in the \(years.joined(separator: ", ")) catalogue: codes change between years — use a \(catalog.year) code)")))
            return nil
        }
        if let typedName, typedName != known {
            bag.warning(first.location, localized(
                "\(kind.formNumber) \(code) 行：写的名称 '\(typedName)' 与科目目录中的 '\(known)' 不同；发布的是科目目录中的名称",
                en: "\(kind.formNumber) row \(code): typed name '\(typedName)' differs from the catalogue's '\(known)'; the catalogue's name is published"))
        }
        return known
    }

    /// Fixed lines of 01/04/09/10: `section: {line: amount or [amounts]}`.
    mutating func lines(_ node: Located, into table: inout Table) {
        let kind = table.kind
        expectKeys(node, table.sections.map(\.id), localized("\(kind.formNumber)（\(table.form) 年表式）", en: "\(kind.formNumber) (\(table.form) form)"))
        for s in table.sections.indices {
            let section = table.sections[s]
            guard let m = mapping(node[section.id], "\(kind.formNumber) \(section.id)") else { continue }
            var seen: [Int: Int] = [:]   // row → line in the file
            for (k, v) in m {
                let key = k.scalar ?? ""
                guard let r = section.rowIndex(named: key) else {
                    let expected = section.rows.filter { !$0.isPlaceholder }.map { $0.key.description }
                    let guess = Decoder.closest(key, in: expected)
                    error(k, localized(
                        "\(kind.formNumber) \(section.id)：未知的行 '\(key)'\(guess.map { "（是否应为 '\($0)'？）" } ?? "")；应为以下之一：\(expected.joined(separator: "、"))",
                        en: "\(kind.formNumber) \(section.id): unknown line '\(key)'\(guess.map { " (did you mean '\($0)'?)" } ?? ""); expected one of: \(expected.joined(separator: ", "))"))
                    continue
                }
                if let earlier = seen[r] {
                    let same = section.rows[r].key.description == key
                    error(k, localized(
                        "\(kind.formNumber) \(section.id)：'\(key)' 行\(same ? "" : "（与 '\(section.rows[r].key)' 是同一行）")出现了第二次（第一次在第 \(earlier) 行）；每行只能写一次",
                        en: "\(kind.formNumber) \(section.id): found line '\(key)'\(same ? "" : " (the same line as '\(section.rows[r].key)')") a second time (first on line \(earlier)); expected each line once"))
                    continue
                }
                seen[r] = k.location.line
                let row = section.rows[r]
                let open = row.cells.indices.filter { row.cells[$0].origin != .notApplicable }
                let items: [Located] = v.sequence ?? [v]
                guard items.count == open.count else {
                    let names = open.map { section.columns[$0].label }
                    error(v, localized(
                        "\(kind.formNumber) \(section.id) '\(key)' 行：有 \(items.count) 个值；应为 \(open.count) 个（\(names.joined(separator: "、"))）",
                        en: "\(kind.formNumber) \(section.id) line '\(key)': found \(items.count) value\(items.count == 1 ? "" : "s"); expected \(open.count) (\(names.joined(separator: ", ")))"))
                    continue
                }
                let balance = row.key.description.contains("结余")
                for (item, c) in zip(items, open) {
                    let column = section.columns[c]
                    if Self.isDash(item) {
                        // Printed "——" (not applicable): neither blank nor 0, and never added up.
                        table.sections[s].rows[r].cells[c] = .notApplicable
                        continue
                    }
                    guard let value = amount(item, localized("\(kind.formNumber)“\(row.key)”行“\(column.label)”列", en: "\(kind.formNumber) line '\(row.key)', column \(column.label)"),
                                             count: row.isCount(in: column), allowNegative: balance) else { continue }
                    if let value {
                        table.sections[s].rows[r].cells[c].value = value
                        table.sections[s].rows[r].cells[c].origin = .entered(item.location)
                    }
                }
                // Blank stays blank: in a line typed with figures, a cell left blank is not filled
                // with another table's figure (a 类 line of 04 printed blank where 05 has one).
                if table.sections[s].rows[r].cells.contains(where: \.isEntered) {
                    for (item, c) in zip(items, open) where table.sections[s].rows[r].cells[c].isDerivable {
                        let terms = table.sections[s].rows[r].cells[c].formula?.terms ?? []
                        if terms.contains(where: { $0.table != kind.rawValue }) { table.sections[s].rows[r].cells[c].origin = .blank(item.location) }
                    }
                }
                table.sections[s].rows[r].location = k.location
            }
        }
    }
}
