import Foundation

/// What to generate.
public struct FixtureOptions: Sendable {
    public var departments: Int
    public var years: Int
    public var seed: UInt64
    /// The last year generated; years run `lastYear - years + 1 … lastYear`.
    public var lastYear: Int
    /// How many regions the departments are spread over (at most 12); nil: one per 100
    /// departments, at least 2.
    public var regions: Int?

    public init(departments: Int, years: Int, seed: UInt64, lastYear: Int = 2023, regions: Int? = nil) {
        self.departments = departments
        self.years = years
        self.seed = seed
        self.lastYear = lastYear
        self.regions = regions
    }

    public var yearRange: ClosedRange<Int> { (lastYear - max(1, years) + 1)...lastYear }
}

/// Generates a complete, consistent content folder of any size — for benchmarks and tests.
///
/// Deterministic: the same options give byte-identical files (SplitMix64 seeded per department
/// and year; amounts are integers of 0.01 万元, printed as decimals — never floating point).
/// Every table is entered as detail rows only; 类/款/合计 rows and derived lines are left to
/// sitegen, and every consistency rule of `sitegen check` holds.
public enum Fixture {
    /// Calls `emit(path, text)` for every file, in a fixed order; paths are relative to the content folder.
    public static func generate(_ options: FixtureOptions, emit: (String, String) throws -> Void) rethrows {
        let units = Layout.units(max(0, options.departments), regions: options.regions)
        let first = units.first ?? Layout.units(1)[0]
        try emit("site.yaml", """
            title: 部门决算公开平台（测试数据）
            region: \(first.region.name)
            base_url: https://example.gov.cn/
            language: zh-CN
            theme: default
            markdown:
              unsafe_html: false

            """)
        try emit("glossary.md", glossary)
        for year in options.yearRange {
            try emit("catalogs/\(year)/functional.yaml", catalogue(Catalogue.functional, title: "支出功能分类科目 \(year)（测试数据：全部类，及部分款、项）"))
            try emit("catalogs/\(year)/economic.yaml", catalogue(Catalogue.economic, title: "部门支出经济分类科目 \(year)（类、款）"))
        }
        for unit in units {
            let profile = Profile(unit, seed: options.seed)
            let dir = "departments/\(unit.slug)"
            try emit("\(dir)/department.yaml", department(unit, profile))
            var previous: Accounts?
            for year in options.yearRange {
                let a = profile.accounts(unit, year: year, seed: options.seed)
                try emit("\(dir)/\(year)/disclosure.yaml", disclosure(a))
                try emit("\(dir)/\(year)/explanation.md", explanation(a, previous: previous, unit: unit, seed: options.seed))
                try emit("\(dir)/\(year)/performance.yaml", performance(a, unit: unit, seed: options.seed))
                previous = a
            }
        }
    }

    /// Writes the content folder; returns the number of files written.
    @discardableResult
    public static func write(_ options: FixtureOptions, to folder: URL) throws -> Int {
        let fm = FileManager.default
        var made: Set<String> = []
        var count = 0
        try generate(options) { path, text in
            let url = folder.appendingPathComponent(path)
            let dir = url.deletingLastPathComponent().path
            if !made.contains(dir) {
                try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                made.insert(dir)
            }
            try Data(text.utf8).write(to: url)
            count += 1
        }
        return count
    }

    // MARK: - Files

    static let glossary = """
        1. 财政拨款收入：指本级财政当年拨付的资金。
        2. 基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。
        3. 项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。
        4. “三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。
        5. 机关运行经费：指为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。

        """

    static func catalogue(_ entries: [(code: String, name: String)], title: String) -> String {
        var s = "# \(title)\n"
        s.reserveCapacity(entries.count * 40)
        for e in entries { s += "\"\(e.code)\": \(e.name)\n" }
        return s
    }

    static func department(_ unit: Layout.Unit, _ p: Profile) -> String {
        var s = "name: \(q(unit.name))\nkind: \(unit.kind)\n"
        if let parent = unit.parent { s += "parent: \(parent)\n" }
        s += "region: \(q(unit.region.name))\ncode: \"\(unit.code)\"\n"
        s += "duties_intro: \(q("\(unit.name)是\(unit.parent == nil ? "区（县）委、区（县）政府工作部门" : "其主管部门所属单位")。主要职责是："))\n"
        s += "duties:\n"
        for d in p.duties { s += "  - \(q(d))\n" }
        return s
    }

