/// A region (province → city → county) or group of departments, with its own index pages.
public struct Region: Sendable, Hashable {
    public var slug: String
    public var name: String
    /// Slug of the enclosing region.
    public var parent: String?
    public init(slug: String, name: String, parent: String? = nil) {
        self.slug = slug
        self.name = name
        self.parent = parent
    }
}

/// Site settings (site.yaml).
public struct SiteConfig: Sendable, Hashable {
    public var title: String
    public var region: String
    public var baseURL: String
    public var language: String
    public var theme: String
    /// Raw HTML in Markdown is kept only when a site opts in.
    public var unsafeHTML: Bool
    /// Whether `check` errors stop the build (default) or are published with the disclosure.
    public var checkErrorsStopBuild: Bool
    /// Show a data-quality note with the findings on each disclosure page.
    public var showFindings: Bool
    /// Declared regions (site.yaml `regions:`); departments name theirs by name or slug.
    public var regions: [Region] = []
    /// `checks.year_on_year_factor`: a figure moving more than this many times on last year is flagged.
    public var yearOnYearFactor: Int = 10
    /// `limits:`: how large and deep content files may be.
    public var limits = ContentLimits()
    /// `feeds.feed_entries`: feed.xml lists the latest this many disclosures.
    public var feedEntries = SiteConfig.defaultFeedEntries
    /// `feeds.sitemap_urls`: URLs per sitemap file; a site with more publishes sitemap.xml as an
    /// index of `sitemap-1.xml`, `sitemap-2.xml` … (`TopLevel.sitemapPart`).
    public var sitemapURLs = SiteConfig.maxSitemapURLs

    public static let defaultFeedEntries = 100
    /// What sitemaps.org allows in one file (and 50 MB: a URL of this site is under 200 bytes).
    public static let maxSitemapURLs = 50_000

    public init(title: String = "部门决算公开", region: String = "", baseURL: String = "/", language: String = "zh-CN",
                theme: String = "default", unsafeHTML: Bool = false, checkErrorsStopBuild: Bool = true, showFindings: Bool = false) {
        self.title = title
        self.region = region
        self.baseURL = baseURL
        self.language = language
        self.theme = theme
        self.unsafeHTML = unsafeHTML
        self.checkErrorsStopBuild = checkErrorsStopBuild
        self.showFindings = showFindings
    }
}

/// A code catalogue of one year: code → name, in file order.
public struct Catalog: Sendable, Hashable {
    public var year: Int
    public var functional: [String: String]
    public var economic: [String: String]
    /// The 类 (3-digit functional codes) in form order: the lines of 01 and 04.
    public var classes: [(String, String)] { classOrder.map { ($0, functional[$0] ?? "") } }
    public var classOrder: [String]

    public init(year: Int, functional: [String: String] = [:], economic: [String: String] = [:], classOrder: [String] = []) {
        self.year = year
        self.functional = functional
        self.economic = economic
        self.classOrder = classOrder
    }

    public func name(_ code: String, in classification: Classification) -> String? {
        classification == .functional ? functional[code] : economic[code]
    }

    public static func == (a: Catalog, b: Catalog) -> Bool {
        a.year == b.year && a.functional == b.functional && a.economic == b.economic && a.classOrder == b.classOrder
    }

    public func hash(into h: inout Hasher) { h.combine(year); h.combine(classOrder) }
}

/// A budget unit (department.yaml).
///
/// Its fields live in one box shared by copies until a copy is changed, as a disclosure's do: a build
/// copies departments into every region's list and every page group (5,000 of them at 10,000
/// disclosures), and a copy is then one reference counted, not ten strings.
public struct Department: Sendable, Hashable, Codable {
    private struct Fields: Hashable, Codable {
        var slug: String
        var name: String
        var kind: String
        var parent: String?
        var region: String
        var code: String?
        var dutiesIntro: String?
        var duties: [String]
        var location: SourceLocation
        /// `2022-07` or `2022`: when the unit was set up (department.yaml `established`).
        var established: String? = nil
    }

    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box
    /// The fields, made this copy's own first if another copy shares them.
    private var owned: Box {
        mutating get {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            return box
        }
    }

