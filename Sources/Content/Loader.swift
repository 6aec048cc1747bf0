import Dispatch
import Foundation
import Model

/// Reads a content folder into a `SiteContent`, reporting every problem found (not just the first).
public enum ContentLoader {
    public struct Result: Sendable {
        public var content: SiteContent?
        public var diagnostics: [Diagnostic]
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    }

    public static func load(from root: URL) -> Result {
        let fs = ContentFolder(root: root)
        var bag = DiagnosticBag()
        guard fs.isDirectory("") else {
            return Result(content: nil, diagnostics: [.error(SourceLocation(file: root.path), "content folder not found")])
        }

        // site.yaml
        var config = SiteConfig()
        if let site = fs.dataFile("site") {
            var d = Decoder()
            if let node = d.parse(fs, site) { config = d.siteConfig(node) }
            bag.add(contentsOf: d.bag.items)
        } else {
            bag.error(SourceLocation(file: "site.yaml"), "missing site.yaml (site title, region, base_url)")
        }
        let glossary = fs.prose("glossary.md", into: &bag)

        // catalogs/<year>/
        var catalogs: [Int: Catalog] = [:]
        for yearDir in fs.children("catalogs") where fs.isDirectory("catalogs/\(yearDir)") {
            guard let year = Int(yearDir), yearDir.count == 4 else {
                bag.error(SourceLocation(file: "catalogs/\(yearDir)"), "catalogue folders are named by year (catalogs/2023/)")
                continue
            }
            var d = Decoder()
            var catalog = Catalog(year: year)
            for (file, classification) in [("functional", Classification.functional), ("economic", .economic)] {
                guard let path = fs.dataFile("catalogs/\(yearDir)/\(file)") else {
                    bag.error(SourceLocation(file: "catalogs/\(yearDir)/\(file).yaml"), "missing \(file == "functional" ? "支出功能分类" : "部门支出经济分类") catalogue")
                    continue
                }
                guard let node = d.parse(fs, path) else { continue }
                d.catalogEntries(node, classification, into: &catalog)
            }
            bag.add(contentsOf: d.bag.items)
            catalogs[year] = catalog
        }

        // departments/<slug>/
        var departments: [Department] = []
        var jobs: [(slug: String, year: Int, dir: String)] = []
        let slugs = fs.children("departments").filter { fs.isDirectory("departments/\($0)") }
        if slugs.isEmpty { bag.error(SourceLocation(file: "departments"), "no departments: add departments/<name>/department.yaml") }
        for slug in slugs {
            let dir = "departments/\(slug)"
            if !isValidSlug(slug) {
                bag.error(SourceLocation(file: dir), "folder name '\(slug)' is used in URLs; use lower-case ASCII letters, digits and - (e.g. donghu-sme)")
                continue
            }
            guard let path = fs.dataFile("\(dir)/department") else {
                bag.error(SourceLocation(file: "\(dir)/department.yaml"), "missing department.yaml (name, kind, duties)")
                continue
            }
            var d = Decoder()
            if let node = d.parse(fs, path), let dept = d.department(node, slug: slug, defaultRegion: config.region) {
                departments.append(dept)
                for entry in fs.children(dir) where fs.isDirectory("\(dir)/\(entry)") {
                    guard entry.count == 4, let year = Int(entry) else {
                        bag.error(SourceLocation(file: "\(dir)/\(entry)"), "year folders are named by year (\(dir)/2023/)")
                        continue
                    }
                    jobs.append((slug, year, "\(dir)/\(entry)"))
                }
            }
            bag.add(contentsOf: d.bag.items)
        }
        let known = Set(departments.map(\.slug))
        for dept in departments where dept.parent != nil && !known.contains(dept.parent!) {
            bag.error(dept.location, "parent '\(dept.parent!)' is not a department folder under departments/")
        }

        // Disclosures, decoded in parallel; results kept in job order so output is deterministic.
        let results = UnsafeResults<(Disclosure?, [Diagnostic])>(count: jobs.count)
        let (allJobs, allCatalogs) = (jobs, catalogs)
        DispatchQueue.concurrentPerform(iterations: allJobs.count) { i in
            let job = allJobs[i]
            var d = Decoder()
            let disclosure = d.disclosure(fs, dir: job.dir, department: job.slug, year: job.year, catalogs: allCatalogs)
            results[i] = (disclosure, d.bag.items)
        }
        var disclosures: [Disclosure] = []
        for (disclosure, diagnostics) in results.values {
            if let disclosure { disclosures.append(disclosure) }
            bag.add(contentsOf: diagnostics)
        }
        bag.add(contentsOf: fs.escapes)
        let content = SiteContent(config: config, glossary: glossary, catalogs: catalogs,
                                  departments: departments.sorted { $0.sortKey < $1.sortKey }, disclosures: disclosures)
        return Result(content: content, diagnostics: bag.sorted)
    }

