import Model

/// 绩效自评表 and 部门评价评分表 rules (docs/domain.md#performance-self-evaluation): 执行率 = 全年执行数 / 全年预算数, Σ 分值 = 100,
/// 总分 = Σ 得分, and the grade follows from the score.
extension Checker {
    /// A cell as a number: `86.05%`, `7`, `=100%` → 86.05, 7, nil (indicator values are not scores).
    static func number(_ text: String?) -> Amount? {
        guard var t = text?.trimmingSpaces(), !t.isEmpty else { return nil }
        if t.hasSuffix("%") { t.removeLast() }
        if t.hasSuffix("分") { t.removeLast() }
        if case .success(let a) = Amount.parse(t) { return a }
        return nil
    }

    static func performance(_ d: Disclosure) -> [Finding] {
        var out: [Finding] = []
        for p in d.performance {
            let name = (p.kind == .project ? "项目支出绩效自评表：" : "部门整体支出绩效自评表：") + p.title
            func add(_ rule: String, _ row: String, _ column: String, expected: Amount, found: Amount, computation: String, at: SourceLocation, addends: Int) {
                out.append(Finding(severity: Finding.severity(found: found, expected: expected, addends: addends), location: at, disclosure: d.id,
                                   table: 0, tableName: name, row: row, rowName: "", column: column, rule: rule,
                                   expected: expected, computation: computation, found: found, formula: computation.hasPrefix("Σ 得分（") ? "\(addends)项得分之和" : computation))
            }
            var weights: [Amount] = []
            var scores: [Amount] = []
            var fundsWeighed = false, fundsScored = false, hasRate = false
            if let funds = p.funds {
                let budget = funds.columns.firstIndex(of: "全年预算数"), spent = funds.columns.firstIndex(of: "全年执行数")
                let rate = funds.columns.firstIndex(of: "执行率")
                hasRate = rate != nil
                for (i, row) in funds.rows.enumerated() {
                    let label = row.first.flatMap { $0 } ?? "第\(i + 1)行"
                    if let b = budget, let s = spent, let r = rate, let planned = number(row[b]), let actual = number(row[s]), let written = number(row[r]),
                       let computed = actual.percent(of: planned, decimals: written.scale) {
                        if computed != written {
                            add("perf.execution-rate", label, "执行率", expected: computed, found: written,
                                computation: "全年执行数 \(actual) / 全年预算数 \(planned) × 100", at: funds.rowLocations[i], addends: 1)
                        }
                    }
                }
                // The funds weigh once: a sub-fund row (其中：财政拨款 …) that repeats the total's 分值 or 得分 is not counted again.
                if let w = funds.columns.firstIndex(of: "分值"), let v = fundsFigure(funds, column: w) { weights.append(v); fundsWeighed = true }
                if let g = funds.columns.firstIndex(of: "得分"), let v = fundsFigure(funds, column: g) { scores.append(v); fundsScored = true }
            }
            var indicatorWeights: [Amount] = []
            if let ind = p.indicators {
                if let w = ind.columns.lastIndex(of: "分值") { indicatorWeights = ind.rows.compactMap { number($0[w]) } }
                if let g = ind.columns.lastIndex(of: "得分") { scores += ind.rows.compactMap { number($0[g]) } }
            }
            weights += indicatorWeights
            let totalWeight = number(p.totalWeight) ?? Amount(integer: 100)
            // Provincial forms give 执行率 its 10 points by the rules, not in a cell: the funds carry an
            // 执行率 but no 分值, and the indicators weigh 90.
            let implicitRate = !fundsWeighed && hasRate && !indicatorWeights.isEmpty
            if implicitRate { weights.append(Amount(integer: 10)) }
            if !weights.isEmpty, let sum = weights.sum(), sum != totalWeight {
                // What was typed is found: the 总分's 分值 when written, else the parts (against the usual 100).
                let written = p.totalWeight != nil
                out.append(Finding(severity: Finding.severity(found: written ? totalWeight : sum, expected: written ? sum : totalWeight, addends: 0),
                                   location: p.location, disclosure: d.id, table: 0, tableName: name, row: "总分", rowName: "", column: "分值",
                                   rule: "perf.weights-sum", expected: written ? sum : totalWeight,
                                   computation: written ? "Σ 分值（\(weights.count)项）" : "100",
                                   found: written ? totalWeight : sum,
                                   formula: written ? (fundsWeighed ? "资金分值 + \(indicatorWeights.count)项指标分值之和"
                                                       : implicitRate ? "\(indicatorWeights.count)项指标分值之和 + 执行率10分" : "\(indicatorWeights.count)项指标分值之和")
                                                    : "满分100分"))
            }
            if let total = number(p.totalScore), !scores.isEmpty, let sum = scores.sum(), sum != total {
                // Without the 执行率's score the parts can only show a total that is too small.
                if !(implicitRate && !fundsScored && sum < total) {
                    add("perf.score-sum", "总分", "得分", expected: sum, found: total, computation: "Σ 得分（\(scores.count)项）", at: p.location, addends: scores.count)
                }
            }
            if let grade = p.grade, let total = number(p.totalScore) {
                let expected = PerformanceTable.grade(for: total)
                if !grade.hasPrefix(expected) {
                    out.append(Finding(severity: .error, location: p.location, disclosure: d.id, table: 0, tableName: name, row: "评价等级", rowName: "",
                                       column: "", rule: "perf.grade", expected: nil, computation: "", found: nil,
                                       note: Finding.Note("perf.grade", [grade, total.description, expected])))
                }
            }
        }
        for r in d.reports { out += scoreTable(r, disclosure: d.id) }
        return out
    }