    public var slug: String { get { box.fields.slug } set { owned.fields.slug = newValue } }
    public var name: String { get { box.fields.name } set { owned.fields.name = newValue } }
    /// 单位性质: 行政单位, 参公事业单位, 事业单位 …
    public var kind: String { get { box.fields.kind } set { owned.fields.kind = newValue } }
    /// Slug of the 主管部门, if any.
    public var parent: String? { get { box.fields.parent } set { owned.fields.parent = newValue } }
    public var region: String { get { box.fields.region } set { owned.fields.region = newValue } }
    /// 单位编码, used to order departments.
    public var code: String? { get { box.fields.code } set { owned.fields.code = newValue } }
    public var dutiesIntro: String? { get { box.fields.dutiesIntro } set { owned.fields.dutiesIntro = newValue } }
    public var duties: [String] { get { box.fields.duties } set { owned.fields.duties = newValue } }
    public var location: SourceLocation { get { box.fields.location } set { owned.fields.location = newValue } }
    /// When the unit was set up, as written (`2022-07`, `2022`); nil when not given.
    public var established: String? { get { box.fields.established } set { owned.fields.established = newValue } }
    /// The year of `established`.
    public var establishedYear: Int? { established.flatMap { Int($0.prefix(4)) } }

    public init(slug: String, name: String, kind: String, parent: String? = nil, region: String, code: String? = nil,
                dutiesIntro: String? = nil, duties: [String] = [], established: String? = nil, location: SourceLocation) {
        box = Box(Fields(slug: slug, name: name, kind: kind, parent: parent, region: region, code: code,
                         dutiesIntro: dutiesIntro, duties: duties, location: location, established: established))
    }

    /// As its fields (what a build keeps of each department.yaml for the next, `Analysis`).
    public init(from decoder: any Swift.Decoder) throws { box = Box(try Fields(from: decoder)) }
    public func encode(to encoder: any Encoder) throws { try box.fields.encode(to: encoder) }

    public static func == (a: Department, b: Department) -> Bool { a.box === b.box || a.box.fields == b.box.fields }
    public func hash(into h: inout Hasher) { h.combine(box.fields) }

    /// Order used everywhere departments are listed: 单位编码, then slug.
    public var sortKey: String { (code ?? "~") + "\u{0}" + slug }
}

/// A free table of text cells whose columns the content declares (绩效自评表 parts, 评分表).
public struct TextTable: Sendable, Hashable {
    public var caption: String?
    public var columns: [String]
    public var rows: [[String?]]
    public var rowLocations: [SourceLocation]
    /// The header rows as the document prints them (a group header over two columns …), when they
    /// are more than one row of `columns`.
    public var header: [[HeaderCell]]?

    public init(caption: String? = nil, columns: [String], rows: [[String?]], rowLocations: [SourceLocation] = []) {
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.rowLocations = rowLocations
    }
}

/// 项目支出绩效自评表 or 部门整体支出绩效自评表.
public struct PerformanceTable: Sendable, Hashable {
    public enum Kind: String, Sendable { case project, overall }
    public var kind: Kind
    public var title: String
    public var fields: [(String, String)]
    public var funds: TextTable?
    public var deviation: String?
    public var goalExpected: String?
    public var goalActual: String?
    public var indicators: TextTable?
    /// 总分 as published: (分值, 得分).
    public var totalWeight: String?
    public var totalScore: String?
    public var grade: String?
    /// The text sections printed with the table (项目绩效分析, 自评结果分析, 备注 …): title, text.
    public var sections: [(String, String)] = []
    public var location: SourceLocation

    public init(kind: Kind, title: String, fields: [(String, String)] = [], funds: TextTable? = nil, deviation: String? = nil,
                goalExpected: String? = nil, goalActual: String? = nil, indicators: TextTable? = nil,
                totalWeight: String? = nil, totalScore: String? = nil, grade: String? = nil, location: SourceLocation) {
        self.kind = kind
        self.title = title
        self.fields = fields
        self.funds = funds
        self.deviation = deviation
        self.goalExpected = goalExpected
        self.goalActual = goalActual
        self.indicators = indicators
        self.totalWeight = totalWeight
        self.totalScore = totalScore
        self.grade = grade
        self.location = location
    }

    public static func == (a: PerformanceTable, b: PerformanceTable) -> Bool { a.location == b.location && a.title == b.title }
    public func hash(into h: inout Hasher) { h.combine(location); h.combine(title) }

    /// 评价等级 from a score: 优 ≥ 90, 良 80–90, 中 60–80, 差 < 60.
    public static func grade(for score: Amount) -> String {
        if score >= Amount(integer: 90) { return "优" }
        if score >= Amount(integer: 80) { return "良" }
        if score >= Amount(integer: 60) { return "中" }
        return "差"
    }
}

