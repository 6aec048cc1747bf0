import Content
import Derive
import Foundation
import Model
import Support

/// `sitegen draft <dept> <year>`: 情况说明 in the structure of docs/domain.md#the-explanation, every figure, share, change and
/// direction word a data reference, 主要原因 left as `【待填写：主要原因】` for the editor.
public enum Draft {
    public static let placeholderMark = "【待填写"

    public static func run(department slug: String, year: Int, content root: URL, force: Bool) throws -> (path: String, placeholders: Int) {
        let loaded = ContentLoader.load(from: root)
        guard let content = loaded.content else { throw ImportError(localized("\(root.path)：找不到内容文件夹", en: "\(root.path): content folder not found")) }
        let rel = "departments/\(slug)/\(year)"
        let errors = loaded.diagnostics.filter { $0.severity == .error && $0.location.file.hasPrefix(rel + "/") }
        if !errors.isEmpty { throw ImportError(errors.map(\.description).joined(separator: "\n")
                                           + localized("\n请先改正这些错误：情况说明草稿是根据表格写出的", en: "\nfix these first: the draft is written from the tables")) }
        guard let d = content.disclosures.first(where: { $0.department == slug && $0.year == year }) else {
            throw ImportError(localized("没有 \(rel)/disclosure.yaml：请先运行 sitegen new \(slug) \(year) 或 sitegen import",
                                        en: "no \(rel)/disclosure.yaml: run sitegen new \(slug) \(year) or sitegen import first"))
        }
        let file = root.appendingPathComponent("\(rel)/explanation.md")
        if FileManager.default.fileExists(atPath: file.path) && !force {
            throw ImportError(localized("\(rel)/explanation.md 已存在；如要用新草稿替换它，请加 --force", en: "\(rel)/explanation.md exists; use --force to replace it with a new draft"))
        }
        func derived(_ d: Disclosure) -> Disclosure { Derive.complete(d, catalog: content.catalogs[d.year] ?? Catalog(year: d.year)) }
        let previous = content.disclosures.first { $0.department == slug && $0.year == year - 1 }.map(derived)
        let text = Draft.text(derived(d), previous: previous, department: content.department(slug))
        try Data(text.utf8).write(to: file)
        return ("\(rel)/explanation.md", text.components(separatedBy: placeholderMark).count - 1)
    }

    /// The draft of a completed disclosure; year-on-year clauses only where last year's figure exists.
    /// One step per part of the 情况说明 (Scaffold.headings), in order.
    public static func text(_ d: Disclosure, previous: Disclosure?, department: Department?) -> String {
        var w = Writer(d: d, previous: previous)
        let h = Scaffold.headings
        totals(&w, h)
        generalBudget(&w, h)
        basicExpenditure(&w, h)
        governmentFunds(&w, h)
        w.h2(h[8])
        w.threePublic(reason: Writer.reason)
        otherMatters(&w, h, kind: department?.kind)
        w.h2(h[10])
        w.p("【待填写：绩效自评的项目个数和资金、部门整体支出绩效自评和部门评价的开展情况及结果】" + (d.performance.isEmpty ? "" : "绩效自评表见附件。"))
        return w.out
    }

    struct Writer {
        /// The clause that asks the editor for the reason of a change.
        static let reason = "主要原因：【待填写：主要原因】。"

        let d: Disclosure
        let previous: Disclosure?
        var out = ""

