import Foundation
import Model
import Support

/// The steps of `ContentLoader.load`, in order: site.yaml, the catalogues, the department folders
/// (and their parents), then the disclosures of every year folder. Every problem goes to `bag`.
struct Loading {
    let fs: ContentFolder
    let cache: ContentLoader.Cache?
    let reuse: ContentLoader.Reuse?
    /// What `reuse` kept of each department.yaml, taken from it once, as the departments are read.
    var keptDepartments: [String: ContentLoader.KeptDepartment] = [:]
    var bag = DiagnosticBag()

    typealias Job = (slug: String, year: Int, dir: String)

    /// What the department folders gave.
    struct Departments {
        var list: [Department] = []
        /// Year folders to read, in order of department and year.
        var jobs: [Job] = []
        var slugs: [String] = []
        var parentLocations: [String: SourceLocation] = [:]
        /// department.yaml files read without a word this time, to keep for the next build.
        var fresh: [String: ContentLoader.KeptDepartment] = [:]
        var read = 0
    }

    init(fs: ContentFolder, cache: ContentLoader.Cache?, reuse: ContentLoader.Reuse?) {
        self.fs = fs
        self.cache = cache
        self.reuse = reuse
    }

    /// site.yaml, always read with the default limits (it sets the others).
    mutating func siteConfig() -> SiteConfig {
        var config = SiteConfig()
        if let site = fs.dataFile("site") {
            var d = Decoder(limits: ContentLimits())
            if let node = d.parse(fs, site) { config = d.siteConfig(node) }
            bag.add(contentsOf: d.bag.items)
        } else if !fs.isRefusedLink("site") {
            bag.error(SourceLocation(file: "site.yaml"), localized("缺少 site.yaml（网站标题 title、地区 region、网址 base_url）", en: "missing site.yaml (site title, region, base_url)"))
        }
        return config
    }

    /// catalogs/<year>/: each year's codes, and which of its files are missing or unreadable
    /// (reported once; rows are not checked against them).
    mutating func catalogs(limits: ContentLimits) -> (catalogs: [Int: Catalog], incomplete: [Int: Set<Classification>]) {
        var catalogs: [Int: Catalog] = [:]
        var incomplete: [Int: Set<Classification>] = [:]
        for yearDir in fs.children("catalogs") where fs.isDirectory("catalogs/\(yearDir)") {
            guard let year = Int(yearDir), yearDir.count == 4 else {
                bag.error(SourceLocation(file: "catalogs/\(yearDir)"), localized(
                    "科目目录文件夹以年份命名：写的是 '\(yearDir)'；应为四位数字（如 catalogs/2023/）",
                    en: "catalogue folders are named by year: found '\(yearDir)'; expected four digits (catalogs/2023/)"))
                continue
            }
            var d = Decoder(limits: limits)
            var catalog = Catalog(year: year)
            for (file, classification) in [("functional", Classification.functional), ("economic", .economic)] {
                guard let path = fs.dataFile("catalogs/\(yearDir)/\(file)") else {
                    incomplete[year, default: []].insert(classification)
                    if fs.isRefusedLink("catalogs/\(yearDir)/\(file)") { continue }
                    bag.error(SourceLocation(file: "catalogs/\(yearDir)/\(file).yaml"), localized("缺少\(file == "functional" ? "支出功能分类" : "部门支出经济分类")科目目录",
                                                                                         en: "missing \(file == "functional" ? "支出功能分类" : "部门支出经济分类") catalogue"))
                    continue
                }
                guard let node = d.parse(fs, path) else { incomplete[year, default: []].insert(classification); continue }
                d.catalogEntries(node, classification, into: &catalog)
            }
            bag.add(contentsOf: d.bag.items)
            catalogs[year] = catalog
        }
        return (catalogs, incomplete)
    }

    /// departments/<slug>/: each folder on its own (in parallel: in a large site the stats and
    /// department.yaml files are most of a rebuild that reads one year folder), then in order.
    mutating func departments(region: String, limits: ContentLimits) -> Departments {
        var result = Departments()
        result.slugs = fs.children("departments").filter { fs.isDirectory("departments/\($0)") }
        if result.slugs.isEmpty { bag.error(SourceLocation(file: "departments"), localized("没有任何单位：请添加 departments/<文件夹名>/department.yaml", en: "no departments: add departments/<name>/department.yaml")) }
        let read = Locked(0)
        keptDepartments = reuse?.departments ?? [:]
        let this = self
        // What every department.yaml is read with (made once: it names every limit).
        let readWith = region + "|" + limits.stamp
        let perSlug = parallelMap(result.slugs) { slug in this.department(slug, region: region, limits: limits, readWith: readWith, read: read) }
        for r in perSlug {
            bag.add(contentsOf: r.diagnostics)
            result.jobs += r.jobs
            guard let (path, made, fresh) = r.department else { continue }
            result.list.append(made.department)
            result.parentLocations[made.department.slug] = made.parent
            if fresh { result.fresh[path] = made }
        }
        result.read = read.withLock { $0 }
        return result
    }