/// A Markdown document with its source (情况说明, 名词解释, 部门评价报告).
public struct Prose: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation
    /// Line in the file where `text` starts (after a front matter).
    public var firstLine: Int

    public init(text: String, location: SourceLocation, firstLine: Int = 1) {
        self.text = text
        self.location = location
        self.firstLine = firstLine
    }
}

/// 部门评价报告: prose and its scoring table.
public struct EvaluationReport: Sendable, Hashable {
    public var slug: String
    public var title: String
    public var body: Prose
    public var table: TextTable?

    public init(slug: String, title: String, body: Prose, table: TextTable?) {
        self.slug = slug
        self.title = title
        self.body = body
        self.table = table
    }
}

/// One department × one year.
///
/// Its fields live in one box shared by copies until a copy is changed (copy on write): a build
/// passes each disclosure through several lists and caches, and a copy is then one reference
/// counted, not the twenty-odd strings, arrays and texts inside.
public struct Disclosure: Sendable, Hashable {
    private final class Storage: @unchecked Sendable {
        var department: String
        var year: Int
        var id: String
        var form: Int
        var published: String?
        var institutions: [String]
        var staff: [(String, Amount)]
        var overviewNote: Prose?
        var tables: [Table]
        var prior: [String: (Amount, SourceLocation)]
        var explanation: Prose?
        var glossary: Prose?
        var performance: [PerformanceTable]
        var reports: [EvaluationReport]
        var location: SourceLocation
        var printed: PrintedForm?
        var draft: [String] = []
        var elsewhere: String?
        var otherParts: [String: Prose] = [:]

        init(department: String, year: Int, id: String, form: Int, published: String?,
             institutions: [String], staff: [(String, Amount)], overviewNote: Prose?, tables: [Table],
             prior: [String: (Amount, SourceLocation)], explanation: Prose?, glossary: Prose?,
             performance: [PerformanceTable], reports: [EvaluationReport], location: SourceLocation) {
            self.department = department
            self.year = year
            self.id = id
            self.form = form
            self.published = published
            self.institutions = institutions
            self.staff = staff
            self.overviewNote = overviewNote
            self.tables = tables
            self.prior = prior
            self.explanation = explanation
            self.glossary = glossary
            self.performance = performance
            self.reports = reports
            self.location = location
        }

        func copy() -> Storage {
            let copy = Storage(department: department, year: year, id: id, form: form, published: published, institutions: institutions,
                               staff: staff, overviewNote: overviewNote, tables: tables, prior: prior, explanation: explanation,
                               glossary: glossary, performance: performance, reports: reports, location: location)
            copy.printed = printed
            copy.draft = draft
            copy.elsewhere = elsewhere
            copy.otherParts = otherParts
            return copy
        }
    }

