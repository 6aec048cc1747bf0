import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Model
import Support

/// Reads a content folder into a `SiteContent`, reporting every problem found (not just the first).
public enum ContentLoader {
    public struct Result: Sendable {
        public var content: SiteContent?
        public var diagnostics: [Diagnostic]
        public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
        /// What each disclosure was read from (disclosure id → file sizes and times), for incremental builds.
        public var stamps: [String: String] = [:]
        /// The same for everything else (site.yaml, glossary, catalogues, department.yaml files).
        public var sharedStamp: String = ""
        /// Year folders (`departments/<slug>/<year>`) → what reading them reported.
        public var folderDiagnostics: [String: [Diagnostic]] = [:]
        /// Disclosures not read because `reuse` kept what an earlier build made of them (they are not
        /// in `content.disclosures`; their stamps are in `stamps`).
        public var kept: [(department: String, year: Int)] = []
        /// What each department.yaml gave, by path, when it read without any message (for `Reuse`).
        public var departments: [String: KeptDepartment] = [:]
        /// How many department.yaml files were read (the others were kept: `Cache`, `Reuse`).
        public var departmentsRead = 0
    }

    /// What an earlier build made of the content, for a build in another process.
    public struct Reuse: Sendable {
        /// Asked for each year folder (`departments/<slug>/<year>`) with the stamps of everything
        /// else and of the folder: what reading it reported then, when that build's results still
        /// hold (the folder is then not read), else nil.
        public var folder: @Sendable (_ shared: String, _ folder: String, _ stamp: String) -> [Diagnostic]?
        /// What each department.yaml gave, by path, with its stamp then (as `Cache.departments`).
        public var departments: [String: KeptDepartment]

        public init(departments: [String: KeptDepartment],
                    folder: @escaping @Sendable (_ shared: String, _ folder: String, _ stamp: String) -> [Diagnostic]?) {
            self.folder = folder
            self.departments = departments
        }
    }

    /// What a department.yaml gave (it read without any message), and the stamp it had: the same
    /// stamp gives the same department without reading the file.
    public struct KeptDepartment: Sendable, Codable {
        public var stamp: String
        public var department: Department
        /// Where its `parent` is written, for the messages of the checks across departments.
        public var parent: SourceLocation?
    }

    /// Keeps decoded disclosures between builds of one process (`serve`): a year folder whose files
    /// have the same sizes and times, under the same catalogues, is not read again.
    public final class Cache: @unchecked Sendable {
        var entries: [String: (stamp: String, disclosure: Disclosure?)] = [:]
        /// department.yaml path → what it gave.
        var departments: [String: KeptDepartment] = [:]
        let lock = NSLock()
        /// What the folder walk found (listings, stamps, which files exist), when the owner reports
        /// every change (`serve`'s watcher): then a rebuild stats only the paths that changed.
        let memo: FolderMemo?

        /// The last load without errors, when the owner reports every change: a load told that only
        /// files inside year folders changed since decodes those folders again and walks nothing else.
        var last: Last?
        /// Year folders (`departments/<slug>/<year>`) with changes since `last`.
        var changedFolders: Set<String> = []

        struct Last {
            var result: Result
            /// Year folder → position of its disclosure in `result.content.disclosures`.
            var positions: [String: Int]
            /// What the year folders reported (warnings only: `last` is kept only without errors) and what the rest did.
            var folderDiagnostics: [String: [Diagnostic]]
            var otherDiagnostics: [Diagnostic]
            var catalogStamp: String
        }

        /// `reportsChanges`: the owner calls `forget(_:)` with every path that changed between builds.
        public init(reportsChanges: Bool = false) { memo = reportsChanges ? FolderMemo() : nil }
        public var count: Int { lock.withLock { entries.count } }

        /// Paths (relative to the content folder) that changed since the last build: what the walk
        /// learnt about them and about every folder above them is forgotten.
        public func forget(_ changed: [String]) {
            memo?.forget(changed)
            lock.withLock {
                for path in changed {
                    let parts = path.split(separator: "/", omittingEmptySubsequences: false)
                    let folder = parts.prefix(3).joined(separator: "/")
                    // Anything but a file inside a year folder of the last load: walk everything next time.
                    guard parts.count > 3, last?.positions[folder] != nil else { last = nil; changedFolders = []; return }
                    changedFolders.insert(folder)
                }
            }
        }

        /// The last load with the given year folders decoded again; nil when a folder no longer gives
        /// a disclosure (a full load then says why).
        func reload(_ fs: ContentFolder) -> Result? {
            guard let (last, folders) = lock.withLock({ last.map { ($0, changedFolders) } }) else { return nil }
            var result = last.result
            var folderDiagnostics = last.folderDiagnostics
            let catalogs = result.content!.catalogs
            for dir in folders.sorted() {
                let parts = dir.split(separator: "/")
                guard let position = last.positions[dir], let year = Int(parts[2]) else { return nil }
                let stamp = last.catalogStamp + "|" + fs.stamp(of: dir)
                var d = Decoder(limits: result.content!.config.limits)
                // No catalogue is incomplete: a missing one is an error, and `last` has none.
                guard let disclosure = d.disclosure(fs, dir: dir, department: String(parts[1]), year: year, catalogs: catalogs,
                                                    incomplete: []) else { return nil }
                result.content!.disclosures[position] = disclosure
                result.stamps[disclosure.id] = Digest.fnv1a(stamp)
                folderDiagnostics[dir] = d.bag.items
                if !d.bag.hasErrors { lock.withLock { entries[dir] = (stamp, disclosure) } }
            }
            var bag = DiagnosticBag()
            bag.add(contentsOf: last.otherDiagnostics)
            for dir in folderDiagnostics.keys.sorted() { bag.add(contentsOf: folderDiagnostics[dir]!) }
            bag.add(contentsOf: fs.escapes)
            result.diagnostics = bag.sorted
            lock.withLock {
                changedFolders = []
                self.last = bag.hasErrors ? nil : Last(result: result, positions: last.positions, folderDiagnostics: folderDiagnostics,
                                                       otherDiagnostics: last.otherDiagnostics, catalogStamp: last.catalogStamp)
            }
            return result
        }
    }

