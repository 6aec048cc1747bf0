import Check
import Content
import DefaultTheme
import Foundation
import Incremental
import Model
import Pipeline
import Support
import Theme
import Views

/// The whole build, step by step: claim the output folder → stop if nothing changed → load, derive,
/// check (`Analyser`) → load the theme → plan the pages → render → publish → record what was made.
public enum SiteBuilder {
    /// `store`: what a process that builds again and again keeps in memory (`serve`); without one,
    /// a build keeps what the next needs in a file beside the output folder (`BuildState`).
    public static func build(_ options: BuildOptions, store: MemoryStore? = nil) -> Result<BuildReport, BuildFailure> {
        var run = BuildRun(options: options, memory: store)
        do throws(BuildFailure) {
            let folder = try run.claim()
            let last = run.lastBuild(folder)
            if let report = last.upToDate {
                releaseInBackground(consume last)
                return .success(report)
            }
            let model = try run.analyse(last)
            let theme = try run.theme(model.content.config, store: last.store)
            let plan = run.plan(model, theme: theme, folder: folder, last: last)
            let rendering = try run.render(plan, model: model, theme: theme, folder: folder)
            try run.publish(plan, rendering.writer)
            let report = run.record(plan, rendering, model: model, folder: folder, last: last)
            // The walk, the decoded state, the model and the plan are freed while the report is
            // printed (or never, when the process exits first); the output folder, whose lock the
            // next build in this process takes, is let go here as before.
            releaseInBackground((consume last, consume model, consume plan))
            return .success(report)
        } catch {
            return .failure(error)
        }
    }
}

/// What the last build into the folder left, as far as this build uses it.
struct LastBuild {
    /// Set when nothing changed since (a no-op build): what to report.
    var upToDate: BuildReport?
    /// The fingerprint of every input now (a build in a new process).
    var inputs = ""
    /// What it kept: `serve`'s memory, or what the state file beside the folder holds.
    var store: any Store = DiskStore()
    /// What the walk of the no-op check found in the content folder, for the load.
    var walked: FolderMemo?
    /// Content files too recent to trust their stamps: hashed now, and again by the next build.
    var freshness = Freshness()
}

/// The pages of this build: every group with what it publishes, and the pages to render again.
struct BuildPlan {
    struct Group {
        var id: String
        var record: Published.Group
        /// Pages to render again; nil when the group is kept whole.
        var stale: [Page]?
        /// Kept as published although changed, for the next build to make (`downloadsLater`).
        var waits: Bool
    }

    let groups: [Group]
    /// What was published before, and whether this build changes it in place.
    let previous: Published
    let update: Bool
    let stamps: [DisclosureStamps]
    /// The pages of this build and what they read.
    let listing: PageGraph.Listing
    /// The pages to render again, of every group.
    let stale: [Page]
    /// Of the stale pages, those of the files group (sitemap, theme files): not counted as rendered.
    let staleFiles: Int
    /// What this build publishes, group by group.
    let published: Published

    init(groups: [Group], previous: Published, update: Bool, stamps: [DisclosureStamps], listing: PageGraph.Listing) {
        self.groups = groups
        self.previous = previous
        self.update = update
        self.stamps = stamps
        self.listing = listing
        stale = groups.flatMap { $0.stale ?? [] }
        staleFiles = groups.last?.stale?.count ?? 0
        var published = Published()
        published.groups.reserveCapacity(groups.count)
        for g in groups { published.groups[g.id] = g.record }
        self.published = published
    }
}

/// The pages rendered and written (not yet published), and what rendering them took.
struct Rendering {
    var writer: Output
    var diagnostics: [Diagnostic]
    /// Per template or download kind: views, template and write time summed over threads, and pages.
    var templates: [String: ([Duration], Int)]
}

/// One build's steps and what they share: the options, the process's store, and the stage times.
struct BuildRun {
    let options: BuildOptions
    /// `serve`'s store, kept in memory across builds.
    let memory: MemoryStore?
    let clock = ContinuousClock()
    var stages: [(String, Duration, Int)] = []
    let siteRoot: URL
    /// The theme folders whose files are inputs (the site's themes/ and the built-in theme).
    let themeInputs: [URL]
    /// What the pages need of each disclosure read, made while the analysis had it in hand.
    let visited = Locked<[String: DisclosureStamps]>([:])

