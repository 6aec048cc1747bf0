/// The figures of one disclosure, in integer units of 0.01 万元 (100 元), built so that every
/// rule of `sitegen check` holds: the tables are generated from a small set of ledgers and each
/// table is a view of them.
struct Accounts {
    typealias Units = Int64

    var year: Int
    var form: Int
    var kind: String
    // 概况
    var staffActive = 0
    var staffRetired = 0
    var institutions: [String] = []
    // 公开06表: 经济分类 款 → 决算数 (basic expenditure, 一般公共预算).
    var economic: [(String, Units)] = []
    // 一般公共预算 by 功能分类 项: (basic, project).
    var general: [String: (basic: Units, project: Units)] = [:]
    /// The projects of the year: (code, amount), largest first is not implied.
    var projects: [(code: String, amount: Units)] = []
    // 一般公共预算 carry-over.
    var generalOpening: Units = 0
    var generalClosing: Units = 0
    /// Fiscal income (一般公共预算) by 项: expenditure plus the change in carry-over, booked on the first project.
    var generalIncome: [String: Units] = [:]
    // 政府性基金 (公开07表): one 项.
    var fund: (code: String, opening: Units, income: Units, spent: Units)?
    // 国有资本经营预算 (公开08表): one 项.
    var capital: (code: String, spent: Units)?
    // Non-fiscal money, all booked on the operations 项.
    var operations = ""
    var upperGrant: Units = 0    // 上级补助收入
    var serviceIncome: Units = 0 // 事业收入
    var otherIncome: Units = 0   // 其他收入
    var otherOpening: Units = 0
    var otherSpentBasic: Units = 0
    var otherSpentProject: Units = 0
    // 三公 and assets.
    var vehicles: [(String, Int)] = []
    var equipment = 0
    var abroadBudget: Units = 0
    var abroad: Units = 0
    var carPurchaseBudget: Units = 0
    var carPurchase: Units = 0
    var carRunBudget: Units = 0
    var carRun: Units = 0
    var receptionBudget: Units = 0
    var reception: Units = 0
    var receptionBatches = 0
    var receptionPersons = 0
    var abroadGroups = 0
    var abroadPersons = 0
    var purchases: (goods: Units, works: Units, services: Units) = (0, 0, 0)

    var otherIncomeTotal: Units { upperGrant + serviceIncome + otherIncome }
    var otherSpent: Units { otherSpentBasic + otherSpentProject }
    var otherClosing: Units { otherIncomeTotal + otherOpening - otherSpent }
    var fundClosing: Units { fund.map { $0.opening + $0.income - $0.spent } ?? 0 }
    var basicTotal: Units { economic.reduce(0) { $0 + $1.1 } }
    var personnel: Units { economic.filter { $0.0.hasPrefix("301") || $0.0.hasPrefix("303") }.reduce(0) { $0 + $1.1 } }
    var publicCosts: Units { basicTotal - personnel }
    var generalSpent: Units { general.values.reduce(0) { $0 + $1.basic + $1.project } }
    var generalIncomeTotal: Units { generalSpent + generalClosing - generalOpening }
    var isAdministrative: Bool { kind == "行政单位" || kind == "参公事业单位" }
    var vehicleCount: Int { vehicles.reduce(0) { $0 + $1.1 } }

