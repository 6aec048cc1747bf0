import Foundation
import Model
import Support

/// Form files: how a document prints the national forms (docs/forms.md). The national forms are
/// built in (`Forms/2022.yaml`, `Forms/2023.yaml`, shipped inside sitegen); a site adds or overrides
/// forms in `content/forms/<id>.yaml`, each of which may extend another and say only what differs.
enum FormFiles {
    /// The built-in forms' folder, inside sitegen's resources.
    static var builtIn: URL? { Bundle.module.url(forResource: "Forms", withExtension: nil) }

    /// What one form file says, before what it extends is added.
    struct Patch {
        var id: String
        var location: SourceLocation
        var extends: String?
        var base: Int?
        var order: [TableKind]?
        /// Of `order`'s tables, their place in the list, which may hold `others` too.
        var positions: [TableKind: Int] = [:]
        var others: [PrintedForm.OtherTable] = []
        var parts: [PrintedPart]?
        /// What it says of its 绩效自评表: labels by key, and the merged columns.
        var performance: [String: String] = [:]
        var merged: [String]?
        var defaults = TablePatch()
        var tables: [TableKind: TablePatch] = [:]
    }

    /// What a form file says of one table (or of every table: `defaults`); nil: as the form it extends.
    struct TablePatch {
        var number: String?
        var title: String?
        var unit: String?
        var notes: [String]?
        var emptyNote: String?
        var header: [[HeaderCell]]?
        var lines: [String: (PrintedLine, SourceLocation)] = [:]
        var headings: [Heading]?
        var blankWhenAbsent: Bool?
        var layout: PrintedTable.Layout??
        var lineNumbers: Bool?
        var columnNumbers: Bool?
        var blocks: [Int]?
        var lineOrder: [String]?
        var minimumDecimals: Int?
        var totalInCodeColumn: Bool?
        var splitCodes: Bool?
        var totalLast: Bool?
        var emptyTotal: Bool?
        var allCodes: Bool?
        /// Its sections, columns, lines and formulas, when the file gives them (`sections:`).
        var definition: TableDefinition?
        /// Its sums' references to other tables' cells, with where they are written.
        var references: [Decoder.Reference] = []
    }

    /// The built-in forms' files (read once per process).
    static let builtInPatches: (patches: [String: Patch], diagnostics: [Diagnostic]) = {
        var patches: [String: Patch] = [:]
        var d = Decoder(limits: ContentLimits())
        if let folder = builtIn {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name.hasSuffix(".yaml") {
                let id = String(name.dropLast(5))
                let read = SourceFile.read(folder.appendingPathComponent(name), relativePath: "(sitegen)/forms/" + name, limits: ContentLimits())
                if let node = d.parse(read) { patches[id] = d.formPatch(node, id: id) }
            }
        }
        return (patches, d.bag.items)
    }()

    /// The national forms alone (a site without forms of its own).
    static let national: [String: PrintedForm] = {
        var d = Decoder(limits: ContentLimits())
        var forms: [String: PrintedForm] = [:]
        let patches = builtInPatches.patches
        for id in patches.keys.sorted() {
            if let form = d.resolve(id, patches, forms: &forms, chain: []) { forms[id] = form }
        }
        return forms
    }()

    /// Every form: the built-in ones, then the site's (a site's form of the same id replaces a
    /// built-in one), with what each extends resolved.
    static func load(_ fs: ContentFolder, limits: ContentLimits, into bag: inout DiagnosticBag) -> [String: PrintedForm] {
        let names = fs.children("forms").sorted().filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        if names.isEmpty { return national }
        var patches = builtInPatches.patches
        var d = Decoder(limits: limits)
        for name in names {
            let id = String(name.prefix { $0 != "." })
            if let node = d.parse(fs, "forms/" + name) { patches[id] = d.formPatch(node, id: id) }
        }
        var forms: [String: PrintedForm] = [:]
        for id in patches.keys.sorted() {
            if let form = d.resolve(id, patches, forms: &forms, chain: [], national: national) { forms[id] = form }
        }
        bag.add(contentsOf: d.bag.items)
        return forms
    }
}