    /// One department folder: its name checked, its year folders listed, its department.yaml read
    /// (or what the last build made of it, when its stamp is the same). `readWith`: the region and
    /// limits it is read with, part of that stamp.
    func department(_ slug: String, region: String, limits: ContentLimits, readWith: String, read: Locked<Int>)
        -> (diagnostics: [Diagnostic], jobs: [Job], department: (path: String, made: ContentLoader.KeptDepartment, fresh: Bool)?) {
        var bag = DiagnosticBag()
        let dir = "departments/\(slug)"
        if let message = Decoder.invisibleInSlug(slug, localized("文件夹名", en: "folder name")) {
            // The path as the message shows it: a bidirectional control would reorder the line it is printed on.
            bag.error(SourceLocation(file: "departments/" + Invisible.visible(slug)), message)
            return (bag.items, [], nil)
        }
        if TopLevel.isReserved(slug) {
            bag.error(SourceLocation(file: dir), localized(
                "文件夹名 '\(slug)' 与网站自己发布的 \(slug)/ 重名：这个单位的页面（\(dir)/department.yaml 及年度文件夹）会与网站的页面互相覆盖；请换一个文件夹名（如 \(slug)-dept）。网站在输出文件夹顶层使用的名称：\(TopLevel.names.joined(separator: "、"))",
                en: "folder name: found '\(slug)', which the site publishes itself (\(slug)/): the pages of this department (\(dir)/department.yaml and its year folders) and the site's would overwrite each other; expected another name (e.g. \(slug)-dept). The site's own names at the top of the output: \(TopLevel.names.joined(separator: ", "))"))
            return (bag.items, [], nil)
        }
        if !ContentLoader.isValidSlug(slug) {
            let suggestion = slug.lowercased().replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-")
            let example = ContentLoader.isValidSlug(suggestion) ? suggestion : "donghu-sme"
            bag.error(SourceLocation(file: dir), localized(
                "文件夹名：写的是 '\(slug)'；只能用小写英文字母、数字和 -，因为它是网址的一部分（如 \(example)）",
                en: "folder name: found '\(slug)'; expected lower-case ASCII letters, digits and - only, because it is part of the URL (e.g. \(example))"))
            return (bag.items, [], nil)
        }
        // Year folders are read even when department.yaml is missing or broken, so that a build reports
        // the problems of every file at once.
        var jobs: [Job] = []
        for entry in fs.children(dir) where fs.isDirectory("\(dir)/\(entry)") {
            guard entry.count == 4, let year = Int(entry) else {
                bag.error(SourceLocation(file: "\(dir)/\(entry)"), localized(
                    "年度文件夹以年份命名：写的是 '\(entry)'；应为四位数字（如 \(dir)/2023/）",
                    en: "year folders are named by year: found '\(entry)'; expected four digits (\(dir)/2023/)"))
                continue
            }
            jobs.append((slug, year, "\(dir)/\(entry)"))
        }
        guard let path = fs.dataFile("\(dir)/department") else {
            if !fs.isRefusedLink("\(dir)/department") {
                bag.error(SourceLocation(file: "\(dir)/department.yaml"), localized("缺少 department.yaml（单位名称 name、单位性质 kind、主要职责 duties）", en: "missing department.yaml (name, kind, duties)"))
            }
            return (bag.items, jobs, nil)
        }
        let stamp = fs.stamp(of: path) + "|" + readWith
        if let hit = cache.flatMap({ c in c.lock.withLock { c.departments[path] } }) ?? keptDepartments[path], hit.stamp == stamp {
            return (bag.items, jobs, (path, hit, true))
        }
        read.withLock { $0 += 1 }
        var d = Decoder(limits: limits)
        var made: (path: String, made: ContentLoader.KeptDepartment, fresh: Bool)?
        if let node = d.parse(fs, path), let dept = d.department(node, slug: slug, defaultRegion: region) {
            let parent = node["parent"].flatMap { $0.isNull ? nil : $0.location }
            // Kept for the next build only when it said nothing: a kept department reports nothing.
            made = (path, ContentLoader.KeptDepartment(stamp: stamp, department: dept, parent: parent), d.bag.items.isEmpty)
        }
        bag.add(contentsOf: d.bag.items)
        return (bag.items, jobs, made)
    }