    /// 公开02表 rows: 项 → [财政拨款, 上级补助, 事业, 经营, 附属单位上缴, 其他].
    var incomeRows: [(String, [Units])] {
        var rows: [String: [Units]] = [:]
        func add(_ code: String, _ column: Int, _ v: Units) {
            var r = rows[code] ?? Array(repeating: 0, count: 6)
            r[column] += v
            rows[code] = r
        }
        for (code, v) in generalIncome { add(code, 0, v) }
        if let fund { add(fund.code, 0, fund.income) }
        if let capital { add(capital.code, 0, capital.spent) }
        if otherIncomeTotal > 0 {
            add(operations, 1, upperGrant)
            add(operations, 2, serviceIncome)
            add(operations, 5, otherIncome)
        }
        return rows.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// 公开03表 rows: 项 → (basic, project).
    var expenditureRows: [(String, Units, Units)] {
        var rows: [String: (Units, Units)] = [:]
        func add(_ code: String, _ b: Units, _ p: Units) {
            let r = rows[code] ?? (0, 0)
            rows[code] = (r.0 + b, r.1 + p)
        }
        for (code, v) in general { add(code, v.basic, v.project) }
        if let fund { add(fund.code, 0, fund.spent) }
        if let capital { add(capital.code, 0, capital.spent) }
        if otherSpent > 0 { add(operations, otherSpentBasic, otherSpentProject) }
        return rows.sorted { $0.key < $1.key }.map { ($0.key, $0.value.0, $0.value.1) }
    }

    var incomeTotal: Units { generalIncomeTotal + (fund?.income ?? 0) + (capital?.spent ?? 0) + otherIncomeTotal }
    var openingTotal: Units { generalOpening + (fund?.opening ?? 0) + otherOpening }
    var closingTotal: Units { generalClosing + fundClosing + otherClosing }
    var expenditureTotal: Units { expenditureRows.reduce(0) { $0 + $1.1 + $1.2 } }
}

/// The lasting traits of a department, drawn once; each year varies around them.
struct Profile {
    var staff: Int
    var retired: Int
    var vehicles: Int
    var projects: [(code: String, base: Int64)]
    var fund: String?
    var capital: String?
    var hasOtherIncome: Bool
    // Yearly figures that must not jump by 10× between years (`sitegen check` flags that as a typo):
    // who spends on them is a trait of the department, only the amount varies by year.
    var carRunPerVehicle: Int
    var reception: Int
    var abroad: Int
    var equipment: Int
    var works: Int
    var services: Int
    var institutions: [String]
    var duties: [String]

    init(_ unit: Layout.Unit, seed: UInt64) {
        var r = SplitMix64(seed: seed, 1, UInt64(unit.index))
        let agency = unit.agency
        let isAgency = unit.subunit == 0
        staff = isAgency ? r.int(8...60) : r.int(3...30)
        retired = r.int(0...staff / 2)
        vehicles = isAgency ? r.int(0...3) : r.int(0...2)
        var codes: [String]
        if isAgency {
            codes = r.sample(agency.projects, count: r.int(1...min(3, agency.projects.count)))
        } else {
            codes = [agency.kuan + "99", agency.kuan + "02"].filter { Catalogue.functionalNames[$0] != nil }
            if codes.isEmpty { codes = [agency.projects[0]] }
            codes = r.sample(codes, count: r.int(1...codes.count))
        }
        projects = codes.map { ($0, Int64(r.int(500...30_000))) }
        fund = isAgency && agency.fund != nil && r.chance(60) ? agency.fund : nil
        capital = isAgency && agency.capital != nil && r.chance(40) ? agency.capital : nil
        hasOtherIncome = isAgency ? r.chance(10) : r.chance(70)
        carRunPerVehicle = r.int(150...350)
        reception = r.chance(70) ? r.int(20...150) : 0
        abroad = isAgency && r.chance(5) ? r.int(100...800) : 0
        equipment = r.chance(30) ? r.int(100...800) : 0
        works = r.chance(10) ? r.int(500...5_000) : 0
        services = r.chance(50) ? r.int(50...3_000) : 0
        institutions = ["办公室"] + r.sample(Array(Layout.divisions.dropFirst()), count: r.int(1...4))
        duties = r.sample(Layout.sharedDuties, count: 2) + agency.duties
    }

