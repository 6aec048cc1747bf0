import Foundation
import Derive
import Model

/// Numbers typed literally in 情况说明 against the figures the sentence names.
///
/// A sentence is cut at each term it names (基本支出, 公用经费, 公务接待费 …); in the text a term
/// owns, the first `N万元` is its amount, `增加/减少 N万元` its change on last year, `增长/下降 N%`
/// that change in %, and `占 N%` its share. Data references (`{{…}}`) are not checked: they are
/// right by construction.
extension Checker {
    struct Term: Sendable {
        var words: [String]
        var path: @Sendable (Int) -> FigurePath?     // by form
        /// The whole a share (占 N%) is taken of.
        var whole: FigurePath?
    }

    static func term(_ words: [String], _ table: Int, _ row: String, _ column: String? = nil, whole: FigurePath? = nil) -> Term {
        Term(words: words, path: { _ in FigurePath(table: table, row: row, column: column) }, whole: whole)
    }

    static let incomeWhole = FigurePath(table: 1, row: "本年收入合计")
    static let spendWhole = FigurePath(table: 1, row: "本年支出合计")

    /// Longer words first, so 一般公共预算财政拨款基本支出 wins over 基本支出.
    static let terms: [Term] = {
        var t: [Term] = [
            term(["一般公共预算财政拨款基本支出"], 5, "合计", "基本支出"),
            term(["一般公共预算财政拨款项目支出"], 5, "合计", "项目支出"),
            term(["一般公共预算财政拨款支出"], 5, "合计", "本年支出合计", whole: spendWhole),
            term(["收入总计"], 1, "收入总计"), term(["支出总计"], 1, "支出总计"),
            term(["本年收入合计", "本年收入"], 1, "本年收入合计"),
            term(["本年支出合计", "本年支出"], 1, "本年支出合计"),
            term(["财政拨款收入"], 2, "合计", "财政拨款收入", whole: incomeWhole),
            term(["使用非财政拨款结余"], 1, "使用非财政拨款结余"),
            term(["年初结转和结余"], 1, "年初结转和结余"), term(["年末结转和结余"], 1, "年末结转和结余"),
            term(["人员经费"], 6, "人员经费合计"), term(["公用经费"], 6, "公用经费合计"),
            term(["工资福利支出"], 6, "301"), term(["商品和服务支出"], 6, "302"),
            term(["对个人和家庭的补助", "对个人和家庭补助支出"], 6, "303"), term(["资本性支出"], 6, "310"),
        ]
        for c in ["上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"] { t.append(term([c], 2, "合计", c, whole: incomeWhole)) }
        for c in ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"] { t.append(term([c], 3, "合计", c, whole: spendWhole)) }
        let threePublic: @Sendable (Int) -> FigurePath? = { form in FigurePath(table: 9, row: form >= 2023 ? "合计" : "“三公”经费支出", column: "决算数") }
        t.append(Term(words: ["“三公”经费", "\"三公\"经费", "三公经费"], path: threePublic, whole: nil))
        for item in ["因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费"] {
            t.append(Term(words: [item], path: { _ in FigurePath(table: 9, row: item, column: "决算数") },
                          whole: nil))
        }
        t.append(Term(words: ["机关运行经费"], path: { form in form >= 2023 ? FigurePath(table: 10, row: "机关运行经费合计") : nil }, whole: nil))
        t.append(Term(words: ["政府采购支出总额"], path: { form in form >= 2023 ? FigurePath(table: 10, row: "政府采购支出合计") : nil }, whole: nil))
        return t.sorted { ($0.words.map(\.count).max() ?? 0) > ($1.words.map(\.count).max() ?? 0) }
    }()

    struct Claim {
        var amount: Amount?
        var change: (word: String, value: Amount)?
        var growth: (word: String, value: Amount)?
        var share: Amount?
    }

