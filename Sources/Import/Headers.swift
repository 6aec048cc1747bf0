import Foundation
import Model
import Support

/// What a column of an exported table holds, as its header says. Columns are matched by their
/// header text only, never by their position: a column whose header is not recognised is
/// reported, and its cells are not read.
enum ColumnRole: Equatable {
    /// An amount column: the form's column label (or `line|column` for the wide 09 of 2023).
    case amount(String)
    /// 类/款/项, 科目编码, 科目名称, 项目: codes and names.
    case label
    /// 栏次/行次.
    case lineNumber
    /// A header sitegen does not know (the header's texts).
    case unknown(String)
    /// No header text at all.
    case none
}

/// A column of the form and every header text it answers to (after `Text.core`).
struct ColumnSpec {
    let target: String
    let names: Set<String>

    init(_ target: String, _ aliases: [String] = []) {
        self.target = target
        names = Set(([target] + aliases).map(Text.core))
    }
}

/// The header of an exported table: which rows are title, 编制单位 and header lines, and what each
/// column holds, read from the header texts (merged cells included: a group header such as
/// 本年支出 over 合计/基本支出/项目支出 is carried over the cells it spans).
struct HeaderLayout {
    var roles: [ColumnRole]
    /// Each column's header texts, top to bottom.
    var stacks: [[String]]
    /// Index into `sheet.rows` of the first row below the header.
    var dataStart: Int
    /// Indices of title, 编制单位, 年度 and 单位 lines above the data.
    var metaRows: [Int]
    /// Indices of header rows (栏次 rows included).
    var headerRows: [Int]

    /// The header's words, for rows repeated below it (an export printed over several pages).
    var words: Set<String>
    /// Blocks of columns side by side (01/04 收入 | 支出, 06 人员经费 | 公用经费): each starts at a
    /// run of code/name columns and runs to the next one; columns left of the first run join it.
    let blocks: [Range<Int>]
    private let byTarget: [String: [Int]]

    init(roles: [ColumnRole], stacks: [[String]], dataStart: Int, metaRows: [Int], headerRows: [Int], words: Set<String>) {
        self.roles = roles
        self.stacks = stacks
        self.dataStart = dataStart
        self.metaRows = metaRows
        self.headerRows = headerRows
        self.words = words
        var starts = roles.indices.filter { roles[$0] == .label && ($0 == 0 || roles[$0 - 1] != .label) }
        if starts.isEmpty { starts = [0] } else { starts[0] = 0 }
        blocks = starts.indices.map { i in starts[i]..<(i + 1 < starts.count ? starts[i + 1] : max(roles.count, starts[i] + 1)) }
        var byTarget: [String: [Int]] = [:]
        for (c, role) in roles.enumerated() { if case .amount(let t) = role { byTarget[t, default: []].append(c) } }
        self.byTarget = byTarget
    }

    var width: Int { roles.count }

    func role(_ c: Int) -> ColumnRole { c >= 0 && c < roles.count ? roles[c] : .none }

    /// The columns mapped to a target, left to right.
    func columns(_ target: String) -> [Int] { byTarget[target] ?? [] }

    /// `D` for column index 3.
    static func letter(_ i: Int) -> String { i < 26 ? String(UnicodeScalar(65 + i)!) : letter(i / 26 - 1) + letter(i % 26) }

