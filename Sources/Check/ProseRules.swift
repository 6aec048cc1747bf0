import Derive
import Model

/// Numbers typed literally in 情况说明 against the figures the sentence names
/// (docs/domain.md#the-explanation).
///
/// Precision first: a number is compared only with the figure its sentence names without
/// ambiguity — the fund (一般公共预算 / 政府性基金 / 国有资本经营 / all money), 基本 or 项目, this
/// year's 决算 (not a 年初预算, not last year's), the part named after 其中 (not its whole). What
/// cannot be settled raises nothing; `Checker.unsettled` lists it (`sitegen check --explain`).
///
/// Numbers are read as prose writes them: thousands separators (1,033.18), full-width digits and
/// punctuation (１２３．４５), 元 / 万元 / 亿元 (converted to 万元 in fixed point), % and 百分之.
/// Data references (`{{…}}`) are not checked: they are right by construction.
extension Checker {
    /// Which money a sentence is about.
    enum Fund: Hashable, Sendable { case all, general, governmentFunds, capital, fiscal }

    struct Term: Sendable {
        var words: [String]
        /// The figure, by form and fund; nil when the sentence cannot name one.
        var path: @Sendable (_ form: Int, _ fund: Fund) -> FigurePath?
        /// The whole a share (占 N%) is taken of, when the sentence does not name it.
        var whole: @Sendable (_ fund: Fund) -> FigurePath?
        /// The figure is an appropriation itself (财政拨款 before its name does not change it).
        var fiscal = false
        /// 06's economic classes: only where the sentence or its heading speaks of 基本支出.
        var needsBasic = false
        /// Reads the fund of its sentence (基本支出, 项目支出).
        var byFund = false
        /// An item of 09: its share is of the 三公 total.
        var threePublicItem = false
    }

    static let incomeWhole = FigurePath(table: 1, row: "本年收入合计")
    static let spendWhole = FigurePath(table: 1, row: "本年支出合计")

    static func term(_ words: [String], _ table: Int, _ row: String, _ column: String? = nil, whole: FigurePath? = nil, fiscal: Bool = false) -> Term {
        Term(words: words, path: { _, _ in FigurePath(table: table, row: row, column: column) }, whole: { _ in whole }, fiscal: fiscal)
    }

    /// Longer words first, so 一般公共预算财政拨款基本支出 wins over 基本支出.
    static let terms: [Term] = {
        var t: [Term] = [
            term(["一般公共预算财政拨款基本支出"], 5, "合计", "基本支出", fiscal: true),
            term(["一般公共预算财政拨款项目支出"], 5, "合计", "项目支出", fiscal: true),
            term(["一般公共预算财政拨款支出"], 5, "合计", "本年支出合计", whole: spendWhole, fiscal: true),
            term(["收入总计"], 1, "收入总计"), term(["支出总计"], 1, "支出总计"),
            term(["本年收入合计", "本年收入"], 1, "本年收入合计"),
            term(["本年支出合计", "本年支出"], 1, "本年支出合计"),
            term(["财政拨款收入"], 2, "合计", "财政拨款收入", whole: incomeWhole),
            term(["使用非财政拨款结余"], 1, "使用非财政拨款结余"),
            term(["年初结转和结余"], 1, "年初结转和结余"), term(["年末结转和结余"], 1, "年末结转和结余"),
        ]
        // 06 is the 一般公共预算 基本支出: read only where that is what the sentence speaks of.
        for (words, row, needsBasic) in [(["人员经费"], "人员经费合计", false), (["公用经费"], "公用经费合计", false),
                                         (["工资福利支出"], "301", true), (["商品和服务支出"], "302", true),
                                         (["对个人和家庭的补助", "对个人和家庭补助支出"], "303", true), (["资本性支出"], "310", true)] {
            t.append(Term(words: words, path: { _, fund in fund == .general ? FigurePath(table: 6, row: row) : nil },
                          whole: { _ in nil }, fiscal: true, needsBasic: needsBasic, byFund: true))
        }
        for c in ["上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"] { t.append(term([c], 2, "合计", c, whole: incomeWhole)) }
        for c in ["基本支出", "项目支出"] {
            t.append(Term(words: [c], path: { _, fund in
                switch fund {
                case .all: FigurePath(table: 3, row: "合计", column: c)
                case .general: FigurePath(table: 5, row: "合计", column: c)
                case .governmentFunds: FigurePath(table: 7, row: "合计", column: c)
                case .capital: FigurePath(table: 8, row: "合计", column: c)
                case .fiscal: nil
                }
            }, whole: { fund in
                switch fund {
                case .all: spendWhole
                case .general: FigurePath(table: 5, row: "合计", column: "本年支出合计")
                case .governmentFunds: FigurePath(table: 7, row: "合计", column: "本年支出合计")
                case .capital: FigurePath(table: 8, row: "合计", column: "本年支出合计")
                case .fiscal: nil
                }
            }, byFund: true))
        }
        for c in ["上缴上级支出", "经营支出", "对附属单位补助支出"] { t.append(term([c], 3, "合计", c, whole: spendWhole)) }
        let threePublic: @Sendable (Int, Fund) -> FigurePath? = { form, _ in FigurePath(table: 9, row: form >= 2023 ? "合计" : "“三公”经费支出", column: "决算数") }
        t.append(Term(words: ["“三公”经费", "\"三公\"经费", "‘三公’经费", "三公经费"], path: threePublic, whole: { _ in nil }, fiscal: true))
        for item in ["因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"] {
            // 占 N% of a 三公 item is of the 三公 total.
            t.append(Term(words: [item], path: { _, _ in FigurePath(table: 9, row: item, column: "决算数") },
                          whole: { _ in nil }, fiscal: true, threePublicItem: true))
        }
        t.append(Term(words: ["机关运行经费"], path: { form, _ in form >= 2023 ? FigurePath(table: 10, row: "机关运行经费合计") : nil }, whole: { _ in nil }, fiscal: true))
        t.append(Term(words: ["政府采购支出总额"], path: { form, _ in form >= 2023 ? FigurePath(table: 10, row: "政府采购支出合计") : nil }, whole: { _ in nil }))
        return t.sorted { ($0.words.map(\.count).max() ?? 0) > ($1.words.map(\.count).max() ?? 0) }
    }()