    /// The jobs in batches of whole departments (all years of each: checks compare with last year),
    /// each of at least `size` jobs but the last; one batch without a size.
    static func batches(_ jobs: [Job], size: Int?) -> [ArraySlice<Job>] {
        guard let size else { return [jobs[...]] }
        var batches: [ArraySlice<Job>] = []
        var start = 0
        for i in jobs.indices where i + 1 == jobs.count || (i + 1 - start >= size && jobs[i + 1].slug != jobs[i].slug) {
            batches.append(jobs[start...i])
            start = i + 1
        }
        return batches
    }

    /// Keeps the year folders of the selection only; a region the site does not have is an error.
    mutating func select(_ selection: ContentLoader.Selection, regions declared: [Region], departments: inout Departments) {
        switch selection {
        case .all: return
        case .none: departments.jobs = []
        case .region(let slug):
            let tree = RegionTree(declared: declared, departments: departments.list)
            guard tree.region(slug) != nil else {
                bag.error(SourceLocation(file: "site.yaml"), localized(
                    "--region：写的是 '\(slug)'，网站没有这个地区；应为其中之一：\(tree.regions.map(\.slug).joined(separator: "、"))",
                    en: "--region: found '\(slug)', which is not a region of the site; expected one of: \(tree.regions.map(\.slug).joined(separator: ", "))"))
                departments.jobs = []
                return
            }
            let members = Set(tree.departments(in: slug, from: departments.list).map(\.slug))
            departments.jobs.removeAll { !members.contains($0.slug) }
        }
    }

    /// Every `parent:` names another department, and the parents end at one without a parent.
    mutating func checkParents(_ departments: [Department], parentLocations: [String: SourceLocation]) {
        let known = Set(departments.map(\.slug))
        let parents = Dictionary(uniqueKeysWithValues: departments.compactMap { d in d.parent.map { (d.slug, $0) } })
        for dept in departments {
            guard let parent = dept.parent else { continue }
            let at = parentLocations[dept.slug] ?? dept.location
            if parent == dept.slug {
                bag.error(at, localized("parent：写的是 '\(parent)'，即本单位自己；应为其主管部门的文件夹名，或 ~",
                                       en: "parent: found '\(parent)', the department itself; expected the slug of its 主管部门, or ~"))
            } else if !known.contains(parent) {
                let guess = Decoder.closest(parent, in: known.sorted())
                bag.error(at, localized(
                    "parent：写的是 '\(parent)'，departments/ 下没有这个单位文件夹\(guess.map { "（是否应为 '\($0)'？）" } ?? "")；应为主管部门的文件夹名",
                    en: "parent: found '\(parent)', which is not a department folder under departments/\(guess.map { " (did you mean '\($0)'?)" } ?? ""); expected the folder name of the 主管部门"))
            } else {
                // A chain that comes back to this department (a → b → a) has no top.
                var seen: Set<String> = [dept.slug]
                var next: String? = parent
                while let p = next, !seen.contains(p) { seen.insert(p); next = parents[p] }
                if next == dept.slug {
                    bag.error(at, localized(
                        "parent：'\(parent)' 又回到了 '\(dept.slug)'（上级单位形成循环）；上级链应终止于一个没有 parent 的单位",
                        en: "parent: '\(parent)' leads back to '\(dept.slug)' (the parents form a loop); expected a chain that ends at a department without parent"))
                }
            }
        }
    }

