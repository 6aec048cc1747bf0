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
