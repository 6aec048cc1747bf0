import Model

/// Counts typed in 情况说明 (N辆, N批次, N人次, N人, N个项目) against the tables and 概况, and a stated
/// number of projects against the projects the sentence lists. Numbers written as data references
/// are the tables' own and are not read.
extension Checker {
    /// A count the text states, where to find it, and its words: `公务用车保有量` … `辆`.
    struct CountClaim {
        var subjects: [String]  // the words before the number, in the clause (any of them)
        var unit: String        // the words right after it
        var table: (Int, String, String)?   // 09 统计数 line, or nil for 概况's staff
        var staff: String?
    }

    static let countClaims: [CountClaim] = [
        CountClaim(subjects: ["保有量"], unit: "辆", table: (9, "统计数", "公务用车保有量")),
        CountClaim(subjects: ["购置数", "购置公务用车"], unit: "辆", table: (9, "统计数", "公务用车购置数")),
        CountClaim(subjects: ["国内公务接待", "接待国内公务"], unit: "批次", table: (9, "统计数", "国内公务接待批次")),
        CountClaim(subjects: ["国内公务接待", "接待国内公务"], unit: "人次", table: (9, "统计数", "国内公务接待人次")),
        CountClaim(subjects: ["因公出国"], unit: "个", table: (9, "统计数", "因公出国（境）团组数")),
        CountClaim(subjects: ["因公出国"], unit: "人次", table: (9, "统计数", "因公出国（境）人次")),
        CountClaim(subjects: ["实有人数"], unit: "人", staff: "年末实有人数"),
        CountClaim(subjects: ["在职人员"], unit: "人", staff: "在职人员"),
    ]