    static func disclosure(_ a: Accounts) -> String {
        var s = ""
        s.reserveCapacity(6_000)
        s += "year: \(a.year)\nform: \(a.form)\npublished: \(a.year + 1)-09-\(Layout.pad(1 + a.year % 28, 2))\n"
        s += "overview:\n  institutions: [\(a.institutions.joined(separator: ", "))]\n  staff:\n"
        s += "    年末实有人数: \(a.staffActive + a.staffRetired)\n    在职人员: \(a.staffActive)\n    离休人员: 0\n    退休人员: \(a.staffRetired)\n"
        s += "tables:\n"
        // 01
        s += "  \"01\":\n    收入:\n"
        s += "      一般公共预算财政拨款收入: \(m(a.generalIncomeTotal))\n"
        s += "      政府性基金预算财政拨款收入: \(m(a.fund?.income ?? 0))\n"
        s += "      国有资本经营预算财政拨款收入: \(m(a.capital?.spent ?? 0))\n"
        s += "      上级补助收入: \(m(a.upperGrant))\n      事业收入: \(m(a.serviceIncome))\n      经营收入: 0.00\n"
        s += "      附属单位上缴收入: 0.00\n      其他收入: \(m(a.otherIncome))\n"
        s += "      使用非财政拨款结余: 0.00\n      年初结转和结余: \(m(a.openingTotal))\n"
        s += "    支出:\n      结余分配: 0.00\n      年末结转和结余: \(m(a.closingTotal))\n"
        // 02
        s += "  \"02\":\n    rows:\n"
        for (code, v) in a.incomeRows {
            s += "      - [\(code), \(m(v.reduce(0, +)))"
            for x in v { s += ", \(m(x))" }
            s += "]\n"
        }
        // 03
        s += "  \"03\":\n    rows:\n"
        for (code, b, p) in a.expenditureRows { s += "      - [\(code), \(m(b + p)), \(m(b)), \(m(p)), 0.00, 0.00, 0.00]\n" }
        // 04
        s += "  \"04\":\n    收入:\n"
        s += "      一般公共预算财政拨款: \(m(a.generalIncomeTotal))\n      政府性基金预算财政拨款: \(m(a.fund?.income ?? 0))\n"
        s += "      国有资本经营预算财政拨款: \(m(a.capital?.spent ?? 0))\n"
        s += "      年初一般公共预算财政拨款: \(m(a.generalOpening))\n      年初政府性基金预算财政拨款: \(m(a.fund?.opening ?? 0))\n"
        s += "      年初国有资本经营预算财政拨款: 0.00\n"
        s += "    支出:\n      年末财政拨款结转和结余: [~, \(m(a.generalClosing)), \(m(a.fundClosing)), 0.00]\n"
        // 05
        s += "  \"05\":\n    rows:\n"
        for (code, v) in a.general.sorted(by: { $0.key < $1.key }) {
            s += "      - [\(code), \(m(v.basic + v.project)), \(m(v.basic)), \(m(v.project))]\n"
        }
        // 06
        s += "  \"06\":\n    rows:\n"
        for (code, v) in a.economic { s += "      - [\(code), \(m(v))]\n" }
        // 07, 08
        if let f = a.fund {
            s += "  \"07\":\n    rows:\n      - [\(f.code), \(m(f.opening)), \(m(f.income)), \(m(f.spent)), 0.00, \(m(f.spent)), \(m(a.fundClosing))]\n"
        } else {
            s += "  \"07\": {}\n"
        }
        if let c = a.capital {
            s += "  \"08\":\n    rows:\n      - [\(c.code), \(m(c.spent)), 0.00, \(m(c.spent))]\n"
        } else {
            s += "  \"08\": {}\n"
        }
        // 09
        s += "  \"09\":\n    经费:\n"
        if a.form >= 2023 {
            s += "      因公出国（境）费: [\(m(a.abroadBudget)), \(m(a.abroad))]\n"
            s += "      公务用车购置费: [\(m(a.carPurchaseBudget)), \(m(a.carPurchase))]\n"
            s += "      公务用车运行维护费: [\(m(a.carRunBudget)), \(m(a.carRun))]\n"
            s += "      公务接待费: [\(m(a.receptionBudget)), \(m(a.reception))]\n"
        } else {
            s += "      因公出国（境）费: [\(m(a.abroadBudget)), \(m(a.abroadBudget)), \(m(a.abroad))]\n"
            s += "      公务用车购置费: [\(m(a.carPurchaseBudget)), \(m(a.carPurchaseBudget)), \(m(a.carPurchase))]\n"
            s += "      公务用车运行维护费: [\(m(a.carRunBudget)), \(m(a.carRunBudget)), \(m(a.carRun))]\n"
            s += "      公务接待费: [\(m(a.receptionBudget)), \(m(a.receptionBudget)), ~]\n"
            s += "      国内接待费: \(m(a.reception))\n      其中：外事接待费: 0.00\n      国（境）外接待费: 0.00\n"
            s += "    统计数:\n"
            s += "      因公出国（境）团组数: \(a.abroadGroups)\n      因公出国（境）人次: \(a.abroadPersons)\n"
            s += "      公务用车购置数: 0\n      公务用车保有量: \(a.vehicleCount)\n"
            s += "      国内公务接待批次: \(a.receptionBatches)\n      其中：外事接待批次: 0\n"
            s += "      国内公务接待人次: \(a.receptionPersons)\n      其中：外事接待人次: 0\n"
            s += "      国（境）外公务接待批次: 0\n      国（境）外公务接待人次: 0\n"
        }
        // 10
        let vehicleTypes2022 = ["副部（省）级及以上领导用车", "主要领导干部用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部用车", "其他用车"]
        let vehicleTypes2023 = ["副部（省）级及以上领导用车", "主要负责人用车", "机要通信用车", "应急保障用车", "执法执勤用车", "特种专业技术用车", "离退休干部服务用车", "其他用车"]
        func vehicles(_ types: [String]) -> String {
            types.map { t in "      \(t): \(a.vehicles.first { $0.0 == t }?.1 ?? 0)\n" }.joined()
        }
        if a.form >= 2023 {
            s += "  \"10\":\n    统计数:\n"
            s += "      政府采购货物支出: \(m(a.purchases.goods))\n      政府采购工程支出: \(m(a.purchases.works))\n"
            s += "      政府采购服务支出: \(m(a.purchases.services))\n"
            s += "      机关运行经费（行政单位）: \(m(a.kind == "行政单位" ? a.publicCosts : 0))\n"
            s += "      机关运行经费（参照公务员法管理事业单位）: \(m(a.kind == "参公事业单位" ? a.publicCosts : 0))\n"
            s += vehicles(vehicleTypes2023)
            s += "      单价100万元（含）以上设备（不含车辆）: \(a.equipment)\n"
        } else {
            s += "  \"10\":\n    决算数:\n" + vehicles(vehicleTypes2022)
            s += "      单价100万元（含）以上设备（不含车辆）: \(a.equipment)\n"
        }
        return s
    }