    static func isValidSlug(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 } && s.first != "-"
    }
}

/// Write-once slots filled from `concurrentPerform` (each index by exactly one iteration).
final class UnsafeResults<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.withLock { storage[i] } }
        set { lock.withLock { storage[i] = newValue } }
    }
    var values: [T] { lock.withLock { storage.compactMap { $0 } } }
}

/// File access confined to the content folder: symlinks that lead outside are refused.
final class ContentFolder: @unchecked Sendable {
    let root: URL
    let realRoot: String
    private let lock = NSLock()
    private var _escapes: [Diagnostic] = []
    var escapes: [Diagnostic] { lock.withLock { _escapes } }

    init(root: URL) {
        self.root = root.standardizedFileURL
        self.realRoot = root.resolvingSymlinksInPath().path
    }

    func url(_ relative: String) -> URL { relative.isEmpty ? root : root.appendingPathComponent(relative) }

    /// True when the path resolves inside the content folder; records an error otherwise.
    func isInside(_ relative: String) -> Bool {
        let real = url(relative).resolvingSymlinksInPath().path
        if real == realRoot || real.hasPrefix(realRoot + "/") { return true }
        lock.withLock {
            _escapes.append(.error(SourceLocation(file: relative), "this is a link to \(real), outside the content folder; copy the file into content/ instead"))
        }
        return false
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: url(relative).path) && isInside(relative) }

    func isDirectory(_ relative: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: url(relative).path, isDirectory: &isDir) && isDir.boolValue && isInside(relative)
    }

    /// Entries of a folder, sorted, without hidden files.
    func children(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url(relative).path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    /// `name.yaml`, `name.yml` or `name.json`, whichever exists.
    func dataFile(_ base: String) -> String? {
        ["yaml", "yml", "json"].map { "\(base).\($0)" }.first { FileManager.default.fileExists(atPath: url($0).path) }
            .flatMap { isInside($0) ? $0 : nil }
    }

    func read(_ relative: String) -> Swift.Result<SourceFile, Diagnostic> { SourceFile.read(url(relative), relativePath: relative) }

    /// A Markdown file, if present.
    func prose(_ relative: String, into bag: inout DiagnosticBag) -> Prose? {
        guard exists(relative) else { return nil }
        switch read(relative) {
        case .success(let f): return Prose(text: f.text, location: SourceLocation(file: relative, line: 1))
        case .failure(let d): bag.add(d); return nil
        }
    }
}

extension Decoder {
    mutating func parse(_ fs: ContentFolder, _ path: String) -> Located? {
        switch fs.read(path) {
        case .failure(let d): bag.add(d); return nil
        case .success(let file):
            switch Located.parse(file) {
            case .failure(let d): bag.add(d); return nil
            case .success(let node):
                if node.mapping == nil {
                    error(node, "expected a mapping (key: value lines) at the top of the file, found \(node.kindName)")
                    return nil
                }
                return node
            }
        }
    }

    mutating func siteConfig(_ node: Located) -> SiteConfig {
        expectKeys(node, ["title", "region", "base_url", "language", "theme", "markdown", "checks"], "site.yaml")
        var c = SiteConfig()
        c.title = string(node["title"], "title", required: true, at: node) ?? c.title
        c.region = string(node["region"], "region") ?? ""
        c.baseURL = string(node["base_url"], "base_url") ?? "/"
        if !c.baseURL.hasSuffix("/") { c.baseURL += "/" }
        c.language = string(node["language"], "language") ?? "zh-CN"
        c.theme = string(node["theme"], "theme") ?? "default"
        if let md = node["markdown"] {
            expectKeys(md, ["unsafe_html"], "markdown")
            c.unsafeHTML = bool(md["unsafe_html"], "markdown.unsafe_html") ?? false
        }
        if let checks = node["checks"] {
            expectKeys(checks, ["errors_stop_build", "show_findings"], "checks")
            c.checkErrorsStopBuild = bool(checks["errors_stop_build"], "checks.errors_stop_build") ?? true
            c.showFindings = bool(checks["show_findings"], "checks.show_findings") ?? false
        }
        return c
    }