    static func counts(_ d: Disclosure) -> [Finding] {
        guard let prose = d.explanation else { return [] }
        var out: [Finding] = []
        var line = prose.firstLine
        for raw in prose.text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { line += 1 }
            let text = String(String.UnicodeScalarView(normalise(stripReferences(String(raw)))))
            guard text.unicodeScalars.contains(where: isDigit) else { continue }
            let at = SourceLocation(file: prose.location.file, line: line)
            if let (item, outturn) = itemAmounts(text), item.amount != outturn.amount {
                out.append(Finding(severity: .error, location: at, disclosure: d.id, table: 0, tableName: "情况说明", row: "支出决算",
                                   rowName: "", column: "", rule: "prose.two-amounts", expected: outturn.amount, computation: "",
                                   found: item.amount, formula: "同一段的支出决算 \(outturn.text)", written: item.text,
                                   quote: text.trimmingSpaces(), unit: "万元"))
            }
            // Clauses: a count belongs to the subject of its own clause (其中 starts a new one).
            for clause in clauses(text) {
                for claim in countClaims {
                    guard let subject = claim.subjects.first(where: { has(clause, $0) }),
                          let n = number(before: claim.unit, in: clause, after: subject),
                          let (value, name) = figure(claim, in: d), value != Amount(integer: n) else { continue }
                    out.append(Finding(severity: .error, location: at, disclosure: d.id, table: 0, tableName: "情况说明", row: subject,
                                       rowName: "", column: claim.unit, rule: "prose.count", expected: value,
                                       computation: name, found: Amount(integer: n), formula: name, written: "\(n)\(claim.unit)",
                                       quote: text.trimmingSpaces(), unit: claim.unit))
                }
                if let (stated, listed) = listedProjects(clause), stated != listed {
                    out.append(Finding(severity: .warning, location: at, disclosure: d.id, table: 0, tableName: "情况说明", row: "项目",
                                       rowName: "", column: "个", rule: "prose.count", expected: Amount(integer: listed),
                                       computation: "", found: Amount(integer: stated), formula: "文中所列项目个数",
                                       written: "\(stated)个项目", quote: text.trimmingSpaces(), unit: "个"))
                }
            }
        }
        return out
    }

    /// Clauses of a line: split at ；。 and before 其中.
    static func clauses(_ text: String) -> [String] {
        // Over Unicode scalars, not Characters or Foundation (grapheme breaking was most of `check`'s
        // time here).
        var clauses: [String] = [], clause = String.UnicodeScalarView()
        func end() {
            if !clause.isEmpty { clauses.append(String(clause)) }
            clause = String.UnicodeScalarView()
        }
        var previous: Unicode.Scalar = " "
        for s in text.unicodeScalars {
            if s == "；" || s == ";" || s == "。" {
                end()
            } else {
                if previous == "其" && s == "中" {
                    // The clause ends before 其中, which starts the next.
                    clause.removeLast()
                    end()
                    clause.append("其")
                }
                clause.append(s)
            }
            previous = s
        }
        end()
        return clauses
    }

    /// The whole number right before `unit`, after `subject` in the clause (`保有量8辆`, `接待18批次`).
    static func number(before unit: String, in clause: String, after subject: String) -> Int? {
        guard let s = clause.range(of: subject) else { return nil }
        var rest = clause[s.upperBound...]
        while let u = rest.range(of: unit) {
            let before = rest[..<u.lowerBound].reversed().drop { $0 == " " }
            let digits = before.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, before.dropFirst(digits.count).first != "." {
                // 较上年增加2辆 is a change, not the count.
                let between = String(before.dropFirst(digits.count).reversed())
                if ["增", "减", "较", "比", "上年", "多", "少"].contains(where: { between.contains($0) }) { return nil }
                return Int(String(digits.reversed()))
            }
            rest = rest[u.upperBound...]
        }
        return nil
    }

    /// The table's (or 概况's) count for a claim, with its printed name.
    static func figure(_ claim: CountClaim, in d: Disclosure) -> (Amount, String)? {
        if let staff = claim.staff {
            guard let v = d.staff.first(where: { $0.0 == staff })?.1 else { return nil }
            return (v, "概况 \(staff)")
        }
        guard let (t, s, l) = claim.table, let kind = TableKind(rawValue: t), let section = d.table(kind).section(s),
              let r = section.rowIndex(.line(l)), let c = section.columnIndex("决算数"), let v = section.rows[r].cells[c].value else { return nil }
        return (v, "\(kind.formNumber) \(section.rows[r].label)")
    }

    /// An item of 五（三） stated twice in its own paragraph: `…（项）”支出 269.85 万元，…；支出决算为 269.86
    /// 万元`. Only a paragraph about one 项, whose first amount is the item's and which states its 支出决算.
    static func itemAmounts(_ text: String) -> (item: (amount: Amount, text: String), outturn: (amount: Amount, text: String))? {
        guard has(text, "（项）"), text.split(separator: "（项）", omittingEmptySubsequences: false).count == 2,
              let first = text.firstMatch(of: itemAmount), let second = text.firstMatch(of: outturnAmount),
              first.range.upperBound <= second.range.lowerBound,
              case .success(let a) = Amount.parse(String(first.1)), case .success(let b) = Amount.parse(String(second.1)) else { return nil }
        return ((a, String(first.1) + "万元"), (b, String(second.1) + "万元"))
    }

    nonisolated(unsafe) static let itemAmount = /（项）[”"]?\s*(?:共计|共)?\s*支出(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*万元/
    nonisolated(unsafe) static let outturnAmount = /支出决算(?:数)?(?:为)?\s*([0-9]+(?:\.[0-9]+)?)\s*万元/

    /// `共3个项目：A、B、C` — the stated number and the items listed, when the list is closed (no 等).
    static func listedProjects(_ clause: String) -> (Int, Int)? {
        guard has(clause, "个项目"), let p = clause.range(of: "个项目") else { return nil }
        let digits = clause[..<p.lowerBound].reversed().prefix { $0.isASCII && $0.isNumber }
        guard let stated = Int(String(digits.reversed())), stated > 1 else { return nil }
        var list = clause[p.upperBound...].drop { "，,：:".contains($0) }
        for lead in ["分别为", "分别是", "包括", "主要包括", "即"] where list.hasPrefix(lead) { list = list.dropFirst(lead.count) }
        list = list.drop { "：:".contains($0) }
        let items = list.split(separator: "、")
        guard items.count >= 2, !list.contains("等"), !list.contains("，"), !list.contains(",") else { return nil }
        return (stated, items.count)
    }
}