    // MARK: - 情况说明

    static let reasonsUp = ["在职人员增加，工资福利和社会保障缴费相应增加", "新增重点工作项目经费", "年中追加了专项工作经费", "调整工资标准，人员经费增加"]
    static let reasonsDown = ["严格落实过紧日子要求，压减一般性支出", "部分项目完成，经费相应减少", "在职人员减少，人员经费相应减少", "上年一次性支出本年不再安排"]

    /// 情况说明 with data references; year-on-year ones when last year's disclosure is in the folder.
    /// The 主要原因 given agrees with the direction of the change.
    static func explanation(_ a: Accounts, previous p: Accounts?, unit: Layout.Unit, seed: UInt64) -> String {
        let yearOnYear = p != nil
        var r = SplitMix64(seed: seed, 3, UInt64(unit.index), UInt64(a.year))
        var s = ""
        s.reserveCapacity(8_000)
        func yoy(_ ref: String, unit u: String = "万元") -> String {
            guard yearOnYear else { return "" }
            return "，比上年{{\(ref) | 增减}}{{\(ref) | 增减额}}\(u)，{{\(ref) | 增长}}{{\(ref) | 增长率}}"
        }
        func reason(_ figure: (Accounts) -> Int64) -> String {
            guard let p else { return "" }
            let (now, then) = (figure(a), figure(p))
            if now == then { return "与上年持平。" }
            return "主要原因是\(now > then ? r.pick(reasonsUp) : r.pick(reasonsDown))。"
        }
        func share(_ ref: String, _ whole: String) -> String { "{{\(ref)}}万元，占{{\(ref) | 占比 \(whole)}}" }

        s += "## 一、收入支出决算总体情况\n\n"
        s += "\(a.year)年度收入总计{{01.31}}万元，支出总计{{01.62}}万元\(yoy("01.31"))。\(reason { $0.incomeTotal + $0.openingTotal })"
        s += "本年收入合计{{01.本年收入合计}}万元，年初结转和结余{{01.年初结转和结余}}万元；本年支出合计{{01.本年支出合计}}万元，年末结转和结余{{01.年末结转和结余}}万元。\n\n"

        s += "## 二、收入决算情况\n\n"
        s += "本年收入合计\("{{02.合计.本年收入合计}}")万元\(yoy("02.合计.本年收入合计"))。其中：财政拨款收入\(share("02.合计.财政拨款收入", "02.合计.本年收入合计"))"
        if a.upperGrant > 0 { s += "；上级补助收入\(share("02.合计.上级补助收入", "02.合计.本年收入合计"))" }
        if a.serviceIncome > 0 { s += "；事业收入\(share("02.合计.事业收入", "02.合计.本年收入合计"))" }
        if a.otherIncome > 0 { s += "；其他收入\(share("02.合计.其他收入", "02.合计.本年收入合计"))" }
        s += "。\n\n"

        s += "## 三、支出决算情况\n\n"
        s += "本年支出合计{{03.合计.本年支出合计}}万元\(yoy("03.合计.本年支出合计"))。其中：基本支出\(share("03.合计.基本支出", "03.合计.本年支出合计"))\(yoy("03.合计.基本支出"))；"
        s += "项目支出\(share("03.合计.项目支出", "03.合计.本年支出合计"))\(yoy("03.合计.项目支出"))。\(reason { $0.expenditureTotal })\n\n"

        s += "## 四、财政拨款收入支出决算总体情况\n\n"
        s += "\(a.year)年度财政拨款收入总计{{04.32}}万元，其中本年财政拨款收入{{04.本年收入合计}}万元\(yoy("04.本年收入合计"))，年初财政拨款结转和结余{{04.年初财政拨款结转和结余}}万元。"
        s += "财政拨款支出总计{{04.64.合计}}万元，其中本年财政拨款支出{{04.本年支出合计.合计}}万元，年末财政拨款结转和结余{{04.年末财政拨款结转和结余.合计}}万元。\n\n"

        s += "## 五、一般公共预算财政拨款支出决算情况\n\n### （一）总体情况\n\n"
        s += "\(a.year)年度一般公共预算财政拨款支出{{05.合计.本年支出合计}}万元，占本年支出合计的{{05.合计.本年支出合计 | 占比 03.合计.本年支出合计}}\(yoy("05.合计.本年支出合计"))。\(reason { $0.generalSpent })\n\n"
        s += "### （二）结构情况\n\n"
        let codes = a.general.keys.sorted()
        let classes = Array(Set(codes.map { String($0.prefix(3)) })).sorted()
        for (i, c) in classes.enumerated() {
            s += "\(i + 1). \(Catalogue.functionalNames[c] ?? c)\(share("05.\(c).本年支出合计", "05.合计.本年支出合计"))。\n"
        }
        s += "\n### （三）具体情况\n\n"
        for (i, code) in codes.enumerated() {
            let names = [3, 5, 7].map { Catalogue.functionalNames[String(code.prefix($0))] ?? "" }
            s += "\(i + 1). \(names[0])（类）\(names[1])（款）\(names[2])（项）{{05.\(code).本年支出合计}}万元\(yoy("05.\(code).本年支出合计"))。\(reason { $0.general[code].map { $0.basic + $0.project } ?? 0 })\n"
        }
        s += "\n## 六、一般公共预算财政拨款基本支出决算情况\n\n"
        s += "\(a.year)年度一般公共预算财政拨款基本支出{{05.合计.基本支出}}万元，其中：\n\n"
        s += "- 人员经费{{06.人员经费合计}}万元\(yoy("06.人员经费合计"))，主要包括基本工资{{06.30101}}万元、津贴补贴{{06.30102}}万元、绩效工资{{06.30107}}万元、机关事业单位基本养老保险缴费{{06.30108}}万元、住房公积金{{06.30113}}万元等。\n"
        s += "- 公用经费{{06.公用经费合计}}万元\(yoy("06.公用经费合计"))，主要包括办公费{{06.30201}}万元、差旅费{{06.30211}}万元、工会经费{{06.30228}}万元、其他交通费用{{06.30239}}万元等。\n\n"

        s += "## 七、财政拨款“三公”经费支出决算情况\n\n"
        let total = a.form >= 2023 ? "09.合计" : "09.“三公”经费支出"
        let budget = a.form >= 2023 ? "预算数" : "全年预算数"
        s += "\(a.year)年度“三公”经费预算{{\(total).\(budget)}}万元，决算{{\(total).决算数}}万元，完成预算的{{\(total).决算数 | 执行率 \(total).\(budget)}}。其中：\n\n"
        s += "- 因公出国（境）费{{09.因公出国（境）费.决算数}}万元\(yoy("09.因公出国（境）费.决算数"))。\n"
        s += "- 公务用车购置及运行维护费{{09.公务用车购置及运行维护费.决算数}}万元\(yoy("09.公务用车购置及运行维护费.决算数"))，其中公务用车运行维护费{{09.公务用车运行维护费.决算数}}万元，用于燃油、维修和保险等。\n"
        s += "- 公务接待费{{09.公务接待费.决算数}}万元\(yoy("09.公务接待费.决算数"))。\n"
        if a.form < 2023 {
            s += "\n年末公务用车保有量{{09.公务用车保有量.决算数}}辆；全年国内公务接待{{09.国内公务接待批次.决算数}}批次、{{09.国内公务接待人次.决算数}}人次。\n"
        }
        s += "\n## 八、政府性基金预算财政拨款收入支出决算情况\n\n"
        if a.fund != nil {
            s += "年初结转和结余{{07.合计.年初结转和结余}}万元，本年收入{{07.合计.本年收入}}万元，本年支出{{07.合计.本年支出合计}}万元，年末结转和结余{{07.合计.年末结转和结余}}万元。\n\n"
        } else {
            s += "本单位\(a.year)年度没有政府性基金预算财政拨款收入、支出及结转结余，公开07表为空表。\n\n"
        }
        s += "## 九、国有资本经营预算财政拨款支出决算情况\n\n"
        if a.capital != nil {
            s += "本年国有资本经营预算财政拨款支出{{08.合计.本年支出合计}}万元，全部为项目支出。\n\n"
        } else {
            s += "本单位\(a.year)年度没有国有资本经营预算财政拨款支出，公开08表为空表。\n\n"
        }
        s += "## 十、其他重要事项的情况说明\n\n### （一）机关运行经费\n\n"
        if a.form >= 2023 {
            s += "\(a.year)年度机关运行经费支出{{10.机关运行经费合计}}万元。\n\n### （二）政府采购\n\n"
            s += "政府采购支出总额{{10.政府采购支出合计}}万元，其中货物{{10.政府采购货物支出}}万元、工程{{10.政府采购工程支出}}万元、服务{{10.政府采购服务支出}}万元。\n\n"
        } else {
            s += a.isAdministrative ? "\(a.year)年度机关运行经费支出{{06.公用经费合计}}万元。\n\n" : "本单位为事业单位，不属于机关运行经费统计范围。\n\n"
            s += "### （二）政府采购\n\n本年度公开表格（2022年格式）不含政府采购统计数。\n\n"
        }
        s += "### （三）国有资产占用\n\n截至\(a.year)年12月31日，本单位共有车辆{{10.车辆数合计}}辆，单价100万元（含）以上设备{{10.单价100万元（含）以上设备（不含车辆）}}台（套）。\n\n"
        s += "## 十一、预算绩效情况\n\n本单位对\(a.projects.count)个项目开展了绩效自评，覆盖项目支出{{05.合计.项目支出}}万元，自评表见附件。\n"
        return s
    }