    /// The funds' 分值 or 得分, counted once: the 年度资金总额 (合计) row's, else the one value that
    /// every row carrying one repeats, else their sum.
    static func fundsFigure(_ funds: TextTable, column: Int) -> Amount? {
        let carried = funds.rows.compactMap { row -> (String, Amount)? in number(row[column]).map { ((row.first ?? nil) ?? "", $0) } }
        guard !carried.isEmpty else { return nil }
        if let total = carried.first(where: { $0.0.contains("总额") || $0.0.hasPrefix("合计") || $0.0.hasPrefix("总计") }) { return total.1 }
        if Set(carried.map(\.1)).count == 1 { return carried[0].1 }
        return carried.map(\.1).sum()
    }

    /// 部门评价评分表: the last 分值 column and 得分 add up to the 总分 row; 评价等次 follows from it.
    static func scoreTable(_ report: EvaluationReport, disclosure: String) -> [Finding] {
        guard let t = report.table, let w = t.columns.lastIndex(of: "分值"), let g = t.columns.lastIndex(of: "得分") else { return [] }
        let name = "部门评价评分表：" + report.title
        var out: [Finding] = []
        var weights: [Amount] = [], scores: [Amount] = []
        var totalRow: Int?
        var gradeRow: Int?
        for (i, row) in t.rows.enumerated() {
            let first = row.first.flatMap { $0 } ?? ""
            if first.hasPrefix("总分") { totalRow = i; continue }
            if first.hasPrefix("评价等") { gradeRow = i; continue }
            if let v = number(row[w]) { weights.append(v) }
            if let v = number(row[g]) { scores.append(v) }
        }
        guard let tr = totalRow else { return [] }
        let at = t.rowLocations[tr]
        if let total = number(t.rows[tr][w]), let sum = weights.sum(), sum != total {
            out.append(Finding(severity: Finding.severity(found: total, expected: sum, addends: 0), location: at, disclosure: disclosure, table: 0,
                               tableName: name, row: "总分", rowName: "", column: "分值", rule: "report.weights-sum",
                               expected: sum, computation: "Σ 三级指标分值（\(weights.count)项）", found: total,
                               formula: "\(weights.count)项三级指标分值之和"))
        }
        if let total = number(t.rows[tr][g]), let sum = scores.sum(), sum != total {
            out.append(Finding(severity: Finding.severity(found: total, expected: sum, addends: 0), location: at, disclosure: disclosure, table: 0,
                               tableName: name, row: "总分", rowName: "", column: "得分", rule: "report.score-sum",
                               expected: sum, computation: "Σ 得分（\(scores.count)项）", found: total,
                               formula: "\(scores.count)项得分之和"))
        }
        if let gr = gradeRow, let total = number(t.rows[tr][g]), let written = t.rows[gr].dropFirst().compactMap({ $0 }).first {
            let expected = PerformanceTable.grade(for: total)
            if !written.hasPrefix(expected) {
                out.append(Finding(severity: .error, location: t.rowLocations[gr], disclosure: disclosure, table: 0, tableName: name, row: "评价等次",
                                   rowName: "", column: "", rule: "report.grade", expected: nil, computation: "", found: nil,
                                   note: Finding.Note("report.grade", [written, total.description, expected])))
            }
        }
        return out
    }
}