    /// `walked`: what a walk of everything found just before in this build (`stamp`): the load then
    /// asks the file system only for the files it reads.
    /// `followLinks`: links that lead to a file or folder inside the site root are read (by default
    /// every link is refused).
    public static func load(from root: URL, cache: Cache? = nil, reuse: Reuse? = nil, walked: FolderMemo? = nil,
                            followLinks: Bool = false) -> Result {
        // Without a watcher's reports, a memo for this build only: each path is stat-ed once.
        let fs = ContentFolder(root: root, memo: cache?.memo ?? walked ?? FolderMemo(), followLinks: followLinks)
        if let cache, let result = cache.reload(fs) { return result }
        var bag = DiagnosticBag()
        guard fs.isDirectory("") else {
            return Result(content: nil, diagnostics: [.error(SourceLocation(file: root.path), "content folder not found")])
        }

        // site.yaml
        var config = SiteConfig()
        if let site = fs.dataFile("site") {
            var d = Decoder(limits: ContentLimits())
            if let node = d.parse(fs, site) { config = d.siteConfig(node) }
            bag.add(contentsOf: d.bag.items)
        } else if !fs.isRefusedLink("site") {
            bag.error(SourceLocation(file: "site.yaml"), "missing site.yaml (site title, region, base_url)")
        }
        let limits = config.limits
        let glossary = fs.prose("glossary.md", limits: limits, into: &bag)

        // catalogs/<year>/
        var catalogs: [Int: Catalog] = [:]
        // Catalogue files that are missing or unreadable (reported once; rows are not checked against them).
        var incomplete: [Int: Set<Classification>] = [:]
        for yearDir in fs.children("catalogs") where fs.isDirectory("catalogs/\(yearDir)") {
            guard let year = Int(yearDir), yearDir.count == 4 else {
                bag.error(SourceLocation(file: "catalogs/\(yearDir)"), "catalogue folders are named by year: found '\(yearDir)'; expected four digits (catalogs/2023/)")
                continue
            }
            var d = Decoder(limits: limits)
            var catalog = Catalog(year: year)
            for (file, classification) in [("functional", Classification.functional), ("economic", .economic)] {
                guard let path = fs.dataFile("catalogs/\(yearDir)/\(file)") else {
                    incomplete[year, default: []].insert(classification)
                    if fs.isRefusedLink("catalogs/\(yearDir)/\(file)") { continue }
                    bag.error(SourceLocation(file: "catalogs/\(yearDir)/\(file).yaml"), "missing \(file == "functional" ? "支出功能分类" : "部门支出经济分类") catalogue")
                    continue
                }
                guard let node = d.parse(fs, path) else { incomplete[year, default: []].insert(classification); continue }
                d.catalogEntries(node, classification, into: &catalog)
            }
            bag.add(contentsOf: d.bag.items)
            catalogs[year] = catalog
        }

        // departments/<slug>/
        var departments: [Department] = []
        var jobs: [(slug: String, year: Int, dir: String)] = []
        var parentLocations: [String: SourceLocation] = [:]
        let slugs = fs.children("departments").filter { fs.isDirectory("departments/\($0)") }
        var freshDepartments: [String: KeptDepartment] = [:]
        if slugs.isEmpty { bag.error(SourceLocation(file: "departments"), "no departments: add departments/<name>/department.yaml") }
        // Each department folder on its own (in parallel: in a large site the stats and
        // department.yaml files are most of a rebuild that reads one year folder), then in order.
        let region = config.region
        let departmentsRead = Locked(0)
        let perSlug = parallelMap(slugs) { slug -> (diagnostics: [Diagnostic], jobs: [(slug: String, year: Int, dir: String)],
                                                    department: (path: String, made: KeptDepartment, fresh: Bool)?) in
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
            if !isValidSlug(slug) {
                let suggestion = slug.lowercased().replacingOccurrences(of: " ", with: "-").replacingOccurrences(of: "_", with: "-")
                let example = isValidSlug(suggestion) ? suggestion : "donghu-sme"
                bag.error(SourceLocation(file: dir), "folder name: found '\(slug)'; expected lower-case ASCII letters, digits and - only, because it is part of the URL (e.g. \(example))")
                return (bag.items, [], nil)
            }
            // Year folders are read even when department.yaml is missing or broken, so that a build reports
            // the problems of every file at once.
            var jobs: [(slug: String, year: Int, dir: String)] = []
            for entry in fs.children(dir) where fs.isDirectory("\(dir)/\(entry)") {
                guard entry.count == 4, let year = Int(entry) else {
                    bag.error(SourceLocation(file: "\(dir)/\(entry)"), "year folders are named by year: found '\(entry)'; expected four digits (\(dir)/2023/)")
                    continue
                }
                jobs.append((slug, year, "\(dir)/\(entry)"))
            }
            guard let path = fs.dataFile("\(dir)/department") else {
                if !fs.isRefusedLink("\(dir)/department") {
                    bag.error(SourceLocation(file: "\(dir)/department.yaml"), "missing department.yaml (name, kind, duties)")
                }
                return (bag.items, jobs, nil)
            }
            let stamp = fs.stamp(of: path) + "|" + region + "|" + limits.stamp
            if let hit = cache.flatMap({ c in c.lock.withLock { c.departments[path] } }) ?? reuse?.departments[path], hit.stamp == stamp {
                return (bag.items, jobs, (path, hit, true))
            }
            departmentsRead.withLock { $0 += 1 }
            var d = Decoder(limits: limits)
            var made: (path: String, made: KeptDepartment, fresh: Bool)?
            if let node = d.parse(fs, path), let dept = d.department(node, slug: slug, defaultRegion: region) {
                let parent = node["parent"].flatMap { $0.isNull ? nil : $0.location }
                // Kept for the next build only when it said nothing: a kept department reports nothing.
                made = (path, KeptDepartment(stamp: stamp, department: dept, parent: parent), d.bag.items.isEmpty)
            }
            bag.add(contentsOf: d.bag.items)
            return (bag.items, jobs, made)
        }
        for r in perSlug {
            bag.add(contentsOf: r.diagnostics)
            jobs += r.jobs
            guard let (path, made, fresh) = r.department else { continue }
            departments.append(made.department)
            parentLocations[made.department.slug] = made.parent
            if fresh { freshDepartments[path] = made }
        }
        let known = Set(departments.map(\.slug))
        let parents = Dictionary(uniqueKeysWithValues: departments.compactMap { d in d.parent.map { (d.slug, $0) } })
        for dept in departments {
            guard let parent = dept.parent else { continue }
            let at = parentLocations[dept.slug] ?? dept.location
            if parent == dept.slug {
                bag.error(at, "parent: found '\(parent)', the department itself; expected the slug of its 主管部门, or ~")
            } else if !known.contains(parent) {
                let hint = Decoder.closest(parent, in: known.sorted()).map { " (did you mean '\($0)'?)" } ?? ""
                bag.error(at, "parent: found '\(parent)', which is not a department folder under departments/\(hint); expected the folder name of the 主管部门")
            } else {
                // A chain that comes back to this department (a → b → a) has no top.
                var seen: Set<String> = [dept.slug]
                var next: String? = parent
                while let p = next, !seen.contains(p) { seen.insert(p); next = parents[p] }
                if next == dept.slug {
                    bag.error(at, "parent: '\(parent)' leads back to '\(dept.slug)' (the parents form a loop); expected a chain that ends at a department without parent")
                }
            }
        }

        // Disclosures, decoded in parallel; results kept in job order so output is deterministic.
        // With the limits: a folder read under other limits is read again.
        let catalogStamp = fs.stamp(of: "catalogs") + "|" + limits.stamp
        let shared = Digest.fnv1a(["site.yaml", "site.yml", "site.json", "glossary.md"].map { fs.stamp(of: $0) }.joined(separator: "|")
            + "|" + catalogStamp + "|" + slugs.map { fs.stamp(of: "departments/\($0)", topLevelOnly: true) }.joined(separator: "|"))
        let allCatalogs = catalogs, allIncomplete = incomplete
        // Reused only when nothing else has an error: a kept folder must never hide one.
        let reuse = bag.hasErrors ? nil : reuse
        let results = parallelMap(jobs) { job -> (Disclosure?, [Diagnostic], String, kept: Bool) in
            let stamp = catalogStamp + "|" + fs.stamp(of: job.dir)
            if let cache, let hit = cache.lock.withLock({ cache.entries[job.dir] }), hit.stamp == stamp {
                return (hit.disclosure, [], stamp, false)
            }
            if let reuse, let diagnostics = reuse.folder(shared, job.dir, Digest.fnv1a(stamp)) { return (nil, diagnostics, stamp, true) }
            var d = Decoder(limits: limits)
            let disclosure = d.disclosure(fs, dir: job.dir, department: job.slug, year: job.year, catalogs: allCatalogs,
                                          incomplete: allIncomplete[job.year] ?? [])
            return (disclosure, d.bag.items, stamp, false)
        }
        var disclosures: [Disclosure] = []
        var kept: [(department: String, year: Int)] = []
        var stamps: [String: String] = [:]
        var fresh: [(String, String, Disclosure?)] = []
        let otherDiagnostics = bag.items
        var positions: [String: Int] = [:]
        var folderDiagnostics: [String: [Diagnostic]] = [:]
        for (i, (disclosure, diagnostics, stamp, reused)) in results.enumerated() {
            if let disclosure {
                positions[jobs[i].dir] = disclosures.count
                disclosures.append(disclosure)
                stamps[disclosure.id] = Digest.fnv1a(stamp)
            } else if reused {
                kept.append((jobs[i].slug, jobs[i].year))
                stamps[Disclosure.id(jobs[i].slug, jobs[i].year)] = Digest.fnv1a(stamp)
            }
            if !diagnostics.isEmpty { folderDiagnostics[jobs[i].dir] = diagnostics }
            bag.add(contentsOf: diagnostics)
            // Only error-free results are kept: a cached folder must never hide an error.
            if !reused && !diagnostics.contains(where: { $0.severity == .error }) { fresh.append((jobs[i].dir, stamp, disclosure)) }
        }
        bag.add(contentsOf: fs.escapes)
        if let cache, !bag.hasErrors {
            cache.lock.withLock {
                cache.entries = [:]
                for (dir, stamp, d) in fresh { cache.entries[dir] = (stamp, d) }
                cache.departments = freshDepartments
            }
        }
        let content = SiteContent(config: config, glossary: glossary, catalogs: catalogs,
                                  departments: departments.map { ($0.sortKey, $0) }.sorted { $0.0 < $1.0 }.map(\.1), disclosures: disclosures)
        let result = Result(content: content, diagnostics: bag.sorted, stamps: stamps, sharedStamp: shared,
                            folderDiagnostics: folderDiagnostics, kept: kept, departments: freshDepartments,
                            departmentsRead: departmentsRead.withLock { $0 })
        if let cache, cache.memo != nil {
            cache.lock.withLock {
                cache.changedFolders = []
                cache.last = bag.hasErrors ? nil : Cache.Last(result: result, positions: positions, folderDiagnostics: folderDiagnostics,
                                                              otherDiagnostics: otherDiagnostics, catalogStamp: catalogStamp)
            }
        }
        return result
    }