    // MARK: - 绩效自评表

    static func performance(_ a: Accounts, unit: Layout.Unit, seed: UInt64) -> String {
        var r = SplitMix64(seed: seed, 4, UInt64(unit.index), UInt64(a.year))
        let project = a.projects.max { $0.amount < $1.amount }!
        let executed = project.amount
        let budget = executed + executed * Int64(r.int(0...15)) / 100
        let opening = budget - budget * Int64(r.int(0...10)) / 100
        // 执行率 in units of 0.01%, rounded half up; 得分 of 10 in units of 0.01.
        let rate = budget == 0 ? 10_000 : (executed * 10_000 * 2 + budget) / (budget * 2)
        let fundsScore = min(1_000, (rate * 10 + 50) / 100)
        let name = Catalogue.functionalNames[project.code] ?? project.code
        let indicators: [(String, String, String, String, String, Int64)] = [
            ("产出指标", "数量指标", "完成工作任务数", "≥\(r.int(5...20))项", "按计划完成", 15),
            ("产出指标", "质量指标", "工作任务验收合格率", "≥95%", "100%", 15),
            ("产出指标", "时效指标", "资金拨付及时率", "≥90%", "\(r.int(90...100))%", 10),
            ("产出指标", "成本指标", "项目成本控制在预算内", "≤\(m(budget))万元", "\(m(executed))万元", 10),
            ("效益指标", "经济效益指标", "带动相关投入", "有所提升", "达到预期", 10),
            ("效益指标", "社会效益指标", "服务对象覆盖面", "≥90%", "\(r.int(85...100))%", 10),
            ("效益指标", "可持续影响指标", "长效管理机制", "健全", "基本健全", 10),
            ("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "\(r.int(85...99))%", 10),
        ]
        var total = fundsScore
        var s = "- kind: project\n  title: \(q(name + "项目"))\n  fields:\n"
        s += "    主管部门: \(q(unit.parentName ?? unit.name))\n"
        s += "    实施单位: \(q(unit.name))\n"
        s += "  funds:\n    columns: [项目, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分]\n    rows:\n"
        s += "      - [年度资金总额, \(m(opening)), \(m(budget)), \(m(executed)), 10, \"\(m(rate))%\", \(m(fundsScore))]\n"
        s += "      - [\"其中：财政拨款\", \(m(opening)), \(m(budget)), \(m(executed)), ~, \"\(m(rate))%\", ~]\n"
        s += "      - [其他资金, 0.00, 0.00, 0.00, ~, ~, ~]\n"
        if rate < 9_500 { s += "  deviation: \(q("部分资金结转下年使用，执行率未达预期；下一步将加快项目实施和资金支付进度。"))\n" }
        s += "  goals:\n    expected: \(q("按计划完成\(name)相关工作任务，资金使用规范，服务对象满意。"))\n"
        s += "    actual: \(q("全年完成\(name)相关工作任务，资金执行率\(m(rate))%。"))\n"
        s += "  indicators:\n    columns: [一级指标, 二级指标, 三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施]\n    rows:\n"
        for ind in indicators {
            let weight = ind.5 * 100
            let lost = r.chance(25) ? Int64(r.int(1...Int(weight / 4))) : 0
            let score = weight - lost
            total += score
            s += "      - [\(ind.0), \(ind.1), \(ind.2), \(q(ind.3)), \(q(ind.4)), \(ind.5), \(m(score)), \(lost > 0 ? q("未完全达到预期，下一步加强管理。") : "~")]\n"
        }
        s += "  total: {分值: 100, 得分: \(m(total))}\n"
        return s
    }

    // MARK: - Formatting

    /// 0.01 万元 units → `1234.56`.
    static func m(_ v: Int64) -> String {
        let negative = v < 0
        let a = negative ? -v : v
        let cents = a % 100
        return (negative ? "-" : "") + String(a / 100) + (cents < 10 ? ".0" : ".") + String(cents)
    }

    /// A double-quoted YAML string.
    static func q(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