    private var storage: Storage
    /// The box, made this copy's own first if another copy shares it.
    private var owned: Storage {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return storage
        }
    }

    public var department: String {
        get { storage.department }
        set { owned.department = newValue; storage.id = Self.id(newValue, storage.year) }
    }
    public var year: Int {
        get { storage.year }
        set { owned.year = newValue; storage.id = Self.id(storage.department, newValue) }
    }
    /// `department/year`: kept, not computed, because every index of a build is keyed by it.
    public var id: String { storage.id }
    /// 2022 or 2023: the national form it follows (lines, columns and rules; the layout of 06/09/10).
    public var form: Int { get { storage.form } _modify { let box = owned; yield &box.form } }
    /// Why it is a draft, kept off every public output (`status: draft`, 【待填写】 left in its
    /// prose), in the editor's language; empty: it may be published.
    public var draft: [String] { get { storage.draft } _modify { let box = owned; yield &box.draft } }
    public var isDraft: Bool { !storage.draft.isEmpty }
    /// The form its document prints (`2023`, `shanghai-2025`): its parts and tables as printed.
    public var printed: PrintedForm? { get { storage.printed } _modify { let box = owned; yield &box.printed } }
    /// Where the tables left out of disclosure.yaml are published (`elsewhere:`, a text or an
    /// address), when the document at hand does not show them: the page lists them by number and
    /// title with this text instead of printing them empty. nil: a left-out table is printed empty.
    public var elsewhere: String? { get { storage.elsewhere } _modify { let box = owned; yield &box.elsewhere } }
    /// The tables its page does not print because they are published elsewhere (left out of
    /// disclosure.yaml while `elsewhere` is set).
    /// The text of each of its form's parts of no national kind (`PrintedPart.Kind.other`), by file name.
    public var otherParts: [String: Prose] { get { storage.otherParts } _modify { let box = owned; yield &box.otherParts } }
    public var tablesElsewhere: [Table] { elsewhere == nil ? [] : tables.filter { $0.location == nil } }
    /// The tables it publishes itself: all ten, or those left in disclosure.yaml when the others are
    /// published elsewhere (its downloads hold these alone: a left-out table is not an empty one).
    public var tablesPublished: [Table] { elsewhere == nil ? tables : tables.filter { $0.location != nil } }
    /// Publication date, `YYYY-MM-DD`.
    public var published: String? { get { storage.published } _modify { let box = owned; yield &box.published } }
    public var institutions: [String] { get { storage.institutions } _modify { let box = owned; yield &box.institutions } }
    public var staff: [(String, Amount)] { get { storage.staff } _modify { let box = owned; yield &box.staff } }
    public var overviewNote: Prose? { get { storage.overviewNote } _modify { let box = owned; yield &box.overviewNote } }
    /// Ten tables, index 0 = 公开01表.
    public var tables: [Table] { get { storage.tables } _modify { let box = owned; yield &box.tables } }
    /// Last year's figures given by reference (`05.2010399.本年支出合计`) when last year is not in content.
    public var prior: [String: (Amount, SourceLocation)] { get { storage.prior } _modify { let box = owned; yield &box.prior } }
    public var explanation: Prose? { get { storage.explanation } _modify { let box = owned; yield &box.explanation } }
    public var glossary: Prose? { get { storage.glossary } _modify { let box = owned; yield &box.glossary } }
    public var performance: [PerformanceTable] { get { storage.performance } _modify { let box = owned; yield &box.performance } }
    public var reports: [EvaluationReport] { get { storage.reports } _modify { let box = owned; yield &box.reports } }
    /// disclosure.yaml
    public var location: SourceLocation { get { storage.location } _modify { let box = owned; yield &box.location } }

    public init(department: String, year: Int, form: Int, published: String? = nil, institutions: [String] = [],
                staff: [(String, Amount)] = [], overviewNote: Prose? = nil, tables: [Table], prior: [String: (Amount, SourceLocation)] = [:],
                explanation: Prose? = nil, glossary: Prose? = nil, performance: [PerformanceTable] = [], reports: [EvaluationReport] = [],
                location: SourceLocation) {
        storage = Storage(department: department, year: year, id: Self.id(department, year), form: form, published: published,
                          institutions: institutions, staff: staff, overviewNote: overviewNote, tables: tables, prior: prior,
                          explanation: explanation, glossary: glossary, performance: performance, reports: reports, location: location)
    }

    public func table(_ kind: TableKind) -> Table { tables[kind.rawValue - 1] }

    public static func id(_ department: String, _ year: Int) -> String { "\(department)/\(year)" }

    public static func == (a: Disclosure, b: Disclosure) -> Bool { a.id == b.id && a.tables == b.tables }
    public func hash(into h: inout Hasher) { h.combine(id) }
}

/// Everything read from content/.
public struct SiteContent: Sendable {
    public var config: SiteConfig
    public var glossary: Prose?
    public var catalogs: [Int: Catalog]
    /// The forms disclosures may name (built in and the site's), by id.
    public var forms: [String: PrintedForm] = [:]
    public var departments: [Department] { didSet { departmentIndex = Self.index(departments) } }
    public var disclosures: [Disclosure]
    /// slug → position in `departments` (a search through the list for each disclosure was quadratic).
    private var departmentIndex: [String: Int]

    public init(config: SiteConfig, glossary: Prose?, catalogs: [Int: Catalog], departments: [Department], disclosures: [Disclosure]) {
        self.config = config
        self.glossary = glossary
        self.catalogs = catalogs
        self.departments = departments
        self.disclosures = disclosures
        self.departmentIndex = Self.index(departments)
    }

    static func index(_ departments: [Department]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, d) in departments.enumerated() where index[d.slug] == nil { index[d.slug] = i }
        return index
    }

    public func department(_ slug: String) -> Department? { departmentIndex[slug].map { departments[$0] } }
}
