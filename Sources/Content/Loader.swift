import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Incremental
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

    /// Disclosures as read, a batch of whole departments at a time (`load`'s `batch`), in order of
    /// department and year.
    public struct Batch: Sendable {
        /// Everything but the disclosures.
        public var content: SiteContent
        public var sharedStamp: String
        /// What each year folder of the batch was read from, as `Result.stamps`.
        public var stamps: [String: String]
        public var read: [Disclosure]
        /// The batch's disclosures not read (`Reuse`), as `Result.kept`.
        public var kept: [(department: String, year: Int)]

        public init(content: SiteContent, sharedStamp: String, stamps: [String: String], read: [Disclosure],
                    kept: [(department: String, year: Int)]) {
            self.content = content
            self.sharedStamp = sharedStamp
            self.stamps = stamps
            self.read = read
            self.kept = kept
        }
    }

    /// What an earlier build made of the content, for a build in another process.
    public struct Reuse: Sendable {
        /// What reading a year folder (`departments/<slug>/<year>`) reported then, asked for with the
        /// stamps of everything else and of the folder, when that build's results still hold (the
        /// folder is then not read), else nil.
        public typealias Folder = @Sendable (_ shared: String, _ folder: String, _ stamp: String) -> [Diagnostic]?

        public var folder: Folder { keptFolders.value }
        /// What each department.yaml gave, by path, with its stamp then (as `Cache.departments`).
        public var departments: [String: KeptDepartment] { keptDepartments.value }
        private let keptFolders: LazyBox<Folder>
        private let keptDepartments: LazyBox<[String: KeptDepartment]>

        /// Each is made when the load first asks for it, once: before, it reads site.yaml and the
        /// catalogues while the store may still be decoding what they are made from. The load asks
        /// once per step, not once per folder.
        public init(departments: @escaping @Sendable () -> [String: KeptDepartment], folder: @escaping @Sendable () -> Folder) {
            keptFolders = LazyBox(folder)
            keptDepartments = LazyBox(departments)
        }
    }

    /// What a department.yaml gave (it read without any message), and the stamp it had: the same
    /// stamp gives the same department without reading the file.
    public struct KeptDepartment: Sendable, Codable {
        public var stamp: String
        public var department: Department
        /// Where its `parent` is written, for the messages of the checks across departments.
        public var parent: SourceLocation?

        public init(stamp: String, department: Department, parent: SourceLocation?) {
            self.stamp = stamp
            self.department = department
            self.parent = parent
        }
    }

    /// Which year folders a load reads; site.yaml, the catalogues, the forms and every
    /// department.yaml are always read (the region tree, names and parents need them all).
    public enum Selection: Sendable, Equatable {
        case all
        /// Those of the departments in the region (by slug) or in a region inside it.
        case region(String)
        case none
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
                                                    incomplete: [], forms: result.content!.forms) else { return nil }
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
    /// `selection`: which year folders are read (`sitegen build --region`: one region's; `sitegen
    /// merge`: none — it takes the disclosures from the shards' manifests).
    /// `batch`: given the disclosures read, a batch of whole departments at a time (at least
    /// `batchSize` year folders, but for the last), instead of `content.disclosures` (a load with a
    /// `cache` returns them all in the result, as without `batch`).
    public static func load(from root: URL, cache: Cache? = nil, reuse: Reuse? = nil, walked: FolderMemo? = nil,
                            followLinks: Bool = false, selection: Selection = .all,
                            batchSize: Int = 256, batch: ((Batch) -> Void)? = nil) -> Result {
        // Without a watcher's reports, a memo for this build only: each path is stat-ed once.
        let fs = ContentFolder(root: root, memo: cache?.memo ?? walked ?? FolderMemo(), followLinks: followLinks)
        if let cache, let result = cache.reload(fs) { return result }
        guard fs.isDirectory("") else {
            return Result(content: nil, diagnostics: [.error(SourceLocation(file: root.path), localized("找不到内容文件夹", en: "content folder not found"))])
        }
        var loading = Loading(fs: fs, cache: cache, reuse: reuse)
        let config = loading.siteConfig()
        let glossary = fs.prose("glossary.md", limits: config.limits, into: &loading.bag)
        let catalogs = loading.catalogs(limits: config.limits)
        let forms = FormFiles.load(fs, limits: config.limits, into: &loading.bag)
        var departments = loading.departments(region: config.region, limits: config.limits)
        loading.checkParents(departments.list, parentLocations: departments.parentLocations)
        loading.select(selection, regions: config.regions, departments: &departments)
        return loading.disclosures(config: config, glossary: glossary, catalogs: catalogs, forms: forms, departments: departments,
                                   batch: batch.map { (batchSize, $0) })
    }

    /// Decodes one disclosure.yaml from memory, without the file system (fuzzing, tests): the same checks and
    /// messages as a build for `departments/<department>/<year>/disclosure.yaml`, without its Markdown files.
    public static func decodeDisclosure(bytes: [UInt8], department: String = "test-dept", year: Int = 2022,
                                        catalogs: [Int: Catalog], limits: ContentLimits = ContentLimits()) -> (disclosure: Disclosure?, diagnostics: [Diagnostic]) {
        let dir = "departments/\(department)/\(year)"
        var d = Decoder(limits: limits)
        guard let node = d.parse(SourceFile.decode(bytes, relativePath: "\(dir)/disclosure.yaml")) else { return (nil, d.bag.sorted) }
        let disclosure = d.disclosure(node, dir: dir, department: department, year: year, catalogs: catalogs, forms: FormFiles.national)
        return (disclosure, d.bag.sorted)
    }

    public static func decodeDisclosure(text: String, department: String = "test-dept", year: Int = 2022,
                                        catalogs: [Int: Catalog], limits: ContentLimits = ContentLimits()) -> (disclosure: Disclosure?, diagnostics: [Diagnostic]) {
        decodeDisclosure(bytes: Array(text.utf8), department: department, year: year, catalogs: catalogs, limits: limits)
    }

    /// One disclosure read from its year folder, as `load` reads it (a build that kept the results of
    /// an earlier one for it, `reuse`, reads it when a page needs it); nil when it no longer reads
    /// without errors. `limits`: those of the site (`SiteConfig.limits`); when not given, read from its site.yaml.
    /// `forms`: the site's forms (`SiteContent.forms`); when not given, read from its forms/.
    public static func disclosure(in root: URL, department: String, year: Int, catalogs: [Int: Catalog],
                                  followLinks: Bool = false, limits: ContentLimits? = nil, forms: [String: PrintedForm]? = nil) -> Disclosure? {
        let fs = ContentFolder(root: root, memo: FolderMemo(), followLinks: followLinks)
        var d = Decoder(limits: limits ?? siteLimits(fs))
        let forms = forms ?? FormFiles.load(fs, limits: d.limits, into: &d.bag)
        let disclosure = d.disclosure(fs, dir: "departments/\(department)/\(year)",
                                      department: department, year: year, catalogs: catalogs, forms: forms)
        return d.bag.hasErrors ? nil : disclosure
    }

    /// `limits:` of the folder's site.yaml (the defaults when it has none or it does not read).
    static func siteLimits(_ fs: ContentFolder) -> ContentLimits {
        var d = Decoder(limits: ContentLimits())
        guard let site = fs.dataFile("site"), let node = d.parse(fs, site) else { return ContentLimits() }
        return d.siteConfig(node).limits
    }

    /// Names, sizes, times and inodes of every file under the content folder, as one fingerprint:
    /// equal stamps mean no content file changed (no-op builds).
    /// `walked`: what the walk found at every path (listings, stamps, links), for the `load` that follows.
    /// `freshness`: the files the last build found fresh; after the walk, those this one found.
    public static func stamp(_ root: URL, followLinks: Bool = false, freshness: Freshness = Freshness()) -> (stamp: String, walked: WalkedPaths) {
        var entries: [(String, FolderMemo.Entry)]? = []
        let folder = ContentFolder(root: root, followLinks: followLinks, freshness: freshness)
        let stamp = Digest.fnv1a(folder.walk("", topLevelOnly: false, entries: &entries))
        return (stamp, WalkedPaths(entries: entries ?? []))
    }

    static func isValidSlug(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 } && s.first != "-"
    }
}