    /// What `--explain` lists: a number the checker saw but could not tie to one figure.
    public struct Unsettled: Hashable, Sendable {
        public var location: SourceLocation
        public var term: String
        /// Why, as a catalogue entry (`Messages.unsettled`).
        public var key: String
        public var args: [String]
        public var quote: String
        /// Why, in the current language.
        public var reason: String { Messages.unsettled(key, args) }
    }

    static func prose(_ d: Disclosure, previous: Disclosure?) -> [Finding] {
        var reader = ProseReader(d: d, book: FigureBook(current: d, previous: previous))
        reader.read()
        return reader.findings
    }

    /// The numbers of 情况说明 that no rule could settle, with the reason (`sitegen check --explain`).
    public static func unsettled(_ d: Disclosure, previous: Disclosure?) -> [Unsettled] {
        var reader = ProseReader(d: d, book: FigureBook(current: d, previous: previous))
        reader.read()
        return reader.unsettled
    }

    /// `{{…}}` replaced by a marker that no pattern matches. Over UTF-8 bytes (braces are ASCII).
    static func stripReferences(_ s: String) -> String {
        let u = s.utf8
        let brace = UInt8(ascii: "{"), closing = UInt8(ascii: "}")
        func find(_ b: UInt8, from: String.Index) -> String.Index? {
            var i = from
            while i < u.endIndex {
                let next = u.index(after: i)
                if u[i] == b, next < u.endIndex, u[next] == b { return i }
                i = next
            }
            return nil
        }
        var out = ""
        var rest = u.startIndex
        while let open = find(brace, from: rest), let close = find(closing, from: u.index(open, offsetBy: 2)) {
            out += String(decoding: u[rest..<open], as: UTF8.self) + "〔引用〕"
            rest = u.index(close, offsetBy: 2)
        }
        return rest == u.startIndex ? s : out + String(decoding: u[rest...], as: UTF8.self)
    }

    /// Terms by the first scalar of their words (longest first), so a sentence is scanned once.
    static let termsByFirst: [Unicode.Scalar: [([Unicode.Scalar], Int)]] = {
        var out: [Unicode.Scalar: [([Unicode.Scalar], Int)]] = [:]
        for (i, term) in terms.enumerated() { for w in term.words { out[w.unicodeScalars.first!, default: []].append((Array(w.unicodeScalars), i)) } }
        return out.mapValues { $0.sorted { $0.0.count > $1.0.count } }
    }()
}

// MARK: - Numbers as prose writes them

/// A number in prose: its digits as an integer and decimals, its unit, where it stands.
struct ProseNumber {
    enum Unit { case yuan, wan, yi, percent, none }
    var start: Int
    var end: Int          // after the unit
    var digits: Int128
    var decimals: Int
    var unit: Unit
    var text: String      // as written after normalising: `1033.18万元`

    var isMoney: Bool { unit == .yuan || unit == .wan || unit == .yi }

    /// Decimals of the value in 万元 (元 adds four, 亿元 takes four).
    var wanDecimals: Int {
        switch unit {
        case .yuan: decimals + 4
        case .yi: decimals - 4
        default: decimals
        }
    }

    /// The value rounded to `p` decimals of 万元 (of %, for a percentage), as an integer.
    func value(at p: Int) -> Int128 { ProseNumber.shift(digits, by: p - wanDecimals) }

    /// As an Amount in 万元 (or %), with as many decimals as written, at most four.
    var amount: Amount {
        let units = Int64(clamping: value(at: 4))
        var scale = max(0, min(4, wanDecimals))
        // 499000元 is 49.90万元, not 49.9000.
        if unit == .yuan { while scale > 2, units % Int64(ProseNumber.pow10(5 - scale)) == 0 { scale -= 1 } }
        return Amount(units: units, scale: scale)
    }

    static func pow10(_ n: Int) -> Int128 { var r: Int128 = 1; for _ in 0..<max(0, n) { r *= 10 }; return r }

    /// x × 10^k, rounded half away from zero when k < 0.
    static func shift(_ x: Int128, by k: Int) -> Int128 {
        if k >= 0 { return x * pow10(k) }
        let d = pow10(-k)
        let q = (abs(x) * 2 + d) / (d * 2)
        return x < 0 ? -q : q
    }

    /// An Amount (10⁻⁴ units) rounded to `p` decimals, as an integer.
    static func figure(_ a: Amount, at p: Int) -> Int128 { shift(Int128(a.units), by: p - 4) }

    /// Does the written number say the figure, at the precision written (and at most the figure's)?
    func matches(_ figure: Amount) -> Bool {
        let p = min(wanDecimals, max(figure.scale, 2))
        return value(at: p) == ProseNumber.figure(figure, at: p)
    }
}

