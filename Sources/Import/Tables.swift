import Model
import Support

/// Reads one exported table into the model's table of the form year: classification rows as
/// found (detail rows and any subtotal rows), fixed lines by their keys.
struct TableReader {
    let kind: TableKind
    let form: Int
    let catalog: Catalog
    let sheet: Sheet
    var table: Table
    var report: TableReport

    init(_ sheet: Sheet, kind: TableKind, form: Int, catalog: Catalog) {
        self.kind = kind
        self.form = form
        self.catalog = catalog
        self.sheet = sheet
        table = Forms.skeleton(kind, form: form, classes: catalog.classes)
        report = TableReport(kind: kind, source: sheet.source == sheet.name ? sheet.name : "\(sheet.source) › \(sheet.name)")
    }

    /// Reasons for skipped rows that several readers give.
    static var headers: String { localized("表名、编制单位和表头", en: "title, 编制单位 and column headers") }
    static var lanciRowReason: String { localized("栏次行", en: "栏次 row") }
    static var noteRow: String { localized("注释", en: "note") }

    static let headerWords: Set<String> = ["栏次", "行次", "类", "款", "项", "科目编码", "科目名称", "项目"]
    static let economicTotals: Set<String> = ["人员经费合计", "公用经费合计", "公用支出合计", "合计"]

    static func cell(_ cells: [Sheet.Cell], _ i: Int) -> Sheet.Cell { i >= 0 && i < cells.count ? cells[i] : Sheet.Cell("") }
    static func isEmpty(_ cells: [Sheet.Cell]) -> Bool { cells.allSatisfy { Text.isBlank($0.text) } }

    /// The 栏次 row: whole numbers 1, 2, … n (n ≥ `minimum`) beside header words only. Returns (row index, columns).
    func lanciRow(minimum: Int = 1) -> (Int, [Int])? {
        for (k, row) in sheet.rows.enumerated() {
            let numbers = row.cells.indices.compactMap { i in Text.integer(row.cells[i].text).map { (i, $0) } }
            let words = row.cells.map { Text.norm($0.text) }.filter { !$0.isEmpty && Text.integer($0) == nil }
            guard numbers.count >= minimum, numbers.map(\.1) == Array(1...numbers.count),
                  words.allSatisfy({ Self.headerWords.contains($0) }), !words.isEmpty || numbers.count > 1 else { continue }
            return (k, numbers.map(\.0))
        }
        return nil
    }

    mutating func set(_ s: Int, _ r: Int, _ c: Int, _ text: String, row: Int) {
        guard case .success(let value) = Amount.parse(text) else { return }
        table.sections[s].rows[r].cells[c].value = value
        table.sections[s].rows[r].cells[c].origin = .entered(SourceLocation(file: report.source ?? sheet.name, line: row))
        report.cells += 1
    }

    /// Reads an amount cell; notes rounding; nil (with the reason recorded) when it is not an amount.
    mutating func amount(_ cell: Sheet.Cell, count: Bool, row: Int, column: String) -> Text.AmountText {
        let a = Text.amount(cell, count: count)
        switch a {
        case .value(let text, _?): report.rounded.append(localized("第 \(row) 行 \(column)：'\(cell.text.trimmingSpaces())' → \(text)",
                                                                      en: "row \(row) \(column): '\(cell.text.trimmingSpaces())' → \(text)"))
        case .invalid(let why): report.skip(row, localized("\(column)：\(why)", en: "\(column): \(why)"))
        default: break
        }
        return a
    }

    // MARK: classification tables in the printed layout (02, 03, 05, 07, 08)

