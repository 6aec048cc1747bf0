import Derive
import Model

// MARK: - Reading the explanation

struct ProseReader {
    let d: Disclosure
    let book: FigureBook
    var findings: [Finding] = []
    var unsettled: [Checker.Unsettled] = []
    /// Direction words said of each figure: path → (word, line).
    var directions: [FigurePath: (String, Int)] = [:]
    /// The amount each term was last given in the paragraph (for a change stated in the next sentence).
    var stated: [Int: ProseNumber] = [:]
    /// The 类 names of 03 and 05, read once.
    var classNames: Set<String>?

    init(d: Disclosure, book: FigureBook) {
        self.d = d
        self.book = book
    }

    struct Hit {
        var start: Int
        var end: Int
        var term: Int
        var word: String
        /// Named after 占: the whole of a share, not a subject.
        var isWhole = false
        /// A 功能分类 item named with its level: 一般公共服务支出（类）统计信息事务（款）专项普查活动（项）.
        var chain: [(level: Int, name: String)] = []

        var isClassification: Bool { !chain.isEmpty }
        var label: String { isClassification ? word : Checker.terms[term].words[0] }
    }

    /// `名称（类）名称（款）名称（项）`: 功能分类 items named in prose, with the levels they give.
    static func classificationHits(_ s: [Unicode.Scalar]) -> [Hit] {
        var out: [Hit] = []
        var i = 0
        var current: Hit?
        var lastEnd = -1
        while i < s.count {
            // （类） / (类) / （款） / （项）
            let open = s[i] == "（" || s[i] == "("
            guard open, i + 2 < s.count, ["类", "款", "项"].contains(s[i + 1]), s[i + 2] == "）" || s[i + 2] == ")" else { i += 1; continue }
            let level = s[i + 1] == "类" ? 3 : s[i + 1] == "款" ? 5 : 7
            var j = i
            // Names may hold parentheses (政府办公厅（室）及相关机构事务): a chain stops at the marker before.
            let stop: Set<Unicode.Scalar> = ["，", ",", "。", "；", ";", "：", ":", "、", " ", "“", "”", "\"", "…", ".", "．"]
            while j > 0, j > lastEnd, !stop.contains(s[j - 1]), !Checker.isDigit(s[j - 1]) { j -= 1 }
            let name = string(s, j..<i)
            if !name.isEmpty {
                if var c = current, j == lastEnd, (c.chain.last?.level ?? 0) < level {
                    c.chain.append((level, name))
                    c.end = i + 3
                    c.word = string(s, c.start..<c.end)
                    current = c
                } else {
                    if let c = current { out.append(c) }
                    current = Hit(start: j, end: i + 3, term: -1, word: string(s, j..<i + 3), chain: [(level, name)])
                }
            }
            lastEnd = i + 3
            i += 3
        }
        if let c = current { out.append(c) }
        return out
    }

    /// `“教育支出”16.24 万元`: a 类 named in quotes, exactly as the tables print it.
    mutating func quotedClasses(_ s: [Unicode.Scalar]) -> [Hit] {
        guard s.contains("“") else { return [] }
        if classNames == nil {
            var names = Set<String>()
            for t in [TableKind.t03, .t05] { for row in d.table(t).sections.first?.rows ?? [] where row.code?.count == 3 { names.insert(row.label) } }
            classNames = names
        }
        let names = classNames ?? []
        guard !names.isEmpty else { return [] }
        var out: [Hit] = []
        var i = 0
        while i < s.count {
            guard s[i] == "“", let close = s[(i + 1)...].firstIndex(of: "”") else { i += 1; continue }
            let name = Self.string(s, i + 1..<close)
            if names.contains(name) { out.append(Hit(start: i, end: close + 1, term: -1, word: name, chain: [(3, name)])) }
            i = close + 1
        }
        return out
    }

    /// The row of a 功能分类 item by the names the prose gives, in one table; nil unless exactly one row fits.
    func classificationRow(_ chain: [(level: Int, name: String)], table: Int) -> String? {
        guard let kind = TableKind(rawValue: table), let section = d.table(kind).sections.first else { return nil }
        var candidates = section.rows.compactMap(\.code)
        for (level, name) in chain {
            // A 类 named without its 支出 (一般公共服务（类） for 一般公共服务支出) is still that 类.
            let matching = Set(section.rows.filter { $0.code?.count == level && ($0.label == name || level == 3 && $0.label == name + "支出") }
                .compactMap(\.code))
            candidates = candidates.filter { code in code.count >= level && matching.contains(String(code.prefix(level))) }
        }
        let deepest = chain.map(\.level).max() ?? 3
        let rows = Set(candidates.filter { $0.count == deepest })
        return rows.count == 1 ? rows.first : nil
    }