    /// Decodes one disclosure.yaml from memory, without the file system (fuzzing, tests): the same checks and
    /// messages as a build for `departments/<department>/<year>/disclosure.yaml`, without its Markdown files.
    public static func decodeDisclosure(bytes: [UInt8], department: String = "test-dept", year: Int = 2022,
                                        catalogs: [Int: Catalog], limits: ContentLimits = ContentLimits()) -> (disclosure: Disclosure?, diagnostics: [Diagnostic]) {
        let dir = "departments/\(department)/\(year)"
        var d = Decoder(limits: limits)
        guard let node = d.parse(SourceFile.decode(bytes, relativePath: "\(dir)/disclosure.yaml")) else { return (nil, d.bag.sorted) }
        let disclosure = d.disclosure(node, dir: dir, department: department, year: year, catalogs: catalogs)
        return (disclosure, d.bag.sorted)
    }

    public static func decodeDisclosure(text: String, department: String = "test-dept", year: Int = 2022,
                                        catalogs: [Int: Catalog], limits: ContentLimits = ContentLimits()) -> (disclosure: Disclosure?, diagnostics: [Diagnostic]) {
        decodeDisclosure(bytes: Array(text.utf8), department: department, year: year, catalogs: catalogs, limits: limits)
    }

    /// One disclosure read from its year folder, as `load` reads it (a build that kept the results of
    /// an earlier one for it, `reuse`, reads it when a page needs it); nil when it no longer reads
    /// without errors. `limits`: those of the site (`SiteConfig.limits`); when not given, read from its site.yaml.
    public static func disclosure(in root: URL, department: String, year: Int, catalogs: [Int: Catalog],
                                  followLinks: Bool = false, limits: ContentLimits? = nil) -> Disclosure? {
        let fs = ContentFolder(root: root, memo: FolderMemo(), followLinks: followLinks)
        var d = Decoder(limits: limits ?? siteLimits(fs))
        let disclosure = d.disclosure(fs, dir: "departments/\(department)/\(year)",
                                      department: department, year: year, catalogs: catalogs)
        return d.bag.hasErrors ? nil : disclosure
    }