extension Decoder {
    /// One form file's node tree.
    mutating func formPatch(_ node: Located, id: String) -> FormFiles.Patch {
        let file = "forms/\(id).yaml"
        expectKeys(node, ["extends", "base", "order", "parts", "performance", "defaults", "tables"], file)
        var patch = FormFiles.Patch(id: id, location: node.location)
        patch.extends = string(node["extends"], "extends")
        if let p = node["performance"] {
            expectKeys(p, ["project", "overall", "funds", "goals", "indicators", "total", "merged"], "performance")
            for (k, v) in mapping(p, "performance") ?? [] {
                guard let key = k.scalar else { continue }
                if key == "merged" { patch.merged = strings(v, "performance.merged") } else { patch.performance[key] = string(v, "performance.\(key)") }
            }
        }
        if let base = int(node["base"], "base") {
            if base == 2022 || base == 2023 { patch.base = base } else {
                error(node["base"]!, localized("base：\(base) 不是全国表样的年份；应为 2022 或 2023", en: "base: found \(base); expected 2022 or 2023 (the national form followed)"))
            }
        }
        if let order = node["order"] { orderPatch(order, into: &patch) }
        if let parts = node["parts"] { patch.parts = (parts.sequence ?? []).compactMap { printedPart($0) } }
        if let defaults = node["defaults"] { patch.defaults = tablePatch(defaults, kind: nil, base: nil, what: "defaults") }
        for (key, value) in mapping(node["tables"], "tables") ?? [] {
            guard let code = key.scalar, let kind = tableKind(code, at: key) else { continue }
            patch.tables[kind] = tablePatch(value, kind: kind, base: patch.base, what: "tables.\(code)")
        }
        return patch
    }

    /// One of `parts`: its kind and title, the 概况's headings, an `other` part's file.
    mutating func printedPart(_ part: Located) -> PrintedPart? {
        expectKeys(part, ["part", "title", "headings", "file"], "parts")
        guard let name = string(part["part"], "part", required: true, at: part), let title = string(part["title"], "title", required: true, at: part) else { return nil }
        guard let kind = PrintedPart.Kind(rawValue: name) else {
            error(part["part"]!, localized("part：写的是 '\(name)'；应为 overview（概况）、tables（决算表）、explanation（情况说明）、glossary（名词解释）、attachments（附件）或 other（其他部分，文字见 file）",
                                          en: "part: found '\(name)'; expected overview, tables, explanation, glossary, attachments or other (its text in file)"))
            return nil
        }
        if part["headings"] != nil && kind != .overview {
            error(part["headings"]!, localized("headings：只有 overview（概况）部分可以写小标题", en: "headings: only the overview part takes headings"))
        }
        var file: String?
        if kind == .other {
            // A Markdown file of the disclosure's own year folder, never a path out of it.
            guard let name = string(part["file"], "file", required: true, at: part) else { return nil }
            guard name.hasSuffix(".md"), !name.contains("/"), !name.hasPrefix("."), name != "explanation.md" else {
                error(part["file"]!, localized("file：写的是 '\(name)'；应为年度文件夹中的 Markdown 文件名（如 other-matters.md），不含路径，也不是 explanation.md",
                                              en: "file: found '\(name)'; expected the name of a Markdown file of the year folder (e.g. other-matters.md), no path, not explanation.md"))
                return nil
            }
            file = name
        } else if part["file"] != nil {
            error(part["file"]!, localized("file：只有 other 部分需要文件", en: "file: only an other part takes a file"))
        }
        return PrintedPart(kind, title, headings: strings(part["headings"], "headings"), file: file)
    }

    /// `order`: table numbers ("05"), and `{number, title}` for a table of the document that is no
    /// national 公开 table (`PrintedForm.others`).
    mutating func orderPatch(_ order: Located, into patch: inout FormFiles.Patch) {
        guard let items = order.sequence else { _ = strings(order, "order"); return }
        patch.order = []
        for (i, item) in items.enumerated() {
            if item.mapping != nil {
                expectKeys(item, ["number", "title"], "order")
                guard let title = string(item["title"], "title", required: true, at: item) else { continue }
                patch.others.append(PrintedForm.OtherTable(number: string(item["number"], "number") ?? "", title: title, position: i))
            } else if let code = string(item, "order"), let kind = tableKind(code, at: item) {
                patch.order!.append(kind)
                patch.positions[kind] = i
            }
        }
    }