    /// What a term's text says: its amount, change, growth, share, or 持平.
    struct Claim {
        var amount: ProseNumber?
        var change: (word: String, number: ProseNumber)?
        var growth: (word: String, number: ProseNumber)?
        var share: (number: ProseNumber, whole: FigurePath?)?
        var flat = false
        var aboutBudget = false
    }

    static let fundNames: [(String, Checker.Fund)] = [("一般公共预算", .general), ("政府性基金", .governmentFunds), ("国有资本经营", .capital)]

    /// The funds a text names: 一般公共预算, 政府性基金, 国有资本经营, or bare 财政拨款.
    static func funds(in text: String) -> Set<Checker.Fund> {
        var out = Set<Checker.Fund>()
        var rest = text.replacingOccurrences(of: "非财政拨款", with: "")
        for (name, fund) in fundNames where rest.contains(name) {
            out.insert(fund)
            rest = rest.replacingOccurrences(of: name + "预算财政拨款", with: "").replacingOccurrences(of: name + "财政拨款", with: "")
        }
        if rest.contains("财政拨款") { out.insert(.fiscal) }
        return out
    }

    static func string(_ s: [Unicode.Scalar], _ r: Range<Int>) -> String {
        var out = ""
        out.unicodeScalars.append(contentsOf: s[max(0, r.lowerBound)..<min(s.count, max(r.lowerBound, r.upperBound))])
        return out
    }

    static let boundaries: Set<Unicode.Scalar> = ["，", ",", "。", "；", ";", "：", ":", "、", "（", "）", "(", ")", " ", "“", "”", "\t"]

    /// Words that may stand between a term and its amount: `基本支出为 50.00万元`, `支出决算为 …`.
    static func isClean(_ gap: String) -> Bool {
        var g = gap
        for w in ["支出决算数", "决算数", "支出决算", "决算", "合计", "共计", "总计", "累计", "总额", "金额", "实际", "全年", "本年", "本年度", "达到", "（类）", "(类)",
                  "为", "是", "共", "达", "计", "的", "：", ":", "，", ",", " ", "支出", "了", "“", "”", "\""] {
            g = g.replacingOccurrences(of: w, with: "")
        }
        return g.isEmpty
    }

    /// A comparison with a budget, last year or another year than this and the last.
    func qualifier(_ text: String) -> String? {
        var t = text
        // 一般公共预算 / 政府性基金预算 / 国有资本经营预算 name a fund, not a budget figure.
        for name in ["一般公共预算", "政府性基金预算", "国有资本经营预算"] { t = t.replacingOccurrences(of: name, with: "") }
        if t.contains("预算") { return "预算" }
        for w in ["上年", "去年", "上一年", "同期", "年初"] where t.contains(w) { return w }
        // 2021年 in a 2023 disclosure.
        if let y = years(in: t).first(where: { $0 != d.year }) { return "\(y)年" }
        return nil
    }

    /// The years a text names (`2022年`, `2022 年度`).
    func years(in t: String) -> [Int] {
        let s = Array(t.unicodeScalars)
        var out: [Int] = []
        var i = 0
        while i + 4 < s.count {
            if Checker.isDigit(s[i]), Checker.isDigit(s[i + 1]), Checker.isDigit(s[i + 2]), Checker.isDigit(s[i + 3]), i == 0 || !Checker.isDigit(s[i - 1]) {
                var j = i + 4
                while j < s.count, s[j] == " " { j += 1 }
                if j < s.count, s[j] == "年", let y = Int(Self.string(s, i..<i + 4)), (1990...2100).contains(y) { out.append(y) }
            }
            i += 1
        }
        return out
    }

    static func endsWithChange(_ lead: String) -> String? {
        var l = lead
        while let last = l.last, [" ", "了", "为", "：", ":"].contains(last) { l.removeLast() }
        for (w, norm) in [("增加", "增加"), ("增长", "增加"), ("上升", "增加"), ("增", "增加"), ("减少", "减少"), ("下降", "减少"), ("降低", "减少"), ("减", "减少"),
                          ("增幅", "增加"), ("降幅", "减少"), ("增长率", "增加"), ("下降率", "减少")] where l.hasSuffix(w) {
            return norm
        }
        return nil
    }

    mutating func read() {
        if let prose = d.explanation { read(prose) }
    }