    /// The year folders, decoded in parallel (or kept from the last build when their stamps are the
    /// same); results in job order so output is deterministic. Then the whole result, kept for the
    /// next build of a process that keeps a cache.
    /// `batch`: given the disclosures read a batch of whole departments at a time, in job order,
    /// instead of the result (`ContentLoader.Batch`), so that no moment has every disclosure in
    /// hand. A load with a cache (`serve`) keeps them all anyway, and returns them in the result.
    mutating func disclosures(config: SiteConfig, glossary: Prose?, catalogs: (catalogs: [Int: Catalog], incomplete: [Int: Set<Classification>]),
                              forms: [String: PrintedForm], departments: Departments,
                              batch: (size: Int, take: (ContentLoader.Batch) -> Void)? = nil) -> ContentLoader.Result {
        let fs = fs, cache = cache, limits = config.limits, jobs = departments.jobs
        // What every year folder is read with: the catalogues, the forms and the limits (a folder
        // read under other limits is read again).
        let catalogStamp = fs.stamp(of: "catalogs") + "|" + fs.stamp(of: "forms") + "|" + limits.stamp
        let shared = Digest.fnv1a(["site.yaml", "site.yml", "site.json", "glossary.md"].map { fs.stamp(of: $0) }.joined(separator: "|")
            + "|" + catalogStamp + "|" + departments.slugs.map { fs.stamp(of: "departments/\($0)", topLevelOnly: true) }.joined(separator: "|"))
        let allCatalogs = catalogs.catalogs, allIncomplete = catalogs.incomplete
        // Reused only when nothing else has an error: a kept folder must never hide one.
        let reusedFolder = bag.hasErrors ? nil : reuse?.folder
        var content = SiteContent(config: config, glossary: glossary, catalogs: catalogs.catalogs,
                                  departments: departments.list.map { ($0.sortKey, $0) }.sorted { $0.0 < $1.0 }.map(\.1),
                                  disclosures: [])
        content.forms = forms
        let streams = batch != nil && cache == nil
        var disclosures: [Disclosure] = []
        var kept: [(department: String, year: Int)] = []
        var stamps: [String: String] = [:]
        var fresh: [(String, String, Disclosure?)] = []
        let otherDiagnostics = bag.items
        var positions: [String: Int] = [:]
        var folderDiagnostics: [String: [Diagnostic]] = [:]
        for chunk in Self.batches(jobs, size: streams ? batch?.size : nil) {
            let results = parallelMap(Array(chunk)) { job -> (Disclosure?, [Diagnostic], String, digest: String, kept: Bool) in
                let stamp = catalogStamp + "|" + fs.stamp(of: job.dir), digest = Digest.fnv1a(stamp)
                if let cache, let hit = cache.lock.withLock({ cache.entries[job.dir] }), hit.stamp == stamp {
                    return (hit.disclosure, [], stamp, digest, false)
                }
                if let reusedFolder, let diagnostics = reusedFolder(shared, job.dir, digest) { return (nil, diagnostics, stamp, digest, true) }
                var d = Decoder(limits: limits)
                let disclosure = d.disclosure(fs, dir: job.dir, department: job.slug, year: job.year, catalogs: allCatalogs,
                                              incomplete: allIncomplete[job.year] ?? [], forms: forms)
                return (disclosure, d.bag.items, stamp, digest, false)
            }
            var read: [Disclosure] = [], keptHere: [(department: String, year: Int)] = [], stampsHere: [String: String] = [:]
            for (job, (disclosure, diagnostics, stamp, digest, reused)) in zip(chunk, results) {
                if let disclosure {
                    positions[job.dir] = disclosures.count + read.count
                    read.append(disclosure)
                    stampsHere[disclosure.id] = digest
                } else if reused {
                    keptHere.append((job.slug, job.year))
                    stampsHere[Disclosure.id(job.slug, job.year)] = digest
                }
                if !diagnostics.isEmpty { folderDiagnostics[job.dir] = diagnostics }
                bag.add(contentsOf: diagnostics)
                // Only error-free results are kept (by a cache only: else they would all stay in
                // hand): a cached folder must never hide an error.
                if cache != nil && !reused && !diagnostics.contains(where: { $0.severity == .error }) { fresh.append((job.dir, stamp, disclosure)) }
            }
            kept += keptHere
            stamps.merge(stampsHere, uniquingKeysWith: { _, here in here })
            if streams, let batch {
                // After an error nothing is analysed: the load fails.
                if !bag.hasErrors { batch.take(ContentLoader.Batch(content: content, sharedStamp: shared, stamps: stampsHere, read: read, kept: keptHere)) }
            } else {
                disclosures += read
            }
        }
        bag.add(contentsOf: fs.escapes)
        let hasErrors = bag.hasErrors
        if let cache, !hasErrors {
            cache.lock.withLock {
                cache.entries = [:]
                for (dir, stamp, d) in fresh { cache.entries[dir] = (stamp, d) }
                cache.departments = departments.fresh
            }
        }
        content.disclosures = disclosures
        let result = ContentLoader.Result(content: content, diagnostics: bag.sorted, stamps: stamps, sharedStamp: shared,
                                          folderDiagnostics: folderDiagnostics, kept: kept, departments: departments.fresh,
                                          departmentsRead: departments.read)
        if let cache, cache.memo != nil {
            cache.lock.withLock {
                cache.changedFolders = []
                cache.last = hasErrors ? nil : ContentLoader.Cache.Last(result: result, positions: positions, folderDiagnostics: folderDiagnostics,
                                                                        otherDiagnostics: otherDiagnostics, catalogStamp: catalogStamp)
            }
        }
        return result
    }
}