    init(options: BuildOptions, memory: MemoryStore?) {
        self.options = options
        self.memory = memory
        siteRoot = options.content.standardizedFileURL.deletingLastPathComponent()
        themeInputs = (options.themeFolders ?? [siteRoot.appendingPathComponent("themes")]) + [DefaultTheme.folder].compactMap { $0 }
    }

    /// The folder is sitegen's, no other build publishes there, and what a killed build left is undone.
    func claim() throws(BuildFailure) -> OutputFolder {
        try OutputFolder.claim(options.output, content: options.content, protected: themeInputs).get()
    }

    /// What the last build left; `upToDate` when nothing changed since (by any process). `serve`
    /// keeps its own state in memory: the file's would be out of date as soon as it rebuilds.
    mutating func lastBuild(_ folder: OutputFolder) -> LastBuild {
        let start = clock.now
        let output = folder.url
        var last = LastBuild()
        if let memory {
            // The process's first build: what a build in another process kept may serve.
            if memory.kept(Published.shelf) == nil {
                memory.back(with: BuildState.store(for: output, content: options.content))
                BuildState.remove(for: output)
            }
            last.store = memory
            return last
        }
        let recorded = BuildState.read(of: output)
        last.freshness = Freshness(recorded: recorded?.fresh ?? [:])
        let walked: WalkedPaths
        (last.inputs, walked) = BuildState.inputs(content: options.content, themeFolders: themeInputs, links: options.themeLinks,
                                                  freshness: last.freshness)
        // A shard's folder holds another part of the site than a full build's.
        if let region = options.region { last.inputs += "|region=" + region }
        stages.append(("stat", clock.now - start, recorded?.files ?? 0))
        if let recorded, !options.force, recorded.inputs == last.inputs {
            // Files no longer fresh need no hashing next time (only after recent edits).
            if recorded.fresh != last.freshness.fresh {
                var state = recorded
                state.fresh = last.freshness.fresh
                state.write(BuildState.store(for: output, content: options.content), for: output)
            }
            last.upToDate = BuildReport(pages: 0, files: recorded.files, disclosures: 0, warnings: [], findings: [], stages: stages,
                                        upToDate: recorded.summary)
            releaseInBackground(walked)
            return last
        }
        // The walk's table for the load, made while the state is read.
        let (content, reusable) = (options.content, recorded != nil && !options.force)
        let (memo, store) = concurrently({ FolderMemo(walked: walked) },
                                         { reusable ? BuildState.store(for: output, content: content) : DiskStore() })
        (last.walked, last.store) = (memo, store)
        // Decoded on other threads: the shelves the load reuses at once side by side, not one after
        // the other; the plan's while the analysis runs.
        store.prefetch(PipelineShelves.departments)
        store.prefetch(PipelineShelves.read)
        store.prefetch(PipelineShelves.checked)
        store.prefetch(Published.shelf)
        store.prefetch(SiteShelves.stamps)
        return last
    }

    /// Load, derive and check; consistency errors stop the build unless the site publishes them.
    mutating func analyse(_ last: LastBuild) throws(BuildFailure) -> AnalysedSite {
        let visited = visited
        let model = try Analyser.analyse(content: options.content, stages: &stages, store: last.store, walked: last.walked,
                                         followLinks: options.followSymlinks, includeDrafts: options.drafts,
                                         selection: options.region.map { .region($0) } ?? .all,
                                         inHand: memory == nil ? options.inHand : .max) { d, files in
            let stamps = PageGraph.stamps(of: d, files: files)
            visited.withLock { $0[d.id] = stamps }
        }.get()
        let errors = model.findings.filter { $0.severity == .error }
        if model.content.config.checkErrorsStopBuild && !errors.isEmpty {
            throw BuildFailure(model.diagnostics + model.findings.map(\.diagnostic) + [
                .error(SourceLocation(file: "site.yaml"), localized(
                    "\(errors.count) 个一致性错误，本次不发布；请改正，或在 site.yaml 中写 `checks: {errors_stop_build: false}` 照原样发布",
                    en: "\(errors.count) consistency error(s) stop the build; fix them, or publish them as they are with `checks: {errors_stop_build: false}` in site.yaml")),
            ])
        }
        return model
    }

