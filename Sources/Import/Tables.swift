import Model
import Support

/// Reads one exported table into the model's table of the form year: classification rows as
/// found (detail rows and any subtotal rows), fixed lines by their keys. Every amount column is
/// found by its header text (`HeaderLayout`), never by its position.
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
    static var emptyRow: String { localized("空行", en: "empty row") }
    static var repeatedHeader: String { localized("重复的表名、编制单位或表头（分页打印）", en: "title, 编制单位 or header repeated (printed over pages)") }

    static let headerWords: Set<String> = ["栏次", "行次", "类", "款", "项", "科目编码", "科目名称", "项目"]
    static let economicTotals: Set<String> = ["人员经费合计", "公用经费合计", "公用支出合计", "合计"]

    static func cell(_ cells: [Sheet.Cell], _ i: Int) -> Sheet.Cell { i >= 0 && i < cells.count ? cells[i] : Sheet.Cell("") }
    static func isEmpty(_ cells: [Sheet.Cell]) -> Bool { cells.allSatisfy { Text.isBlank($0.text) } }
    /// `注：…`, `注1.…`, `说明：…`, `备注：…`.
    static func isNote(_ text: String) -> Bool {
        let n = Text.norm(text)
        return n.hasPrefix("注") || n.hasPrefix("说明：") || n.hasPrefix("备注：")
    }

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

    /// Reads an amount cell; notes rounding; a cell that is not an amount is an error naming row,
    /// column and header (the import stops).
    mutating func amount(_ cell: Sheet.Cell, count: Bool, row: Int, column: String, at index: Int? = nil) -> Text.AmountText {
        let a = Text.amount(cell, count: count)
        switch a {
        case .value(let text, _?): report.rounded.append(localized("第 \(row) 行 \(column)：'\(cell.text.trimmingSpaces())' → \(text)",
                                                                      en: "row \(row) \(column): '\(cell.text.trimmingSpaces())' → \(text)"))
        case .invalid(let why):
            let letter = index.map { HeaderLayout.letter($0) }
            report.errors.append(letter.map { localized("第 \(row) 行 \($0) 列（\(column)）：\(why)", en: "row \(row), column \($0) (\(column)): \(why)") }
                                 ?? localized("第 \(row) 行 \(column)：\(why)", en: "row \(row) \(column): \(why)"))
        default: break
        }
        return a
    }

    // MARK: headers

    /// The header texts a column of the form answers to, besides its own label (after `Text.core`:
    /// no spaces, numbering or quotes). `plainTotal`: a bare 合计/小计 is the table's total column.
    static func aliases(_ label: String, kind: TableKind, plainTotal: Bool) -> [String] {
        switch label {
        case "本年收入合计": return ["收入合计", "本年收入小计"] + (kind == .t02 ? ["本年收入", "合计", "小计"] : [])
        case "本年支出合计": return ["支出合计", "本年支出小计"] + (plainTotal ? ["合计", "小计"] : [])
        case "财政拨款收入": return ["财政拨款"]
        case "上级补助收入": return ["上级补助"]
        case "附属单位上缴收入": return ["附属单位上缴"]
        case "对附属单位补助支出": return ["对附属单位补助"]
        case "上缴上级支出": return ["上缴上级"]
        case "年初结转和结余": return ["年初结转结余"]
        case "年末结转和结余": return ["年末结转结余"]
        case "决算数": return ["金额", "本年决算数", "决算金额", "全年决算数", "决算"]
        case "金额": return ["决算数", "金额合计"]
        case "合计": return ["小计", "支出合计", "财政拨款合计"]
        case "一般公共预算财政拨款": return ["一般公共预算"]
        case "政府性基金预算财政拨款": return ["政府性基金预算", "政府性基金"]
        case "国有资本经营预算财政拨款": return ["国有资本经营预算", "国有资本经营"]
        case "统计数": return ["决算数", "金额", "数量", "金额（数量）", "数额"]
        default: return []
        }
    }

    /// Records which column each target was found in; a second column with the same header and
    /// columns with content under an unknown header are reported, never read.
    mutating func describe(_ layout: HeaderLayout, targets: [String], rows: [Int], single: Bool, read: Set<Int> = []) {
        var seen: [String: Int] = [:]
        var unreadColumns: [(Int, String)] = []
        for (c, role) in layout.roles.enumerated() {
            switch role {
            case .amount(let t):
                let header = layout.header(c)
                if let first = seen[t], single || (layout.roles.contains(.label) && layout.block(of: first) == layout.block(of: c)) {
                    unreadColumns.append((c, localized("「\(header)」：与 \(HeaderLayout.letter(first)) 列同为 \(t)", en: "'\(header)': \(t) again (as column \(HeaderLayout.letter(first)))")))
                    continue
                }
                if seen[t] == nil { seen[t] = c } else if layout.block(of: seen[t]!) != layout.block(of: c) { seen[t] = c }
                let name = t.replacing("|", with: " ")
                report.columns.append(Text.core(header).replacing("/", with: "") == Text.core(name).replacing(" ", with: "") || header == t
                                      ? "\(HeaderLayout.letter(c)) \(name)" : "\(HeaderLayout.letter(c))「\(header)」→ \(name)")
            case .unknown(let header):
                unreadColumns.append((c, localized("「\(header)」：不认识的表头", en: "'\(header)': header not recognised")))
            case .none where !read.contains(c):
                unreadColumns.append((c, localized("（没有表头）", en: "(no header)")))
            default: break
            }
        }
        for (c, role) in layout.roles.enumerated() where role == .lineNumber && !read.contains(c) {
            unreadColumns.append((c, localized("「\(layout.header(c))」：行次列中不是行次的内容", en: "'\(layout.header(c))': not a 行次 in the 行次 column")))
        }
        for (c, why) in unreadColumns {
            let lineColumn = layout.role(c) == .lineNumber
            let filled = rows.filter { k in
                let t = Self.cell(sheet.rows[k].cells, c).text
                return !Text.isBlank(t) && !(lineColumn && Text.integer(t) != nil)
            }.map { sheet.rows[$0].number }
            guard !filled.isEmpty else { continue }
            report.unread.append(localized("\(HeaderLayout.letter(c)) 列\(why)，第 \(TableReport.ranges(filled, separator: "、")) 行有内容，未读取",
                                           en: "column \(HeaderLayout.letter(c)) \(why): \(filled.count == 1 ? "row" : "rows") \(TableReport.ranges(filled)) \(filled.count == 1 ? "holds" : "hold") content, not read"))
        }
        let missing = targets.filter { seen[$0] == nil }
        if !missing.isEmpty, !seen.isEmpty {
            report.notes.append(localized("表头中没有这些列，留空：\(missing.map { $0.replacing("|", with: " ") }.joined(separator: "、"))",
                                          en: "no column headed \(missing.map { $0.replacing("|", with: " ") }.joined(separator: ", ")): left blank"))
        }
    }

    /// Indices of the rows below the header that may hold data: not empty, not notes, not repeated headers.
    func dataRows(_ layout: HeaderLayout) -> [Int] {
        (layout.dataStart..<sheet.rows.count).filter { k in
            let cells = sheet.rows[k].cells
            return !Self.isEmpty(cells) && !cells.contains { Self.isNote($0.text) } && !layout.isRepeatedHeader(cells, kind: kind)
        }
    }

    /// Skips the title, 编制单位 and header rows above the data.
    mutating func skipHeader(_ layout: HeaderLayout) {
        for k in 0..<min(layout.dataStart, sheet.rows.count) where !Self.isEmpty(sheet.rows[k].cells) {
            let lanci = sheet.rows[k].cells.contains { Text.integer($0.text) != nil } && sheet.rows[k].cells.contains { HeaderLayout.lineWords.contains(Text.core($0.text)) }
            report.skip(sheet.rows[k].number, lanci ? Self.lanciRowReason : Self.headers)
        }
    }

    /// When no amount column is recognised: every row below the header is not imported.
    mutating func noAmountColumns(_ layout: HeaderLayout, targets: [String]) {
        let reason = localized("表头中没有认出任何金额列（应有：\(targets.map { $0.replacing("|", with: " ") }.joined(separator: "、"))）",
                               en: "no amount column recognised in the header (expected: \(targets.map { $0.replacing("|", with: " ") }.joined(separator: ", ")))")
        for row in sheet.rows.dropFirst(layout.dataStart) where !Self.isEmpty(row.cells) {
            if row.cells.contains(where: { Self.isNote($0.text) }) { report.skip(row.number, Self.noteRow) } else { report.drop(row.number, reason) }
        }
    }

    // MARK: classification tables in the printed layout (02, 03, 05, 07, 08)

    mutating func classified() {
        if kind == .t08, sheet.rows.prefix(20).contains(where: { $0.cells.contains { ["年初结转和结余", "年初结转结余"].contains(Text.core($0.text)) } }) {
            table = Forms.skeleton(kind, form: form, classes: catalog.classes, extended: true)
        }
        let labels = table.sections[0].columns.map(\.label)
        let plain = kind != .t07 && !table.extendedLayout
        let layout = HeaderLayout.read(sheet, kind: kind, specs: labels.map { ColumnSpec($0, Self.aliases($0, kind: kind, plainTotal: plain)) })
        let data = dataRows(layout)
        let columns = labels.map { layout.columns($0).first }
        let firstAmount = columns.compactMap { $0 }.min()
        // Codes and names: the 类/款/项, 科目编码 and 科目名称 columns, and columns without a header left of the amounts.
        let labelArea = layout.roles.indices.filter { layout.roles[$0] == .label || (layout.roles[$0] == .none && $0 < firstAmount ?? 0) }
        describe(layout, targets: labels, rows: data, single: true, read: Set(labelArea))
        skipHeader(layout)
        guard firstAmount != nil else { noAmountColumns(layout, targets: labels); return }
        var seen: Set<String> = []
        for row in sheet.rows.dropFirst(layout.dataStart) {
            let cells = row.cells
            if Self.isEmpty(cells) { report.skip(row.number, Self.emptyRow); continue }
            let (code, name) = codeAndName(cells, in: labelArea)
            let n = Text.norm(name ?? "")
            let key: RowKey
            if let code {
                guard [3, 5, 7].contains(code.count) else { report.drop(row.number, localized("'\(code)' 不是支出功能分类编码：应为 3、5 或 7 位", en: "'\(code)' is not a 支出功能分类 code (3, 5 or 7 digits)")); continue }
                guard let known = catalog.functional[code] else { report.drop(row.number, localized("未知的编码 \(code)：不在 \(catalog.year) 年的科目目录中", en: "unknown code \(code) (not in the \(catalog.year) catalogue)")); continue }
                if !n.isEmpty && Text.norm(known) != n && Text.core(known) != Text.core(n) {
                    report.notes.append(localized("第 \(row.number) 行：\(code) 在此处为 '\(name!)'，\(catalog.year) 年科目目录中为 '\(known)'（发布的是科目目录中的名称）",
                                                  en: "row \(row.number): \(code) is '\(name!)' here, '\(known)' in the \(catalog.year) catalogue (the catalogue's name is published)"))
                }
                key = .code(code)
            } else if ["合计", "总计"].contains(Text.core(n)) {
                key = .total
            } else if cells.contains(where: { Self.isNote($0.text) }) {
                report.skip(row.number, Self.noteRow); continue
            } else if n.contains("栏次") || n.contains("行次") {
                report.skip(row.number, Self.lanciRowReason); continue
            } else if HeaderLayout.isMeta(name ?? "", kind: kind) || layout.isRepeatedHeader(cells, kind: kind) {
                report.skip(row.number, Self.repeatedHeader); continue
            } else {
                report.drop(row.number, n.isEmpty ? localized("有内容但没有科目编码和名称", en: "content without 科目编码 or name")
                                                : localized("没有科目编码：'\(name!)'", en: "no 科目编码 ('\(name!)')")); continue
            }
            guard seen.insert(key.description).inserted else { report.drop(row.number, localized("\(key) 第二次出现", en: "\(key) a second time")); continue }
            var texts: [String?] = []
            var invalid = false
            for (c, col) in columns.enumerated() {
                guard let col else { texts.append(nil); continue }
                switch amount(Self.cell(cells, col), count: false, row: row.number, column: labels[c], at: col) {
                case .blank: texts.append(nil)
                case .value(let t, _): texts.append(t)
                case .invalid: texts.append(nil); invalid = true
                }
            }
            if invalid { continue }
            let level = key == .total ? 0 : [3: 1, 5: 2, 7: 3][key.description.count]!
            table.sections[0].rows.append(Row(key: key, label: key == .total ? "合计" : catalog.functional[key.description]!, level: level,
                                              cells: Array(repeating: Cell(), count: labels.count)))
            for (c, t) in texts.enumerated() { if let t { set(0, table.sections[0].rows.count - 1, c, t, row: row.number) } }
            report.rows += 1
        }
    }

    /// The code (类/款/项 cells joined, one 科目编码 cell, or a code at the start of the name cell:
    /// `2010301 行政运行`) and the first text among `columns`.
    func codeAndName(_ cells: [Sheet.Cell], in columns: [Int]) -> (code: String?, name: String?) {
        var parts: [String] = []
        var name: String?
        for c in columns {
            var raw = Self.cell(cells, c).text.trimmingSpaces()
            if raw.hasPrefix("'") { raw.removeFirst() }
            let t = Text.norm(raw)
            if Text.isBlank(t) || name != nil { continue }
            if Text.isDigits(t) { parts.append(t); continue }
            let lead = t.prefix { $0.isASCII && $0.isNumber }
            if parts.isEmpty, [3, 5, 7].contains(lead.count) {
                parts.append(String(lead))
                let rest = String(raw.drop { $0.isNumber || $0 == " " || $0 == "\u{3000}" || $0 == "-" || $0 == "－" || $0 == "_" })
                name = rest.isEmpty ? nil : rest
                if name == nil { continue }
            } else {
                name = raw
            }
        }
        guard let head = parts.first else { return (nil, name) }
        // 类 | 款 | 项 in separate columns: 201 | 03 | 99; otherwise the longest full code.
        let code = parts.count > 1 && head.count == 3 && parts.dropFirst().allSatisfy({ $0.count == 2 }) ? parts.joined() : parts.max { $0.count < $1.count }!
        return (code, name)
    }

    // MARK: 06, economic codes in blocks of 科目编码 | 科目名称 | 金额

    mutating func economic() {
        let layout = HeaderLayout.read(sheet, kind: kind, specs: [ColumnSpec("决算数", Self.aliases("决算数", kind: kind, plainTotal: false))])
        let data = dataRows(layout)
        describe(layout, targets: ["决算数"], rows: data, single: false)
        skipHeader(layout)
        let blocks = layout.blocks.compactMap { b -> (label: [Int], amount: Int)? in
            guard let a = b.first(where: { layout.roles[$0] == .amount("决算数") }) else { return nil }
            return (b.filter { layout.roles[$0] == .label }, a)
        }
        guard !blocks.isEmpty else { noAmountColumns(layout, targets: ["决算数"]); return }
        var seen: Set<String> = []
        for row in sheet.rows.dropFirst(layout.dataStart) {
            let cells = row.cells
            if Self.isEmpty(cells) { report.skip(row.number, Self.emptyRow); continue }
            if cells.contains(where: { Self.isNote($0.text) }) { report.skip(row.number, Self.noteRow); continue }
            if layout.isRepeatedHeader(cells, kind: kind) { report.skip(row.number, Self.repeatedHeader); continue }
            for block in blocks {
                let (code, name) = codeAndName(cells, in: block.label)
                guard let t = code else {
                    let n = Text.norm(name ?? "")
                    if Self.economicTotals.contains(n) || n.hasSuffix("合计") {
                        report.skip(row.number, localized("\(name!)：由 sitegen 计算，人员经费合计和公用经费合计是各行之和",
                                                         en: "\(name!): derived by sitegen (人员经费合计 and 公用经费合计 are sums of the rows)"))
                    } else if !n.isEmpty {
                        report.drop(row.number, localized("没有经济分类编码：'\(name!)'", en: "no 经济分类 code ('\(name!)')"))
                    } else if !Text.isBlank(Self.cell(cells, block.amount).text) {
                        report.drop(row.number, localized("有金额但没有经济分类编码", en: "an amount without 经济分类 code"))
                    }
                    continue
                }
                guard [3, 5].contains(t.count) else { report.drop(row.number, localized("'\(t)' 不是经济分类编码：应为 3 或 5 位", en: "'\(t)' is not a 经济分类 code (3 or 5 digits)")); continue }
                guard let known = catalog.economic[t] else { report.drop(row.number, localized("未知的编码 \(t)：不在 \(catalog.year) 年的经济分类科目目录中",
                                                                                             en: "unknown code \(t) (not in the \(catalog.year) 经济分类 catalogue)")); continue }
                guard seen.insert(t).inserted else { report.drop(row.number, localized("\(t) 第二次出现", en: "\(t) a second time")); continue }
                if let name, Text.core(name) != Text.core(known) {
                    report.notes.append(localized("第 \(row.number) 行：\(t) 在此处为 '\(name)'，\(catalog.year) 年科目目录中为 '\(known)'",
                                                  en: "row \(row.number): \(t) is '\(name)' here, '\(known)' in the \(catalog.year) catalogue"))
                }
                let a = amount(Self.cell(cells, block.amount), count: false, row: row.number, column: "\(t) 决算数", at: block.amount)
                if case .invalid = a { continue }
                let s = table.sectionIndex(forCode: t)!
                table.sections[s].rows.append(Row(key: .code(t), label: known, level: t.count == 3 ? 1 : 2, cells: [Cell()]))
                if case .value(let text, _) = a { set(s, table.sections[s].rows.count - 1, 0, text, row: row.number) }
                report.rows += 1
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
        var targets: [String] = []
        for s in table.sections { for c in s.columns where !targets.contains(c.label) { targets.append(c.label) } }
        let layout = HeaderLayout.read(sheet, kind: kind, specs: targets.map { ColumnSpec($0, Self.aliases($0, kind: kind, plainTotal: false)) })
        let data = dataRows(layout)
        var labelColumns = layout.roles.indices.filter { layout.roles[$0] == .label }
        if labelColumns.isEmpty { labelColumns = layout.roles.indices.filter { layout.roles[$0] == .none } }
        describe(layout, targets: targets, rows: data, single: false, read: Set(labelColumns))
        skipHeader(layout)
        guard layout.roles.contains(where: { if case .amount = $0 { return true }; return false }) else { noAmountColumns(layout, targets: targets); return }
        let names = lineNames()
        var used: Set<[Int]> = []
        var missing: Set<String> = []
        for row in sheet.rows.dropFirst(layout.dataStart) {
            let cells = row.cells
            if Self.isEmpty(cells) { report.skip(row.number, Self.emptyRow); continue }
            if cells.contains(where: { Self.isNote($0.text) }) { report.skip(row.number, Self.noteRow); continue }
            var mapped = 0, blank = 0
            var unknown: [String] = []
            for (b, block) in layout.blocks.enumerated() {
                guard let j = labelColumns.first(where: { block.contains($0) && !Text.isBlank(Self.cell(cells, $0).text) && Text.integer(Self.cell(cells, $0).text) == nil }) else { continue }
                let t = Self.cell(cells, j).text.trimmingSpaces()
                let lineColumn = block.first { layout.roles[$0] == .lineNumber }
                let lineNumber = lineColumn.flatMap { Text.integer(Self.cell(cells, $0).text) }
                guard let (s, r) = line(t, lineNumber: lineNumber, section: b, names: names, used: used) else { unknown.append(t); continue }
                used.insert([s, r])
                let section = table.sections[s]
                var values = 0
                for c in section.columns.indices {
                    let label = section.columns[c].label
                    // The column headed so in this block (the first right of the label), else the nearest one to its right.
                    let block = layout.block(of: j), all = layout.columns(label)
                    guard let col = all.first(where: { block.contains($0) && $0 > j }) ?? all.first(where: { block.contains($0) }) ?? all.first(where: { $0 > j }) else {
                        if section.rows[r].cells[c].origin != .notApplicable { missing.insert(label) }
                        continue
                    }
                    let cell = Self.cell(cells, col)
                    let column = "\(section.rows[r].key) \(label)"
                    if section.rows[r].cells[c].origin == .notApplicable {
                        if !Text.isBlank(cell.text) { report.notes.append(localized("第 \(row.number) 行：\(column) 中有 '\(cell.text)'，表式中该格印为 ——：已忽略",
                                                                        en: "row \(row.number): '\(cell.text)' in \(column), which the form prints as ——: ignored")) }
                        continue
                    }
                    let count = section.isCount(section.rows[r], c)
                    if case .value(let text, _) = amount(cell, count: count, row: row.number, column: column, at: col) {
                        set(s, r, c, text, row: row.number)
                        values += 1
                    }
                }
                if values > 0 { mapped += 1; report.rows += 1 } else { blank += 1 }
            }
            if mapped == 0 && blank == 0 && layout.isRepeatedHeader(cells, kind: kind) {
                report.skip(row.number, Self.repeatedHeader)
            } else if !unknown.isEmpty {
                report.drop(row.number, localized("未知的行 \(unknown.map { "'\($0)'" }.joined(separator: "、"))：不是表式中的行", en: "unknown line \(unknown.map { "'\($0)'" }.joined(separator: ", ")) (not a line of the form)"))
            } else if mapped == 0 && blank == 0 {
                report.skip(row.number, localized("只有行次、没有项目名称的行", en: "numbered line without a label (行次 only)"))
            } else if mapped == 0 {
                report.skip(row.number, localized("没有金额的行", en: "line\(blank > 1 ? "s" : "") without amounts"))
            }
        }
        if !missing.isEmpty {
            report.notes.append(localized("表头中没有这些列，相应的格留空：\(missing.sorted().joined(separator: "、"))", en: "no column headed \(missing.sorted().joined(separator: ", ")): those cells are left blank"))
        }
    }
}
