import Model
import Support

/// Every text a finding shows, in one place: for editors (`sitegen check`, build output) in the
/// current language (Chinese unless `--lang en`), and for the public page's 数据质量提示 (always
/// Chinese, plain: which published figures disagree and by how much — no rule ids, no advice).
///
/// Findings store a key and arguments (`Finding.Note`), never a sentence, so a finding kept by an
/// earlier build is shown in the language of the build that shows it.
public enum Messages {
    /// 错误 / 警告 (error / warning).
    public static func severity(_ s: Diagnostic.Severity) -> String {
        switch s {
        case .error: localized("错误", en: "error")
        case .warning: localized("警告", en: "warning")
        case .info: localized("提示", en: "note")
        }
    }

    /// The label of a severity on a public page.
    public static func publicSeverity(_ s: Diagnostic.Severity) -> String { s == .error ? "错误" : "提示" }

    /// `公开05表 合计（基本支出）`, `情况说明 “基本支出”`.
    static func place(_ f: Finding) -> String {
        if f.table == 0 && f.tableName == "情况说明" {
            return "情况说明 “\(f.row)”"
        }
        let rowText = f.rowName.isEmpty || f.rowName == f.row ? f.row : "\(f.row) \(f.rowName)"
        let head = [f.tableName, rowText].filter { !$0.isEmpty }.joined(separator: " ")
        return head + (f.column.isEmpty ? "" : "（\(f.column)）")
    }

    static func amount(_ a: Amount?, _ unit: String) -> String {
        guard let a else { return "—" }
        return a.description + unit
    }

    /// The formula as the form prints it, or the reference form when none was recorded.
    static func formula(_ f: Finding) -> String { f.formula ?? f.computation }

    static func editor(_ f: Finding, in language: Language = Language.current) -> String {
        func localized(_ zh: String, en: String) -> String { language == .en ? en : zh }
        let place = place(f)
        let quote = f.quote.map { localized("　原文：“\($0)”", en: " — “\($0)”") } ?? ""
        if let note = f.note { return localized("\(place)：", en: "\(place): ") + Messages.note(note, in: language) + quote }
        let found = f.written ?? amount(f.found, f.unit)
        let diff = amount(f.difference, f.unit)
        let hint = f.maybeRounding ? localized("。提示：可能为取整误差", en: " (hint: possibly a rounding difference)") : ""
        return localized("\(place)：应为 \(amount(f.expected, f.unit))（\(formula(f))），实为 \(found)，相差 \(diff)",
                         en: "\(place): expected \(amount(f.expected, f.unit)) (= \(formula(f))), found \(found), difference \(diff)") + hint + quote
    }

    static func publicText(_ f: Finding) -> String {
        let place = place(f)
        if let note = f.note { return "\(place)：\(publicNote(note))。" }
        let diff = f.difference.map { amount($0.magnitude, f.unit) } ?? "—"
        let rounding = f.maybeRounding ? "（可能为取整误差）" : ""
        if let written = f.written {
            return "情况说明写“\(written)”，\(formula(f))为\(amount(f.expected, f.unit))，相差\(diff)\(rounding)。"
        }
        return "\(place)为\(amount(f.found, f.unit))，按\(formula(f))应为\(amount(f.expected, f.unit))，相差\(diff)\(rounding)。"
    }