    mutating func catalogEntries(_ node: Located, _ classification: Classification, into catalog: inout Catalog) {
        guard let m = node.mapping else { return }
        let lengths = classification == .functional ? [3, 5, 7] : [3, 5]
        for (k, v) in m {
            guard let code = k.scalar, code.allSatisfy({ $0.isASCII && $0.isNumber }), lengths.contains(code.count) else {
                error(k, "catalogue key '\(k.scalar ?? "")': expected a code of \(lengths.map(String.init).joined(separator: "/")) digits (quote it: \"201\")")
                continue
            }
            guard let name = string(v, "name of \(code)", required: true, at: k) else { continue }
            if code.count > 3 {
                let parent = String(code.prefix(code.count - 2))
                let table = classification == .functional ? catalog.functional : catalog.economic
                if table[parent] == nil { error(k, "catalogue code \(code): its parent \(parent) must come before it") }
            }
            if classification == .functional {
                if catalog.functional[code] != nil { error(k, "catalogue code \(code) appears twice") }
                catalog.functional[code] = name
                if code.count == 3 { catalog.classOrder.append(code) }
            } else {
                if catalog.economic[code] != nil { error(k, "catalogue code \(code) appears twice") }
                catalog.economic[code] = name
            }
        }
    }

    mutating func department(_ node: Located, slug: String, defaultRegion: String) -> Department? {
        expectKeys(node, ["name", "kind", "parent", "region", "code", "duties_intro", "duties"], "department.yaml")
        guard let name = string(node["name"], "name (单位名称)", required: true, at: node) else { return nil }
        let kind = string(node["kind"], "kind (单位性质)", required: true, at: node) ?? ""
        let kinds = ["行政单位", "参公事业单位", "事业单位", "其他"]
        if let k = node["kind"], !kinds.contains(kind) {
            error(k, "kind (单位性质): found '\(kind)'; expected one of: \(kinds.joined(separator: ", "))")
        }
        return Department(slug: slug, name: name, kind: kind, parent: string(node["parent"], "parent"),
                          region: string(node["region"], "region") ?? defaultRegion, code: string(node["code"], "code"),
                          dutiesIntro: string(node["duties_intro"], "duties_intro"), duties: strings(node["duties"], "duties"),
                          location: node.location)
    }

    mutating func disclosure(_ fs: ContentFolder, dir: String, department: String, year: Int, catalogs: [Int: Catalog]) -> Disclosure? {
        guard let path = fs.dataFile("\(dir)/disclosure") else {
            bag.error(SourceLocation(file: "\(dir)/disclosure.yaml"), "missing disclosure.yaml (form and the ten tables) for \(department) \(year)")
            return nil
        }
        guard let node = parse(fs, path) else { return nil }
        expectKeys(node, ["year", "form", "published", "overview", "prior", "tables"], "disclosure.yaml")
        if let y = int(node["year"], "year"), y != year, let n = node["year"] {
            error(n, "year \(y) disagrees with the folder \(dir) (\(year))")
        }
        let form = int(node["form"], "form", required: true, at: node) ?? 2022
        if ![2022, 2023].contains(form), let f = node["form"] {
            error(f, "form: expected 2022 or 2023 (the layout of 公开06/09/10表), found \(form)")
        }
        guard let catalog = catalogs[year] else {
            error(node, "no code catalogue for \(year): add catalogs/\(year)/functional.yaml and economic.yaml")
            return nil
        }
        let published = string(node["published"], "published")
        if let p = published, let n = node["published"], !isDate(p) { error(n, "published: expected a date YYYY-MM-DD, found '\(p)'") }

        var institutions: [String] = []
        var staff: [(String, Amount)] = []
        var note: Prose?
        if let o = node["overview"] {
            expectKeys(o, ["institutions", "staff", "note"], "overview")
            institutions = strings(o["institutions"], "overview.institutions")
            for (k, v) in mapping(o["staff"], "overview.staff") ?? [] {
                if let a = amount(v, "overview.staff \(k.scalar ?? "")", count: true), let a { staff.append((k.scalar ?? "", a)) }
            }
            if let n = string(o["note"], "overview.note"), let on = o["note"] { note = Prose(text: n, location: on.location) }
        }
        var prior: [String: (Amount, SourceLocation)] = [:]
        for (k, v) in mapping(node["prior"], "prior") ?? [] {
            if let a = amount(v, "prior \(k.scalar ?? "")", allowNegative: true), let a { prior[k.scalar ?? ""] = (a, v.location) }
        }
        let tables = tables(node["tables"], form: form, catalog: catalog, parent: node)
        let explanation = fs.prose("\(dir)/explanation.md", into: &bag)
        if explanation == nil { bag.warning(SourceLocation(file: "\(dir)/explanation.md"), "no 情况说明 (explanation.md) for \(department) \(year)") }
        let glossary = fs.prose("\(dir)/glossary.md", into: &bag)
        var performance: [PerformanceTable] = []
        if let p = fs.dataFile("\(dir)/performance"), let pn = parseAny(fs, p) { performance = performanceTables(pn) }
        var reports: [EvaluationReport] = []
        for file in fs.children("\(dir)/reports") where file.hasSuffix(".md") {
            if let r = report(fs, "\(dir)/reports/\(file)") { reports.append(r) }
        }
        return Disclosure(department: department, year: year, form: form, published: published, institutions: institutions,
                          staff: staff, overviewNote: note, tables: tables, prior: prior, explanation: explanation,
                          glossary: glossary, performance: performance, reports: reports, location: node.location)
    }

