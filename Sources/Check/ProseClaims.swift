import Derive
import Model

/// How the explanation's sentences are checked once read: totals, parts, shares, completion rates.
extension ProseReader {
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
                severity: rounding ? .info : .error, maybeRounding: rounding, at: at, quote: quote, unit: "%")
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