    /// The header as printed for the report: `本年支出/合计`.
    func header(_ c: Int) -> String { c < stacks.count ? stacks[c].reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }.joined(separator: "/") : "" }

    func block(of column: Int) -> Range<Int> { blocks.last { $0.lowerBound <= column } ?? 0..<width }

    // MARK: words

    static let codeWords: Set<String> = ["类", "款", "项", "科目编码", "编码", "代码", "科目代码", "支出功能分类科目编码", "功能分类科目编码",
                                         "支出功能分类", "功能分类科目", "经济分类科目编码", "支出经济分类科目编码", "部门经济分类科目编码",
                                         "部门支出经济分类科目编码", "经济分类科目", "经济分类"]
    static let nameWords: Set<String> = ["科目名称", "项目", "名称", "项目名称", "项目（按功能分类）", "项目（按支出功能分类）",
                                         "功能分类科目名称", "经济分类科目名称", "科目", "支出功能分类科目名称",
                                         "科目编码及名称", "科目编码和名称", "科目名称及编码", "编码及名称"]
    static let lineWords: Set<String> = ["栏次", "行次"]
    /// Group headers that name no column by themselves.
    static let groupWords: Set<String> = ["收入", "支出", "本年收入", "本年支出", "小计", "合计", "人员经费", "公用经费", "预算数", "决算数",
                                          "财政拨款", "其中", "金额", "其中：", "支出功能分类科目", "一般公共预算财政拨款基本支出"]
    static let unitPrefixes = ["编制单位", "填报单位", "编报单位", "部门名称", "单位名称", "部门（单位）名称", "部门（单位）", "预算单位", "报送单位"]

    /// A title, 编制单位, 年度, 单位：万元 or 公开NN表 cell.
    static func isMeta(_ text: String, kind: TableKind) -> Bool {
        let t = Text.norm(text)
        if t.isEmpty { return false }
        if unitPrefixes.contains(where: { t.hasPrefix($0) }) { return true }
        if t.hasPrefix("单位：") || t.hasPrefix("金额单位") || t.hasPrefix("计量单位") || t.hasPrefix("单位（") { return true }
        if Importer.formNumber(in: t) != nil { return true }
        if year(in: t) != nil { return true }
        if [2022, 2023].contains(where: { Text.norm(kind.title(form: $0)) == t }) { return true }
        return t.hasSuffix("决算表") || t.hasSuffix("决算总表") || t.hasSuffix("情况表")
    }

    /// `2022年度`, `2022年` at the end: the year a title or 年度 cell names.
    static func year(in text: String) -> Int? {
        let c = Array(Text.norm(text))
        guard c.count >= 5 else { return nil }
        for i in 0...(c.count - 5) {
            let four = c[i..<i + 4]
            guard four.allSatisfy({ $0.isASCII && $0.isNumber }), i == 0 || !(c[i - 1].isASCII && c[i - 1].isNumber), c[i + 4] == "年" else { continue }
            if i + 5 == c.count || c[i + 5] == "度" { return Int(String(four)) }
        }
        return nil
    }

    /// A cell that can only be data: an amount with a decimal point, or a 3- to 7-digit code.
    static func isDataLike(_ cell: Sheet.Cell) -> Bool {
        var t = cell.text.trimmingSpaces()
        if t.hasPrefix("'") { t.removeFirst() }
        let n = Text.norm(t)
        if Text.isBlank(n) { return false }
        if n.contains("."), Text.decimal(n.replacing(",", with: "")) != nil { return true }
        let lead = n.prefix { $0.isASCII && $0.isNumber }
        return lead.count >= 3
    }

    static let maxHeaderRows = 12

    /// A row of title, 编制单位, 年度 and 单位 cells only.
    static func isMetaRow(_ cells: [Sheet.Cell], kind: TableKind) -> Bool {
        let texts = cells.map(\.text).filter { !Text.isBlank($0) }
        return !texts.isEmpty && texts.allSatisfy { isMeta($0, kind: kind) }
    }

    /// A header row (some header word, nothing that can only be data) or a 栏次 row (1, 2, … n).
    static func isHeaderRow(_ cells: [Sheet.Cell], kind: TableKind, words: Set<String>) -> Bool {
        let texts = cells.map(\.text).filter { !Text.isBlank($0) }
        let own = texts.filter { !isMeta($0, kind: kind) && Text.integer($0) == nil }
        // Whole numbers in a header row are its 栏次 (1, 2, … n); others (an amount of 10 stored as 10) are data.
        let integers = texts.compactMap(Text.integer)
        let lanci = !integers.isEmpty && integers == Array(1...integers.count)
        if own.isEmpty { return integers.count > 1 && lanci }
        // A 合计 row with blank amounts (an empty 07) is data, not a second header line.
        if own.count == 1, ["合计", "总计"].contains(Text.core(own[0])) { return false }
        return own.contains { words.contains(Text.core($0)) } && !cells.contains(where: isDataLike) && (integers.isEmpty || lanci)
    }

    /// A row below the data's start that repeats the title, 编制单位 or header lines.
    func isRepeatedHeader(_ cells: [Sheet.Cell], kind: TableKind) -> Bool {
        Self.isMetaRow(cells, kind: kind) || Self.isHeaderRow(cells, kind: kind, words: words)
    }

    /// Reads the header of a sheet against the columns of its form.
    static func read(_ sheet: Sheet, kind: TableKind, specs: [ColumnSpec], words extra: Set<String> = []) -> HeaderLayout {
        var words = codeWords.union(nameWords).union(lineWords).union(groupWords).union(extra)
        for s in specs { words.formUnion(s.names) }
        let width = sheet.rows.map(\.cells.count).max() ?? 0
        var meta: [Int] = [], header: [Int] = []
        var k = 0
        while k < sheet.rows.count {
            let cells = sheet.rows[k].cells
            if cells.allSatisfy({ Text.isBlank($0.text) }) { k += 1; continue }
            if isMetaRow(cells, kind: kind) { meta.append(k); k += 1; continue }
            // At most `maxHeaderRows` header rows (a printed header has up to 5 or 6): each adds a text per column.
            if header.count < maxHeaderRows, isHeaderRow(cells, kind: kind, words: words) { header.append(k); k += 1; continue }
            break
        }
        var stacks = Array(repeating: [String](), count: width)
        var own = Array(repeating: false, count: width)
        var parent = Array(repeating: "", count: width)
        for h in header {
            let cells = sheet.rows[h].cells
            var next = parent
            var last: (text: String, parent: String)?
            for c in 0..<width {
                let raw = c < cells.count ? cells[c].text : ""
                if Text.isBlank(raw) {
                    if let l = last, l.parent == parent[c] {
                        stacks[c].append(l.text)
                        next[c] = parent[c] + "/" + l.text
                    } else { last = nil }
                    continue
                }
                if Text.integer(raw) != nil || isMeta(raw, kind: kind) { last = nil; continue }
                var t = Text.core(raw)
                // `本年支出合计（万元）`: the unit every amount is in anyway.
                for unit in ["（万元）", "万元"] where t.hasSuffix(unit) && t.count > unit.count { t.removeLast(unit.count); break }
                stacks[c].append(t)
                own[c] = true
                next[c] = parent[c] + "/" + t
                last = (t, parent[c])
            }
            parent = next
        }
        // A column with no header text of its own is not under a merged header, only beside one:
        // 决算数 in C, nothing in D and E (a merge always spans columns with their own sub-headers).
        for c in 0..<width where !own[c] { stacks[c] = [] }
        func target(_ t: String) -> String? { specs.first { $0.names.contains(t) }?.target }
        let roles: [ColumnRole] = stacks.map { s in
            for t in s.reversed() where !lineWords.contains(t) {
                if let a = target(t) { return .amount(a) }
                if codeWords.contains(t) || nameWords.contains(t) { return .label }
            }
            for j in s.indices.reversed() { for i in (0..<j).reversed() { if let a = target(s[i] + s[j]) { return .amount(a) } } }
            if s.contains(where: lineWords.contains) { return .lineNumber }
            return s.isEmpty ? .none : .unknown(s.reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }.joined(separator: "/"))
        }
        return HeaderLayout(roles: roles, stacks: stacks, dataStart: k, metaRows: meta, headerRows: header, words: words)
    }
}