    func isDate(_ s: String) -> Bool {
        let p = s.split(separator: "-")
        return p.count == 3 && p[0].count == 4 && p[1].count == 2 && p[2].count == 2 && p.allSatisfy { $0.allSatisfy(\.isNumber) }
    }

    /// Parses a file whose top level may be a list.
    mutating func parseAny(_ fs: ContentFolder, _ path: String) -> Located? {
        switch fs.read(path) {
        case .failure(let d): bag.add(d); return nil
        case .success(let file):
            switch Located.parse(file) {
            case .failure(let d): bag.add(d); return nil
            case .success(let n): return n
            }
        }
    }

    mutating func performanceTables(_ node: Located) -> [PerformanceTable] {
        guard let items = node.sequence else {
            error(node, "performance.yaml: expected a list of 绩效自评表 (- kind: project …), found \(node.kindName)")
            return []
        }
        return items.compactMap { item in
            guard item.mapping != nil else { error(item, "performance.yaml: each entry is a mapping"); return nil }
            expectKeys(item, ["kind", "title", "fields", "funds", "deviation", "goals", "indicators", "total", "grade"], "绩效自评表")
            let kindText = string(item["kind"], "kind", required: true, at: item) ?? "project"
            guard let kind = PerformanceTable.Kind(rawValue: kindText) else {
                error(item["kind"] ?? item, "绩效自评表 kind: expected project or overall, found '\(kindText)'")
                return nil
            }
            let fields = (mapping(item["fields"], "fields") ?? []).map { ($0.key.scalar ?? "", $0.value.scalar ?? "") }
            var table = PerformanceTable(kind: kind, title: string(item["title"], "title", required: true, at: item) ?? "",
                                         fields: fields, location: item.location)
            table.funds = textTable(item["funds"], "funds")
            table.indicators = textTable(item["indicators"], "indicators")
            table.deviation = string(item["deviation"], "deviation")
            if let g = item["goals"] {
                expectKeys(g, ["expected", "actual"], "goals")
                table.goalExpected = string(g["expected"], "goals.expected")
                table.goalActual = string(g["actual"], "goals.actual")
            }
            if let t = item["total"] {
                expectKeys(t, ["分值", "得分"], "total")
                table.totalWeight = string(t["分值"], "total.分值")
                table.totalScore = string(t["得分"], "total.得分")
            }
            table.grade = string(item["grade"], "grade")
            return table
        }
    }

    mutating func report(_ fs: ContentFolder, _ path: String) -> EvaluationReport? {
        let file: SourceFile
        switch fs.read(path) {
        case .failure(let d): bag.add(d); return nil
        case .success(let f): file = f
        }
        let slug = String(path.split(separator: "/").last!.dropLast(3))
        var title = slug
        var table: TextTable?
        var body = file.text
        var firstLine = 1
        if file.text.hasPrefix("---\n"), let end = file.text.range(of: "\n---\n", range: file.text.index(file.text.startIndex, offsetBy: 4)..<file.text.endIndex) {
            let front = String(file.text[file.text.index(file.text.startIndex, offsetBy: 4)..<end.lowerBound])
            body = String(file.text[end.upperBound...])
            firstLine = front.split(separator: "\n", omittingEmptySubsequences: false).count + 3
            let shifted = String(repeating: "\n", count: 1) + front   // keep line numbers: front matter starts on line 2
            switch Located.parse(SourceFile(path: path, text: shifted)) {
            case .failure(let d): bag.add(d)
            case .success(let node):
                expectKeys(node, ["title", "table"], "report front matter")
                title = string(node["title"], "title") ?? slug
                table = textTable(node["table"], "table")
            }
        }
        return EvaluationReport(slug: slug, title: title, body: Prose(text: body, location: SourceLocation(file: path, line: firstLine), firstLine: firstLine), table: table)
    }
}
