/// Who the generated departments are: regions, agencies (行政单位 under a region) and their
/// subordinate units (事业单位 with the agency as 主管部门).
struct Region {
    var name: String
    var slug: String
}

struct Agency {
    var slug: String
    /// `{r}` is replaced by the region's name.
    var pattern: String
    /// Stem for subordinate units' names (`财政` → 南昌市东湖区财政信息中心).
    var stem: String
    /// 款 of the agency's own 行政运行 / 事业运行 and projects.
    var kuan: String
    var kind: String
    /// 项 codes its projects are booked under.
    var projects: [String]
    /// 政府性基金 项, if the agency may have one (公开07表).
    var fund: String?
    /// 国有资本经营预算 项, if the agency may have one (公开08表).
    var capital: String?
    var duties: [String]
}

enum Layout {
    static let regions: [Region] = [
        Region(name: "南昌市东湖区", slug: "donghu"), Region(name: "南昌市西湖区", slug: "xihu"),
        Region(name: "南昌市青云谱区", slug: "qingyunpu"), Region(name: "南昌市青山湖区", slug: "qingshanhu"),
        Region(name: "南昌市新建区", slug: "xinjian"), Region(name: "南昌市红谷滩区", slug: "honggutan"),
        Region(name: "南昌县", slug: "nanchang"), Region(name: "进贤县", slug: "jinxian"),
        Region(name: "安义县", slug: "anyi"), Region(name: "湘潭市雨湖区", slug: "yuhu"),
        Region(name: "湘潭市岳塘区", slug: "yuetang"), Region(name: "信丰县", slug: "xinfeng"),
    ]