    /// `limits:` of the folder's site.yaml (the defaults when it has none or it does not read).
    static func siteLimits(_ fs: ContentFolder) -> ContentLimits {
        var d = Decoder(limits: ContentLimits())
        guard let site = fs.dataFile("site"), let node = d.parse(fs, site) else { return ContentLimits() }
        return d.siteConfig(node).limits
    }

    /// Names, sizes and modification times of every file under the content folder, as one fingerprint:
    /// equal stamps mean no content file changed (no-op builds).
    /// `walked`: what the walk found at every path (listings, stamps, links), for the `load` that follows.
    /// `freshness`: the files the last build found fresh; after the walk, those this one found.
    public static func stamp(_ root: URL, followLinks: Bool = false, freshness: Freshness = Freshness()) -> (stamp: String, walked: FolderMemo) {
        var entries: [String: FolderMemo.Entry]? = [:]
        let folder = ContentFolder(root: root, followLinks: followLinks, freshness: freshness)
        let stamp = Digest.fnv1a(folder.walk("", topLevelOnly: false, entries: &entries))
        return (stamp, FolderMemo(walked: entries ?? [:]))
    }

    static func isValidSlug(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 } && s.first != "-"
    }
}

/// File access confined to the content folder: only plain files and folders are read. A symbolic
/// link is refused, unless links are followed (`--follow-symlinks`) and it leads inside the site
/// root (the folder of content/); a named pipe, device or socket is always refused (reading one
/// would hang the build or publish what is not a file).
final class ContentFolder: @unchecked Sendable {
    let root: URL
    private let rootPath: String
    let realRoot: String
    /// The real path of the site root, where followed links must lead.
    private let realSite: String
    let followLinks: Bool
    /// Which files are hashed as well as stat-ed; none without it.
    let freshness: Freshness?
    private let lock = NSLock()
    private var _escapes: [Diagnostic] = []
    var escapes: [Diagnostic] { lock.withLock { _escapes } }

    /// Answers kept while the folder is read, and across builds of a process told of every change
    /// (see `FolderMemo`); none for the one walk of a no-op build's fingerprint.
    private let memo: FolderMemo?

    init(root: URL, memo: FolderMemo? = nil, followLinks: Bool = false, freshness: Freshness? = nil) {
        self.root = root.standardizedFileURL
        rootPath = self.root.path
        self.realRoot = root.resolvingSymlinksInPath().path
        realSite = (realRoot as NSString).deletingLastPathComponent
        self.memo = memo
        self.followLinks = followLinks
        self.freshness = freshness
    }

    /// `make()`, or what it gave for this path in an earlier build when nothing there changed since.
    private func remembered<T>(_ path: String, _ field: WritableKeyPath<FolderMemo.Entry, T?>, _ make: () -> T) -> T {
        guard let memo else { return make() }
        if let known = memo.lock.withLock({ memo.entries[path]?[keyPath: field] }) { return known }
        let value = make()
        memo.lock.withLock { memo.set(path) { $0[keyPath: field] = value } }
        return value
    }

