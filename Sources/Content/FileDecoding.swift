import Foundation
import Model
import Support

/// site.yaml, catalogues, department.yaml, disclosure.yaml, performance.yaml and reports, decoded
/// from their node trees (`Located`), every problem reported with its file and line.
extension Decoder {
    /// What `sitegen draft` leaves where only the editor knows the words.
    static let placeholderMark = "【待填写"

    /// How many times `mark` is in `text`, not overlapping, compared as bytes (Foundation's
    /// `components(separatedBy:)` searched with a locale and made every piece).
    static func occurrences(of mark: String, in text: String) -> Int {
        let needle = Array(mark.utf8), bytes = Array(text.utf8)
        var count = 0, at = 0
        while let found = bytes.firstIndex(of: needle, from: at) {
            count += 1
            at = found + needle.count
        }
        return count
    }

    mutating func parse(_ fs: ContentFolder, _ path: String) -> Located? { fs.read(path, limits: limits).flatMap { parse($0) } }

    /// A file's node tree, whose top must be a mapping.
    mutating func parse(_ read: Swift.Result<SourceFile, Diagnostic>) -> Located? {
        switch read {
        case .failure(let d): bag.add(d); return nil
        case .success(let file):
            switch Located.parse(file, limits: limits) {
            case .failure(let d): bag.add(d); return nil
            case .success(let node):
                if node.mapping == nil {
                    error(node, localized("文件顶层写的是\(node.kindName)；应为映射（“键: 值”的若干行）",
                                          en: "found \(node.kindName) at the top of the file; expected a mapping (key: value lines)"))
                    return nil
                }
                return node
            }
        }
    }

    mutating func siteConfig(_ node: Located) -> SiteConfig {
        expectKeys(node, ["title", "region", "base_url", "language", "theme", "markdown", "checks", "regions", "limits", "feeds"], "site.yaml")
        var c = SiteConfig()
        c.title = name(node["title"], "title", required: true, at: node) ?? c.title
        c.region = name(node["region"], "region") ?? ""
        c.baseURL = string(node["base_url"], "base_url") ?? "/"
        if !c.baseURL.hasSuffix("/") { c.baseURL += "/" }
        c.language = string(node["language"], "language") ?? "zh-CN"
        c.theme = string(node["theme"], "theme") ?? "default"
        if let md = node["markdown"] {
            expectKeys(md, ["unsafe_html"], "markdown")
            c.unsafeHTML = bool(md["unsafe_html"], "markdown.unsafe_html") ?? false
        }
        if let list = node["regions"], !list.isNull {
            guard let items = list.sequence else {
                error(list, localized("regions：写的是\(list.kindName)；应为列表，每项 - {slug: …, name: …, parent: …}",
                                      en: "regions: expected a list of - {slug: …, name: …, parent: …}, found \(list.kindName)"))
                return c
            }
            for item in items {
                expectKeys(item, ["slug", "name", "parent"], "regions")
                guard let slug = string(item["slug"], localized("地区 slug", en: "region slug"), required: true, at: item),
                      let name = name(item["name"], localized("地区名称 name", en: "region name"), required: true, at: item) else { continue }
                if let message = Decoder.invisibleInSlug(slug, localized("地区 slug", en: "region slug")) {
                    error(item["slug"]!, message)
                } else if !ContentLoader.isValidSlug(slug) {
                    error(item["slug"]!, localized("地区 slug '\(slug)'：只能用小写英文字母、数字和 -（它是网址的一部分）",
                                               en: "region slug '\(slug)': use lower-case ASCII letters, digits and - (it is part of URLs)"))
                }
                if c.regions.contains(where: { $0.slug == slug }) { error(item, localized("地区 slug '\(slug)' 出现了两次", en: "region slug '\(slug)' appears twice")) }
                c.regions.append(Region(slug: slug, name: name, parent: string(item["parent"], localized("上级地区 parent", en: "region parent"))))
            }
            for r in c.regions where r.parent != nil && !c.regions.contains(where: { $0.slug == r.parent }) {
                error(node["regions"]!, localized("地区 '\(r.slug)'：parent '\(r.parent!)' 不是 regions 中声明的地区 slug",
                                              en: "region '\(r.slug)': parent '\(r.parent!)' is not a declared region slug"))
            }
        }
        if let checks = node["checks"] {
            expectKeys(checks, ["errors_stop_build", "show_findings", "year_on_year_factor"], "checks")
            c.yearOnYearFactor = int(checks["year_on_year_factor"], "checks.year_on_year_factor") ?? 10
            c.checkErrorsStopBuild = bool(checks["errors_stop_build"], "checks.errors_stop_build") ?? true
            c.showFindings = bool(checks["show_findings"], "checks.show_findings") ?? false
        }
        if let limits = node["limits"], mapping(limits, "limits") != nil {
            c.limits = contentLimits(limits)
        }
        if let feeds = node["feeds"], mapping(feeds, "feeds") != nil {
            feedSettings(feeds, into: &c)
        }
        return c
    }