    mutating func classified() {
        let width = Forms.classifiedColumns(kind, extended: false).count
        var columns: [Int]
        var first: Int
        if let (k, found) = lanciRow(minimum: 3) {
            columns = found
            first = k + 1
        } else if let k = sheet.rows.firstIndex(where: { row in codeAndName(row.cells, before: row.cells.count).code != nil }) {
            // No 栏次 row: the amounts follow the name of the first coded row.
            let cells = sheet.rows[k].cells
            let name = cells.indices.first { !Text.isBlank(cells[$0].text) && !Text.isDigits(cells[$0].text.trimmingSpaces()) } ?? 0
            columns = Array(name + 1..<name + 1 + width)
            first = k
            report.notes.append(localized("没有找到栏次行：金额按科目名称之后的 \(width) 列读取", en: "no 栏次 row found: amounts read from the \(width) columns after 科目名称"))
        } else {
            report.notes.append(localized("没有找到带科目编码的行", en: "no rows with 科目编码 found"))
            for row in sheet.rows where !Self.isEmpty(row.cells) { report.skip(row.number, localized("没有科目编码", en: "no 科目编码")) }
            return
        }
        if kind == .t08 && columns.count == 6 { table = Forms.skeleton(kind, form: form, classes: catalog.classes, extended: true) }
        let labels = table.sections[0].columns.map(\.label)
        if columns.count != labels.count {
            report.notes.append(localized(
                "栏次行编号了 \(columns.count) 列；表式有 \(labels.count) 列（\(labels.joined(separator: "、"))）：读取前 \(min(columns.count, labels.count)) 列",
                en: "the 栏次 row numbers \(columns.count) columns; the form has \(labels.count) (\(labels.joined(separator: ", "))): the first \(min(columns.count, labels.count)) are read"))
            columns = Array(columns.prefix(labels.count))
        }
        for row in sheet.rows.prefix(first) where !Self.isEmpty(row.cells) { report.skip(row.number, Self.headers) }
        var seen: Set<String> = []
        for row in sheet.rows.dropFirst(first) {
            let cells = row.cells
            if Self.isEmpty(cells) { report.skip(row.number, localized("空行", en: "empty row")); continue }
            let (code, name) = codeAndName(cells, before: columns.first ?? 0)
            let n = Text.norm(name ?? "")
            let key: RowKey
            if let code {
                guard [3, 5, 7].contains(code.count) else { report.skip(row.number, localized("'\(code)' 不是支出功能分类编码：应为 3、5 或 7 位", en: "'\(code)' is not a 支出功能分类 code (3, 5 or 7 digits)")); continue }
                guard let known = catalog.functional[code] else { report.skip(row.number, localized("未知的编码 \(code)：不在 \(catalog.year) 年的科目目录中", en: "unknown code \(code) (not in the \(catalog.year) catalogue)")); continue }
                if !n.isEmpty && Text.norm(known) != n {
                    report.notes.append(localized("第 \(row.number) 行：\(code) 在此处为 '\(name!)'，\(catalog.year) 年科目目录中为 '\(known)'（发布的是科目目录中的名称）",
                                                  en: "row \(row.number): \(code) is '\(name!)' here, '\(known)' in the \(catalog.year) catalogue (the catalogue's name is published)"))
                }
                key = .code(code)
            } else if n == "合计" || n == "总计" {
                key = .total
            } else if n.hasPrefix("注") {
                report.skip(row.number, Self.noteRow); continue
            } else if n.contains("栏次") {
                report.skip(row.number, Self.lanciRowReason); continue
            } else {
                report.skip(row.number, n.isEmpty ? localized("有金额但没有科目编码", en: "amounts without 科目编码")
                                                : localized("没有科目编码：'\(name!)'", en: "no 科目编码 ('\(name!)')")); continue
            }
            guard seen.insert(key.description).inserted else { report.skip(row.number, localized("\(key) 第二次出现", en: "\(key) a second time")); continue }
            var texts: [String?] = []
            for (c, col) in columns.enumerated() {
                switch amount(Self.cell(cells, col), count: false, row: row.number, column: labels[c]) {
                case .blank: texts.append(nil)
                case .value(let t, _): texts.append(t)
                case .invalid: texts = []
                }
                if texts.isEmpty { break }
            }
            guard texts.count == columns.count else { continue }
            let level = key == .total ? 0 : [3: 1, 5: 2, 7: 3][key.description.count]!
            table.sections[0].rows.append(Row(key: key, label: key == .total ? "合计" : catalog.functional[key.description]!, level: level,
                                              cells: Array(repeating: Cell(), count: labels.count)))
            for (c, t) in texts.enumerated() { if let t { set(0, table.sections[0].rows.count - 1, c, t, row: row.number) } }
            report.rows += 1
        }
    }

    /// The code (类/款/项 cells joined, or one 科目编码 cell) and the first text cell before `limit`.
    func codeAndName(_ cells: [Sheet.Cell], before limit: Int) -> (code: String?, name: String?) {
        var parts: [String] = []
        var name: String?
        for c in cells.prefix(limit) {
            let t = c.text.trimmingSpaces().hasPrefix("'") ? String(c.text.trimmingSpaces().dropFirst()) : c.text.trimmingSpaces()
            if Text.isBlank(t) { continue }
            if Text.isDigits(t) && name == nil { parts.append(t) } else if name == nil { name = t }
        }
        guard let head = parts.first else { return (nil, name) }
        // 类 | 款 | 项 in separate columns: 201 | 03 | 99; otherwise the longest full code.
        let code = parts.count > 1 && head.count == 3 && parts.dropFirst().allSatisfy({ $0.count == 2 }) ? parts.joined() : parts.max { $0.count < $1.count }!
        return (code, name)
    }