    func url(_ relative: String) -> URL { relative.isEmpty ? root : root.appendingPathComponent(relative) }
    /// The same as a path (`URL.appendingPathComponent` was a measurable part of a rebuild that reads
    /// one folder: bench/README.md#figures-that-were-in-code-comments).
    func path(_ relative: String) -> String { relative.isEmpty ? rootPath : rootPath + "/" + relative }

    /// Names, sizes and modification times of the files under a path (or of the file itself), and
    /// the names of its folders (an added empty folder is a change too): equal stamps mean nothing
    /// there changed. `topLevelOnly`: the files directly in the folder, not those of its subfolders.
    func stamp(of relative: String, topLevelOnly: Bool = false) -> String {
        remembered(relative, topLevelOnly ? \.topStamp : \.stamp) { walk(relative, topLevelOnly: topLevelOnly) }
    }

    private func walk(_ relative: String, topLevelOnly: Bool) -> String {
        var entries: [String: FolderMemo.Entry]?
        return walk(relative, topLevelOnly: topLevelOnly, entries: &entries)
    }

    /// `entries`, when given: what was found at every path under this one — its stamps as
    /// `stamp(of:)` gives them, listing, kind and whether it is a link — so that a walk of everything
    /// answers the loader's questions without asking the file system again.
    func walk(_ relative: String, topLevelOnly: Bool, entries: inout [String: FolderMemo.Entry]?) -> String {
        var out = ""
        let record = entries != nil && !topLevelOnly
        func visit(_ path: String, _ name: String, depth: Int) {
            // lstat, then stat only for a link (followed only when the loader follows it).
            var st = stat()
            guard lstat(path, &st) == 0 else { return }
            let link = (st.st_mode & S_IFMT) == S_IFLNK
            guard !link || stat(path, &st) == 0 else {
                if record { entries![name] = FolderMemo.Entry(isDirectory: false, exists: false, plain: PlainPath.no) }
                return
            }
            let isDirectory = (st.st_mode & S_IFMT) == S_IFDIR
            if link && !followLinks {
                // Refused when read; its target is part of the stamp, so a changed link is a change.
                if isDirectory && topLevelOnly && depth > 0 { return }
                let stamp = "\(name)@\(Self.linkTarget(path));"
                out += stamp
                if record {
                    entries![name] = FolderMemo.Entry(stamp: stamp, topStamp: isDirectory ? stamp : nil, isDirectory: isDirectory,
                                                      exists: true, plain: PlainPath.no)
                }
                return
            }
            if isDirectory {
                if topLevelOnly && depth > 0 { return }
                let start = out.utf8.count
                out += "\(name)/;"
                let names = Self.names(in: path)
                let relative = names.map { name.isEmpty ? $0 : name + "/" + $0 }
                if names.count >= 64 && !topLevelOnly {
                    // A folder of many (departments/): its entries are walked in parallel, joined in order.
                    let parts = parallelMap(relative) { e -> (String, [String: FolderMemo.Entry]?) in
                        var inner: [String: FolderMemo.Entry]? = record ? [:] : nil
                        return (walk(e, topLevelOnly: false, entries: &inner), inner)
                    }
                    for (text, inner) in parts {
                        out += text
                        if let inner { entries!.merge(inner) { a, _ in a } }
                    }
                } else {
                    for (e, r) in zip(names, relative) { visit(path + "/" + e, r, depth: depth + 1) }
                }
                if record {
                    // The top-level stamp: this folder's own files (links followed), as a walk of it alone gives.
                    var top = "\(name)/;"
                    for r in relative { if let e = entries![r], e.isDirectory == false, e.exists == true, let stamp = e.stamp { top += stamp } }
                    entries![name] = FolderMemo.Entry(stamp: String(out.utf8.dropFirst(start))!, topStamp: top, children: names,
                                                      isDirectory: true, exists: true, plain: link ? .no : .folder)
                }
            } else {
                let stamp = fileStamp(name, path, st)
                out += stamp
                let plain: PlainPath = link ? .no : (st.st_mode & S_IFMT) == S_IFREG ? .file : .special
                if record { entries![name] = FolderMemo.Entry(stamp: stamp, isDirectory: false, exists: true, plain: plain) }
            }
        }
        visit(path(relative), relative, depth: 0)
        return out
    }