    /// `feeds:` of site.yaml: how many disclosures feed.xml lists, how many URLs a sitemap file holds.
    mutating func feedSettings(_ node: Located, into c: inout SiteConfig) {
        expectKeys(node, ["feed_entries", "sitemap_urls"], "feeds")
        for (key, most) in [("feed_entries", Int.max), ("sitemap_urls", SiteConfig.maxSitemapURLs)] {
            guard let value = node[key], let n = int(value, "feeds.\(key)") else { continue }
            guard (1...most).contains(n) else {
                error(value, most == Int.max
                      ? localized("feeds.\(key)：写的是 \(n)；应为正整数", en: "feeds.\(key): found \(n); expected a whole number of 1 or more")
                      : localized("feeds.\(key)：写的是 \(n)；应为 1 到 \(most) 之间的整数", en: "feeds.\(key): found \(n); expected a whole number from 1 to \(most)"))
                continue
            }
            if key == "feed_entries" { c.feedEntries = n } else { c.sitemapURLs = n }
        }
    }

    /// `limits:` of site.yaml: sizes in bytes (`8388608`, or with a unit: `8 MB`, `512 KB`), the others counts.
    mutating func contentLimits(_ node: Located) -> ContentLimits {
        expectKeys(node, ContentLimits.keys, "limits")
        var limits = ContentLimits()
        for key in ContentLimits.keys {
            guard let value = node[key], let text = string(value, "limits.\(key)") else { continue }
            let bytes = key.hasSuffix("_bytes")
            guard let n = bytes ? Self.byteCount(text) : Int(text), n >= (key == "yaml_aliases" ? 0 : 1) else {
                error(value, localized(
                    "limits.\(key)：写的是 '\(text)'；应为\(bytes ? "字节数，如 8388608 或 8 MB、512 KB" : key == "yaml_aliases" ? " 0 或正整数" : "正整数")",
                    en: "limits.\(key): found '\(text)'; expected \(bytes ? "a size in bytes such as 8388608, or 8 MB, 512 KB" : key == "yaml_aliases" ? "0 or a whole number" : "a whole number of 1 or more")"))
                continue
            }
            if key == "yaml_depth", n > ContentLimits.maxYAMLDepth {
                error(value, localized(
                    "limits.yaml_depth：写的是 \(n)；最多为 \(ContentLimits.maxYAMLDepth)（YAML 解析器本身在 1000 层处停止）",
                    en: "limits.yaml_depth: found \(n); expected at most \(ContentLimits.maxYAMLDepth) (the YAML parser itself stops at 1000 levels)"))
                continue
            }
            limits[key: key] = n
        }
        return limits
    }