        mutating func h2(_ s: String) { out += "## \(s)\n\n" }
        mutating func h3(_ s: String) { out += "### \(s)\n\n" }
        mutating func p(_ s: String) { out += s.hasSuffix("\n") ? s + "\n" : s + "\n\n" }
        mutating func list(_ items: [String], empty: String) {
            p(items.isEmpty ? empty : items.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n"))
        }

        func r(_ path: String) -> String { "{{\(path)}}" }

        func value(_ path: String) -> Amount? {
            guard case .success(let p) = FigurePath.parse(path), case .success(let (_, _, cell)) = FigureBook.locate(p, in: d) else { return nil }
            return cell.value
        }

        func nonzero(_ path: String) -> Bool { value(path).map { !$0.isZero } ?? false }

        func hasData(_ kind: TableKind) -> Bool { d.table(kind).sections.contains { $0.rows.contains { $0.cells.contains { $0.value.map { !$0.isZero } ?? false } } } }

        /// Last year's figure exists: a row of a classification table (absent = 0) or a line of last year's form.
        func comparable(_ path: String) -> Bool {
            guard let previous, case .success(let p) = FigurePath.parse(path), let kind = TableKind(rawValue: p.table) else { return false }
            if kind.classification != nil { return true }
            if case .success = FigureBook.locate(p, in: previous) { return true }
            return false
        }

        /// `增加1.00万元，增长2.00%`, all four parts references.
        func change(_ path: String) -> String {
            "\(r("\(path) | 增减"))\(r("\(path) | 增减额"))万元，\(r("\(path) | 增长"))\(r("\(path) | 增长率"))"
        }

        /// Each non-zero column of the 合计 row with its share; the others named as none.
        func parts(table: Int, _ columns: [String], whole: String) -> String {
            let t = TableKind.code(table)
            let present = columns.filter { nonzero("\(t).合计.\($0)") }
            let absent = columns.filter { !present.contains($0) }
            var s = present.isEmpty ? "" : "其中：" + present.map { c in
                "\(c)\(r("\(t).合计.\(c)"))万元，占\(r("\(t).合计.\(c) | 占比 \(t).合计.\(whole)"))"
            }.joined(separator: "；") + "。"
            if !absent.isEmpty { s += "本年没有\(absent.joined(separator: "、"))。" }
            return s
        }

        mutating func threePublic(reason: String) {
            let y = d.year
            guard hasData(.t09) else {
                p("本部门\(y)年度没有安排“三公”经费预算，也没有发生“三公”经费支出，公开09表为空表。")
                return
            }
            let old = d.form < 2023
            let total = old ? "“三公”经费支出" : "合计", budget = old ? "全年预算数" : "预算数"
            func item(_ row: String) -> String { "09.\(row).决算数" }
            var anyChange = false
            func yoy(_ path: String) -> String {
                guard comparable(path) else { return "" }
                anyChange = true
                return "，比上年\(change(path))"
            }
            var s = "\(y)年度“三公”经费支出预算\(r("09.\(total).\(budget)"))万元，决算\(r(item(total)))万元，完成预算的\(r("\(item(total)) | 执行率 09.\(total).\(budget)"))"
            s += yoy(item(total)) + "。决算数与预算数存在差异的主要原因：【待填写：主要原因】。其中：\n\n"
            func budgetOf(_ row: String) -> String { "（预算\(r("09.\(row).\(budget)"))万元）" }
            s += "- 因公出国（境）费\(r(item("因公出国（境）费")))万元\(budgetOf("因公出国（境）费"))" + yoy(item("因公出国（境）费"))
            s += old ? "；组织因公出国（境）团组\(r("09.因公出国（境）团组数.决算数"))个、\(r("09.因公出国（境）人次.决算数"))人次。\n" : "。\n"
            s += "- 公务用车购置及运行维护费\(r(item("公务用车购置及运行维护费")))万元\(budgetOf("公务用车购置及运行维护费"))" + yoy(item("公务用车购置及运行维护费"))
            s += "，其中公务用车购置费\(r(item("公务用车购置费")))万元，公务用车运行维护费\(r(item("公务用车运行维护费")))万元"
            s += old ? "；购置公务用车\(r("09.公务用车购置数.决算数"))辆，年末公务用车保有量\(r("09.公务用车保有量.决算数"))辆。\n" : "。\n"
            s += "- 公务接待费\(r(item("公务接待费")))万元\(budgetOf("公务接待费"))" + yoy(item("公务接待费"))
            if old {
                s += "，其中国内接待费\(r(item("国内接待费")))万元（\(r("09.国内公务接待批次.决算数"))批次、\(r("09.国内公务接待人次.决算数"))人次），"
                    + "国（境）外接待费\(r(item("国（境）外接待费")))万元（\(r("09.国（境）外公务接待批次.决算数"))批次、\(r("09.国（境）外公务接待人次.决算数"))人次）"
            }
            s += "。\n"
            if anyChange { s += "\n“三公”经费比上年增减变化的" + "主要原因：【待填写：主要原因】。" }
            p(s)
        }
    }
}

// The parts of the 情况说明, each written by one step of `Draft.text`.
extension Draft {
    /// 一 to 四: totals of 公开01表, income (02), expenditure (03), 财政拨款 (04).
    static func totals(_ w: inout Writer, _ h: [String]) {
        let y = w.d.year, reason = Writer.reason
        w.h2(h[0])
        w.p("\(y)年度收入总计\(w.r("01.收入总计"))万元，支出总计\(w.r("01.支出总计"))万元。其中，本年收入合计\(w.r("01.本年收入合计"))万元，"
            + "本年支出合计\(w.r("01.本年支出合计"))万元，年末结转和结余\(w.r("01.年末结转和结余"))万元。")
        if w.comparable("01.收入总计") {
            w.p("与\(y - 1)年度相比，收入总计\(w.change("01.收入总计"))；支出总计\(w.change("01.支出总计"))。" + reason)
        }

        w.h2(h[1])
        w.p("本年收入合计\(w.r("02.合计.本年收入合计"))万元。" + w.parts(table: 2, ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"], whole: "本年收入合计"))

        w.h2(h[2])
        w.p("本年支出合计\(w.r("03.合计.本年支出合计"))万元。" + w.parts(table: 3, ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"], whole: "本年支出合计"))

        w.h2(h[3])
        w.p("\(y)年度财政拨款收入总计\(w.r("04.收入总计"))万元，其中本年财政拨款收入\(w.r("04.本年收入合计"))万元，年初财政拨款结转和结余\(w.r("04.年初财政拨款结转和结余"))万元；"
            + "财政拨款支出总计\(w.r("04.支出总计.合计"))万元，其中本年财政拨款支出\(w.r("04.本年支出合计.合计"))万元，年末财政拨款结转和结余\(w.r("04.年末财政拨款结转和结余.合计"))万元。")
        if w.comparable("04.收入总计") {
            w.p("与\(y - 1)年度相比，财政拨款收入总计\(w.change("04.收入总计"))；财政拨款支出总计\(w.change("04.支出总计.合计"))。" + reason)
        }
    }

    /// 五: 一般公共预算财政拨款支出, overall, by 类 and by 项 (公开05表).
    static func generalBudget(_ w: inout Writer, _ h: [String]) {
        let d = w.d, y = w.d.year, reason = Writer.reason
        w.h2(h[4])
        w.h3("（一）总体情况")
        let total05 = "05.合计.本年支出合计"
        var overall = "\(y)年度一般公共预算财政拨款支出\(w.r(total05))万元，占本年支出合计的\(w.r("\(total05) | 占比 03.合计.本年支出合计"))。"
        if w.comparable(total05) { overall += "与\(y - 1)年度相比，\(w.change(total05))。" + reason }
        w.p(overall)
        w.h3("（二）结构情况")
        let t05 = d.table(.t05).sections[0].rows
        let classes = t05.filter { $0.code?.count == 3 && w.nonzero("05.\($0.key).本年支出合计") }
        w.list(classes.map { "\($0.label)\(w.r("05.\($0.key).本年支出合计"))万元，占\(w.r("05.\($0.key).本年支出合计 | 占比 \(total05)"))。" },
               empty: "本年没有一般公共预算财政拨款支出。")
        w.h3("（三）具体情况")
        let codes = t05.compactMap(\.code)
        let leaves = t05.filter { row in row.code.map { c in !codes.contains { $0 != c && $0.hasPrefix(c) } } == true && w.nonzero("05.\(row.key).本年支出合计") }
        w.list(leaves.map { row in
            let code = row.code!
            let path = "05.\(code).本年支出合计"
            let names = [3, 5, 7].filter { $0 <= code.count }.map { n in
                (t05.first { $0.code == String(code.prefix(n)) }?.label ?? "") + (n == 3 ? "（类）" : n == 5 ? "（款）" : "（项）")
            }
            return names.joined() + w.r(path) + "万元" + (w.comparable(path) ? "，比上年\(w.change(path))。" + reason : "。")
        }, empty: "本年没有一般公共预算财政拨款支出。")
    }

    /// 六: 基本支出 by 人员经费 and 公用经费 (公开06表).
    static func basicExpenditure(_ w: inout Writer, _ h: [String]) {
        let d = w.d, y = w.d.year, reason = Writer.reason
        w.h2(h[5])
        var basic = "\(y)年度一般公共预算财政拨款基本支出\(w.r("05.合计.基本支出"))万元，其中：\n\n"
        var anyChange = false
        for group in ["人员经费", "公用经费"] {
            let path = "06.\(group)合计"
            let rows = d.table(.t06).section(group)?.rows ?? []
            let depth = rows.contains { $0.code?.count == 5 } ? 5 : 3
            let items = rows.filter { $0.code?.count == depth && w.nonzero("06.\($0.key)") }.map { "\($0.label)\(w.r("06.\($0.key)"))万元" }
            basic += "- \(group)\(w.r(path))万元"
            if w.comparable(path) { basic += "，比上年\(w.change(path))"; anyChange = true }
            basic += items.isEmpty ? "。\n" : "，主要包括：\(items.joined(separator: "、"))。\n"
        }
        w.p(basic + (anyChange ? "\n" + reason : ""))
    }

    /// 七 and 八: 政府性基金 (公开07表) and 国有资本经营 (公开08表).
    static func governmentFunds(_ w: inout Writer, _ h: [String]) {
        let y = w.d.year, reason = Writer.reason
        w.h2(h[6])
        if w.hasData(.t07) {
            let p = "07.合计.本年支出合计"
            w.p("\(y)年度政府性基金预算财政拨款年初结转和结余\(w.r("07.合计.年初结转和结余"))万元，本年收入\(w.r("07.合计.本年收入"))万元，本年支出\(w.r(p))万元，"
                + "年末结转和结余\(w.r("07.合计.年末结转和结余"))万元。" + (w.comparable(p) ? "本年支出比上年\(w.change(p))。" + reason : ""))
        } else {
            w.p("本部门\(y)年度没有政府性基金预算财政拨款收入、支出及结转结余，公开07表为空表。")
        }

        w.h2(h[7])
        if w.hasData(.t08) {
            let p = "08.合计.本年支出合计"
            w.p("\(y)年度国有资本经营预算财政拨款支出\(w.r(p))万元，其中基本支出\(w.r("08.合计.基本支出"))万元，项目支出\(w.r("08.合计.项目支出"))万元。"
                + (w.comparable(p) ? "与上年相比，\(w.change(p))。" + reason : ""))
        } else {
            w.p("本部门\(y)年度没有国有资本经营预算财政拨款支出，公开08表为空表。")
        }
    }

    /// 十: 机关运行经费, 政府采购 and 国有资产 (公开10表; 06 for 机关运行经费 before the 2023 form).
    static func otherMatters(_ w: inout Writer, _ h: [String], kind: String?) {
        let d = w.d, y = w.d.year, reason = Writer.reason
        w.h2(h[9])
        w.h3("（一）机关运行经费")
        let running = d.form >= 2023 ? "10.机关运行经费合计"
            : ["行政单位", "参公事业单位"].contains(kind ?? "") ? "06.公用经费合计" : nil
        if let running {
            var s = "\(y)年度本部门机关运行经费支出\(w.r(running))万元" + (d.form >= 2023 ? "" : "（即一般公共预算财政拨款基本支出中的公用经费）")
            s += w.comparable(running) ? "，比上年\(w.change(running))。" + reason : "。"
            w.p(s)
        } else {
            w.p("【待填写：机关运行经费支出情况】")
        }
        w.h3("（二）政府采购")
        if d.form >= 2023 {
            if w.nonzero("10.政府采购支出合计") {
                w.p("\(y)年度政府采购支出总额\(w.r("10.政府采购支出合计"))万元，其中：政府采购货物支出\(w.r("10.政府采购货物支出"))万元、政府采购工程支出\(w.r("10.政府采购工程支出"))万元、"
                    + "政府采购服务支出\(w.r("10.政府采购服务支出"))万元。授予中小企业合同金额：【待填写：授予中小企业、小微企业合同金额及占比】。")
            } else {
                w.p("本部门\(y)年度没有政府采购支出。")
            }
        } else {
            w.p("【待填写：政府采购支出总额（货物、工程、服务），授予中小企业、小微企业合同金额及占比】")
        }
        w.h3("（三）国有资产占用")
        let equipment = "单价100万元（含）以上设备（不含车辆）"
        let vehicles = (d.table(.t10).sections.first?.rows ?? []).filter {
            $0.isCount && !["车辆数合计", equipment].contains($0.key.description) && w.nonzero("10.\($0.key)")
        }
        if w.nonzero("10.车辆数合计") || w.nonzero("10.\(equipment)") {
            let kinds = vehicles.map { "\($0.key)\(w.r("10.\($0.key)"))辆" }.joined(separator: "、")
            w.p("截至\(y)年12月31日，本部门共有车辆\(w.r("10.车辆数合计"))辆" + (kinds.isEmpty ? "" : "，其中\(kinds)") + "；单价100万元（含）以上设备\(w.r("10.\(equipment)"))台（套）。")
        } else {
            w.p("截至\(y)年12月31日，本部门没有车辆，也没有单价100万元（含）以上设备。")
        }
    }
}
