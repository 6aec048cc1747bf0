import Foundation
import Site
import Testing
import TestSite

/// Golden tests against real documents: every case of `corpus/` with a `site/content/` folder is
/// built, and the tables of its disclosure page are compared with what the document prints
/// (`corpus/<case>/printed.yaml`, transcribed cell-exact): the parts' titles and the tables'
/// numbers and titles in the document's order, units, header rows, every body cell in its table, row (by its printed labels)
/// and column, and the notes under each table.
///
/// What the renderer cannot yet print as the document does is listed in
/// `corpus/<case>/known-gaps.yaml`; the test expects exactly those mismatches, so a fix shows up as
/// a known gap to remove and a regression as a new mismatch. Cells that differ only by the
/// document's thousands separators (`2,452.66` printed, `2452.66` rendered: content holds no
/// separators, docs/content.md#amounts) are counted, not listed: `thousands_separators:` in the same
/// file is their expected number.
///
/// `CORPUS_GOLDEN_RECORD=1` rewrites each known-gaps.yaml with the mismatches found (keeping the
/// `why` of every gap still found; a new gap gets an empty one to fill in). Review the diff.
@Suite struct CorpusGoldenTests {
    static let corpus = repoRoot.appendingPathComponent("corpus")

    /// Cases with a site of their own, in name order.
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: corpus.appendingPathComponent("\($0)/site/content").path) }.sorted()
    }()

    @Test("the corpus has cases with sites") func casesExist() {
        #expect(Self.cases.count >= 20, "\(Self.cases)")
    }

    @Test("every printed cell is rendered as printed, or is a known gap", arguments: cases)
    func corpusCase(_ name: String) throws {
        let folder = Self.corpus.appendingPathComponent(name)
        let printed = try PrintedDocument(read(folder.appendingPathComponent("printed.yaml")))
        let content = folder.appendingPathComponent("site/content")
        let root = temporaryFolder("corpus-\(name)")
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.appendingPathComponent("public")
        _ = try SiteBuilder.build(BuildOptions(content: content, output: output)).get()

        let departments = try FileManager.default.contentsOfDirectory(atPath: content.appendingPathComponent("departments").path)
            .filter { !$0.hasPrefix(".") }
        #expect(departments.count == 1, "\(name): one department per case, found \(departments)")
        let page = output.appendingPathComponent("\(departments.first ?? "")/\(printed.year)/index.html")
        let html = read(page)
        #expect(!html.isEmpty, "\(name): no page at \(page.path)")
        let rendered = RenderedTable.all(in: html)

        var comparison = Comparison(printed: printed.tables, rendered: rendered)
        let parts = RenderedTable.parts(in: html)
        // A source showing only the document's opening (`elsewhere`) may be followed by parts it
        // does not show (决算表, saying where they are published).
        let shown = printed.partial ? Array(parts.prefix(printed.topParts.count)) : parts
        if printed.topParts != shown {
            comparison.gaps.insert(Gap(table: "(document)", row: "(parts in order)", column: "",
                                       printed: printed.topParts.joined(separator: " / "), rendered: parts.joined(separator: " / ")), at: 0)
        }
        comparison.gaps += Outline.gaps(printed, html: html)
        let knownFile = folder.appendingPathComponent("known-gaps.yaml")
        let known = KnownGaps(read(knownFile))

        if ProcessInfo.processInfo.environment["CORPUS_GOLDEN_RECORD"] == "1" {
            try KnownGaps.text(comparison, keeping: known, case: name).write(to: knownFile, atomically: true, encoding: .utf8)
        }

        let found = comparison.gaps.map(\.key).sorted()
        let expected = known.gaps.map(\.key).sorted()
        let unexpected = Self.difference(found, expected)
        let fixed = Self.difference(expected, found)
        #expect(unexpected.isEmpty, """
            \(name): \(unexpected.count) cells not rendered as printed (and not in known-gaps.yaml):
            \(unexpected.joined(separator: "\n"))
            """)
        #expect(fixed.isEmpty, """
            \(name): \(fixed.count) known gaps are no longer found — remove them from known-gaps.yaml:
            \(fixed.joined(separator: "\n"))
            """)
        #expect(comparison.separatorOnly == known.thousandsSeparators, """
            \(name): \(comparison.separatorOnly) cells differ only by thousands separators; known-gaps.yaml says \(known.thousandsSeparators)
            """)
        #expect(comparison.cells == known.cellsCompared, """
            \(name): \(comparison.cells) printed body cells compared; known-gaps.yaml says \(known.cellsCompared)
            """)
    }

    /// `a` without `b`, as multisets.
    static func difference(_ a: [String], _ b: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for x in b { counts[x, default: 0] += 1 }
        var out: [String] = []
        for x in a {
            if let n = counts[x], n > 0 { counts[x] = n - 1 } else { out.append(x) }
        }
        return out
    }
}

// MARK: - printed.yaml

/// A table as `printed.yaml` holds it.
struct PrintedTable {
    var number = ""
    var title = ""
    var unit = ""
    var header: [[String]] = []
    var rows: [[String]] = []
    var notes: [String] = []
    var emptyNote = ""
}

/// The part of `printed.yaml` the golden test reads: `year` and `tables`. The files are written with
/// every string double-quoted (JSON strings) and every row a flow list on one line
/// (corpus/README.md), so a line reader for that shape is enough.
struct PrintedDocument {
    var year = 0
    /// `parts` as printed: the 目录, its sub-items included.
    var parts: [String] = []
    var tables: [PrintedTable] = []
    /// `prose`: each item's section and the figures its text states as printed.
    var prose: [(section: String, figures: [String])] = []
    /// `elsewhere` is not empty: the source shows only part of the document (its opening).
    var partial = false

    /// The document's parts without their sub-items: the `第…部分` lines, or where there are none
    /// the lines numbered 一、二、….
    var topParts: [String] {
        let numbered = parts.filter { $0.hasPrefix("第") && $0.contains("部分") }
        if !numbered.isEmpty { return numbered }
        return parts.filter { p in
            guard let i = p.firstIndex(of: "、") else { return false }
            return !p[..<i].isEmpty && p[..<i].allSatisfy { "一二三四五六七八九十".contains($0) }
        }
    }

    struct Malformed: Error, CustomStringConvertible {
        var line: Int
        var text: String
        var description: String { "printed.yaml:\(line): cannot read '\(text)'" }
    }

    init(_ text: String) throws {
        var inTables = false
        var inParts = false
        var inProse = false
        var list = ""   // header | rows | notes
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            if !line.hasPrefix(" ") && !line.hasPrefix("-") && line.contains(":") {
                inTables = line.hasPrefix("tables:")
                inParts = line.hasPrefix("parts:")
                inProse = line.hasPrefix("prose:")
                if line.hasPrefix("year:") { year = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) ?? 0 }
                if line.hasPrefix("elsewhere:") { partial = !["", "\"\""].contains(line.dropFirst(10).trimmingCharacters(in: .whitespaces)) }
                continue
            }
            if inProse {
                try readProse(line, number: i + 1)
                continue
            }
            if inParts, line.hasPrefix("  - "),
               let part = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(4).utf8), options: [.fragmentsAllowed]) as? String {
                parts.append(part)
                continue
            }
            guard inTables else { continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            func scalar(_ s: Substring) throws -> String {
                guard let v = try? JSONSerialization.jsonObject(with: Data(s.trimmingCharacters(in: .whitespaces).utf8), options: [.fragmentsAllowed]) as? String
                else { throw Malformed(line: i + 1, text: line) }
                return v
            }
            if line.hasPrefix("  - ") {
                tables.append(PrintedTable())
                list = ""
            }
            let body = line.hasPrefix("  - ") ? Substring(line.dropFirst(4)) : Substring(trimmed)
            if line.hasPrefix("      - ") {
                let item = line.dropFirst(8)
                if list == "notes" { tables[tables.count - 1].notes.append(try scalar(item)); continue }
                guard let cells = try? JSONSerialization.jsonObject(with: Data(item.utf8)) as? [String] else { throw Malformed(line: i + 1, text: line) }
                if list == "header" { tables[tables.count - 1].header.append(cells) } else if list == "rows" { tables[tables.count - 1].rows.append(cells) }
                continue
            }
            guard !tables.isEmpty, let colon = body.firstIndex(of: ":") else { throw Malformed(line: i + 1, text: line) }
            let key = body[..<colon], value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "number": tables[tables.count - 1].number = try scalar(Substring(value))
            case "title": tables[tables.count - 1].title = try scalar(Substring(value))
            case "unit": tables[tables.count - 1].unit = try scalar(Substring(value))
            case "empty_note": tables[tables.count - 1].emptyNote = try scalar(Substring(value))
            case "header", "rows", "notes":
                list = String(key)
                if value != "" && value != "[]" { throw Malformed(line: i + 1, text: line) }
            default: throw Malformed(line: i + 1, text: line)
            }
        }
    }
}

// MARK: - the rendered page

/// A table of the disclosure page as a reader sees it: number, title, unit, header rows and body
/// rows with every merged cell repeated in each grid position it covers (the convention of
/// printed.yaml), and the notes under it.
struct RenderedTable {
    var number = ""
    var title = ""
    var unit = ""
    var header: [[String]] = []
    /// Header rows that are 栏次 rows (`class="lanci"`).
    var lanciRows: Set<Int> = []
    var rows: [[String]] = []
    var notes: [String] = []

    /// The titles of the page's parts (第一部分 概况 …), in order.
    static func parts(in html: String) -> [String] {
        var titles: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<section class=\"part\"") {
            let after = rest[start.upperBound...]
            if let h2 = element("h2", in: after) { titles.append(text(h2)) }
            rest = after
        }
        return titles
    }

    static func all(in html: String) -> [RenderedTable] {
        var tables: [RenderedTable] = []
        var rest = html[...]
        while let start = rest.range(of: "<section class=\"public-table") {
            guard let end = rest[start.upperBound...].range(of: "</section>") else { break }
            tables.append(RenderedTable(section: rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return tables
    }

    init(section: Substring) {
        if let h3 = Self.element("h3", in: section) {
            let text = Self.text(h3)
            number = Self.element("span", in: h3).map(Self.text) ?? ""
            title = String(text.dropFirst(number.count)).trimmingCharacters(in: .whitespaces)
        }
        if let meta = Self.element("p", class: "table-meta", in: section) {
            unit = Self.elements("span", in: meta).last.map(Self.text) ?? ""
        }
        var rest = section
        while let note = Self.element("p", class: "table-note", in: rest) {
            notes.append(Self.text(note))
            rest = rest[note.endIndex...]
        }
        if let head = Self.element("thead", in: section) {
            let rows = Self.elements("tr", in: head)
            header = Self.grid(rows, repeatColspan: true)
            for (i, row) in rows.enumerated() where Self.openTag(row).contains("lanci") { lanciRows.insert(i) }
        }
        if let body = Self.element("tbody", in: section) { rows = Self.grid(Self.elements("tr", in: body), repeatColspan: false) }
    }

    /// Rows of cells with colspan and rowspan expanded: the text repeated down a rowspan, and along a
    /// colspan in header rows; a body cell's colspan leaves the cells after it blank, as printed.yaml
    /// writes the 合计 rows (`["合计", "", …]`).
    static func grid(_ rows: [Substring], repeatColspan: Bool) -> [[String]] {
        var out: [[String]] = []
        var pending: [Int: (text: String, left: Int)] = [:]   // column → text still spanning down
        for row in rows {
            var cells: [String] = []
            func fillPending() {
                while let p = pending[cells.count], p.left > 0 {
                    cells.append(p.text)
                    pending[cells.count - 1] = p.left > 1 ? (p.text, p.left - 1) : nil
                }
            }
            var rest = row[...]
            while let cell = nextCell(in: rest) {
                fillPending()
                let tag = openTag(cell)
                let text = Self.text(cell)
                let colspan = Int(HTMLTables.attribute("colspan", in: tag) ?? "1") ?? 1
                let rowspan = Int(HTMLTables.attribute("rowspan", in: tag) ?? "1") ?? 1
                for k in 0..<max(1, colspan) {
                    let t = k == 0 || repeatColspan ? text : ""
                    if rowspan > 1 { pending[cells.count] = (t, rowspan - 1) }
                    cells.append(t)
                }
                rest = rest[cell.endIndex...]
            }
            fillPending()
            out.append(cells)
        }
        return out
    }

    static func nextCell(in s: Substring) -> Substring? {
        let td = element("td", in: s), th = element("th", in: s)
        switch (td, th) {
        case let (a?, b?): return a.startIndex < b.startIndex ? a : b
        case let (a?, nil): return a
        case let (nil, b?): return b
        default: return nil
        }
    }

    /// The first `<name …>…</name>` in `s` (not nested in one of its own kind).
    static func element(_ name: String, class cls: String? = nil, in s: Substring) -> Substring? {
        var rest = s
        while let open = rest.range(of: "<\(name)") {
            let after = rest[open.upperBound...]
            guard let next = after.first, next == ">" || next == " " else { rest = after; continue }
            guard let close = after.range(of: "</\(name)>") else { return nil }
            let tagEnd = after.firstIndex(of: ">") ?? after.startIndex
            if let cls, !(after[..<tagEnd].contains("class=\"\(cls)")) { rest = close.upperBound < rest.endIndex ? rest[close.upperBound...] : ""; continue }
            return s[open.lowerBound..<close.upperBound]
        }
        return nil
    }

    static func elements(_ name: String, in s: Substring) -> [Substring] {
        var out: [Substring] = []
        var rest = s
        while let e = element(name, in: rest) {
            out.append(e)
            rest = rest[e.endIndex...]
        }
        return out
    }

    static func openTag(_ element: Substring) -> String {
        String(element[..<(element.firstIndex(of: ">") ?? element.endIndex)])
    }

    /// The text of an element: tags removed, entities decoded, white space collapsed.
    static func text(_ element: Substring) -> String {
        var inner = element
        if let gt = inner.firstIndex(of: ">") { inner = inner[inner.index(after: gt)...] }
        if let lt = inner.range(of: "</", options: .backwards) { inner = inner[..<lt.lowerBound] }
        var out = ""
        var inTag = false
        for ch in inner {
            if ch == "<" { inTag = true } else if ch == ">" { inTag = false } else if !inTag { out.append(ch) }
        }
        let decoded = HTMLTables.decode(out)
        return decoded.split(whereSeparator: { $0 == "\n" || $0 == "\t" }).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
    }
}

// MARK: - comparison

/// A place where the page does not print what the document prints.
struct Gap: Hashable {
    var table: String
    var row: String
    var column: String
    var printed: String
    var rendered: String

    var key: String { "\(table) | \(row) | \(column) | printed '\(printed)' | rendered '\(rendered)'" }
}

/// The document's tables against the page's.
struct Comparison {
    var gaps: [Gap] = []
    /// Body cells of the document compared.
    var cells = 0
    /// Cells equal once the document's thousands separators are removed.
    var separatorOnly = 0

    static let labelHeaders: Set<String> = ["项目", "科目名称", "科目编码", "功能分类科目编码", "经济分类科目编码", "支出功能分类科目编码",
                                            "类", "款", "项", "类款项", "项目（按功能分类）"]

    init(printed: [PrintedTable], rendered: [RenderedTable]) {
        let printedNames = printed.map { "\($0.number) \($0.title)".trimmingCharacters(in: .whitespaces) }
        let renderedNames = rendered.map { "\($0.number) \($0.title)".trimmingCharacters(in: .whitespaces) }
        if printedNames != renderedNames {
            gaps.append(Gap(table: "(document)", row: "(tables in order)", column: "",
                            printed: printedNames.joined(separator: " / "), rendered: renderedNames.joined(separator: " / ")))
        }
        var used = Set<Int>()
        for (i, p) in printed.enumerated() {
            let match = rendered.indices.first { !used.contains($0) && rendered[$0].title == p.title }
                ?? (i < rendered.count && !used.contains(i) ? i : nil)
            guard let r = match else {
                gaps.append(Gap(table: p.title, row: "(table)", column: "", printed: "printed", rendered: "not rendered"))
                cells += p.rows.reduce(0) { $0 + $1.count }
                continue
            }
            used.insert(r)
            compare(p, rendered[r])
        }
    }

    mutating func compare(_ p: PrintedTable, _ r: RenderedTable) {
        let table = p.title
        func gap(_ row: String, _ column: String, _ printed: String, _ rendered: String) {
            gaps.append(Gap(table: table, row: row, column: column, printed: printed, rendered: rendered))
        }
        if p.unit != r.unit { gap("(unit)", "", p.unit, r.unit) }
        let printedNotes = p.notes + (p.emptyNote.isEmpty ? [] : [p.emptyNote])
        if printedNotes != r.notes { gap("(notes)", "", printedNotes.joined(separator: " / "), r.notes.joined(separator: " / ")) }
        if p.header != r.header {
            func rows(_ h: [[String]]) -> String { h.map { $0.joined(separator: "|") }.joined(separator: " / ") }
            gap("(header)", "", rows(p.header), rows(r.header))
        }

        // Columns: the document's, by the path of header texts above each.
        let printedKeys = Self.columnKeys(p.header)
        let width = p.header.first?.count ?? p.rows.first?.count ?? 0
        let headerRows = r.header.enumerated().filter { !r.lanciRows.contains($0.offset) }.map(\.element)
        let renderedWidth = r.rows.map(\.count).max() ?? r.header.map(\.count).max() ?? 0
        let renderedKeys: [String]? = headerRows.allSatisfy({ $0.count == renderedWidth }) && !headerRows.isEmpty
            ? Self.columnKeys(headerRows) : nil
        var keep = Array(0..<renderedWidth)
        var dropped: [Int] = []
        if keep.count != width, let keys = renderedKeys, !printedKeys.contains(where: { $0.contains("行次") }) {
            dropped += keep.filter { keys[$0].split(separator: "/").contains("行次") }
            keep.removeAll { dropped.contains($0) }
        }
        if keep.count != width {
            let blank = keep.filter { c in
                r.rows.allSatisfy { c >= $0.count || $0[c].isEmpty } && !(renderedKeys.map { printedKeys.contains($0[c]) } ?? false)
            }
            if keep.count - blank.count == width {
                dropped += blank
                keep.removeAll { blank.contains($0) }
            }
        }
        for c in dropped.sorted() {
            gap("(every row)", renderedKeys?[c] ?? "#\(c + 1)", "(no such column)", "column printed")
        }
        var map: [Int?] = Array(repeating: nil, count: width)
        if keep.count == width {
            for i in 0..<width { map[i] = keep[i] }
        } else if let keys = renderedKeys {
            var free = keep
            for i in 0..<width {
                if let j = free.firstIndex(where: { keys[$0] == printedKeys[i] }) { map[i] = free.remove(at: j) }
            }
            let printedLast = Self.columnKeys(p.header.suffix(1)), renderedLast = Self.columnKeys(headerRows.suffix(1))
            for i in 0..<width where map[i] == nil {
                if let j = free.firstIndex(where: { renderedLast[$0] == printedLast[i] }) { map[i] = free.remove(at: j) }
            }
        }
        for i in 0..<width where map[i] == nil { gap("(every row)", printedKeys[i], "column printed", "(no such column)") }

        // Rows: by their printed labels, in order; a row found elsewhere is compared there.
        let labelColumns = (0..<width).filter { c in
            printedKeys[c].split(separator: "/").contains { Self.labelHeaders.contains($0.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "#2", with: "")) }
        }
        func printedKey(_ row: [String]) -> String {
            labelColumns.filter { map[$0] != nil }.map { $0 < row.count ? row[$0] : "" }.filter { !$0.isEmpty }.joined(separator: "|")
        }
        func renderedKey(_ row: [String]) -> String {
            labelColumns.compactMap { map[$0] }.map { $0 < row.count ? row[$0] : "" }.filter { !$0.isEmpty }.joined(separator: "|")
        }
        let pk = p.rows.map(printedKey), rk = r.rows.map(renderedKey)
        var pairs = Self.align(pk, rk)
        var unmatchedRendered = Set(r.rows.indices).subtracting(pairs.compactMap { $0.1 })
        let lcs = pairs
        // A row found elsewhere (same labels) is compared there, and its place is a gap.
        for (i, pair) in pairs.enumerated() where pair.1 == nil {
            if let j = unmatchedRendered.sorted().first(where: { rk[$0] == pk[pair.0] }) {
                pairs[i].1 = j
                unmatchedRendered.remove(j)
                gap(Self.rowName(pk[pair.0]), "(position)", "row \(pair.0 + 1)", "row \(j + 1)")
            }
        }
        // A row left over in the same place on both sides (between the same matched rows) is the
        // same row printed with other labels: its cells are compared, the labels among them.
        for (i, pair) in pairs.enumerated() where pair.1 == nil {
            let before = lcs[..<i].last(where: { $0.1 != nil })?.1 ?? -1
            let after = lcs[(i + 1)...].first(where: { $0.1 != nil })?.1 ?? r.rows.count
            if let j = unmatchedRendered.sorted().first(where: { $0 > before && $0 < after }) {
                pairs[i].1 = j
                unmatchedRendered.remove(j)
            }
        }
        for (pi, ri) in pairs {
            let row = p.rows[pi]
            let name = Self.rowName(pk[pi])
            for c in 0..<width {
                let printed = c < row.count ? row[c] : ""
                cells += 1
                guard let rc = map[c] else { continue }   // reported once for the column
                guard let ri else {
                    if !printed.isEmpty { gap(name, printedKeys[c], printed, "(no such row)") }
                    continue
                }
                let rendered = rc < r.rows[ri].count ? r.rows[ri][rc] : ""
                if printed == rendered { continue }
                if printed.contains(","), printed.replacingOccurrences(of: ",", with: "") == rendered {
                    separatorOnly += 1
                    continue
                }
                gap(name, printedKeys[c], printed, rendered)
            }
        }
        if labelColumns.contains(where: { map[$0] != nil }) {   // rows the page adds, where rows can be told apart
            for j in unmatchedRendered.sorted() {
                gap(Self.rowName(rk[j]), "(row \(j + 1))", "(no such row)", r.rows[j].joined(separator: "|"))
            }
        }
    }

    static func rowName(_ key: String) -> String { key.isEmpty ? "(blank labels)" : key }

    /// For each column, the header texts above it from top to bottom, repeats and blanks left out,
    /// joined by "/"; a key met again gets `#2`, `#3` ….
    static func columnKeys<C: Collection>(_ header: C) -> [String] where C.Element == [String] {
        let rows = Array(header)
        let width = rows.map(\.count).max() ?? 0
        var seen: [String: Int] = [:]
        return (0..<width).map { c in
            var path: [String] = []
            for row in rows where c < row.count {
                let t = row[c].trimmingCharacters(in: .whitespaces)
                if !t.isEmpty && path.last != t { path.append(t) }
            }
            let key = path.joined(separator: "/")
            seen[key, default: 0] += 1
            return seen[key]! > 1 ? "\(key)#\(seen[key]!)" : key
        }
    }

    /// Pairs of printed and rendered rows with equal keys, in order (longest common subsequence);
    /// every printed row appears once, with nil where no rendered row matches.
    static func align(_ a: [String], _ b: [String]) -> [(Int, Int?)] {
        let n = a.count, m = b.count
        var l = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                l[i][j] = a[i] == b[j] ? l[i + 1][j + 1] + 1 : max(l[i + 1][j], l[i][j + 1])
            }
        }
        var out: [(Int, Int?)] = []
        var i = 0, j = 0
        while i < n {
            if j < m && a[i] == b[j] { out.append((i, j)); i += 1; j += 1 } else if j < m && l[i][j + 1] >= l[i + 1][j] { j += 1 } else { out.append((i, nil)); i += 1 }
        }
        return out
    }
}

// MARK: - known-gaps.yaml

/// `corpus/<case>/known-gaps.yaml`: the mismatches the renderer cannot avoid yet, each with why.
///
/// ```yaml
/// cells_compared: 1480
/// thousands_separators: 412
/// gaps:
///   - table: "收入支出决算总表"
///     row: "(every row)"
///     column: "收入/行次"
///     printed: "(no such column)"
///     rendered: "column printed"
///     why: "…"
/// ```
/// Every value is a JSON string on one line (the same shape as printed.yaml), so a line reader is enough.
struct KnownGaps {
    struct Entry {
        var gap: Gap
        var why: String
        var key: String { gap.key }
    }

    var cellsCompared = 0
    var thousandsSeparators = 0
    var gaps: [Entry] = []

    init(_ text: String) {
        var current: [String: String]?
        func flush() {
            if let c = current {
                gaps.append(Entry(gap: Gap(table: c["table"] ?? "", row: c["row"] ?? "", column: c["column"] ?? "",
                                           printed: c["printed"] ?? "", rendered: c["rendered"] ?? ""), why: c["why"] ?? ""))
            }
            current = nil
        }
        for raw in text.split(separator: "\n") {
            let line = String(raw)
            if line.hasPrefix("cells_compared:") {
                cellsCompared = Int(line.dropFirst("cells_compared:".count).split(separator: "#").first?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
                continue
            }
            if line.hasPrefix("thousands_separators:") {
                thousandsSeparators = Int(line.dropFirst("thousands_separators:".count).split(separator: "#").first?.trimmingCharacters(in: .whitespaces) ?? "") ?? -1
                continue
            }
            guard line.hasPrefix("  ") else { continue }
            var body = Substring(line.dropFirst(2))
            if body.hasPrefix("- ") { flush(); current = [:]; body = body.dropFirst(2) } else { body = Substring(body.trimmingCharacters(in: .whitespaces)) }
            guard current != nil, let colon = body.firstIndex(of: ":") else { continue }
            let value = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            current?[String(body[..<colon])] = (try? JSONSerialization.jsonObject(with: Data(value.utf8), options: [.fragmentsAllowed]) as? String) ?? value
        }
        flush()
    }

    static func quoted(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: s, options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The file for `comparison`, keeping the `why` of each gap `known` already explains.
    static func text(_ comparison: Comparison, keeping known: KnownGaps, case name: String) -> String {
        var whys: [String: [String]] = [:]
        for e in known.gaps { whys[e.key, default: []].append(e.why) }
        var lines = [
            "# corpus/\(name): what the page does not print as the document does (Tests/ViewsTests/CorpusGoldenTests.swift).",
            "# Each gap: table, row (its printed labels), column (the header path), printed, rendered, why.",
            "# cells_compared: the document's body cells; thousands_separators: cells equal once the document's",
            "# separators are removed (content has none, docs/content.md#amounts).",
            "cells_compared: \(comparison.cells)",
            "thousands_separators: \(comparison.separatorOnly)",
            "gaps:",
        ]
        for g in comparison.gaps {
            let why = whys[g.key]?.first ?? ""
            if var list = whys[g.key], !list.isEmpty { list.removeFirst(); whys[g.key] = list }
            lines += ["  - table: \(quoted(g.table))", "    row: \(quoted(g.row))", "    column: \(quoted(g.column))",
                      "    printed: \(quoted(g.printed))", "    rendered: \(quoted(g.rendered))", "    why: \(quoted(why))"]
        }
        if comparison.gaps.isEmpty { lines[lines.count - 1] = "gaps: []" }
        return lines.joined(separator: "\n") + "\n"
    }
}