    static let agencies: [Agency] = [
        Agency(slug: "rd", pattern: "{r}人大常委会办公室", stem: "人大", kuan: "20101", kind: "行政单位",
               projects: ["2010104", "2010102", "2010199"], duties: ["负责人民代表大会及其常务委员会会议的会务保障工作。", "承办代表建议、批评和意见的交办、督办工作。"]),
        Agency(slug: "zx", pattern: "政协{r}委员会办公室", stem: "政协", kuan: "20102", kind: "行政单位",
               projects: ["2010204", "2010202", "2010299"], duties: ["负责政协全体会议、常务委员会会议的会务工作。", "承办委员提案的交办和督办工作。"]),
        Agency(slug: "zfb", pattern: "{r}人民政府办公室", stem: "政务", kuan: "20103", kind: "行政单位",
               projects: ["2010302", "2010308", "2010399"], fund: "2120899",
               duties: ["协助政府领导同志处理政府日常工作。", "负责政务公开、信访和督查工作。"]),
        Agency(slug: "fgw", pattern: "{r}发展和改革委员会", stem: "发展改革", kuan: "20104", kind: "行政单位",
               projects: ["2010402", "2010499"], duties: ["拟订并组织实施国民经济和社会发展规划。", "统筹推进重大项目建设。"]),
        Agency(slug: "tjj", pattern: "{r}统计局", stem: "统计", kuan: "20105", kind: "行政单位",
               projects: ["2010502", "2010599"], duties: ["组织实施统计调查，发布统计信息。", "开展统计执法检查。"]),
        Agency(slug: "czj", pattern: "{r}财政局", stem: "财政", kuan: "20106", kind: "行政单位",
               projects: ["2010602", "2010604", "2010605", "2010607", "2010699"], capital: "2230199",
               duties: ["编制年度预决算草案并组织执行。", "负责政府非税收入、国库集中收付和政府采购监督管理。"]),
        Agency(slug: "sjj", pattern: "{r}审计局", stem: "审计", kuan: "20108", kind: "行政单位",
               projects: ["2010804", "2010802", "2010899"], duties: ["对本级预算执行情况和决算草案进行审计监督。", "组织开展经济责任审计。"]),
        Agency(slug: "jw", pattern: "{r}纪律检查委员会机关", stem: "纪检", kuan: "20111", kind: "行政单位",
               projects: ["2011102", "2011199"], duties: ["维护党的章程和其他党内法规。", "检查党风廉政建设情况。"]),
        Agency(slug: "swj", pattern: "{r}商务局", stem: "商务", kuan: "20113", kind: "行政单位",
               projects: ["2011308", "2011307", "2011399"], duties: ["拟订商贸流通和招商引资政策并组织实施。", "推进对外贸易和经济合作。"]),
        Agency(slug: "fl", pattern: "{r}妇女联合会", stem: "妇女儿童", kuan: "20129", kind: "参公事业单位",
               projects: ["2012902", "2012999"], duties: ["团结引导妇女参与经济社会发展。", "维护妇女儿童合法权益。"]),
        Agency(slug: "wb", pattern: "中共{r}委办公室", stem: "机要", kuan: "20131", kind: "行政单位",
               projects: ["2013102", "2013199"], duties: ["负责区（县）委日常工作的运转协调。", "负责机要、保密和档案工作。"]),
        Agency(slug: "zzb", pattern: "中共{r}委组织部", stem: "党员教育", kuan: "20132", kind: "行政单位",
               projects: ["2013202", "2013299"], duties: ["负责党的组织建设和党员队伍建设。", "负责干部教育培训工作。"]),
        Agency(slug: "xcb", pattern: "中共{r}委宣传部", stem: "融媒体", kuan: "20133", kind: "行政单位",
               projects: ["2013302", "2013399"], duties: ["负责理论武装和宣传教育工作。", "指导新闻宣传和精神文明建设。"]),
        Agency(slug: "scjgj", pattern: "{r}市场监督管理局", stem: "市场监管", kuan: "20138", kind: "行政单位",
               projects: ["2013802", "2013899"], duties: ["负责市场综合监督管理和市场主体登记注册。", "负责食品、药品、特种设备安全监督管理。"]),
        Agency(slug: "jyj", pattern: "{r}教育体育局", stem: "教育", kuan: "20501", kind: "行政单位",
               projects: ["2050102", "2050803", "2050199"], fund: "2296003",
               duties: ["统筹管理全区（县）各级各类教育。", "推进全民健身和体育事业发展。"]),
        Agency(slug: "kjj", pattern: "{r}科学技术局", stem: "科技", kuan: "20601", kind: "行政单位",
               projects: ["2060102", "2060404", "2060702", "2069901"], duties: ["拟订科技发展规划并组织实施。", "推进科技成果转化和科学普及。"]),
        Agency(slug: "rsj", pattern: "{r}人力资源和社会保障局", stem: "人力资源", kuan: "20801", kind: "行政单位",
               projects: ["2080102", "2080199"], fund: "2296002",
               duties: ["拟订就业创业和社会保险政策并组织实施。", "负责机关事业单位人事管理和工资福利工作。"]),
        Agency(slug: "wjw", pattern: "{r}卫生健康委员会", stem: "卫生健康", kuan: "21001", kind: "行政单位",
               projects: ["2100102", "2100199"], duties: ["组织实施公共卫生和基本医疗服务政策。", "负责疾病预防控制和卫生应急工作。"]),
        Agency(slug: "cgj", pattern: "{r}城市管理局", stem: "城市管理", kuan: "21201", kind: "行政单位",
               projects: ["2120102", "2120199"], fund: "2120801",
               duties: ["负责市容环境卫生和城市综合执法工作。", "负责市政设施的维护管理。"]),
        Agency(slug: "gxj", pattern: "{r}工业和信息化局", stem: "工业信息", kuan: "21505", kind: "行政单位",
               projects: ["2150502", "2150517", "2159904"], capital: "2230199",
               duties: ["推动工业提质扩能和产业升级。", "监测分析工业经济运行。"]),
        Agency(slug: "zxqy", pattern: "{r}中小企业服务局", stem: "中小企业", kuan: "21508", kind: "行政单位",
               projects: ["2150802", "2150805", "2150899"], duties: ["统筹指导中小企业服务工作。", "管理中小企业发展专项资金。"]),
        Agency(slug: "gxs", pattern: "{r}供销合作社联合社", stem: "供销", kuan: "21602", kind: "参公事业单位",
               projects: ["2160202", "2160299"], duties: ["指导基层供销合作社建设。", "推进农村流通网络建设。"]),
        Agency(slug: "yjj", pattern: "{r}应急管理局", stem: "应急", kuan: "22401", kind: "行政单位",
               projects: ["2240102", "2240106", "2240199"], duties: ["组织编制应急体系建设规划。", "指导协调安全生产监督管理。"]),
    ]