    // MARK: 06, economic codes in blocks of 科目编码 | 科目名称 | 金额

    mutating func economic() {
        var started = false
        var seen: Set<String> = []
        for row in sheet.rows {
            let cells = row.cells
            if Self.isEmpty(cells) { if started { report.skip(row.number, localized("空行", en: "empty row")) }; continue }
            var j = 0
            var found = false
            var unknown: String?
            while j < cells.count {
                let t = cells[j].text.trimmingSpaces()
                let n = Text.norm(t)
                if Text.isDigits(t), [3, 5].contains(t.count), !Text.isDigits(Self.cell(cells, j + 1).text.trimmingSpaces()) {
                    found = true
                    started = true
                    defer { j += 3 }
                    guard let known = catalog.economic[t] else { report.skip(row.number, localized("未知的编码 \(t)：不在 \(catalog.year) 年的经济分类科目目录中",
                                                                                                 en: "unknown code \(t) (not in the \(catalog.year) 经济分类 catalogue)")); continue }
                    guard seen.insert(t).inserted else { report.skip(row.number, localized("\(t) 第二次出现", en: "\(t) a second time")); continue }
                    let name = Text.norm(Self.cell(cells, j + 1).text)
                    if !name.isEmpty && name != Text.norm(known) {
                        report.notes.append(localized("第 \(row.number) 行：\(t) 在此处为 '\(Self.cell(cells, j + 1).text)'，\(catalog.year) 年科目目录中为 '\(known)'",
                                                      en: "row \(row.number): \(t) is '\(Self.cell(cells, j + 1).text)' here, '\(known)' in the \(catalog.year) catalogue"))
                    }
                    let a = amount(Self.cell(cells, j + 2), count: false, row: row.number, column: "\(t) 决算数")
                    if case .invalid = a { continue }
                    let s = table.sections.firstIndex { $0.id == Forms.group06(ofCode: t) }!
                    table.sections[s].rows.append(Row(key: .code(t), label: known, level: t.count == 3 ? 1 : 2, cells: [Cell()]))
                    if case .value(let text, _) = a { set(s, table.sections[s].rows.count - 1, 0, text, row: row.number) }
                    report.rows += 1
                } else if started, Self.economicTotals.contains(n) {
                    report.skip(row.number, localized("\(t)：由 sitegen 计算，人员经费合计和公用经费合计是各行之和",
                                                     en: "\(t): derived by sitegen (人员经费合计 and 公用经费合计 are sums of the rows)"))
                    j += 2
                } else {
                    if !n.isEmpty && Text.integer(n) == nil && !Self.headerWords.contains(n) && unknown == nil { unknown = t }
                    j += 1
                }
            }
            if !found && started, let unknown, !Self.economicTotals.contains(Text.norm(unknown)) {
                report.skip(row.number, Text.norm(unknown).hasPrefix("注") ? Self.noteRow
                                                                  : localized("没有经济分类编码：'\(unknown)'", en: "no 经济分类 code ('\(unknown)')"))
            } else if !started {
                report.skip(row.number, Self.headers)
            }
        }
    }

    // MARK: fixed lines (01, 04, 09 of 2022, 10)

    /// Every name a line answers to: label, key and aliases, with and without numbering.
    func lineNames() -> [(s: Int, r: Int, names: Set<String>)] {
        var out: [(Int, Int, Set<String>)] = []
        for (s, section) in table.sections.enumerated() {
            for (r, row) in section.rows.enumerated() where !row.isPlaceholder {
                var names: Set<String> = []
                for n in [row.label, row.key.description] + row.aliases { names.insert(Text.norm(n)); names.insert(Text.core(n)) }
                names.remove("")
                out.append((s, r, names))
            }
        }
        return out
    }

    /// The line a label names: by 行次 among equal labels, then an unused one, then the section in that position.
    func line(_ text: String, lineNumber: Int?, section: Int?, names: [(s: Int, r: Int, names: Set<String>)], used: Set<[Int]>) -> (Int, Int)? {
        let n = Text.norm(text), c = Text.core(text)
        let candidates = names.filter { $0.names.contains(n) || $0.names.contains(c) }.map { ($0.s, $0.r) }
        if let lineNumber, let hit = candidates.first(where: { table.sections[$0.0].rows[$0.1].lineNumber == lineNumber }) { return hit }
        let fresh = candidates.filter { !used.contains([$0.0, $0.1]) }
        let pool = fresh.isEmpty ? candidates : fresh
        return pool.first { $0.0 == section } ?? pool.first
    }