    /// The catalogue of notes (what is not a number against a number).
    public static func note(_ n: Finding.Note, in language: Language = Language.current) -> String {
        func localized(_ zh: String, en: String) -> String { language == .en ? en : zh }
        let a = n.args + Array(repeating: "", count: 6)
        switch n.key {
        case "prose.mixed":
            return localized("增减额写作“\(a[0])\(a[1])万元”，增长率却写作“\(a[2])\(a[3])%”，方向相反",
                             en: "the change is \(a[0]) \(a[1])万元 but the rate says \(a[2]) \(a[3])%")
        case "prose.zero-change":
            return localized("增减额为\(a[0])万元，增长率不可能为“\(a[1])\(a[2])%”",
                             en: "a change of \(a[0])万元 cannot be \(a[1]) \(a[2])%")
        case "prose.word":
            return localized("与上年相比实际\(a[0])\(a[1])万元，原文写作“\(a[2])”",
                             en: "the figure \(a[0] == "增加" ? "rose" : "fell") by \(a[1]) on last year but the text says \(a[2])")
        case "prose.flat":
            return localized("原文写作“持平”，与上年相比实际\(a[0])\(a[1])万元",
                             en: "the text says 持平 (unchanged) but the figure \(a[0] == "增加" ? "rose" : "fell") by \(a[1]) on last year")
        case "prose.conflict":
            return localized("“\(a[0])”在第\(a[2])行写作“\(a[1])”，此处写作“\(a[3])”，前后矛盾",
                             en: "\(a[0]) is called \(a[1]) on line \(a[2]) and \(a[3]) here")
        case "blank-but":
            return localized("表中为空白，而\(a[0])为\(a[1])万元", en: "is blank, while \(a[0]) is \(a[1])万元")
        case "prose.old-name":
            return localized("“\(a[0])”是旧的科目名称，\(a[1]) 年起称“\(a[2])”",
                             en: "“\(a[0])” is the old name of the class; since \(a[1]) it is “\(a[2])”")
        case "line-skipped":
            return localized("行次从“\(a[0])”的第 \(a[1]) 行跳到“\(a[2])”的第 \(a[3]) 行，中间缺号",
                             en: "the 行次 jump from \(a[1]) (\(a[0])) to \(a[3]) (\(a[2])): numbers are missing")
        case "line-repeated":
            return localized("“\(a[0])”和“\(a[2])”都印为第 \(a[1]) 行，行次重复",
                             en: "\(a[0]) and \(a[2]) are both numbered \(a[1])")
        case "line-order":
            return localized("“\(a[2])”印为第 \(a[3]) 行，却排在第 \(a[1]) 行“\(a[0])”之后，行次倒序",
                             en: "\(a[2]) is numbered \(a[3]) but follows \(a[0]), numbered \(a[1])")
        case "reception-counts":
            return localized("国内接待费为\(a[0])万元，但\(a[1])为空白或 0",
                             en: "国内接待费 is \(a[0])万元 but \(a[1]) is blank or 0")
        case "part-exceeds":
            return localized("为\(a[0])万元，超过\(a[1])\(a[2])万元（前者是后者的一部分，不应更大）",
                             en: "is \(a[0])万元, more than \(a[1]) \(a[2])万元, of which it is a part")
        case "prose.placeholder":
            return localized("发布的文字中留有占位符“\(a[0])”", en: "placeholder “\(a[0])” left in the published text")
        case "prose.percent-missing":
            return localized("比例“\(a[0])”缺少百分号", en: "share “\(a[0])” lacks its %")
        case "prose.punctuation":
            return localized("标点重复“\(a[0])”", en: "doubled punctuation “\(a[0])”")
        case "parent-missing":
            return localized("表中列有小计行，但没有\(a[1])的上级科目\(a[0])（sitegen 已推算）",
                             en: "the table lists subtotal rows, but not \(a[0]), the parent of \(a[1]) (sitegen derived it)")
        case "t09.over-budget":
            return localized("决算数\(a[0])超过\(a[1])\(a[2])，情况说明未作说明（请写明项目名称及原因）",
                             en: "决算数 \(a[0]) exceeds \(a[1]) \(a[2]), and 情况说明 does not explain it (name the item and its 原因)")
        case "yoy.sign":
            return localized("\(a[0])与\(a[1])年相比正负号改变（\(a[2]) → \(a[3])），请核对是否录入有误",
                             en: "\(a[0]) changed sign on \(a[1]) (\(a[2]) → \(a[3])); check for a typo")
        case "yoy.jump":
            return localized("\(a[0])与\(a[1])年相比变动超过\(a[4])倍（\(a[2]) → \(a[3])），请核对是否录入有误",
                             en: "\(a[0]) moved more than \(a[4])× on \(a[1]) (\(a[2]) → \(a[3])); check for a typo")
        case "perf.grade":
            return localized("评价等级为“\(a[0])”，但总分\(a[1])对应“\(a[2])”（优 ≥ 90，良 80～90，中 60～80，差 < 60）",
                             en: "评价等级 is \(a[0]), but 总分 \(a[1]) gives \(a[2]) (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 < 60)")
        case "report.grade":
            return localized("评价等次为“\(a[0])”，但得分\(a[1])对应“\(a[2])”",
                             en: "评价等次 is \(a[0]), but 得分 \(a[1]) gives \(a[2])")
        default:
            return ([n.key] + n.args).joined(separator: " ")
        }
    }