    static let unitSuffixes = ["事务服务中心", "信息中心", "综合行政执法大队", "培训中心", "发展研究中心", "档案管理中心", "后勤服务中心", "政务服务站"]

    static let sharedDuties = [
        "贯彻执行国家和省、市有关方针政策和法律法规。",
        "拟订本领域中长期规划和年度计划并组织实施。",
        "负责本部门预算编制、执行和国有资产管理。",
        "完成上级交办的其他任务。",
    ]

    static let divisions = ["办公室", "综合股", "政策法规股", "计划财务股", "业务一股", "业务二股", "督查室", "人事股", "信息股", "服务股"]

    /// One department of the fixture: its place in the layout.
    struct Unit {
        var index: Int
        var slug: String
        var name: String
        var kind: String
        var parent: String?
        var parentName: String?
        var region: Region
        var agency: Agency
        /// 0 for the agency itself, k ≥ 1 for its k-th subordinate unit.
        var subunit: Int
        var code: String
    }

    /// The `count` departments, spread over a few regions. In each region the agencies come
    /// first, with a subordinate unit of an agency already listed in every third place (so even
    /// a small fixture has units with a 主管部门); once all agencies are listed, only units follow.
    static func units(_ count: Int, regions wanted: Int? = nil) -> [Unit] {
        let regionCount = max(1, min(regions.count, count, wanted ?? max(2, count / 100)))
        let perRegion = (count + regionCount - 1) / regionCount
        var slots: [(agency: Int, sub: Int)] = []
        var nextAgency = 0
        var subs = Array(repeating: 0, count: agencies.count)
        var placed = 0
        while slots.count < perRegion {
            let j = slots.count
            if nextAgency < agencies.count && (j % 3 != 2 || nextAgency == 0) {
                slots.append((nextAgency, 0))
                nextAgency += 1
            } else {
                let a = placed % nextAgency
                placed += 1
                subs[a] += 1
                slots.append((a, subs[a]))
            }
        }
        return (0..<count).map { i in
            let region = regions[i % regionCount]
            let (a, sub) = slots[i / regionCount]
            let agency = agencies[a]
            let agencySlug = "\(region.slug)-\(agency.slug)"
            let code = "\(100 + i % regionCount)\(pad(a + 1, 3))\(pad(sub, 3))"
            let agencyName = agency.pattern.replacingOccurrences(of: "{r}", with: region.name)
            if sub == 0 {
                return Unit(index: i, slug: agencySlug, name: agencyName, kind: agency.kind, parent: nil, parentName: nil,
                            region: region, agency: agency, subunit: 0, code: code)
            }
            let k = sub - 1
            let suffix = k < unitSuffixes.count ? unitSuffixes[k] : "第\(k - unitSuffixes.count + 1)基层服务站"
            let kind = suffix.hasSuffix("执法大队") ? "参公事业单位" : "事业单位"
            return Unit(index: i, slug: "\(agencySlug)-u\(sub)", name: region.name + agency.stem + suffix, kind: kind,
                        parent: agencySlug, parentName: agencyName, region: region, agency: agency, subunit: sub, code: code)
        }
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