    mutating func read(_ prose: Prose) {
        var line = prose.firstLine
        var major = "", minor = ""
        for rawLine in prose.text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            defer { line += 1 }
            stated = [:]
            let text = Checker.stripReferences(String(decoding: rawLine, as: UTF8.self))
            let trimmed = text.trimmingSpaces()
            if let heading = Self.heading(trimmed) {
                if heading.minor { minor = heading.text } else { major = heading.text; minor = "" }
                continue
            }
            // No digit, no claim (持平 aside): most lines of a text written with data references.
            if !Checker.hasDigit(text) && !Checker.has(text, "持平") { continue }
            let at = SourceLocation(file: prose.location.file, line: line)
            let scalars = Checker.normalise(text)
            // A sentence with data references is quoted as written, references included.
            let original = text == String(decoding: rawLine, as: UTF8.self) ? nil : String(decoding: rawLine, as: UTF8.self).trimmingSpaces()
            var start = 0
            for i in 0...scalars.count where i == scalars.count || scalars[i] == "。" || scalars[i] == "！" || scalars[i] == "？" {
                if i > start { sentence(Array(scalars[start..<i]), heading: major + " " + minor, at: at, line: line, original: original) }
                start = i + 1
            }
        }
    }

    /// `## 一、…`, `（二）…`, `3.…` on a line of its own (short, no full stop).
    static func heading(_ line: String) -> (text: String, minor: Bool)? {
        if line.hasPrefix("#") {
            let level = line.prefix { $0 == "#" }.count
            return (String(line.dropFirst(level)).trimmingSpaces(), level >= 3)
        }
        guard line.count <= 40, !line.contains("。"), !line.contains("万元") else { return nil }
        let numerals: Set<Character> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        if let f = line.first, numerals.contains(f), line.dropFirst().drop(while: { numerals.contains($0) }).first == "、" { return (line, false) }
        if line.first == "（" || line.first == "(", let n = line.dropFirst().first, numerals.contains(n) { return (line, true) }
        return nil
    }

    mutating func sentence(_ s: [Unicode.Scalar], heading: String, at: SourceLocation, line: Int, original: String?) {
        let text = Self.string(s, 0..<s.count)
        let quote = original ?? text.trimmingSpaces()
        let numbers = Checker.numbers(s)
        // Only amounts and percentages are claims (a year, 2022年, is not); 持平 is one without a number.
        guard numbers.contains(where: { $0.unit != .none }) || Checker.has(text, "持平") else { return }
        var hits = Self.hits(s)
        let items = Self.classificationHits(s) + quotedClasses(s)
        if !items.isEmpty {
            hits = (hits.filter { h in !items.contains { $0.start <= h.start && h.end <= $0.end } } + items).sorted { $0.start < $1.start }
        }
        // A term after 占 is the whole of a share.
        for k in hits.indices {
            let before = Self.string(s, max(0, hits[k].start - 3)..<hits[k].start)
            if before.hasSuffix("占") || before.hasSuffix("占全部") || before.hasSuffix("占总") { hits[k].isWhole = true }
        }
        let subjects = hits.filter { !$0.isWhole }
        // Another year than this and the last: no change in the sentence is last year's.
        let otherYear = years(in: text).contains { $0 != d.year && $0 != d.year - 1 }

        let listTotal = statedTotal(s, numbers: numbers)
        var k = 0
        while k < subjects.count {
            // Terms joined by 和 / 及 / 与 / 、 share what follows them.
            var group = [subjects[k]]
            while k + 1 < subjects.count, Self.isConjunction(Self.string(s, subjects[k].end..<subjects[k + 1].start)) {
                k += 1
                group.append(subjects[k])
            }
            k += 1
            let spanEnd = k < subjects.count ? subjects[k].start : s.count
            let last = group.last!
            let spanNumbers = numbers.filter { $0.start >= last.end && $0.end <= spanEnd }
            if group.count > 1 {
                conjunction(group, numbers: spanNumbers, s: s, spanEnd: spanEnd, heading: heading, text: text, at: at, quote: quote)
                continue
            }
            let hit = last
            var claim = claim(for: hit, numbers: spanNumbers, s: s, spanEnd: spanEnd, hits: hits, heading: heading, text: text, at: at, quote: quote)
            if otherYear { claim.change = nil; claim.growth = nil; claim.flat = false }
            if let a = claim.amount, !hit.isClassification { stated[hit.term] = a }
            // Words against their own numbers need no figure.
            selfCheck(claim, amount: claim.amount ?? (hit.isClassification ? nil : stated[hit.term]), label: hit.label, at: at, quote: quote)
            guard let path = resolve(hit, s: s, heading: heading, sentence: text, at: at, quote: quote, hasNumber: !spanNumbers.isEmpty) else { continue }
            let whole = listTotal.flatMap { hit.start >= $0.markerEnd ? $0.total : nil }
            verify(claim, term: hit, path: path, fund: fund(for: hit, s: s, heading: heading, sentence: text) ?? .all, at: at, line: line, quote: quote,
                   statedWhole: whole)
        }
        partsSum(s, numbers: numbers, hits: subjects, at: at, quote: quote)
        completion(s, numbers: numbers, hits: subjects, at: at, quote: quote)
    }
}