    /// The figures of one year: staff, then each part in turn, drawing from one generator in a fixed
    /// order (the same seed gives the same files).
    func accounts(_ unit: Layout.Unit, year: Int, seed: UInt64) -> Accounts {
        var r = SplitMix64(seed: seed, 2, UInt64(unit.index), UInt64(year))
        var a = Accounts(year: year, form: year >= 2023 ? 2023 : 2022, kind: unit.kind)
        a.staffActive = max(1, staff + r.int(-(staff / 10)...(staff / 10)))
        a.staffRetired = max(0, retired + r.int(-1...1))
        a.institutions = institutions
        let (carRun, reception) = economic(&a, unit, &r)
        general(&a, unit, &r)
        otherFunds(&a, unit, &r)
        threePublicAndAssets(&a, carRun: carRun, reception: reception, &r)
        return a
    }

    /// An amount around `base`: −20%…+25%.
    static func vary(_ base: Int, _ r: inout SplitMix64) -> Int64 { Int64(base) * Int64(r.int(80...125)) / 100 }

    /// 公开06表 — personnel (301, 303) and running costs (302, 310). Returns the year's car running
    /// costs and reception, which 三公 reports too.
    func economic(_ a: inout Accounts, _ unit: Layout.Unit, _ r: inout SplitMix64) -> (carRun: Int64, reception: Int64) {
        let n = a.staffActive
        let n64 = Int64(n), r64 = Int64(a.staffRetired)
        let salary = n64 * r.units(180...260)
        let allowance = n64 * r.units(150...300)
        let bonus = unit.kind == "行政单位" ? n64 * r.units(20...60) : 0
        let performance = n64 * r.units(80...250)
        let wages = salary + allowance + bonus + performance
        let carRun = Int64(vehicles) * Self.vary(carRunPerVehicle, &r)
        let reception = Self.vary(self.reception, &r)
        var e: [(String, Int64)] = [
            ("30101", salary), ("30102", allowance), ("30103", bonus), ("30107", performance),
            ("30108", wages * 16 / 100), ("30109", wages * 8 / 100), ("30110", wages * 7 / 100),
            ("30111", a.isAdministrative ? wages / 100 : 0), ("30112", wages / 200), ("30113", wages * 12 / 100),
            ("30199", r.units(0...n * 20)),
            ("30201", n64 * r.units(30...80)), ("30205", r.units(5...60)), ("30206", r.units(20...200)),
            ("30207", r.units(10...80)), ("30209", r.chance(40) ? r.units(50...400) : 0), ("30211", n64 * r.units(10...40)),
            ("30213", r.units(0...300)), ("30215", r.units(0...150)), ("30216", r.units(0...200)), ("30217", reception),
            ("30228", wages * 2 / 100), ("30229", n64 * r.units(10...30)), ("30231", carRun),
            ("30239", n64 * r.units(40...100)), ("30299", r.units(0...200)),
            ("30302", r64 * r.units(20...80)), ("30305", r64 * r.units(5...20)), ("30309", n64 * r.units(2...8)),
        ]
        if equipment > 0 { e.append(("31002", Self.vary(equipment, &r))) }
        a.economic = e.sorted { $0.0 < $1.0 }
        return (carRun, reception)
    }