    mutating func fixed() {
        let names = lineNames()
        let lanci = sheet.rows.firstIndex { row in
            row.cells.contains { ["栏次", "行次"].contains(Text.norm($0.text)) } && row.cells.contains { Text.integer($0.text) != nil }
        }
        let hasLineColumn = sheet.rows.contains { $0.cells.contains { ["栏次", "行次"].contains(Text.norm($0.text)) } }
        var started = false
        var used: Set<[Int]> = []
        for (k, row) in sheet.rows.enumerated() {
            let cells = row.cells
            if let lanci, k <= lanci {
                if !Self.isEmpty(cells) { report.skip(row.number, k == lanci ? Self.lanciRowReason : Self.headers) }
                continue
            }
            if Self.isEmpty(cells) { if started { report.skip(row.number, localized("空行", en: "empty row")) }; continue }
            var j = 0, segment = 0, mapped = 0, blank = 0
            var unknown: String?
            while j < cells.count {
                let t = cells[j].text.trimmingSpaces()
                guard !Text.isBlank(t), Text.integer(t) == nil, !(cells[j].isNumber) else { j += 1; continue }
                let next = Self.cell(cells, j + 1)
                let lineCell = hasLineColumn && (Text.isBlank(next.text) || Text.integer(next.text) != nil)
                guard let (s, r) = line(t, lineNumber: lineCell ? Text.integer(next.text) : nil, section: segment, names: names, used: used) else {
                    if unknown == nil && Text.decimal(t) == nil { unknown = t }
                    j += 1
                    continue
                }
                started = true
                used.insert([s, r])
                let section = table.sections[s]
                let start = j + (lineCell ? 2 : 1)
                var values = 0
                for c in section.columns.indices {
                    let cell = Self.cell(cells, start + c)
                    let column = "\(section.rows[r].key) \(section.columns[c].label)"
                    if section.rows[r].cells[c].origin == .notApplicable {
                        if !Text.isBlank(cell.text) { report.notes.append(localized("第 \(row.number) 行：\(column) 中有 '\(cell.text)'，表式中该格印为 ——：已忽略",
                                                                        en: "row \(row.number): '\(cell.text)' in \(column), which the form prints as ——: ignored")) }
                        continue
                    }
                    let count = section.columns[c].isCount || (kind == .t10 && Forms.isCountLine(section.rows[r].key.description))
                    if case .value(let text, _) = amount(cell, count: count, row: row.number, column: column) {
                        set(s, r, c, text, row: row.number)
                        values += 1
                    }
                }
                if values > 0 { mapped += 1; report.rows += 1 } else { blank += 1 }
                j = start + section.columns.count
                segment += 1
            }
            if !started {
                report.skip(row.number, Self.headers)
            } else if mapped == 0 && blank == 0 {
                let u = unknown.map(Text.norm) ?? ""
                report.skip(row.number, u.hasPrefix("注") ? Self.noteRow : unknown.map { localized("未知的行 '\($0)'", en: "unknown line '\($0)'") }
                                ?? localized("只有行次、没有项目名称的行", en: "numbered line without a label (行次 only)"))
            } else if mapped == 0 {
                report.skip(row.number, localized("没有金额的行", en: "line\(blank > 1 ? "s" : "") without amounts"))
            } else if let unknown, Text.norm(unknown) != "" {
                report.notes.append(localized("第 \(row.number) 行：'\(unknown)' 不是表式中的行：已忽略", en: "row \(row.number): '\(unknown)' is not a line of the form: ignored"))
            }
        }
    }

    // MARK: 09 of 2023: one wide row, 预算数 then 决算数