extension Checker {
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    /// `text` contains `word`, compared as UTF-8 bytes (no grapheme breaking: this runs on every line).
    static func has(_ text: String, _ word: String) -> Bool {
        var text = text, word = word
        return text.withUTF8 { t in
            word.withUTF8 { w in
                guard !w.isEmpty else { return true }
                guard t.count >= w.count else { return false }
                let first = w[0]
                var i = 0
                while i <= t.count - w.count {
                    if t[i] == first {
                        var k = 1
                        while k < w.count && t[i + k] == w[k] { k += 1 }
                        if k == w.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// An ASCII or full-width digit anywhere, over UTF-8 bytes (full-width ０–９ are EF BC 90–99).
    static func hasDigit(_ text: String) -> Bool {
        var u = text.utf8.makeIterator()
        var prev: (UInt8, UInt8) = (0, 0)
        while let b = u.next() {
            if b >= 0x30 && b <= 0x39 { return true }
            if prev == (0xEF, 0xBC), b >= 0x90 && b <= 0x99 { return true }
            prev = (prev.1, b)
        }
        return false
    }

    /// Full-width digits and punctuation made ASCII, thousands separators dropped, 百分之N made N%.
    static func normalise(_ text: String) -> [Unicode.Scalar] {
        var s: [Unicode.Scalar] = text.unicodeScalars.map { c in
            switch c.value {
            case 0xFF10...0xFF19: Unicode.Scalar(c.value - 0xFF10 + 0x30)!
            case 0xFF0E: "."
            case 0xFF05: "%"
            case 0x3000: " "
            default: c
            }
        }
        // 1,033.18 / 1，033.18: a comma between a digit and exactly three digits.
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        for (i, c) in s.enumerated() {
            if c == "," || c == "，", i > 0, isDigit(s[i - 1]), i + 3 < s.count,
               isDigit(s[i + 1]), isDigit(s[i + 2]), isDigit(s[i + 3]), i + 4 >= s.count || !isDigit(s[i + 4]) {
                continue
            }
            out.append(c)
        }
        s = out
        // 百分之12.5 → 12.5%
        let marker: [Unicode.Scalar] = ["百", "分", "之"]
        var i = 0
        out = []
        while i < s.count {
            if i + 3 < s.count, Array(s[i..<i + 3]) == marker, isDigit(s[i + 3]) {
                var j = i + 3
                while j < s.count, isDigit(s[j]) || (s[j] == "." && j + 1 < s.count && isDigit(s[j + 1])) { j += 1 }
                out += s[i + 3..<j]
                out.append("%")
                i = j
                continue
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    /// The numbers of a normalised text.
    static func numbers(_ s: [Unicode.Scalar]) -> [ProseNumber] {
        var out: [ProseNumber] = []
        var i = 0
        while i < s.count {
            guard isDigit(s[i]), i == 0 || !(isDigit(s[i - 1]) || s[i - 1] == "." || (s[i - 1].properties.isAlphabetic && s[i - 1].value < 0x80)) else { i += 1; continue }
            var j = i
            var digits: Int128 = 0, decimals = 0, seenDot = false, valid = true
            while j < s.count {
                if isDigit(s[j]) {
                    if digits < Int128(1) << 100 { digits = digits * 10 + Int128(s[j].value - 0x30) } else { valid = false }
                    if seenDot { decimals += 1 }
                } else if s[j] == ".", !seenDot, j + 1 < s.count, isDigit(s[j + 1]) {
                    seenDot = true
                } else { break }
                j += 1
            }
            var k = j
            while k < s.count, s[k] == " " { k += 1 }
            var unit = ProseNumber.Unit.none
            var end = j
            if k < s.count {
                if s[k] == "%" { unit = .percent; end = k + 1 }
                else if s[k] == "元" { unit = .yuan; end = k + 1 }
                else if k + 1 < s.count, s[k + 1] == "元", s[k] == "万" { unit = .wan; end = k + 2 }
                else if k + 1 < s.count, s[k + 1] == "元", s[k] == "亿" { unit = .yi; end = k + 2 }
            }
            if valid {
                var text = ""
                text.unicodeScalars.append(contentsOf: s[i..<end])
                out.append(ProseNumber(start: i, end: end, digits: digits, decimals: decimals, unit: unit, text: text))
            }
            i = max(end, j)
        }
        // "分别为 12.00、3.50万元": a bare number listed before a unit takes it.
        for n in out.indices.reversed() where out[n].unit == .none && n + 1 < out.count && out[n + 1].isMoney {
            let gap = String(String.UnicodeScalarView(s[out[n].end..<out[n + 1].start])).filter { $0 != " " }
            if ["、", "和", "及", "，", ","].contains(gap) {
                out[n].unit = out[n + 1].unit
                out[n].text += out[n + 1].unit == .yuan ? "元" : out[n + 1].unit == .yi ? "亿元" : "万元"
            }
        }
        return out
    }
}

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
            let matching = Set(section.rows.filter { $0.code?.count == level && $0.label == name }.compactMap(\.code))
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

    /// Half the last decimal of an amount, at scale `p`: what its rounding may hide. Amounts come from
    /// tables printed to the cent of 万元, so `3万元` stands for 3.00, not anything from 2.5 to 3.5.
    static func half(_ n: ProseNumber, at p: Int) -> Int128 {
        p > 2 ? ProseNumber.pow10(p - max(2, n.wanDecimals)) / 2 : 0
    }

    /// A rate p/w × 100 from rounded figures: its range in 10⁻⁴ %, each figure standing for anything
    /// within half its last decimal. All four at the same scale.
    static func rateRange(part: Int128, partHalf: Int128, whole: Int128, wholeHalf: Int128) -> ClosedRange<Int128>? {
        guard whole - wholeHalf > 0 else { return nil }
        let lo = max(0, part - partHalf) * 1_000_000 / (whole + wholeHalf)
        let hi = (part + partHalf) * 1_000_000 / (whole - wholeHalf)
        return lo...max(lo, hi)
    }

    /// Can a written percentage come from figures within the range (its own last decimal included)?
    static func within(_ written: ProseNumber, _ range: ClosedRange<Int128>) -> Bool {
        let w = written.value(at: 4)
        let half = ProseNumber.pow10(4 - min(4, written.decimals)) / 2
        return w + half >= range.lowerBound && w - half <= range.upperBound
    }

    /// 预算为 A 万元，支出决算为 B 万元，完成预算的 P%: P = B / A, within what the rounded figures allow.
    mutating func completion(_ s: [Unicode.Scalar], numbers: [ProseNumber], hits: [Hit], at: SourceLocation, quote: String) {
        var budget: ProseNumber?, actual: ProseNumber?
        var from = 0
        for n in numbers {
            let lead = Self.string(s, from..<n.start)
            from = n.end
            if lead.contains("；") || lead.contains(";") { budget = nil; actual = nil }
            if n.isMoney {
                guard Self.endsWithChange(lead) == nil else { continue }
                if lead.contains("预算") && !lead.contains("决算") { budget = n } else if lead.contains("决算") && !lead.contains("预算") { actual = n }
                continue
            }
            guard n.unit == .percent, let b = budget, let a = actual, b.digits != 0 else { continue }
            // The clause of the rate: back to the last comma.
            var c = n.start
            while c > 0, !["，", ",", "；", ";"].contains(s[c - 1]) { c -= 1 }
            let clause = Self.string(s, c..<n.start)
            guard clause.contains("完成"), clause.contains("预算") else { continue }
            budget = nil; actual = nil
            let p = max(a.wanDecimals, b.wanDecimals, 2) + 1
            let av = a.value(at: p), bv = b.value(at: p)
            let ah = Self.half(a, at: p), bh = Self.half(b, at: p)
            guard let range = Self.rateRange(part: av, partHalf: ah, whole: bv, wholeHalf: bh), !Self.within(n, range) else { continue }
            let exact = Amount(units: Int64(clamping: ProseNumber.shift(av * 1_000_000 / max(1, bv), by: 0)), scale: 4).rounded(to: n.decimals)
            let term = hits.last(where: { $0.end <= b.start || $0.end <= a.start })?.word ?? "预算完成率"
            finding("prose.completion", term: term, column: "完成率", expected: exact, found: n.amount, computation: "\(a.text) / \(b.text) × 100",
                    formula: "文中决算数 \(a.text) ÷ 预算数 \(b.text) × 100", written: n.text, severity: .error, at: at, quote: quote, unit: "%")
        }
    }

    static func isConjunction(_ gap: String) -> Bool {
        let g = gap.filter { $0 != " " }
        return ["和", "及", "与", "、", "以及"].contains(g)
    }

    static func hits(_ s: [Unicode.Scalar]) -> [Hit] {
        var hits: [Hit] = []
        var i = 0
        while i < s.count {
            var matched: Hit?
            for (w, term) in Checker.termsByFirst[s[i]] ?? [] where i + w.count <= s.count && Array(s[i..<i + w.count]) == w {
                matched = Hit(start: i, end: i + w.count, term: term, word: string(w, 0..<w.count))
                break
            }
            if let m = matched {
                hits.append(m)
                i = m.end
            } else {
                i += 1
            }
        }
        return hits
    }

    /// The text before a term back to the last boundary: `财政拨款收入` in 财政拨款收入支出总计.
    static func prefix(_ s: [Unicode.Scalar], before i: Int) -> String {
        var j = i
        while j > 0, !boundaries.contains(s[j - 1]), !Checker.isDigit(s[j - 1]) { j -= 1 }
        return string(s, j..<i)
    }

    func fund(for hit: Hit, s: [Unicode.Scalar], heading: String, sentence: String) -> Checker.Fund? {
        let before = Self.string(s, 0..<hit.end)
        var named = Self.funds(in: before)
        if named.isEmpty { named = Self.funds(in: heading) }
        if named.isEmpty { return .all }
        if named.count > 1 { return nil }
        var fund = named.first!
        // 财政拨款 without a budget named is the 一般公共预算 when the unit has no other appropriation.
        if fund == .fiscal {
            let others = [7, 8].compactMap { t -> Amount? in
                if case .success(let (_, _, c)) = FigureBook.locate(FigurePath(table: t, row: "合计", column: "本年支出合计"), in: d) { return c.value }
                return nil
            }
            if others.allSatisfy(\.isZero) { fund = .general }
        }
        return fund
    }

    /// The figure a term stands for in its sentence, or nil (noted for `--explain`) when the sentence leaves it open.
    mutating func resolve(_ hit: Hit, s: [Unicode.Scalar], heading: String, sentence: String, at: SourceLocation, quote: String, hasNumber: Bool) -> FigurePath? {
        func open(_ key: String, _ args: [String] = []) -> FigurePath? {
            if hasNumber { unsettled.append(Checker.Unsettled(location: at, term: hit.word, key: key, args: args, quote: quote)) }
            return nil
        }
        if hit.isClassification {
            // The fund the sentence or its heading names picks the table: 05 (一般公共预算), 07, 08, or 03 (all money).
            var before = hit
            before.end = hit.start
            guard let fund = fund(for: before, s: s, heading: heading, sentence: sentence) else { return open("funds") }
            let table: Int
            switch fund {
            case .all: table = 3
            case .general: table = 5
            case .governmentFunds: table = 7
            case .capital: table = 8
            case .fiscal: return open("fiscal")
            }
            guard let code = classificationRow(hit.chain, table: table) else { return open("no-item", [TableKind.code(table)]) }
            return FigurePath(table: table, row: code, column: "本年支出合计")
        }
        let term = Checker.terms[hit.term]
        let prefix = Self.prefix(s, before: hit.start)
        // 国有资本经营预算财政拨款支出总计 is not 01's 支出总计; 上年基本支出 is not this year's.
        if !term.fiscal, prefix.hasSuffix("财政拨款") || prefix.hasSuffix("财政拨款收入") || Self.fundNames.contains(where: { prefix.contains($0.0) }) {
            return open("prefix-other", [prefix, hit.word])
        }
        if term.fiscal, Self.fundNames.dropFirst().contains(where: { prefix.contains($0.0) }) {
            return open("prefix-fund", [prefix])
        }
        if let q = qualifier(prefix) { return open("prefix-budget", [q]) }
        if prefix.hasSuffix("项目") || prefix.hasSuffix("基本") { return open("prefix-scope", [prefix]) }
        // 2022年基本支出 in a 2023 disclosure.
        if prefix.hasPrefix("年") {
            var j = hit.start - prefix.unicodeScalars.count
            while j > 0, s[j - 1] == " " { j -= 1 }
            var k = j
            while k > 0, Checker.isDigit(s[k - 1]) { k -= 1 }
            if j - k == 4, let y = Int(Self.string(s, k..<j)), y != d.year { return open("other-year", ["\(y)"]) }
        }
        if term.needsBasic {
            let context = heading + sentence
            guard context.contains("基本支出"), !sentence.contains("项目支出") else { return open("not-basic") }
        }
        guard var fund = fund(for: hit, s: s, heading: heading, sentence: sentence) else { return open("funds") }
        if term.byFund, fund == .all, term.fiscal {
            // 06 is the 一般公共预算's 基本支出: the same as all money's when the two agree.
            if let a = value(FigurePath(table: 3, row: "合计", column: "基本支出")), let g = value(FigurePath(table: 5, row: "合计", column: "基本支出")), a == g {
                fund = .general
            } else {
                return open("not-general")
            }
        }
        if fund == .fiscal && term.byFund { return open("fiscal") }
        guard let path = term.path(d.form, fund) else { return open("no-figure") }
        guard case .success = FigureBook.locate(path, in: d) else { return open("not-found", [path.description]) }
        return path
    }

    func value(_ path: FigurePath) -> Amount? {
        if case .success(let (_, _, c)) = FigureBook.locate(path, in: d) { return c.value }
        return nil
    }

    /// The numbers after a term, each classified by the words before it.
    mutating func claim(for hit: Hit, numbers: [ProseNumber], s: [Unicode.Scalar], spanEnd: Int, hits: [Hit], heading: String, text: String,
                        at: SourceLocation, quote: String) -> Claim {
        var claim = Claim()
        var from = hit.end
        var sawAmountCandidate = false
        for n in numbers {
            // A clause after ； belongs to another subject.
            var lead = Self.string(s, from..<n.start)
            from = n.end
            // A clause after ； belongs to another subject, unless it only compares this one with last
            // year (……；与 2024 年度相比减少 929.49 万元).
            if let r = lead.range(of: "；") ?? lead.range(of: ";") {
                let rest = String(lead[r.upperBound...]).trimmingSpaces()
                guard ["与", "比", "较", "同比"].contains(where: { rest.hasPrefix($0) }) else { break }
                lead = rest
            }
            // A list starts: what follows belongs to its items, not to the term (主要用于以下方面：一般公共服务支出（类）207.40 万元，占 1.03%).
            if ["主要用于", "其中", "包括", "分别", "具体"].contains(where: { lead.contains($0) }) { break }
            if n.isMoney {
                if let word = Self.endsWithChange(lead) {
                    if qualifier(lead) == "预算" || lead.contains("预算") { claim.aboutBudget = true; continue }
                    if claim.change == nil { claim.change = (word, n) }
                } else if qualifier(lead) != nil {
                    continue
                } else if sawAmountCandidate {
                    break   // a second amount is another thing's
                } else {
                    sawAmountCandidate = true
                    if Self.isClean(lead) {
                        claim.amount = n
                    } else {
                        unsettled.append(Checker.Unsettled(location: at, term: hit.word, key: "gap", args: [lead, n.text, hit.word], quote: quote))
                    }
                }
            } else if n.unit == .percent {
                if let word = Self.endsWithChange(lead) {
                    if lead.contains("预算") { continue }
                    if claim.growth == nil { claim.growth = (word, n) }
                } else if let r = lead.range(of: "占", options: .backwards) {
                    guard claim.share == nil else { continue }
                    var named = String(lead[r.upperBound...])
                    for w in ["的比重", "的比例", "比重", "比例", "的", "为", "了", "全部", "总", " "] { named = named.replacingOccurrences(of: w, with: "") }
                    if named.isEmpty {
                        claim.share = (n, nil)
                    } else if let wholeHit = hits.first(where: { $0.isWhole && !$0.isClassification && $0.start >= hit.end && $0.end <= n.start }), named == wholeHit.word,
                              let path = Checker.terms[wholeHit.term].path(d.form, fund(for: wholeHit, s: s, heading: heading, sentence: text) ?? .fiscal) {
                        claim.share = (n, path)
                    } else {
                        unsettled.append(Checker.Unsettled(location: at, term: hit.word, key: "whole", args: [named], quote: quote))
                    }
                }
            }
        }
        let span = Self.string(s, hit.end..<spanEnd)
        // 持平, but not 基本持平 / 大致持平 (roughly the same), nor 与预算持平.
        if let r = span.range(of: "持平"), claim.change == nil {
            let lead = String(span[..<r.lowerBound])
            if !lead.contains("预算") && !lead.contains("；") && !lead.contains("〔引用〕") && !["基本", "大致", "大体", "略", "总体"].contains(where: { lead.hasSuffix($0) }) {
                claim.flat = true
            }
        }
        return claim
    }

    mutating func finding(_ rule: String, term: String, column: String, expected: Amount?, found: Amount?, computation: String, formula: String? = nil,
                          written: String? = nil, note: Finding.Note? = nil, severity: Diagnostic.Severity? = nil, maybeRounding: Bool = false,
                          at: SourceLocation, quote: String, unit: String? = nil) {
        let sev = severity ?? (found.flatMap { f in expected.map { Finding.severity(found: f, expected: $0, addends: 1) } } ?? .error)
        findings.append(Finding(severity: sev, location: at, disclosure: d.id, table: 0, tableName: "情况说明", row: term, rowName: "", column: column,
                                rule: rule, expected: expected, computation: computation, found: found, note: note, formula: formula,
                                written: written, quote: quote, unit: unit, maybeRounding: maybeRounding))
    }

    /// `公开05表 合计（基本支出）`
    func printed(_ path: FigurePath) -> String {
        guard case .success(let (row, column, _)) = FigureBook.locate(path, in: d), let kind = TableKind(rawValue: path.table) else { return path.description }
        let table = d.table(kind)
        var name = row.key == .total && table.sections.count > 1 ? (table.sections.first { $0.rows.contains(row) }?.id ?? "") + "合计" : row.key == .total ? "合计" : row.label
        if path.column != nil, table.sections.first(where: { $0.rows.contains(row) })?.columns.count ?? 1 > 1 { name += "（\(column.label)）" }
        return "\(kind.formNumber) \(name)"
    }

    /// Words against their own numbers, with or without data: 增加 0 万元 / 增长 100%, 增加 … 下降 …;
    /// and a growth rate against the amount and change the text gives (上年 = 本年 ∓ 增减额).
    mutating func selfCheck(_ claim: Claim, amount: ProseNumber?, label: String, at: SourceLocation, quote: String) {
        if let a = amount, let c = claim.change, let g = claim.growth, c.word == g.word, c.number.digits != 0 {
            let p = max(a.wanDecimals, c.number.wanDecimals, 2) + 1
            let av = a.value(at: p), cv = c.number.value(at: p)
            let prior = c.word == "增加" ? av - cv : av + cv
            let half = Self.half(a, at: p) + Self.half(c.number, at: p)
            if prior > 0, let range = Self.rateRange(part: cv, partHalf: Self.half(c.number, at: p), whole: prior, wholeHalf: half),
               !Self.within(g.number, range) {
                let exact = Amount(units: Int64(clamping: cv * 1_000_000 / prior), scale: 4).rounded(to: g.number.decimals)
                let priorAmount = Amount(units: Int64(clamping: ProseNumber.shift(prior, by: 4 - p)), scale: max(0, min(4, p - 1)))
                finding("prose.growth", term: label, column: "增长率", expected: exact, found: g.number.amount,
                        computation: "\(c.number.text) / (\(a.text) \(c.word == "增加" ? "−" : "+") \(c.number.text)) × 100",
                        formula: "文中增减额 \(c.number.text) ÷ 上年数 \(priorAmount)万元（\(a.text) \(c.word == "增加" ? "−" : "+") \(c.number.text)）× 100",
                        written: g.number.text, severity: .error, at: at, quote: quote, unit: "%")
            }
        }
        if let c = claim.change, let g = claim.growth {
            if c.number.digits != 0 && g.number.digits != 0 && c.word != g.word {
                finding("prose.direction", term: label, column: "增减", expected: nil, found: nil, computation: "",
                        note: Finding.Note("prose.mixed", [c.word, c.number.amount.description, g.word == "增加" ? "增长" : "下降", g.number.amount.description]), at: at, quote: quote)
            }
            if (c.number.digits == 0) != (g.number.digits == 0) {
                finding("prose.direction", term: label, column: "增减", expected: nil, found: nil, computation: "",
                        note: Finding.Note("prose.zero-change", [c.number.amount.description, g.word == "增加" ? "增长" : "下降", g.number.amount.description]), at: at, quote: quote)
            }
        }
    }

    mutating func verify(_ claim: Claim, term hit: Hit, path: FigurePath, fund: Checker.Fund, at: SourceLocation, line: Int, quote: String,
                         statedWhole: ProseNumber? = nil) {
        let label = hit.label
        // The same figure called 增加 here and 持平 (or 减少) elsewhere.
        let said = claim.flat ? "持平" : (claim.change.map { $0.number.digits == 0 ? "持平" : $0.word } ?? claim.growth.map { $0.number.digits == 0 ? "持平" : $0.word })
        if let said, !claim.aboutBudget {
            if let (before, beforeLine) = directions[path], before != said {
                finding("prose.contradiction", term: label, column: "增减", expected: nil, found: nil, computation: "",
                        note: Finding.Note("prose.conflict", [label, before, "\(beforeLine)", said]), at: at, quote: quote)
            } else if directions[path] == nil {
                directions[path] = (said, line)
            }
        }
        // A blank cell is 0, unless its whole table is blank (then the tables say nothing).
        guard let kind = TableKind(rawValue: path.table), !d.table(kind).isEmpty else { return }
        let value = value(path) ?? .zero
        // A derived total (06's 公用经费合计, a 合计 the editor left out) may differ from the printed one the
        // text copies by the rounding tail of its terms: no finding within it.
        var tail = Amount.zero
        if case .success(let (_, _, cell)) = FigureBook.locate(path, in: d), !cell.isEntered, let terms = cell.formula?.terms.count {
            tail = Amount(units: Checker.tailPerAddend.units * Int64(terms), scale: 2)
        }
        let amountDiffers = claim.amount.map { !$0.matches(value) && ($0.amount - value).magnitude > tail } ?? false
        if let a = claim.amount, amountDiffers {
            finding("prose.amount", term: label, column: "金额", expected: value.atLeast(decimals: 2), found: a.amount, computation: path.description,
                    formula: printed(path), written: a.text, at: at, quote: quote)
        }
        let threePublicTotal = FigurePath(table: 9, row: d.form >= 2023 ? "合计" : "“三公”经费支出", column: "决算数")
        let defaultWhole: FigurePath? = hit.isClassification
            ? (path.table == 3 ? Checker.spendWhole : FigurePath(table: path.table, row: "合计", column: "本年支出合计"))
            : Checker.terms[hit.term].threePublicItem ? threePublicTotal : Checker.terms[hit.term].whole(fund)
        // A share that follows from an amount already reported says nothing new.
        let shareFollowsAmount: Bool = {
            guard amountDiffers, let a = claim.amount, let (sh, named) = claim.share, let whole = named ?? defaultWhole, let w = self.value(whole), !w.isZero else { return false }
            return a.amount.percent(of: w, decimals: sh.decimals) == sh.amount.rounded(to: sh.decimals)
        }()
        // Against the text's own numbers first: 合计 X 万元，主要用于：A Y 万元，占 P% — P against Y / X.
        var shareDone = false
        if let a = claim.amount, let (sh, named) = claim.share, named == nil, let total = statedWhole, total.digits != 0 {
            let p = max(a.wanDecimals, total.wanDecimals, 2) + 1
            if let range = Self.rateRange(part: a.value(at: p), partHalf: Self.half(a, at: p), whole: total.value(at: p), wholeHalf: Self.half(total, at: p)),
               !Self.within(sh, range) {
                let exact = Amount(units: Int64(clamping: a.value(at: p) * 1_000_000 / total.value(at: p)), scale: 4).rounded(to: sh.decimals)
                finding("prose.share", term: label, column: "占比", expected: exact, found: sh.amount, computation: "\(a.text) / \(total.text) × 100",
                        formula: "文中 \(a.text) ÷ \(total.text) × 100", written: sh.text, severity: .error, at: at, quote: quote, unit: "%")
                shareDone = true
            }
        }
        if !shareDone, !shareFollowsAmount, let (s, named) = claim.share, let whole = named ?? defaultWhole, let w = self.value(whole), !w.isZero {
            share(s, part: value, whole: w, label: label, computation: "\(path) / \(whole) × 100", formula: "\(printed(path)) ÷ \(printed(whole)) × 100", at: at, quote: quote)
        }
        if claim.change != nil || claim.growth != nil || claim.flat,
           case .success(.amount(let last, _)) = book.evaluate(FigureReference(path: path, operation: .previous)) {
            let delta = value - last
            let word = delta.isNegative ? "减少" : "增加"
            if let c = claim.change {
                if !c.number.matches(delta.magnitude) {
                    finding("prose.change", term: label, column: "增减额", expected: delta.magnitude.atLeast(decimals: 2), found: c.number.amount,
                            computation: "\(path) − 上年", formula: "\(printed(path)) − 上年数", written: c.number.text, at: at, quote: quote)
                } else if !delta.isZero && c.word != word {
                    finding("prose.direction", term: label, column: "增减", expected: nil, found: nil, computation: "",
                            note: Finding.Note("prose.word", [word, delta.magnitude.description, c.word]), at: at, quote: quote)
                }
            }
            if let g = claim.growth, claim.amount == nil || claim.change == nil {
                let pct = delta.magnitude.percent(of: last.magnitude, decimals: g.number.decimals) ?? (delta.isZero ? .zero : Amount(integer: 100))
                if pct.rounded(to: g.number.decimals) != g.number.amount.rounded(to: g.number.decimals) {
                    finding("prose.growth", term: label, column: "增长率", expected: pct, found: g.number.amount, computation: "|\(path) − 上年| / 上年 × 100",
                            formula: "|\(printed(path)) − 上年数| ÷ 上年数 × 100", written: g.number.text, at: at, quote: quote)
                }
            }
            if claim.flat, !delta.isZero, claim.change == nil {
                finding("prose.direction", term: label, column: "增减", expected: nil, found: nil, computation: "",
                        note: Finding.Note("prose.flat", [word, delta.magnitude.description]), at: at, quote: quote)
            }
        }
    }

    /// A share against the tables, graded by the decimals displayed: exact; within what rounding the
    /// printed figures allows (提示：可能为取整误差); wrong.
    mutating func share(_ s: ProseNumber, part: Amount, whole: Amount, label: String, computation: String, formula: String, at: SourceLocation, quote: String) {
        let decimals = max(0, s.decimals)
        guard let exact = part.percent(of: whole, decimals: decimals), exact != s.amount.rounded(to: decimals) else { return }
        // The printed figures stand for anything within half their last decimal.
        let scale = max(part.scale, whole.scale, 2)
        let h = Int128(ProseNumber.pow10(4 - scale) / 2)     // in 10⁻⁴ units
        let p = Int128(part.units).magnitude, w = Int128(whole.units).magnitude
        // Bounds of p/w × 100 in 10⁻⁴ units of %: (p ∓ h)/(w ± h).
        let lo = (Int128(p) - h) * 100 * 10_000 / (Int128(w) + h)
        let hi = (Int128(p) + h) * 100 * 10_000 / max(1, Int128(w) - h)
        let written = s.value(at: 4)
        let half = ProseNumber.pow10(4 - min(4, decimals)) / 2
        let rounding = written + half >= lo && written - half <= hi
        finding("prose.share", term: label, column: "占比", expected: exact, found: s.amount, computation: computation, formula: formula, written: s.text,
                severity: rounding ? .warning : .error, maybeRounding: rounding, at: at, quote: quote, unit: "%")
    }

    /// 人员经费和公用经费分别为 A万元、B万元; 人员经费和公用经费合计 X万元.
    mutating func conjunction(_ group: [Hit], numbers: [ProseNumber], s: [Unicode.Scalar], spanEnd: Int, heading: String, text: String, at: SourceLocation, quote: String) {
        let lead = numbers.first.map { Self.string(s, group.last!.end..<$0.start) } ?? ""
        let paths = group.map { resolve($0, s: s, heading: heading, sentence: text, at: at, quote: quote, hasNumber: !numbers.isEmpty) }
        guard paths.allSatisfy({ $0 != nil }) else { return }
        let money = numbers.filter(\.isMoney)
        if lead.contains("分别") {
            guard money.count >= group.count else { return }
            for (hit, (path, n)) in zip(group, zip(paths, money)) {
                guard let path, let v = value(path) else { continue }
                if !n.matches(v) {
                    finding("prose.amount", term: hit.word, column: "金额", expected: v.atLeast(decimals: 2), found: n.amount, computation: path.description,
                            formula: printed(path), written: n.text, at: at, quote: quote)
                }
            }
        } else if let n = money.first, qualifier(lead) == nil, Self.endsWithChange(lead) == nil, Self.isClean(lead) {
            let values = paths.compactMap { $0.flatMap(value) }
            guard values.count == paths.count, let sum = values.sum(), !n.matches(sum) else { return }
            finding("prose.amount", term: group.map(\.word).joined(separator: "和"), column: "金额", expected: sum.atLeast(decimals: 2), found: n.amount,
                    computation: paths.map { $0!.description }.joined(separator: " + "), formula: paths.map { printed($0!) }.joined(separator: " + "),
                    written: n.text, at: at, quote: quote)
        } else if !numbers.isEmpty {
            unsettled.append(Checker.Unsettled(location: at, term: group.map(\.word).joined(separator: "、"), key: "conjunction", args: [], quote: quote))
        }
    }

    /// A total stated before 其中 / 主要用于 against the sum of the amounts listed after it in the same
    /// sentence: never less than their sum; equal to it when the sentence lists them 分别.
    /// A total stated right before 其中 / 主要用于 / 包括 (not nested in another list): the marker, where
    /// the list starts, the total, and the text after the marker.
    func statedTotal(_ s: [Unicode.Scalar], numbers: [ProseNumber]) -> (marker: String, markerAt: Int, markerEnd: Int, total: ProseNumber, after: String)? {
        let text = Self.string(s, 0..<s.count)
        let markers = ["其中", "主要用于", "包括"]
        let found = markers.compactMap { m in text.range(of: m).map { (m, $0) } }.sorted { $0.1.lowerBound < $1.1.lowerBound }
        guard let (marker, range) = found.first else { return nil }
        let markerAt = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
        let markerEnd = markerAt + marker.unicodeScalars.count
        // Nested lists (其中 … 主要包括 …) would count a part twice.
        let after = String(text.unicodeScalars.dropFirst(markerEnd))
        if markers.contains(where: { after.contains($0) }) || after.contains("含") { return nil }
        guard let total = numbers.last(where: { $0.end <= markerAt }), total.isMoney else { return nil }
        let totalLead = Self.string(s, (numbers.last(where: { $0.end <= total.start })?.end ?? 0)..<total.start)
        if Self.endsWithChange(totalLead) != nil || qualifier(totalLead) != nil { return nil }
        // Nothing but words between the total and the marker.
        if !Self.isClean(Self.string(s, total.end..<markerAt).replacingOccurrences(of: "，", with: "")) { return nil }
        return (marker, markerAt, markerEnd, total, after)
    }

    mutating func partsSum(_ s: [Unicode.Scalar], numbers: [ProseNumber], hits: [Hit], at: SourceLocation, quote: String) {
        guard let (marker, markerAt, markerEnd, total, after) = statedTotal(s, numbers: numbers) else { return }
        _ = markerAt
        var parts: [ProseNumber] = []
        var from = markerEnd
        for n in numbers where n.start >= markerEnd {
            let lead = Self.string(s, from..<n.start)
            from = n.end
            guard n.isMoney else { continue }
            if Self.endsWithChange(lead) != nil || qualifier(lead) != nil { continue }
            parts.append(n)
        }
        guard parts.count >= 2 else { return }
        let p = max(parts.map(\.wanDecimals).max() ?? 2, total.wanDecimals)
        let sum = parts.reduce(Int128(0)) { $0 + $1.value(at: p) }
        let stated = total.value(at: p)
        let exhaustive = after.contains("分别")
        guard sum > stated || (exhaustive && sum != stated) else { return }
        // Within the rounding tail the printed figures cannot settle it (the tables' own rules warn).
        if (sum - stated).magnitude <= Int128(parts.count) * ProseNumber.pow10(p - 2) { return }
        let sumAmount = Amount(units: Int64(clamping: ProseNumber.shift(sum, by: 4 - p)), scale: max(0, min(4, p)))
        let term = hits.last(where: { $0.end <= total.start })?.word ?? "合计"
        finding("prose.parts-sum", term: term, column: "其中", expected: sumAmount, found: total.amount,
                computation: parts.map(\.text).joined(separator: " + "),
                formula: "\(marker)所列\(parts.count)项之和 " + parts.map(\.text).joined(separator: " + "),
                written: total.text, severity: Finding.severity(found: total.amount, expected: sumAmount, addends: parts.count), at: at, quote: quote)
    }
}


// MARK: - Wording

extension Checker {
    /// Placeholders (XX, 待填写, 【】, empty （）) and doubled punctuation (，，。。) in published prose.
    static func wording(_ d: Disclosure) -> [Finding] {
        var out: [Finding] = []
        for prose in [d.explanation, d.glossary].compactMap({ $0 }) {
            var line = prose.firstLine
            for raw in prose.text.split(separator: "\n", omittingEmptySubsequences: false) {
                defer { line += 1 }
                let text = stripReferences(String(raw))
                // Every mark looked for is outside ASCII except X: a plain ASCII line has none.
                if text.utf8.allSatisfy({ $0 < 0x80 && $0 != UInt8(ascii: "X") && $0 != UInt8(ascii: "x") && $0 != UInt8(ascii: "(") }) { continue }
                let at = SourceLocation(file: prose.location.file, line: line)
                func add(_ rule: String, _ key: String, _ what: String, _ severity: Diagnostic.Severity) {
                    out.append(Finding(severity: severity, location: at, disclosure: d.id, table: 0, tableName: "情况说明", row: what, rowName: "",
                                       column: "", rule: rule, expected: nil, computation: "", found: nil, note: Finding.Note(key, [what]),
                                       quote: text.trimmingSpaces()))
                }
                // 【待填写…】 of `sitegen draft` is warned about by the build already (Views/Prose.swift).
                if !has(text, "【待填写"), let p = placeholder(in: text) { add("prose.placeholder", "prose.placeholder", p, .warning) }
                if let p = doubledPunctuation(in: text) { add("prose.punctuation", "prose.punctuation", p, .warning) }
                if has(text, "占"), hasDigit(text), let p = shareWithoutPercent(in: text) { add("prose.punctuation", "prose.percent-missing", p, .warning) }
            }
        }
        return out
    }

    static func placeholder(in text: String) -> String? {
        for w in ["待填写", "待补充", "请填写", "此处填写", "××", "ＸＸ", "【】", "（）", "()"] where has(text, w) { return w }
        // XX / xx not part of a Latin word.
        guard has(text, "X") || has(text, "x") || has(text, "【") else { return nil }
        let s = Array(text.unicodeScalars)
        var i = 0
        while i < s.count {
            if s[i] == "X" || s[i] == "x" {
                var j = i
                while j < s.count, s[j] == s[i] { j += 1 }
                let latin: (Unicode.Scalar) -> Bool = { $0.value < 0x80 && $0.properties.isAlphabetic }
                if j - i >= 2, i == 0 || !latin(s[i - 1]), j == s.count || !latin(s[j]) {
                    return ProseReader.string(s, i..<j)
                }
                i = j
            } else {
                i += 1
            }
        }
        if has(text, "【"), let open = text.range(of: "【"), let close = text.range(of: "】", range: open.upperBound..<text.endIndex) {
            let inside = text[open.upperBound..<close.lowerBound]
            if inside.contains("填") || inside.contains("待") || inside.contains("XX") { return String(text[open.lowerBound..<close.upperBound]) }
        }
        return nil
    }

    /// `占 76.23；`: a share written without its %.
    static func shareWithoutPercent(in text: String) -> String? {
        let s = normalise(text)
        var i = 0
        while i < s.count {
            defer { i += 1 }
            guard s[i] == "占" else { continue }
            var j = i + 1
            while j < s.count, s[j] == " " { j += 1 }
            let start = j
            while j < s.count, isDigit(s[j]) || (s[j] == "." && j + 1 < s.count && isDigit(s[j + 1])) { j += 1 }
            guard j > start else { continue }
            var k = j
            while k < s.count, s[k] == " " { k += 1 }
            if k == s.count || ["；", ";", "，", ",", "。", "、"].contains(s[k]) { return ProseReader.string(s, i..<j) }
        }
        return nil
    }

    static func doubledPunctuation(in text: String) -> String? {
        // One pass without copying: this runs on every line of every 情况说明.
        func isMark(_ c: Unicode.Scalar) -> Bool {
            switch c { case "，", "。", "、", "；", "：", "！", "？": true; default: false }
        }
        var previous: Unicode.Scalar = " "
        for c in text.unicodeScalars {
            if isMark(c) && isMark(previous) { return String(previous) + String(c) }
            previous = c
        }
        return nil
    }
}