    static func linkTarget(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, Int(PATH_MAX))
        return n < 0 ? "?" : String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Size, modification and change time, inode (and "#edited" for a file whose bytes changed under
    /// the same metadata, `Freshness`): a file restored with `touch -r`, or replaced by another of the
    /// same size and time, has another stamp.
    private func fileStamp(_ relative: String, _ path: String, _ st: stat) -> String {
        let metadata = "\(st.st_size):\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec):\(st.st_ctim.tv_sec).\(st.st_ctim.tv_nsec):\(st.st_ino)"
        return relative + ":" + metadata + (freshness?.suffix(relative, path: path, metadata: metadata, st) ?? "") + ";"
    }

    /// The entries of a folder without hidden ones, sorted (readdir: FileManager costs several times more).
    static func names(in path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(name) }
        }
        return names.sorted()
    }

    /// True when the path may be read: plain files and folders all the way from the root, or links
    /// followed (`followLinks`) to plain files and folders inside the site root. Records an error otherwise.
    func isInside(_ relative: String) -> Bool {
        // Only a yes is remembered: a refused path is reported by every build.
        if let memo, memo.lock.withLock({ memo.entries[relative]?.inside }) == true { return true }
        var refusal: (at: String, message: String)?
        switch firstNonPlain(relative) {
        case nil:
            memo?.lock.withLock { memo!.set(relative) { $0.inside = true } }
            return true
        case (let at, .special)?:
            refusal = (at, localized("这不是普通文件，而是命名管道、设备或套接字；内容文件夹中只能有普通文件和文件夹",
                                     en: "this is a named pipe, device or socket, not a file; the content folder may hold only plain files and folders"))
        case (let at, _)?:
            let target = Self.linkTarget(path(at))
            let real = url(relative).resolvingSymlinksInPath().path
            var st = stat()
            let plain = stat(real, &st) == 0 && [S_IFREG, S_IFDIR].contains(st.st_mode & S_IFMT)
            if !followLinks {
                refusal = (at, localized("这是一个指向 \(target) 的符号链接；sitegen 默认不读取链接。请把文件复制进来，或者用 --follow-symlinks 允许指向站点文件夹之内的链接",
                                         en: "this is a symbolic link to \(target); sitegen does not read links by default. Copy the file in, or allow links that stay inside the site folder with --follow-symlinks"))
            } else if !(real == realSite || real.hasPrefix(realSite + "/")) || !plain {
                refusal = (at, localized("这是一个指向 \(real) 的符号链接，它在站点文件夹之外（或不是普通文件）；请把文件复制进来",
                                         en: "this is a symbolic link to \(real), outside the site folder (or not a plain file); copy the file in instead"))
            }
        }
        guard let refusal else { return true }
        let diagnostic = Diagnostic.error(SourceLocation(file: refusal.at), refusal.message)
        lock.withLock {
            if !_escapes.contains(diagnostic) { _escapes.append(diagnostic) }
        }
        return false
    }

    /// The first part of the path, from the root, that is not a plain file or folder (without
    /// resolving links: one lstat per new folder instead of resolving every path), and what it is.
    private func firstNonPlain(_ relative: String) -> (String, PlainPath)? {
        var prefix = ""
        for part in relative.split(separator: "/") {
            let next = prefix.isEmpty ? String(part) : prefix + "/" + part
            if part == ".." || part == "." { return (next, .no) }
            let plain = remembered(next, \.plain) {
                var st = stat()
                guard lstat(rootPath + "/" + next, &st) == 0, (st.st_mode & S_IFMT) != S_IFLNK else { return PlainPath.no }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: return .folder
                case S_IFREG: return .file
                default: return .special
                }
            }
            if plain == .no || plain == .special { return (next, plain) }
            prefix = next
        }
        return nil
    }

    /// True when `name.yaml`, `.yml` or `.json` exists but is a link leading outside (already reported).
    func isRefusedLink(_ base: String) -> Bool {
        ["yaml", "yml", "json"].map { "\(base).\($0)" }.contains { fileExists($0) && !isInside($0) }
    }

    func exists(_ relative: String) -> Bool { fileExists(relative) && isInside(relative) }

    func isDirectory(_ relative: String) -> Bool {
        remembered(relative, \.isDirectory) {
            var st = stat()
            return stat(path(relative), &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
        } && isInside(relative)
    }

    /// Whether something is at the path (links followed). A name missing from its folder's listing,
    /// when that is known, is not there (no stat for department.yml and .json beside department.yaml).
    func fileExists(_ relative: String) -> Bool {
        if let memo, !relative.isEmpty {
            let slash = relative.lastIndex(of: "/")
            let folder = slash.map { String(relative[..<$0]) } ?? ""
            let name = slash.map { relative[relative.index(after: $0)...] } ?? relative[...]
            if !name.hasPrefix("."), let listing = memo.lock.withLock({ memo.entries[folder]?.children }),
               !listing.contains(where: { $0 == name }) {
                return false
            }
        }
        return remembered(relative, \.exists) {
            var st = stat()
            return stat(path(relative), &st) == 0
        }
    }

    /// Entries of a folder, sorted, without hidden files.
    func children(_ relative: String) -> [String] { remembered(relative, \.children) { Self.names(in: path(relative)) } }

    /// `name.yaml`, `name.yml` or `name.json`, whichever exists.
    /// More than one of them is an error: an editor may be changing the file that is not read.
    func dataFile(_ base: String) -> String? {
        let present = ["yaml", "yml", "json"].map { "\(base).\($0)" }.filter(fileExists)
        guard let first = present.first else { return nil }
        let name = { (path: String) in String(path.split(separator: "/").last ?? "") }
        for other in present.dropFirst() {
            let diagnostic = Diagnostic.error(SourceLocation(file: other), "found both \(name(first)) and \(name(other)); expected only one (\(name(first)) is read — delete or rename the other)")
            lock.withLock { if !_escapes.contains(diagnostic) { _escapes.append(diagnostic) } }
        }
        return isInside(first) ? first : nil
    }

    /// Every file is read through here: a path that may not be read (`isInside`) is reported there, once.
    func read(_ relative: String, limits: ContentLimits) -> Swift.Result<SourceFile, Diagnostic>? {
        guard isInside(relative) else { return nil }
        return SourceFile.read(url(relative), relativePath: relative, limits: limits)
    }

    /// A Markdown file, if present.
    func prose(_ relative: String, limits: ContentLimits, into bag: inout DiagnosticBag) -> Prose? {
        guard exists(relative) else { return nil }
        switch read(relative, limits: limits) {
        case .success(let f)?: return Prose(text: f.text, location: SourceLocation(file: relative, line: 1))
        case .failure(let d)?: bag.add(d); return nil
        case nil: return nil
        }
    }
}