    /// The site's theme folder, then the built-in one; parsed again only when a file of them changed
    /// (serve keeps the last one).
    mutating func theme(_ config: SiteConfig, store: any Store) throws(BuildFailure) -> (theme: Theme, stamp: String) {
        let start = clock.now
        var folders = options.themeFolders ?? [siteRoot.appendingPathComponent("themes").appendingPathComponent(config.theme)]
        if let builtIn = DefaultTheme.folder { folders.append(builtIn) }
        folders = folders.filter { FileManager.default.fileExists(atPath: $0.path) }
        let links = options.themeLinks
        let stamp = Theme.stamp(folders, links: links)
        let theme: Theme
        if let kept = store.kept(SiteShelves.theme)?.single(key: SiteShelves.key(stamp)) {
            theme = kept
        } else {
            theme = try Theme.load(folders: folders, links: links).get()
            store.keep(SiteShelves.theme, Kept(theme, key: SiteShelves.key(stamp)))
        }
        stages.append(("theme", clock.now - start, theme.origins.count))
        return (theme, stamp)
    }

    /// Every page group with its key; of a group whose key changed, the pages whose own key changed.
    /// Of a shard (`options.region`) or a merge (`merge`), only the groups of its `BuildScope`.
    mutating func plan(_ model: AnalysedSite, theme: (theme: Theme, stamp: String), folder: OutputFolder, last: LastBuild,
                       merge: Merging? = nil) -> BuildPlan {
        let start = clock.now
        let config = model.content.config
        // Everything every page depends on, including the sitegen binary (a new version renders all again).
        let shared = Digest.fnv1a(model.sharedStamp + "|" + theme.stamp + "|" + BuildState.binary)
        let stamps = model.stamps, all = model.disclosures
        let store = last.store
        let visited = visited.withLock { all in defer { all = [:] }; return all }
        let (ids, keys, merged) = (model.ids, model.keys, merge?.stamps)
        // Made again only when site.yaml or a department.yaml changed (serve keeps them); made beside
        // the stamps, which need none of it.
        let regionsKey = SiteShelves.key(model.sharedStamp), departments = model.content.departments
        let (disclosureStamps, regions) = concurrently({
            merged ?? store.reuse(SiteShelves.stamps, Array(all.indices), ids: ids, keys: keys) {
                visited[all.ids[$0]] ?? PageGraph.stamps(of: all[$0], files: stamps[all.ids[$0]] ?? "?")
            }
        }, {
            store.kept(SiteShelves.regions)?.single(key: regionsKey) ?? PageGraph.Regions(config: config, departments: departments)
        })
        store.keep(SiteShelves.regions, Kept(regions, key: regionsKey))
        let listing = PageGraph.groups(model, config: config, shared: shared, stamps: disclosureStamps, regions: regions,
                                       rowsInTemplates: theme.theme.overridden.contains("partials/grid-row"))
        // What is published there now, as the last build kept it. A group whose key is unchanged keeps
        // its files without being listed page by page; in a changed group, pages whose key is
        // unchanged keep theirs.
        let output = folder.url
        let previous = store.kept(Published.shelf)?.single(key: 0, id: output.standardizedFileURL.path) ?? Published()
        let update = !previous.groups.isEmpty && FileManager.default.fileExists(atPath: output.path)
        let later = options.downloadsLater
        @Sendable func resolve(_ group: PageGroup) -> BuildPlan.Group {
            let old = update ? previous.groups[group.id] : nil
            // Kept as published, with the old key: the next build finds it changed and makes it.
            if let old, old.key == group.key || (later && group.canWait) {
                return BuildPlan.Group(id: group.id, record: old, stale: nil, waits: old.key != group.key)
            }
            let pages = listing.pages(of: group)
            let keys = pages.map { Digest.fnv1a($0.key) }
            let oldKeys = old.map { Dictionary(zip($0.paths, $0.keys), uniquingKeysWith: { a, _ in a }) } ?? [:]
            return BuildPlan.Group(id: group.id, record: Published.Group(key: group.key, paths: pages.map(\.path), keys: keys),
                                   stale: zip(pages, keys).filter { oldKeys[$0.0.path] != $0.1 }.map(\.0), waits: false)
        }
        let scope = BuildScope(shard: options.region, merged: merge?.regions ?? [], tree: listing.tree)
        var resolved = parallelMap(listing.groups.filter(scope.makes), resolve)
        // The sitemap and the theme's files come last: the sitemap lists the pages of all the others
        // (of a merge, the shards' too). A shard has its manifest instead.
        let listed = resolved.map(\.record), shardPaths = merge?.paths ?? []
        let shapes = listed.map(\.shape) + shardPaths.map(Published.Group.shape)
        if let region = options.region {
            resolved.append(resolve(PageGraph.shardFiles(region: region, listing: listing, shared: shared, shapes: shapes) { listed.map(\.paths) }))
        } else {
            resolved.append(resolve(PageGraph.files(theme: theme.theme, shared: shared, config: config, shapes: shapes) {
                listed.map(\.paths) + shardPaths
            }))
        }
        let plan = BuildPlan(groups: resolved, previous: previous, update: update, stamps: disclosureStamps, listing: listing)
        stages.append(("views", clock.now - start, plan.stale.count))
        return plan
    }