    /// 一般公共预算: basic expenditure by 功能分类 项, the projects, the carry-over and the fiscal
    /// income that results.
    func general(_ a: inout Accounts, _ unit: Layout.Unit, _ r: inout SplitMix64) {
        func value(_ code: String) -> Int64 { a.economic.first { $0.0 == code }?.1 ?? 0 }
        let opsSuffix = unit.kind == "事业单位" ? "50" : "01"
        var ops = unit.agency.kuan + opsSuffix
        if Catalogue.functionalNames[ops] == nil { ops = unit.agency.kuan + "01" }
        a.operations = ops
        var general: [String: (basic: Int64, project: Int64)] = [:]
        func book(_ code: String, basic: Int64 = 0, project: Int64 = 0) {
            guard basic != 0 || project != 0 || code == ops else { return }
            let v = general[code] ?? (0, 0)
            general[code] = (v.basic + basic, v.project + project)
        }
        let medical = a.isAdministrative ? "2101101" : "2101102"
        let pensions = a.isAdministrative ? "2080501" : "2080502"
        let allocated: [(String, Int64)] = [
            ("2080505", value("30108")), ("2080506", value("30109")), (medical, value("30110")),
            ("2101103", value("30111")), ("2210201", value("30113")), (pensions, value("30302") + value("30305")),
        ]
        for (code, v) in allocated { book(code, basic: v) }
        book(ops, basic: a.basicTotal - allocated.reduce(0) { $0 + $1.1 })

        // Projects: every year, the amount varying by −20%…+25%.
        a.projects = projects.map { ($0.code, $0.base * Int64(r.int(80...125)) / 100) }
        for p in a.projects { book(p.code, project: p.amount) }
        a.general = general

        // Carry-over of 一般公共预算 and the fiscal income that results.
        let first = a.projects[0]
        let projectTotal = a.projects.reduce(0) { $0 + $1.amount }
        a.generalOpening = r.chance(40) ? min(first.amount, r.units(0...Int(projectTotal / 5))) : 0
        a.generalClosing = r.chance(50) ? r.units(0...Int(projectTotal / 5)) : 0
        for (code, v) in general { a.generalIncome[code] = v.basic + v.project }
        a.generalIncome[first.code, default: 0] += a.generalClosing - a.generalOpening
    }

    /// 政府性基金, 国有资本经营, and income other than 财政拨款 with what it pays for.
    func otherFunds(_ a: inout Accounts, _ unit: Layout.Unit, _ r: inout SplitMix64) {
        if let code = fund {
            let opening = r.chance(50) ? r.units(0...2_000) : 0
            let income = r.units(500...20_000)
            let spent = (opening + income) * Int64(r.int(60...100)) / 100
            a.fund = (code, opening, income, spent)
        }
        if let code = capital { a.capital = (code, r.units(100...3_000)) }

        if hasOtherIncome {
            a.upperGrant = r.chance(20) ? r.units(100...2_000) : 0
            a.serviceIncome = unit.kind == "事业单位" ? r.units(200...5_000) : 0
            a.otherIncome = r.units(0...500)
            a.otherOpening = r.chance(50) ? r.units(0...1_000) : 0
            let spent = (a.otherIncomeTotal + a.otherOpening) * Int64(r.int(70...100)) / 100
            a.otherSpentBasic = spent * 6 / 10
            a.otherSpentProject = spent - a.otherSpentBasic
        }
    }

    /// 三公 (budget and actual), vehicles, equipment and government purchases.
    func threePublicAndAssets(_ a: inout Accounts, carRun: Int64, reception: Int64, _ r: inout SplitMix64) {
        func value(_ code: String) -> Int64 { a.economic.first { $0.0 == code }?.1 ?? 0 }
        a.carRun = carRun
        func budget(_ actual: Int64) -> Int64 { actual + actual * Int64(r.int(0...15)) / 100 }
        a.carRunBudget = budget(carRun)
        a.reception = reception
        a.receptionBudget = budget(reception)
        if reception > 0 {
            a.receptionBatches = r.int(3...30)
            a.receptionPersons = a.receptionBatches * r.int(3...8)
        }
        if abroad > 0 {
            a.abroad = Self.vary(self.abroad, &r)
            a.abroadBudget = budget(a.abroad)
            a.abroadGroups = r.int(1...2)
            a.abroadPersons = a.abroadGroups * r.int(2...5)
        }
        var left = vehicles
        for type in ["执法执勤用车", "应急保障用车", "其他用车"] {
            let k = type == "其他用车" ? left : r.int(0...left)
            left -= k
            a.vehicles.append((type, k))
        }
        a.equipment = r.chance(10) ? r.int(1...2) : 0
        let works = Self.vary(self.works, &r)
        let services = Self.vary(self.services, &r)
        a.purchases = (value("30201") / 2 + value("31002"), works, services)
    }
}