    /// `8388608`, `8MB`, `8 MB`, `512 KB`, `1.5 MB` (KB and MB are 1024 and 1024² bytes); nil otherwise.
    static func byteCount(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units = [("MB", 1_048_576), ("KB", 1024), ("M", 1_048_576), ("K", 1024), ("B", 1)]
        let (unit, factor) = units.first { t.hasSuffix($0.0) } ?? ("", 1)
        let parts = t.dropLast(unit.count).trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              !parts[0].isEmpty, parts.count == 1 || (unit != "" && unit != "B" && (1...3).contains(parts[1].count)),
              let whole = Int(parts[0]) else { return nil }
        let (bytes, overflow) = whole.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        guard parts.count == 2, let fraction = Int(parts[1]) else { return bytes }
        var scale = 1
        for _ in parts[1] { scale *= 10 }
        return bytes + fraction * factor / scale
    }

    mutating func catalogEntries(_ node: Located, _ classification: Classification, into catalog: inout Catalog) {
        guard let m = node.mapping else { return }
        let lengths = classification == .functional ? [3, 5, 7] : [3, 5]
        let kindName = classification == .functional ? "支出功能分类" : "部门支出经济分类"
        let levels = classification == .functional ? localized("3 位（类）、5 位（款）或 7 位（项）", en: "3 (类), 5 (款) or 7 (项)")
                                                   : localized("3 位（类）或 5 位（款）", en: "3 (类) or 5 (款)")
        // Every code of the file with its line, to tell "comes before its parent" from "parent missing".
        var lineOf: [String: Int] = [:]
        for (k, _) in m { if let c = k.scalar, lineOf[c] == nil { lineOf[c] = k.location.line } }
        for (k, v) in m {
            guard let code = k.scalar, code.allSatisfy({ $0.isASCII && $0.isNumber }), lengths.contains(code.count) else {
                let digits = k.scalar.map { $0.allSatisfy { $0.isASCII && $0.isNumber } } ?? false
                let found = k.scalar.map { " '\($0)'" + (digits ? localized("（\($0.count) 位）", en: " (\($0.count) digits)") : "") } ?? k.kindName
                error(k, localized("科目目录的键：写的是\(found)；应为 \(levels)数字的\(kindName)编码，并加引号，如 \"201\"",
                                   en: "catalogue key: found \(found.drop { $0 == " " }); expected a \(kindName) code of \(levels) digits, quoted: \"201\""))
                continue
            }
            guard let name = name(v, localized("\(code) 的名称", en: "name of \(code)"), required: true, at: k) else { continue }
            if code.count > 3 {
                let parent = String(code.prefix(code.count - 2))
                let level = parent.count == 3 ? "类" : "款"
                let table = classification == .functional ? catalog.functional : catalog.economic
                if table[parent] == nil {
                    if let line = lineOf[parent] {
                        error(k, localized("科目编码 \(code) 写在它的\(level) \(parent)（第 \(line) 行）之前；每个编码应写在其上级编码之后",
                                           en: "catalogue code \(code) comes before its \(level) \(parent) (line \(line)); expected every code after its parent"))
                    } else {
                        error(k, localized("科目编码 \(code)：它的\(level) \(parent) 不在科目目录中；应在它之前有一行 \"\(parent)\": <名称>",
                                           en: "catalogue code \(code): its \(level) \(parent) is not in the catalogue; expected \"\(parent)\": <name> on a line before it"))
                    }
                }
            }
            if classification == .functional {
                if catalog.functional[code] != nil { error(k, localized("科目编码 \(code) 出现了两次", en: "catalogue code \(code) appears twice")) }
                catalog.functional[code] = name
                if code.count == 3 { catalog.classOrder.append(code) }
            } else {
                if catalog.economic[code] != nil { error(k, localized("科目编码 \(code) 出现了两次", en: "catalogue code \(code) appears twice")) }
                catalog.economic[code] = name
            }
        }
    }