    mutating func tableKind(_ code: String, at node: Located) -> TableKind? {
        if let n = Int(code), let kind = TableKind(rawValue: n) { return kind }
        error(node, localized("'\(code)' 不是公开表的编号；应为 01 到 10", en: "found '\(code)'; expected a table number 01 to 10"))
        return nil
    }

    mutating func tablePatch(_ node: Located, kind: TableKind?, base: Int?, what: String) -> FormFiles.TablePatch {
        expectKeys(node, ["number", "title", "unit", "notes", "empty_note", "header", "lines", "headings", "absent_lines",
                              "layout", "line_numbers", "column_numbers", "blocks", "line_order", "decimals", "total_in_code_column", "total_last", "empty_total", "all_codes", "split_codes",
                          "sections", "extended_sections"], what)
        var t = FormFiles.TablePatch()
        // "" is text a form prints (no number, no unit), not "as the form it extends".
        func text(_ key: String) -> String? {
            guard let value = node[key] else { return nil }
            if value.isNull, let scalar = value.scalar, !["~", "null", "Null", "NULL"].contains(scalar) { return "" }
            return string(value, key)
        }
        t.number = text("number")
        t.title = text("title")
        t.unit = text("unit")
        if let n = node["notes"] { t.notes = strings(n, "notes") }
        t.emptyNote = text("empty_note")
        if let layout = node["layout"], let text = string(layout, "layout") {
            if text == "national" { t.layout = .some(nil) } else if let l = PrintedTable.Layout(rawValue: text) { t.layout = .some(l) } else {
                error(layout, localized("layout：写的是 '\(text)'；应为 lines（项目、行次和各栏）、wide（一行）或 national（全国表样）",
                                        en: "layout: found '\(text)'; expected lines, wide or national"))
            }
        }
        t.lineNumbers = bool(node["line_numbers"], "line_numbers")
        t.columnNumbers = bool(node["column_numbers"], "column_numbers")
        if let blocks = node["blocks"] { t.blocks = strings(blocks, "blocks").compactMap { Int($0) }.filter { $0 > 0 } }
        if let order = node["line_order"] { t.lineOrder = strings(order, "line_order") }
        if let decimals = node["decimals"], let text = string(decimals, "decimals") {
            if text == "as_written" { t.minimumDecimals = 0 } else if let n = Int(text), (0...4).contains(n) { t.minimumDecimals = n } else {
                error(decimals, localized("decimals：写的是 '\(text)'；应为 0 到 4，或 as_written（照写法）", en: "decimals: found '\(text)'; expected 0 to 4, or as_written"))
            }
        }
        t.totalInCodeColumn = bool(node["total_in_code_column"], "total_in_code_column")
        t.splitCodes = bool(node["split_codes"], "split_codes")
        t.totalLast = bool(node["total_last"], "total_last")
        t.emptyTotal = bool(node["empty_total"], "empty_total")
        t.allCodes = bool(node["all_codes"], "all_codes")
        if let absent = node["absent_lines"], let text = string(absent, "absent_lines") {
            if text == "blank" || text == "0.00" { t.blankWhenAbsent = text == "blank" } else {
                error(absent, localized("absent_lines：写的是 '\(text)'；应为 blank（留空）或 0.00", en: "absent_lines: found '\(text)'; expected blank or 0.00"))
            }
        }
        if let header = node["header"] { t.header = headerRows(header, what: what + ".header") }
        if let sections = node["sections"] {
            t.definition = tableDefinition(sections, extended: node["extended_sections"], kind: kind, what: what, references: &t.references)
        }
        for (key, value) in mapping(node["lines"], what + ".lines") ?? [] {
            guard let name = key.scalar else { continue }
            if let line = printedLine(value, what: "\(what).lines.\(name)") { t.lines[name] = (line, key.location) }
        }
        if let headings = node["headings"] {
            t.headings = (headings.sequence ?? []).compactMap { h in
                expectKeys(h, ["before", "label"], what + ".headings")
                guard let before = string(h["before"], "before", required: true, at: h),
                      let label = string(h["label"], "label", required: true, at: h) else { return nil }
                return Heading(before: before, label: label)
            }
        }
        return t
    }