    static func prose(_ d: Disclosure, previous: Disclosure?) -> [Finding] {
        guard let prose = d.explanation else { return [] }
        let book = FigureBook(current: d, previous: previous)
        var out: [Finding] = []
        var line = prose.firstLine
        // Lines and sentences split on bytes and scalars: the separators are single scalars, and
        // testing every Character of the prose against them was a large part of `sitegen check`
        // (bench/README.md#figures-that-were-in-code-comments).
        for rawLine in prose.text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            defer { line += 1 }
            let text = stripReferences(String(Substring(rawLine)))
            for sentence in text.unicodeScalars.split(whereSeparator: { $0 == "。" || $0 == "；" || $0 == ";" }) {
                let sentence = String(Substring(sentence))
                for (term, span) in spans(sentence) {
                    let claim = parse(span)
                    out += verify(claim, term: term, d: d, book: book, at: SourceLocation(file: prose.location.file, line: line), quote: String(sentence))
                }
            }
        }
        return out
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
    static let termsByFirst: [Unicode.Scalar: [(String.UnicodeScalarView, Term)]] = {
        var out: [Unicode.Scalar: [(String.UnicodeScalarView, Term)]] = [:]
        for term in terms { for w in term.words { out[w.unicodeScalars.first!, default: []].append((w.unicodeScalars, term)) } }
        return out.mapValues { $0.sorted { $0.0.count > $1.0.count } }
    }()

    /// The terms a sentence names, each with the text up to the next term. Walks scalars, not
    /// Characters (the terms are CJK words; grapheme breaking was most of the check stage).
    static func spans(_ sentence: String) -> [(Term, Substring)] {
        var hits: [(String.Index, String.Index, Term)] = []
        let scalars = sentence.unicodeScalars
        var i = scalars.startIndex
        while i < scalars.endIndex {
            var matched: (String.Index, Term)?
            for (w, term) in termsByFirst[scalars[i]] ?? [] where scalars[i...].starts(with: w) {
                matched = (scalars.index(i, offsetBy: w.count), term)
                break
            }
            if let (end, term) = matched {
                hits.append((i, end, term))
                i = end
            } else {
                i = scalars.index(after: i)
            }
        }
        return hits.enumerated().map { k, hit in
            let end = k + 1 < hits.count ? hits[k + 1].0 : sentence.endIndex
            return (hit.2, sentence[hit.1..<end])
        }
    }

    /// Numbers with their unit and the word before them. Over scalars: every character it looks for
    /// (digits, `.`, `-`, 万元, %) is one scalar, and breaking the text into Characters was most of the cost.
    static func parse(_ span: Substring) -> Claim {
        var claim = Claim()
        let chars = Array(span.unicodeScalars)
        func isDigit(_ k: Int) -> Bool { k < chars.count && chars[k].value >= 0x30 && chars[k].value <= 0x39 }
        var i = 0
        while i < chars.count {
            guard isDigit(i) || (chars[i] == "-" && isDigit(i + 1)) else { i += 1; continue }
            var j = i
            while j < chars.count, isDigit(j) || chars[j] == "." || chars[j] == "-" { j += 1 }
            var number = ""
            number.unicodeScalars.append(contentsOf: chars[i..<j])
            var k = j
            while k < chars.count, chars[k] == " " { k += 1 }
            let unitIsWan = k + 1 < chars.count && chars[k] == "万" && chars[k + 1] == "元"
            let unitIsPercent = k < chars.count && (chars[k] == "%" || chars[k] == "％")
            var before = ""
            before.unicodeScalars.append(contentsOf: chars[max(0, i - 6)..<i].filter { $0 != " " })
            if case .success(let value) = Amount.parse(number) {
                if unitIsWan {
                    if before.hasSuffix("增加") || before.hasSuffix("减少") {
                        if claim.change == nil { claim.change = (String(before.suffix(2)), value) }
                    } else if claim.amount == nil && claim.change == nil {
                        claim.amount = value
                    }
                } else if unitIsPercent {
                    if before.hasSuffix("增长") || before.hasSuffix("下降") {
                        if claim.growth == nil { claim.growth = (String(before.suffix(2)), value) }
                    } else if before.hasSuffix("占") || before.contains("占") {
                        if claim.share == nil { claim.share = value }
                    }
                }
            }
            i = j
        }
        return claim
    }