    /// Renders and writes the stale pages (into staging: nothing is published yet). Rendered and
    /// written at once by each thread: no page is held in memory. Files made from other files (the
    /// region ZIPs) come after all the others, and read them as written.
    /// `copies`: files of other folders to publish as they are (a merge's shard files: path, source),
    /// put in place before any page is made.
    mutating func render(_ plan: BuildPlan, model: AnalysedSite, theme: (theme: Theme, stamp: String),
                         folder: OutputFolder, copies: [(path: String, source: String)] = []) throws(BuildFailure) -> Rendering {
        let start = clock.now
        let writer: Output
        do throws(SystemError) {
            writer = try Output(folder, mode: plan.update ? .update : .replace, fault: options.fault)
        } catch {
            throw BuildFailure([publishFailure([error], output: options.output)])
        }
        let copyFailures = parallelMap(copies, threads: options.threads) { file -> SystemError? in
            do throws(SystemError) { try writer.copy(file.path, from: file.source) } catch { return error }
            return nil
        }.compactMap { $0 }
        let pages = theme.theme, listing = plan.listing, all = model.disclosures
        let stale = plan.stale
        // Each disclosure is let go once the pages that declare it are made (the files made from
        // files come last and read the downloads as written, not the disclosures).
        let work = stale.map { (page: $0, reads: $0.madeFromFiles ? [] : $0.disclosuresRead) }
        for item in work { for i in item.reads { all.expect(i) } }
        @Sendable func render(_ item: (page: Page, reads: [Int])) -> (kind: String, diagnostics: [Diagnostic], times: [Duration], failure: SystemError?) {
            let made = Self.render(item.page, reader: listing.reader(for: item.page), theme: pages, writer: writer)
            for i in item.reads { all.release(i) }
            return made
        }
        let rendered = parallelMap(work.filter { !$0.page.madeFromFiles }, threads: options.threads, render)
            + parallelMap(work.filter(\.page.madeFromFiles), threads: options.threads, render)
        var bag = DiagnosticBag()
        var templates: [String: ([Duration], Int)] = [:]
        let failures = copyFailures + rendered.compactMap(\.failure)
        if !failures.isEmpty { bag.add(publishFailure(failures, output: options.output)) }
        for page in rendered {
            bag.add(contentsOf: page.diagnostics)
            let old = templates[page.kind] ?? ([.zero, .zero, .zero], 0)
            templates[page.kind] = (zip(old.0, page.times).map { $0 + $1 }, old.1 + 1)
        }
        // A disclosure kept from the last build that no longer reads as it did (its files changed
        // during this build): its pages would show what is no longer there.
        for id in model.disclosures.failures {
            bag.error(SourceLocation(file: "departments/\(id)"), localized("在生成网站期间被修改；请重新生成", en: "changed while the site was built; build again"))
        }
        // A page that read what it did not declare would not be made again when that changes.
        for read in listing.undeclared.reads {
            bag.error(SourceLocation(file: "sitegen"), localized("内部错误：页面读取了未声明的输入（\(read)）", en: "internal error: a page read an input it did not declare (\(read))"))
        }
        if bag.hasErrors {
            writer.abort()
            throw BuildFailure(model.diagnostics + bag.sorted)
        }
        stages.append(("render", clock.now - start, rendered.count))
        return Rendering(writer: writer, diagnostics: bag.sorted, templates: templates)
    }