    /// Header rows: a list of rows, each a list of cells — text, or {text, colspan, rowspan}.
    mutating func headerRows(_ node: Located, what: String) -> [[HeaderCell]]? {
        guard let rows = node.sequence else {
            error(node, localized("\(what)：应为表头行的列表", en: "\(what): found \(node.kindName); expected a list of header rows"))
            return nil
        }
        return rows.map { row in
            (row.sequence ?? []).compactMap { cell -> HeaderCell? in
                if let text = cell.scalar { return HeaderCell(text) }
                expectKeys(cell, ["text", "colspan", "rowspan"], what)
                return HeaderCell(string(cell["text"], "text") ?? "", colspan: int(cell["colspan"], "colspan") ?? 1,
                                  rowspan: int(cell["rowspan"], "rowspan") ?? 1)
            }
        }
    }

    mutating func printedLine(_ node: Located, what: String) -> PrintedLine? {
        expectKeys(node, ["label", "line", "dashes", "hidden"], what)
        var line = PrintedLine(label: string(node["label"], "label"), hidden: bool(node["hidden"], "hidden") ?? false)
        if let n = node["line"] {
            if n.isNull { line.withoutLineNumber = true } else { line.lineNumber = int(n, "line") }
        }
        if let dashes = node["dashes"] {
            line.dashes = dashes.scalar.map { [$0 == "all" ? "*" : $0] } ?? strings(dashes, "dashes")
        }
        return line
    }

    /// The form `id` with what it extends added; checks line keys against its lines. `national`: the
    /// built-in forms, whose lines a form that extends none follows (none while they are being read).
    mutating func resolve(_ id: String, _ patches: [String: FormFiles.Patch], forms: inout [String: PrintedForm], chain: [String],
                          national: [String: PrintedForm] = [:]) -> PrintedForm? {
        if let done = forms[id] { return done }
        guard let patch = patches[id] else { return nil }
        var parent: PrintedForm?
        if let base = patch.extends {
            guard !chain.contains(base), patches[base] != nil else {
                bag.error(patch.location, localized("extends：'\(base)' \(chain.contains(base) ? "形成循环" : "不存在")；应为另一个表样文件的名称（如 2023）",
                                                    en: "extends: '\(base)' \(chain.contains(base) ? "extends this form again" : "is not a form"); expected the id of another form file (e.g. 2023)"))
                return nil
            }
            parent = resolve(base, patches, forms: &forms, chain: chain + [id], national: national)
            if parent == nil { return nil }
        }
        guard let base = patch.base ?? parent?.base else {
            bag.error(patch.location, localized("缺少 base 或 extends：应说明遵循哪一年的全国表样（base: 2023）",
                                                en: "missing base or extends: expected the national form it follows (base: 2023)"))
            return nil
        }
        let order = patch.order ?? parent?.order ?? TableKind.allCases
        var tables: [TableKind: PrintedTable] = [:]
        for kind in TableKind.allCases {
            let own = patch.tables[kind] ?? FormFiles.TablePatch(), all = patch.defaults
            let from = parent?.table(kind) ?? PrintedTable(number: kind.formNumber)
            let definition = own.definition ?? parent?.table(kind).definition ?? national[String(base)]?.table(kind).definition ?? TableDefinition()
            checkLines(own.lines, kind: kind, definition: definition)
            var lines = from.lines
            for (key, line) in own.lines { lines[key] = line.0 }
            tables[kind] = PrintedTable(
                number: own.number ?? all.number ?? from.number, title: own.title ?? all.title ?? from.title,
                unit: own.unit ?? all.unit ?? from.unit,
                notes: own.notes ?? all.notes ?? from.notes,
                emptyNote: own.emptyNote ?? all.emptyNote ?? from.emptyNote, header: own.header ?? from.header,
                lines: lines, headings: own.headings ?? from.headings,
                blankWhenAbsent: own.blankWhenAbsent ?? all.blankWhenAbsent ?? from.blankWhenAbsent)
            tables[kind]!.definition = definition
            tables[kind]!.position = patch.order != nil ? patch.positions[kind] : parent.map { _ in from.position } ?? order.firstIndex(of: kind)
            tables[kind]!.layout = own.layout ?? all.layout ?? from.layout
            tables[kind]!.lineNumbers = own.lineNumbers ?? all.lineNumbers ?? from.lineNumbers
            tables[kind]!.columnNumbers = own.columnNumbers ?? all.columnNumbers ?? from.columnNumbers
            tables[kind]!.blocks = own.blocks ?? all.blocks ?? from.blocks
            tables[kind]!.lineOrder = own.lineOrder ?? all.lineOrder ?? from.lineOrder
            tables[kind]!.minimumDecimals = own.minimumDecimals ?? all.minimumDecimals ?? from.minimumDecimals
            tables[kind]!.totalInCodeColumn = own.totalInCodeColumn ?? all.totalInCodeColumn ?? from.totalInCodeColumn
            tables[kind]!.splitCodes = own.splitCodes ?? all.splitCodes ?? from.splitCodes
            tables[kind]!.totalLast = own.totalLast ?? all.totalLast ?? from.totalLast
            tables[kind]!.emptyTotal = own.emptyTotal ?? all.emptyTotal ?? from.emptyTotal
            tables[kind]!.allCodes = own.allCodes ?? all.allCodes ?? from.allCodes
            checkLines(Dictionary((own.lineOrder ?? []).map { ($0, (PrintedLine(), patch.location)) }, uniquingKeysWith: { a, _ in a }), kind: kind,
                       definition: definition)
        }
        checkReferences(patch.tables.sorted { $0.key < $1.key }.flatMap(\.value.references), tables: tables)
        var form = PrintedForm(id: id, base: base, order: order, tables: tables, parts: patch.parts ?? parent?.parts ?? PrintedPart.national)
        form.performance = performance(patch, from: parent?.performance ?? PrintedPerformance())
        form.others = patch.order != nil ? patch.others : parent?.others ?? []
        return form
    }