extension Decoder {
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
                    error(node, "found \(node.kindName) at the top of the file; expected a mapping (key: value lines)")
                    return nil
                }
                return node
            }
        }
    }

    mutating func siteConfig(_ node: Located) -> SiteConfig {
        expectKeys(node, ["title", "region", "base_url", "language", "theme", "markdown", "checks", "regions", "limits"], "site.yaml")
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
                error(list, "regions: expected a list of - {slug: …, name: …, parent: …}, found \(list.kindName)")
                return c
            }
            for item in items {
                expectKeys(item, ["slug", "name", "parent"], "regions")
                guard let slug = string(item["slug"], "region slug", required: true, at: item),
                      let name = name(item["name"], "region name", required: true, at: item) else { continue }
                if let message = Decoder.invisibleInSlug(slug, localized("地区 slug", en: "region slug")) {
                    error(item["slug"]!, message)
                } else if !ContentLoader.isValidSlug(slug) {
                    error(item["slug"]!, "region slug '\(slug)': use lower-case ASCII letters, digits and - (it is part of URLs)")
                }
                if c.regions.contains(where: { $0.slug == slug }) { error(item, "region slug '\(slug)' appears twice") }
                c.regions.append(Region(slug: slug, name: name, parent: string(item["parent"], "region parent")))
            }
            for r in c.regions where r.parent != nil && !c.regions.contains(where: { $0.slug == r.parent }) {
                error(node["regions"]!, "region '\(r.slug)': parent '\(r.parent!)' is not a declared region slug")
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
        return c
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
        let levels = classification == .functional ? "3 (类), 5 (款) or 7 (项)" : "3 (类) or 5 (款)"
        // Every code of the file with its line, to tell "comes before its parent" from "parent missing".
        var lineOf: [String: Int] = [:]
        for (k, _) in m { if let c = k.scalar, lineOf[c] == nil { lineOf[c] = k.location.line } }
        for (k, v) in m {
            guard let code = k.scalar, code.allSatisfy({ $0.isASCII && $0.isNumber }), lengths.contains(code.count) else {
                let found = k.scalar.map { "'\($0)'" + ($0.allSatisfy { $0.isASCII && $0.isNumber } ? " (\($0.count) digits)" : "") } ?? k.kindName
                error(k, "catalogue key: found \(found); expected a \(kindName) code of \(levels) digits, quoted: \"201\"")
                continue
            }
            guard let name = name(v, "name of \(code)", required: true, at: k) else { continue }
            if code.count > 3 {
                let parent = String(code.prefix(code.count - 2))
                let level = parent.count == 3 ? "类" : "款"
                let table = classification == .functional ? catalog.functional : catalog.economic
                if table[parent] == nil {
                    if let line = lineOf[parent] {
                        error(k, "catalogue code \(code) comes before its \(level) \(parent) (line \(line)); expected every code after its parent")
                    } else {
                        error(k, "catalogue code \(code): its \(level) \(parent) is not in the catalogue; expected \"\(parent)\": <name> on a line before it")
                    }
                }
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
        guard let name = name(node["name"], "name (单位名称)", required: true, at: node) else { return nil }
        let kind = self.name(node["kind"], "kind (单位性质)", required: true, at: node) ?? ""
        let kinds = ["行政单位", "参公事业单位", "事业单位", "其他"]
        if let k = node["kind"], !kinds.contains(kind) {
            error(k, "kind (单位性质): found '\(kind)'; expected one of: \(kinds.joined(separator: ", "))")
        }
        var parent = string(node["parent"], "parent")
        if let p = parent, let at = node["parent"], let message = Decoder.invisibleInSlug(p, "parent") {
            error(at, message)
            parent = nil
        }
        return Department(slug: slug, name: name, kind: kind, parent: parent,
                          region: self.name(node["region"], "region") ?? defaultRegion, code: string(node["code"], "code"),
                          dutiesIntro: string(node["duties_intro"], "duties_intro"), duties: strings(node["duties"], "duties"),
                          location: node.location)
    }

    mutating func disclosure(_ fs: ContentFolder, dir: String, department: String, year: Int, catalogs: [Int: Catalog],
                             incomplete: Set<Classification> = []) -> Disclosure? {
        guard let path = fs.dataFile("\(dir)/disclosure") else {
            if !fs.isRefusedLink("\(dir)/disclosure") {
                bag.error(SourceLocation(file: "\(dir)/disclosure.yaml"), "missing disclosure.yaml (form and the ten tables) for \(department) \(year)")
            }
            return nil
        }
        guard let node = parse(fs, path), var disclosure = disclosure(node, dir: dir, department: department, year: year,
                                                                     catalogs: catalogs, incomplete: incomplete) else { return nil }
        disclosure.explanation = fs.prose("\(dir)/explanation.md", limits: limits, into: &bag)
        if disclosure.explanation == nil, !fs.exists("\(dir)/explanation.md") { bag.warning(SourceLocation(file: "\(dir)/explanation.md"), "no 情况说明 (explanation.md) for \(department) \(year)") }
        disclosure.glossary = fs.prose("\(dir)/glossary.md", limits: limits, into: &bag)
        if let p = fs.dataFile("\(dir)/performance"), let pn = parseAny(fs, p) { disclosure.performance = performanceTables(pn) }
        for file in fs.children("\(dir)/reports") where file.hasSuffix(".md") {
            if let r = report(fs, "\(dir)/reports/\(file)") { disclosure.reports.append(r) }
        }
        return disclosure
    }

    /// The disclosure.yaml part of a disclosure (without its Markdown, performance and report files).
    mutating func disclosure(_ node: Located, dir: String, department: String, year: Int, catalogs: [Int: Catalog],
                             incomplete: Set<Classification> = []) -> Disclosure? {
        expectKeys(node, ["year", "form", "published", "overview", "prior", "tables"], "disclosure.yaml")
        if let y = int(node["year"], "year"), y != year, let n = node["year"] {
            error(n, "year: found \(y), but the folder is \(dir); expected \(year) (or move the file to the \(y) folder)")
        }
        var form = 2022
        if let f = node["form"], !f.isNull {
            if let text = f.scalar, let v = Int(text), [2022, 2023].contains(v) {
                form = v
            } else {
                error(f, "form: found \(f.scalar.map { "'\($0)'" } ?? f.kindName); expected 2022 or 2023 (the layout of 公开06/09/10表)")
            }
        } else {
            error(node, "missing form: expected form: 2022 or form: 2023 (the layout of 公开06/09/10表)")
        }
        guard let catalog = catalogs[year] else {
            error(node["year"] ?? node, "no code catalogue for \(year): expected catalogs/\(year)/functional.yaml and economic.yaml")
            return nil
        }
        let published = string(node["published"], "published")
        if let p = published, let n = node["published"], !isDate(p) { error(n, "published: found '\(p)'; expected a date YYYY-MM-DD such as 2023-09-15") }

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
        let tables = tables(node["tables"], form: form, catalog: catalog, parent: node, others: catalogs, incomplete: incomplete)
        return Disclosure(department: department, year: year, form: form, published: published, institutions: institutions,
                          staff: staff, overviewNote: note, tables: tables, prior: prior, location: node.location)
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
            error(node, "performance.yaml: found \(node.kindName); expected a list of 绩效自评表 (- kind: project …)")
            return []
        }
        return items.compactMap { item in
            guard item.mapping != nil else {
                error(item, "performance.yaml: found \(item.kindName); expected a 绩效自评表 entry (kind:, title:, funds:, …)")
                return nil
            }
            expectKeys(item, ["kind", "title", "fields", "funds", "deviation", "goals", "indicators", "total", "grade"], "绩效自评表")
            let kindText = string(item["kind"], "绩效自评表 kind (project or overall)", required: true, at: item) ?? "project"
            guard let kind = PerformanceTable.Kind(rawValue: kindText) else {
                error(item["kind"] ?? item, "绩效自评表 kind: found '\(kindText)'; expected project (项目支出绩效自评表) or overall (部门整体支出绩效自评表)")
                return nil
            }
            let title = name(item["title"], "绩效自评表 title (项目名称 / 部门（单位）名称)", required: true, at: item) ?? ""
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
                            error(node, "report front matter: found \(node.kindName); expected title: and table: lines")
                        } else {
                            expectKeys(node, ["title", "table"], "report front matter")
                            title = name(node["title"], "title") ?? slug
                            table = textTable(node["table"], "table")
                        }
                    }
                }
            } else {
                bag.error(SourceLocation(file: path, line: 1), "the front matter that starts on this line is not closed; expected a line --- after the title: and table: lines")
            }
        }
        return EvaluationReport(slug: slug, title: title, body: Prose(text: body, location: SourceLocation(file: path, line: firstLine), firstLine: firstLine), table: table)
    }
}