    static func verify(_ claim: Claim, term: Term, d: Disclosure, book: FigureBook, at: SourceLocation, quote: String) -> [Finding] {
        var out: [Finding] = []
        let label = term.words[0]
        func finding(_ rule: String, _ column: String, expected: Amount?, found: Amount?, computation: String, detail: String? = nil, severity: Diagnostic.Severity? = nil) {
            let sev = severity ?? (found.flatMap { f in expected.map { Finding.severity(found: f, expected: $0, addends: 1) } } ?? .error)
            out.append(Finding(severity: sev, location: at, disclosure: d.id, table: 0, tableName: "情况说明", row: label, rowName: "", column: column,
                               rule: rule, expected: expected, computation: computation, found: found, detail: detail.map { "\($0) — “\(quote)”" }))
        }
        // Words against their own numbers, with or without data: 增加 0 万元 / 增长 100%, 增加 … 下降 ….
        if let c = claim.change, let g = claim.growth {
            let up = c.word == "增加", upPct = g.word == "增长"
            if !c.value.isZero && !g.value.isZero && up != upPct {
                finding("prose.direction", "增减", expected: nil, found: nil, computation: "", detail: "the change is \(c.word) \(c.value)万元 but the rate says \(g.word) \(g.value)%")
            }
            if c.value.isZero != g.value.isZero {
                finding("prose.direction", "增减", expected: nil, found: nil, computation: "",
                        detail: "a change of \(c.value)万元 cannot be \(g.word) \(g.value)%")
            }
        }
        guard let path = term.path(d.form), case .success(let (_, _, cell)) = FigureBook.locate(path, in: d) else { return out }
        let value = cell.value ?? .zero
        func matches(_ written: Amount, _ exact: Amount) -> Bool { exact.rounded(to: written.scale) == written }
        if let a = claim.amount, !matches(a, value) {
            finding("prose.amount", "金额", expected: value.atLeast(decimals: 2), found: a, computation: path.description)
        }
        if let whole = term.whole, let s = claim.share, case .success(let (_, _, w)) = FigureBook.locate(whole, in: d), let wv = w.value,
           let pct = value.percent(of: wv, decimals: max(s.scale, 0)), pct != s {
            finding("prose.share", "占比", expected: pct, found: s, computation: "\(path) / \(whole) × 100")
        }
        if claim.change != nil || claim.growth != nil,
           case .success(.amount(let last, _)) = book.evaluate(FigureReference(path: path, operation: .previous)) {
            let delta = value - last
            if let c = claim.change {
                let word = delta.isNegative ? "减少" : "增加"
                if !matches(c.value, delta.magnitude) {
                    finding("prose.change", "增减额", expected: delta.magnitude.atLeast(decimals: 2), found: c.value, computation: "\(path) − 上年")
                } else if !delta.isZero && c.word != word {
                    finding("prose.direction", "增减", expected: nil, found: nil, computation: "", detail: "the figure \(word == "增加" ? "rose" : "fell") by \(delta.magnitude) but the text says \(c.word)")
                }
            }
            if let g = claim.growth {
                let pct = delta.magnitude.percent(of: last.magnitude, decimals: g.value.scale) ?? (delta.isZero ? .zero : Amount(integer: 100))
                if pct.rounded(to: g.value.scale) != g.value {
                    finding("prose.growth", "增长率", expected: pct, found: g.value, computation: "|\(path) − 上年| / 上年 × 100")
                }
            }
        }
        return out
    }
}