    /// `2022`, `2022-07` or `2022-7`.
    static func isYearMonth(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].count == 4, let y = Int(parts[0]), (1949...2100).contains(y) else { return false }
        guard parts.count == 2 else { return true }
        guard (1...2).contains(parts[1].count), let m = Int(parts[1]) else { return false }
        return (1...12).contains(m)
    }

    mutating func department(_ node: Located, slug: String, defaultRegion: String) -> Department? {
        expectKeys(node, ["name", "kind", "parent", "region", "code", "duties_intro", "duties", "established"], "department.yaml")
        guard let name = name(node["name"], localized("单位名称 name", en: "name (单位名称)"), required: true, at: node) else { return nil }
        let kind = self.name(node["kind"], localized("单位性质 kind", en: "kind (单位性质)"), required: true, at: node) ?? ""
        let kinds = ["行政单位", "参公事业单位", "事业单位", "其他"]
        if let k = node["kind"], !kinds.contains(kind) {
            error(k, localized("单位性质 kind：写的是 '\(kind)'；应为以下之一：\(kinds.joined(separator: "、"))",
                               en: "kind (单位性质): found '\(kind)'; expected one of: \(kinds.joined(separator: ", "))"))
        }
        var parent = string(node["parent"], "parent")
        if let p = parent, let at = node["parent"], let message = Decoder.invisibleInSlug(p, "parent") {
            error(at, message)
            parent = nil
        }
        var established = string(node["established"], "established")
        if let e = established, let at = node["established"], !Decoder.isYearMonth(e) {
            error(at, "established: found '\(e)'; expected a year and month, e.g. 2022-07 (or a year, 2022)")
            established = nil
        }
        return Department(slug: slug, name: name, kind: kind, parent: parent,
                          region: self.name(node["region"], "region") ?? defaultRegion, code: string(node["code"], "code"),
                          dutiesIntro: string(node["duties_intro"], "duties_intro"), duties: strings(node["duties"], "duties"),
                          established: established, location: node.location)
    }

    mutating func disclosure(_ fs: ContentFolder, dir: String, department: String, year: Int, catalogs: [Int: Catalog],
                             incomplete: Set<Classification> = [], forms: [String: PrintedForm] = FormFiles.national) -> Disclosure? {
        guard let path = fs.dataFile("\(dir)/disclosure") else {
            if !fs.isRefusedLink("\(dir)/disclosure") {
                bag.error(SourceLocation(file: "\(dir)/disclosure.yaml"), localized(
                    "缺少 \(department) \(year) 年度的 disclosure.yaml（表式 form 和十张公开表）",
                    en: "missing disclosure.yaml (form and the ten tables) for \(department) \(year)"))
            }
            return nil
        }
        guard let node = parse(fs, path), var disclosure = disclosure(node, dir: dir, department: department, year: year,
                                                                     catalogs: catalogs, incomplete: incomplete, forms: forms) else { return nil }
        disclosure.explanation = fs.prose("\(dir)/explanation.md", limits: limits, into: &bag)
        for file in (disclosure.printed?.parts ?? []).compactMap(\.file) {
            if let text = fs.prose("\(dir)/\(file)", limits: limits, into: &bag) { disclosure.otherParts[file] = text } else if !fs.exists("\(dir)/\(file)") {
                bag.warning(SourceLocation(file: "\(dir)/\(file)"), localized("\(department) \(year) 年度缺少表样所列部分的文字（\(file)）",
                                                                       en: "no text (\(file)) for a part its form lists, \(department) \(year)"))
            }
        }
        if disclosure.explanation == nil, !fs.exists("\(dir)/explanation.md") { bag.warning(SourceLocation(file: "\(dir)/explanation.md"), localized("\(department) \(year) 年度没有情况说明（explanation.md）", en: "no 情况说明 (explanation.md) for \(department) \(year)")) }
        disclosure.glossary = fs.prose("\(dir)/glossary.md", limits: limits, into: &bag)
        // 【待填写】 left by `sitegen draft` keeps a disclosure a draft until it is written.
        let others = disclosure.otherParts.keys.sorted().map { ($0, disclosure.otherParts[$0]) }
        for (file, prose) in [("explanation.md", disclosure.explanation), ("glossary.md", disclosure.glossary), ("disclosure.yaml overview.note", disclosure.overviewNote)] + others {
            let count = prose.map { Self.occurrences(of: Self.placeholderMark, in: $0.text) } ?? 0
            if count > 0 {
                disclosure.draft.append(localized("\(file) 还有 \(count) 处【待填写】", en: "\(file) still has \(count) 【待填写】 placeholder\(count == 1 ? "" : "s")"))
            }
        }
        if let p = fs.dataFile("\(dir)/performance"), let pn = parseAny(fs, p) { disclosure.performance = performanceTables(pn) }
        for file in fs.children("\(dir)/reports") where file.hasSuffix(".md") {
            if let r = report(fs, "\(dir)/reports/\(file)") { disclosure.reports.append(r) }
        }
        return disclosure
    }

    /// The disclosure.yaml part of a disclosure (without its Markdown, performance and report files).
    /// `forms`: the forms a disclosure may name (`form:`), by id.
    mutating func disclosure(_ node: Located, dir: String, department: String, year: Int, catalogs: [Int: Catalog],
                             incomplete: Set<Classification> = [], forms: [String: PrintedForm] = FormFiles.national) -> Disclosure? {
        expectKeys(node, ["year", "form", "status", "published", "overview", "prior", "tables", "elsewhere"], "disclosure.yaml")
        if let y = int(node["year"], "year"), y != year, let n = node["year"] {
            error(n, localized("year：写的是 \(y)，但文件夹是 \(dir)；应为 \(year)（或把文件移到 \(y) 年度的文件夹）",
                               en: "year: found \(y), but the folder is \(dir); expected \(year) (or move the file to the \(y) folder)"))
        }
        var form = 2022
        var printed: PrintedForm?
        if let f = node["form"], !f.isNull {
            if let text = f.scalar, let named = forms[text] {
                printed = named
                form = named.base
            } else if let text = f.scalar, let v = Int(text), [2022, 2023].contains(v) {
                form = v
            } else if let text = f.scalar, !forms.isEmpty {
                let known = forms.keys.sorted()
                let hint = Decoder.didYouMean(text, in: known)
                error(f, localized("form：没有名为 '\(text)' 的表样\(hint)；应为 \(known.joined(separator: "、"))，或 content/forms/ 中的表样文件名",
                                   en: "form: found '\(text)', which is not a form\(hint); expected one of \(known.joined(separator: ", ")), or a form file in content/forms/"))
            } else {
                error(f, localized("form：写的是\(f.scalar.map { " '\($0)'" } ?? f.kindName)；应为 2022 或 2023（公开06/09/10表的表式）",
                                   en: "form: found \(f.scalar.map { "'\($0)'" } ?? f.kindName); expected 2022 or 2023 (the layout of 公开06/09/10表)"))
            }
        } else {
            error(node, localized("缺少 form：应为 form: 2022 或 form: 2023（公开06/09/10表的表式）",
                                  en: "missing form: expected form: 2022 or form: 2023 (the layout of 公开06/09/10表)"))
        }
        guard let catalog = catalogs[year] else {
            error(node["year"] ?? node, localized("没有 \(year) 年的科目目录：应有 catalogs/\(year)/functional.yaml 和 economic.yaml",
                                                 en: "no code catalogue for \(year): expected catalogs/\(year)/functional.yaml and economic.yaml"))
            return nil
        }
        let published = string(node["published"], "published")
        if let p = published, let n = node["published"], !isDate(p) { error(n, localized("published：写的是 '\(p)'；应为 YYYY-MM-DD 格式的日期，如 2023-09-15",
                                                                                       en: "published: found '\(p)'; expected a date YYYY-MM-DD such as 2023-09-15")) }

        var institutions: [String] = []
        var staff: [(String, Amount)] = []
        var note: Prose?
        if let o = node["overview"] {
            expectKeys(o, ["institutions", "staff", "note"], "overview")
            institutions = names(o["institutions"], "overview.institutions")
            for (k, v) in mapping(o["staff"], "overview.staff") ?? [] {
                if let a = amount(v, "overview.staff \(k.scalar ?? "")", count: true), let a { staff.append((k.scalar ?? "", a)) }
            }
            if let n = string(o["note"], "overview.note"), let on = o["note"] {
                // Markdown: bounded as a Markdown file is.
                if n.utf8.count > limits.markdownBytes {
                    bag.add(SourceFile.tooLarge(n.utf8.count, limit: limits.markdownBytes, on.location, markdown: true, part: ("overview.note ", "overview.note")))
                } else {
                    note = Prose(text: n, location: on.location)
                }
            }
        }
        var prior: [String: (Amount, SourceLocation)] = [:]
        for (k, v) in mapping(node["prior"], "prior") ?? [] {
            if let a = amount(v, "prior \(k.scalar ?? "")", allowNegative: true), let a { prior[k.scalar ?? ""] = (a, v.location) }
        }
        let tables = tables(node["tables"], form: form, catalog: catalog, parent: node, others: catalogs, incomplete: incomplete,
                            printed: printed ?? forms[String(form)])
        var disclosure = Disclosure(department: department, year: year, form: form, published: published, institutions: institutions,
                                    staff: staff, overviewNote: note, tables: tables, prior: prior, location: node.location)
        disclosure.printed = printed ?? forms[String(form)]
        if let text = string(node["elsewhere"], "elsewhere"), let at = node["elsewhere"] {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                error(at, localized("elsewhere：是空的；应写明未收录的决算表刊载在哪里（文字或网址）",
                                    en: "elsewhere: found an empty text; expected where the tables left out are published (a text or an address)"))
            } else {
                disclosure.elsewhere = text
            }
        }
        if let status = string(node["status"], "status"), let at = node["status"] {
            if status == "draft" {
                disclosure.draft.append(localized("disclosure.yaml 写了 status: draft", en: "disclosure.yaml says status: draft"))
            } else if status != "published" {
                error(at, localized("status：写的是 '\(status)'；应为 draft（草稿，不发布）或 published（发布）",
                                    en: "status: found '\(status)'; expected draft (not published) or published"))
            }
        }
        return disclosure
    }

    /// `YYYY-MM-DD`, a real calendar day.
    func isDate(_ s: String) -> Bool {
        let p = s.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              p.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]), (1...12).contains(m) else { return false }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return (1...days).contains(d)
    }

    /// Parses a file whose top level may be a list.
    mutating func parseAny(_ fs: ContentFolder, _ path: String) -> Located? {
        switch fs.read(path, limits: limits) {
        case nil: return nil
        case .failure(let d)?: bag.add(d); return nil
        case .success(let file)?:
            switch Located.parse(file, limits: limits) {
            case .failure(let d): bag.add(d); return nil
            case .success(let n): return n
            }
        }
    }

    mutating func performanceTables(_ node: Located) -> [PerformanceTable] {
        guard let items = node.sequence else {
            error(node, localized("performance.yaml：写的是\(node.kindName)；应为绩效自评表的列表（- kind: project …）",
                                  en: "performance.yaml: found \(node.kindName); expected a list of 绩效自评表 (- kind: project …)"))
            return []
        }
        return items.compactMap { item in
            guard item.mapping != nil else {
                error(item, localized("performance.yaml：有一项写的是\(item.kindName)；应为一张绩效自评表（kind:、title:、funds: 等）",
                                      en: "performance.yaml: found \(item.kindName); expected a 绩效自评表 entry (kind:, title:, funds:, …)"))
                return nil
            }
            expectKeys(item, ["kind", "title", "fields", "funds", "deviation", "goals", "indicators", "total", "grade", "sections"], "绩效自评表")
            let kindText = string(item["kind"], localized("绩效自评表 kind（project 或 overall）", en: "绩效自评表 kind (project or overall)"), required: true, at: item) ?? "project"
            guard let kind = PerformanceTable.Kind(rawValue: kindText) else {
                error(item["kind"] ?? item, localized(
                    "绩效自评表 kind：写的是 '\(kindText)'；应为 project（项目支出绩效自评表）或 overall（部门整体支出绩效自评表）",
                    en: "绩效自评表 kind: found '\(kindText)'; expected project (项目支出绩效自评表) or overall (部门整体支出绩效自评表)"))
                return nil
            }
            let title = name(item["title"], localized("绩效自评表 title（项目名称 / 部门（单位）名称）", en: "绩效自评表 title (项目名称 / 部门（单位）名称)"), required: true, at: item) ?? ""
            let name = title.isEmpty ? "绩效自评表" : "绩效自评表 '\(title)'"
            let fields = (mapping(item["fields"], "\(name) fields") ?? []).map { ($0.key.scalar ?? "", string($0.value, "\(name) fields \($0.key.scalar ?? "")") ?? "") }
            var table = PerformanceTable(kind: kind, title: title, fields: fields, location: item.location)
            table.funds = textTable(item["funds"], "\(name) funds")
            table.indicators = textTable(item["indicators"], "\(name) indicators")
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
            // Text sections printed with the table, in order (项目绩效分析, 自评结果分析, 备注 …).
            table.sections = (mapping(item["sections"], "\(name) sections") ?? []).map {
                ($0.key.scalar ?? "", string($0.value, "\(name) sections \($0.key.scalar ?? "")") ?? "")
            }
            return table
        }
    }

    mutating func report(_ fs: ContentFolder, _ path: String) -> EvaluationReport? {
        let file: SourceFile
        switch fs.read(path, limits: limits) {
        case nil: return nil
        case .failure(let d)?: bag.add(d); return nil
        case .success(let f)?: file = f
        }
        let slug = String(path.split(separator: "/").last!.dropLast(3))
        var title = slug
        var table: TextTable?
        var body = file.text
        var firstLine = 1
        if file.text.hasPrefix("---\n") {
            // The front matter ends at the next line that is exactly `---`.
            let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
            if let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" }) {
                let front = lines[1..<close].joined(separator: "\n")
                body = lines[(close + 1)...].joined(separator: "\n")
                firstLine = close + 2
                let shifted = "\n" + front   // keep line numbers: front matter starts on line 2
                if front.utf8.count > limits.yamlBytes {
                    bag.add(SourceFile.tooLarge(front.utf8.count, limit: limits.yamlBytes, SourceLocation(file: path, line: 1), markdown: false,
                                                part: ("前置信息（front matter）", "the front matter")))
                } else if !front.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    switch Located.parse(SourceFile(path: path, text: shifted), limits: limits) {
                    case .failure(let d): bag.add(d)
                    case .success(let node):
                        if node.mapping == nil {
                            error(node, localized("报告的前置信息（front matter）：写的是\(node.kindName)；应为 title: 和 table: 行",
                                                  en: "report front matter: found \(node.kindName); expected title: and table: lines"))
                        } else {
                            expectKeys(node, ["title", "table"], localized("报告的前置信息（front matter）", en: "report front matter"))
                            title = name(node["title"], "title") ?? slug
                            table = textTable(node["table"], "table")
                        }
                    }
                }
            } else {
                bag.error(SourceLocation(file: path, line: 1), localized(
                    "从这一行开始的前置信息（front matter）没有结束；应在 title: 和 table: 行之后有一行 ---",
                    en: "the front matter that starts on this line is not closed; expected a line --- after the title: and table: lines"))
            }
        }
        return EvaluationReport(slug: slug, title: title, body: Prose(text: body, location: SourceLocation(file: path, line: firstLine), firstLine: firstLine), table: table)
    }
}