    /// One page: its view model and template (or its bytes), written; the times of each part.
    static func render(_ page: Page, reader: PageReader, theme: Theme, writer: Output)
        -> (kind: String, diagnostics: [Diagnostic], times: [Duration], failure: SystemError?) {
        let clock = ContinuousClock()
        let t0 = clock.now
        var bag = DiagnosticBag()
        let kind: String
        let bytes: [UInt8]
        var t1 = t0
        if let data = page.data {
            kind = "data ." + (page.path.split(separator: ".").last.map(String.init) ?? "")
            bytes = data(reader, writer.read)
            t1 = clock.now
        } else {
            kind = page.template
            let model = page.make(reader, &bag)
            t1 = clock.now
            bytes = Array(theme.render(page.template, model).utf8)
        }
        let t2 = clock.now
        do throws(SystemError) {
            if !bag.hasErrors { try writer.write(page.path, bytes) }
        } catch {
            return (kind, bag.items, [t1 - t0, t2 - t1, .zero], error)
        }
        return (kind, bag.items, [t1 - t0, t2 - t1, clock.now - t2], nil)
    }

    /// Files that are no longer made are removed, and the new files take the place of the old.
    mutating func publish(_ plan: BuildPlan, _ writer: Output) throws(BuildFailure) {
        let start = clock.now
        let remade = Set(plan.groups.filter { $0.stale != nil }.map(\.id))
        do throws(SystemError) {
            // From the first move on, the old state no longer describes the folder.
            if plan.update { BuildState.remove(for: writer.folder.url) }
            try writer.commit(removing: plan.update ? plan.published.removed(since: plan.previous, remade: remade) : [])
        } catch {
            throw BuildFailure([publishFailure([error], output: options.output)])
        }
        stages.append(("publish", clock.now - start, writer.count))
    }

    /// What was published, kept for the next build (in serve's memory, or in the state file beside
    /// the folder), and the report.
    func record(_ plan: BuildPlan, _ rendering: Rendering, model: AnalysedSite, folder: OutputFolder, last: LastBuild) -> BuildReport {
        let start = clock.now
        let output = folder.url
        let published = plan.published
        let warnings = (model.diagnostics + rendering.diagnostics).filter { $0.severity == .warning }
        let files = published.files
        let pageCount = files - (published.groups[PageGraph.filesGroup]?.paths.count ?? 0)
        let summary = localized("\(pageCount) 个页面、\(files) 个文件；当时有 \(warnings.count) 条警告、\(model.findings.count) 条检查发现",
                                en: "\(pageCount) pages, \(files) files; \(warnings.count) warning(s) and \(model.findings.count) finding(s) in that build")
        last.store.keep(Published.shelf, Kept(published, key: 0, id: output.standardizedFileURL.path))
        if let disk = last.store as? DiskStore, let identity = BuildState.folderIdentity(output) {
            BuildState(inputs: last.inputs, folder: identity, summary: summary, files: files, content: options.content.standardizedFileURL.path,
                       fresh: last.freshness.fresh).write(disk, for: output)
        }
        let templates = rendering.templates
        let stages = stages + [("record", clock.now - start, files)]
        return BuildReport(pages: pageCount, files: files, disclosures: model.disclosures.count,
                           warnings: warnings, findings: model.findings, stages: stages, rendered: plan.stale.count - plan.staleFiles,
                           templates: templates.keys.sorted().map { (name: $0, views: templates[$0]!.0[0], template: templates[$0]!.0[1],
                                                                     write: templates[$0]!.0[2], pages: templates[$0]!.1) },
                           waiting: plan.groups.filter(\.waits).count, drafts: options.drafts ? [:] : model.drafts)
    }
}