    /// A note for a public page: the facts only, without advice.
    static func publicNote(_ n: Finding.Note) -> String {
        let a = n.args + Array(repeating: "", count: 6)
        switch n.key {
        case "perf.grade": return "评价等级为“\(a[0])”，而总分\(a[1])对应“\(a[2])”"
        case "report.grade": return "评价等次为“\(a[0])”，而得分\(a[1])对应“\(a[2])”"
        case "prose.placeholder": return "文字中留有未填写的占位符“\(a[0])”"
        case "prose.conflict": return "“\(a[0])”在一处写作“\(a[1])”，另一处写作“\(a[3])”"
        default: return note(n, in: .zh)
        }
    }

    /// Why a number of 情况说明 was not checked (`sitegen check --explain`).
    public static func unsettled(_ key: String, _ args: [String], in language: Language = Language.current) -> String {
        func localized(_ zh: String, en: String) -> String { language == .en ? en : zh }
        let a = args + Array(repeating: "", count: 4)
        switch key {
        case "funds": return localized("句中提到不止一类资金，无法确定对应哪张表", en: "the sentence names more than one fund; which table is meant is open")
        case "fiscal": return localized("财政拨款包括政府性基金或国有资本经营预算，无法确定对应哪张表",
                                        en: "财政拨款 includes 政府性基金 or 国有资本经营预算 here; which table is meant is open")
        case "no-item": return localized("公开\(a[0])表中没有名称完全相同的科目", en: "no item of 公开\(a[0])表 has exactly these names")
        case "prefix-other": return localized("名称前有“\(a[0])”，指的不是\(a[1])本身", en: "“\(a[0])” before the name: it is not \(a[1]) itself")
        case "prefix-fund": return localized("名称前有“\(a[0])”，指的是另一类财政拨款", en: "“\(a[0])” before the name: another fund's appropriation")
        case "prefix-budget": return localized("名称前有“\(a[0])”，不是本年决算数", en: "“\(a[0])” before the name: not this year's final figure")
        case "prefix-scope": return localized("名称前有“\(a[0])”，范围不同", en: "“\(a[0])” before the name: another scope")
        case "other-year": return localized("说的是\(a[0])年的数", en: "a figure of \(a[0])")
        case "not-basic": return localized("句子和标题没有说明是基本支出，经济分类可能包含项目支出",
                                           en: "neither sentence nor heading says 基本支出; the economic class may include project spending")
        case "not-general": return localized("句子没有说明是一般公共预算财政拨款，而基本支出不全是一般公共预算财政拨款",
                                             en: "the sentence does not say 一般公共预算, and not all 基本支出 is")
        case "no-figure": return localized("本年度的公开表中没有对应的数", en: "this year's tables have no such figure")
        case "not-found": return localized("公开表中找不到 \(a[0])", en: "\(a[0]) is not in the tables")
        case "gap": return localized("“\(a[0])”不能确定\(a[1])就是\(a[2])", en: "after “\(a[0])”, \(a[1]) need not be \(a[2])")
        case "whole": return localized("占“\(a[0])”的比例：不知道“\(a[0])”对应哪个数", en: "a share of “\(a[0])”: which figure that is, is open")
        case "conjunction": return localized("几项并列，后面的数不能确定属于哪一项", en: "several items named together; which the number belongs to is open")
        default: return ([key] + args).joined(separator: " ")
        }
    }

    /// `N 个错误，M 个警告`.
    static func summary(errors: Int, warnings: Int, notes: Int = 0) -> String {
        localized("\(errors) 个错误，\(warnings) 个警告" + (notes > 0 ? "，\(notes) 个提示" : ""),
                  en: "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")" + (notes > 0 ? ", \(notes) note\(notes == 1 ? "" : "s")" : ""))
    }

    /// The 提示 a plain `check` leaves out: differences within what rounding allows.
    static func hiddenNotes(_ n: Int) -> String {
        localized("另有 \(n) 处差额在尾数误差范围内（提示：可能为取整误差），sitegen check --explain 列出",
                  en: "\(n) more difference\(n == 1 ? "" : "s") within rounding (possibly rounding); sitegen check --explain lists them")
    }

    static var none: String { localized("未发现问题", en: "no findings") }
}