/// 编制单位 and 年度 as a sheet prints them above its header.
struct SheetMeta {
    var unit: (name: String, row: Int)?
    var year: (year: Int, row: Int)?

    static func read(_ sheet: Sheet) -> SheetMeta {
        var out = SheetMeta()
        for row in sheet.rows.prefix(12) {
            for (i, cell) in row.cells.enumerated() {
                let t = Text.norm(cell.text)
                if out.year == nil, let y = HeaderLayout.year(in: t) { out.year = (y, row.number) }
                guard out.unit == nil, let prefix = HeaderLayout.unitPrefixes.first(where: { t.hasPrefix($0) }) else { continue }
                var rest = Substring(cell.text.trimmingSpaces())
                if let colon = rest.firstIndex(where: { $0 == "：" || $0 == ":" }) { rest = rest[rest.index(after: colon)...] } else {
                    rest = rest.dropFirst(prefix.count)
                }
                var name = rest.trimmingCharacters(in: .whitespaces)
                if let cut = name.range(of: "  ") ?? name.range(of: "\u{3000}") ?? name.range(of: "\t") { name = String(name[..<cut.lowerBound]) }
                name = cutAtYearOrUnit(name)
                if Text.norm(name).isEmpty {
                    name = row.cells.dropFirst(i + 1).map { $0.text.trimmingSpaces() }.first { !Text.isBlank($0) && HeaderLayout.year(in: $0) == nil } ?? ""
                }
                if !Text.norm(name).isEmpty { out.unit = (name, row.number) }
            }
        }
        return out
    }

    /// `某局 2022年度 金额单位：万元` → `某局`: a name ends where a year or a 单位 begins.
    static func cutAtYearOrUnit(_ name: String) -> String {
        let c = Array(name)
        var end = c.count
        for i in c.indices {
            let rest = String(c[i...])
            if rest.hasPrefix("金额单位") || rest.hasPrefix("单位：") || rest.hasPrefix("单位:") || rest.hasPrefix("公开") { end = i; break }
            if i + 4 < c.count, c[i..<i + 4].allSatisfy({ $0.isASCII && $0.isNumber }), c[i + 4] == "年", i == 0 || !(c[i - 1].isASCII && c[i - 1].isNumber) { end = i; break }
        }
        return String(c[..<end]).trimmingCharacters(in: .whitespaces)
    }

    /// Whether the name a sheet prints is the department's: the same once spaces and brackets are
    /// normalised, or one ending with the other (a region prefix left out: 东湖区中小企业服务局 for
    /// 南昌市东湖区中小企业服务局), the shorter of at least 4 characters.
    static func sameUnit(_ a: String, _ b: String) -> Bool {
        let x = Text.norm(a), y = Text.norm(b)
        if x == y { return true }
        let (short, long) = x.count <= y.count ? (x, y) : (y, x)
        return short.count >= 4 && long.hasSuffix(short)
    }
}