/// Whether a path and the folders above it are free of symbolic links (`ContentFolder.hasNoLinks`).
/// What a path is, without following links: `no` is a link (or not there), `special` a named pipe,
/// device or socket.
enum PlainPath: Sendable { case folder, file, no, special }

/// What `ContentFolder` found at each path — listings, stamps, existence, links — for one build, or
/// kept between the builds of one process whose owner reports every changed path (`serve`). A changed
/// path forgets its own entry, every folder above it (their listings and stamps include it) and, for a
/// folder, everything below it.
public final class FolderMemo: @unchecked Sendable {
    struct Entry {
        var stamp: String?
        var topStamp: String?
        var children: [String]?
        var isDirectory: Bool?
        var exists: Bool?
        var plain: PlainPath?
        /// Inside the content folder, links resolved (only `true` is kept).
        var inside: Bool?
    }

    let lock = NSLock()
    private(set) var entries: [String: Entry] = [:]
    /// Every folder above a path that has or had an entry: a changed path that is not one of them has
    /// nothing below it to forget (an editor's temporary file), without a look at every entry (a large
    /// site has many per disclosure: bench/README.md#figures-that-were-in-code-comments).
    private var parents: Set<String> = []
    /// How many times `forget` looked at every entry (for a changed folder).
    private(set) var scans = 0

    init() {}

    /// What one walk of everything found (`ContentLoader.stamp`): every folder it listed is above an entry.
    init(walked: [String: Entry]) {
        entries = walked
        parents = Set(walked.compactMap { $0.value.children == nil ? nil : $0.key })
    }

    /// Changes the entry of `path` (made if new); called under `lock`.
    func set(_ path: String, _ change: (inout Entry) -> Void) {
        if entries[path] == nil {
            for folder in RelativePath.folders(above: path) {
                // Each is put in with the folders above it: one already there has them.
                if !parents.insert(folder).inserted { break }
            }
        }
        change(&entries[path, default: Entry()])
    }

    func forget(_ changed: [String]) {
        lock.withLock {
            var below: [String] = []
            for path in changed {
                if path.isEmpty { entries = [:]; parents = []; return }
                entries[path] = nil
                if parents.contains(path) { below.append(path + "/") }
                for folder in RelativePath.folders(above: path) { entries[folder] = nil }
            }
            // A changed folder: one pass over the keys, compared as bytes (`hasPrefix` compares characters).
            if !below.isEmpty {
                scans += 1
                let doomed = entries.keys.filter { key in below.contains { key.utf8.starts(with: $0.utf8) } }
                for key in doomed { entries[key] = nil }
            }
        }
    }
}