    /// How the form prints its 绩效自评表: what it says, over what it extends.
    func performance(_ patch: FormFiles.Patch, from parent: PrintedPerformance) -> PrintedPerformance {
        var p = parent
        let labels: [(String, WritableKeyPath<PrintedPerformance, String>)] = [
            ("project", \.project), ("overall", \.overall), ("funds", \.funds), ("goals", \.goals), ("indicators", \.indicators), ("total", \.total),
        ]
        for (key, path) in labels { if let text = patch.performance[key] { p[keyPath: path] = text } }
        if let merged = patch.merged { p.merged = merged }
        return p
    }

    /// A line a form file names must be a line of the form (or a 类 code).
    mutating func checkLines(_ lines: [String: (PrintedLine, SourceLocation)], kind: TableKind, definition: TableDefinition) {
        guard !lines.isEmpty else { return }
        let known = definition.lineKeys + (kind == .t06 ? ["人员经费合计", "公用经费合计"] : ["合计"])
        for (key, (_, location)) in lines where !known.contains(key) && !(key.count == 3 && key.allSatisfy(\.isNumber)) {
            let hint = Decoder.didYouMean(key, in: known)
            bag.error(location, localized("\(kind.formNumber) 没有 '\(key)' 这一行\(hint)；应为表样的行：\(known.joined(separator: "、"))",
                                          en: "\(kind.formNumber) has no line '\(key)'\(hint); expected a line of the form: \(known.joined(separator: ", "))"))
        }
    }
}

extension TableKind {
    /// The table's title in the national form of `form` (2022 or 2023), from the built-in form files.
    public func title(form: Int) -> String { FormFiles.national[String(form)]?.table(self).title ?? "" }
}

extension Forms {
    /// The empty table of a kind as its form makes it: `printed`'s lines and formulas, else those of
    /// the national form of `form` (2022 or 2023), read from the built-in form files.
    public static func skeleton(_ kind: TableKind, form: Int, classes: [(String, String)], extended: Bool = false,
                                printed: PrintedTable? = nil) -> Table {
        let definition = printed?.definition ?? FormFiles.national[String(form)]?.table(kind).definition ?? TableDefinition()
        return skeleton(kind, form: form, definition: definition, classes: classes, extended: extended, printed: printed)
    }
}

extension ContentLoader {
    /// The national forms, built in (`Forms/2022.yaml`, `Forms/2023.yaml`), by id.
    public static var nationalForms: [String: PrintedForm] { FormFiles.national }
}