    static let wideLines = ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]

    mutating func wideThreePublic() {
        var columns: [Int] = []
        var first = 0
        if let (k, found) = lanciRow(minimum: 12) { columns = Array(found.prefix(12)); first = k + 1 }
        var done = false
        for (k, row) in sheet.rows.enumerated() {
            if Self.isEmpty(row.cells) { continue }
            let numeric = row.cells.indices.filter { i in
                let t = row.cells[i].text.trimmingSpaces()
                return !t.isEmpty && (Text.decimal(t) != nil || Text.isBlank(t))
            }
            if done || k < first || (columns.isEmpty && numeric.count < 12) {
                report.skip(row.number, done ? localized("数据行之后", en: "after the data row") : Self.headers)
                continue
            }
            let cols = columns.isEmpty ? Array(numeric.prefix(12)) : columns
            for (i, col) in cols.enumerated() {
                let key = Self.wideLines[i % 6], column = i < 6 ? "预算数" : "决算数"
                guard let r = table.sections[0].rowIndex(.line(key)), let c = table.sections[0].columnIndex(column) else { continue }
                if case .value(let text, _) = amount(Self.cell(row.cells, col), count: false, row: row.number, column: "\(key) \(column)") {
                    set(0, r, c, text, row: row.number)
                }
            }
            report.rows += 1
            done = true
        }
    }

    // MARK: sitegen's own per-table CSV (部分, 科目编码, 项目, 行次, columns…)

    mutating func sitegenCSV() {
        guard let header = sheet.rows.first?.cells.map({ $0.text.trimmingSpaces() }) else { return }
        if kind == .t08 && header.contains("年初结转和结余") { table = Forms.skeleton(kind, form: form, classes: catalog.classes, extended: true) }
        let names = lineNames()
        var seen: Set<String> = []
        var used: Set<[Int]> = []
        for row in sheet.rows.dropFirst() {
            let text = row.cells.map { c -> String in
                let t = c.text.trimmingSpaces()
                return t.hasPrefix("'") && t.dropFirst().first.map({ "=+-@\t\r".contains($0) }) == true ? String(t.dropFirst()) : t
            }
            if text.allSatisfy(\.isEmpty) { continue }
            let part = text.first ?? "", code = text.count > 1 ? text[1] : "", label = text.count > 2 ? text[2] : ""
            let lineNumber = text.count > 3 ? Text.integer(text[3]) : nil
            func value(_ column: String) -> Sheet.Cell {
                guard let i = header.firstIndex(of: column), i < text.count else { return Sheet.Cell("") }
                return Sheet.Cell(text[i])
            }
            var s: Int, r: Int
            if kind.classification != nil {
                let key: RowKey
                if !code.isEmpty {
                    guard let known = catalog.name(code, in: kind.classification!) else { report.skip(row.number, localized("未知的编码 \(code)：不在 \(catalog.year) 年的科目目录中", en: "unknown code \(code) (not in the \(catalog.year) catalogue)")); continue }
                    key = .code(code)
                    s = kind == .t06 ? table.sections.firstIndex { $0.id == Forms.group06(ofCode: code) }! : 0
                    table.sections[s].rows.append(Row(key: key, label: known, level: [3: 1, 5: 2, 7: 3][code.count] ?? 3,
                                                      cells: Array(repeating: Cell(), count: table.sections[s].columns.count)))
                } else if kind != .t06 && Text.norm(label) == "合计" {
                    key = .total
                    s = 0
                    table.sections[0].rows.append(Row(key: .total, label: "合计", level: 0, cells: Array(repeating: Cell(), count: table.sections[0].columns.count)))
                } else {
                    report.skip(row.number, kind == .t06 ? localized("\(label)：由 sitegen 计算", en: "\(label): derived by sitegen")
                                                       : localized("没有科目编码：'\(label)'", en: "no 科目编码 ('\(label)')"))
                    continue
                }
                if !seen.insert(part + key.description).inserted {
                    table.sections[s].rows.removeLast()
                    report.skip(row.number, localized("\(key) 第二次出现", en: "\(key) a second time"))
                    continue
                }
                r = table.sections[s].rows.count - 1
            } else {
                guard let hit = line(label.isEmpty ? code : label, lineNumber: lineNumber, section: table.sections.firstIndex { $0.id == part },
                                     names: names, used: used) else {
                    report.skip(row.number, localized("未知的行 '\(label)'", en: "unknown line '\(label)'"))
                    continue
                }
                (s, r) = hit
                used.insert([s, r])
            }
            var values = 0
            for (c, column) in table.sections[s].columns.enumerated() where table.sections[s].rows[r].cells[c].origin != .notApplicable {
                let rowKey = table.sections[s].rows[r].key.description
                let count = column.isCount || (kind == .t10 && Forms.isCountLine(rowKey))
                if case .value(let t, _) = amount(value(column.label), count: count, row: row.number, column: "\(rowKey) \(column.label)") {
                    set(s, r, c, t, row: row.number)
                    values += 1
                }
            }
            if kind.classification != nil || values > 0 { report.rows += 1 } else { report.skip(row.number, localized("没有金额的行", en: "line without amounts")) }
        }
    }
}
