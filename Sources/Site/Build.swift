import Check
import Content
import Pipeline
import DefaultTheme
import Derive
import Dispatch
import Foundation
import Incremental
import Model
import Support
import Theme
import Views

/// What a build needs to know.
public struct BuildOptions: Sendable {
    public var content: URL
    public var output: URL
    /// Theme folders searched before the built-in theme (default: `<site>/themes/<theme>/`).
    public var themeFolders: [URL]?
    /// Render with this many threads (nil = all cores).
    public var threads: Int?
    /// Ignore what the last build left (`.<output>.sitegen-state`): render and write every page.
    public var force: Bool
    /// Leave changed bulk downloads (a region's long CSV and ZIP) as they are, for a build right
    /// after this one to make (`serve`: the edited page is shown without waiting for them).
    /// Only in a folder that already has them; `BuildReport.waiting` counts the groups left.
    public var downloadsLater: Bool
    /// Follow symbolic links in the content and theme folders that lead to files inside the site
    /// root (`--follow-symlinks`); by default every link is refused.
    public var followSymlinks: Bool
    /// A failure made on purpose (tests; the command line reads `SITEGEN_FAULT`).
    public var fault: Fault?
    /// Publish drafts too (`status: draft`, or 【待填写】 left in their prose); `serve` shows them
    /// with a 草稿 banner. By default every draft is left out of every page and download.
    public var drafts = false
    /// Build one region's shard (`sitegen build --region`): the pages of the region and of the
    /// regions inside it, and a manifest for `sitegen merge`; nil: the whole site.
    public var region: String?
    /// How many completed disclosures a build keeps in hand from its analysis to its pages; the
    /// others are let go once checked and read again for their pages, so memory stays bounded at
    /// any number of disclosures (`serve` keeps them all: its next build reuses them).
    public var inHand = 2_000

    public init(content: URL, output: URL, themeFolders: [URL]? = nil, threads: Int? = nil, force: Bool = false,
                downloadsLater: Bool = false, followSymlinks: Bool = false, fault: Fault? = nil) {
        self.content = content
        self.output = output
        self.themeFolders = themeFolders
        self.threads = threads
        self.force = force
        self.downloadsLater = downloadsLater
        self.followSymlinks = followSymlinks
        self.fault = fault
    }
}

extension BuildOptions {
    /// The links a theme folder may hold: those of the content folder's rule.
    var themeLinks: LinkRule {
        LinkRule(follow: followSymlinks, root: content.standardizedFileURL.deletingLastPathComponent().resolvingSymlinksInPath().path)
    }
}

/// What a build did.
public struct BuildReport: Sendable {
    public var pages: Int
    public var files: Int
    public var disclosures: Int
    public var warnings: [Diagnostic]
    public var findings: [Finding]
    public var stages: [(String, Duration, Int)]
    /// Pages rendered this time (the others were unchanged and kept).
    public var rendered: Int = 0
    /// Per template (or download kind): time building view models (or the download), in the template,
    /// writing the file, and pages — summed over threads.
    public var templates: [(name: String, views: Duration, template: Duration, write: Duration, pages: Int)] = []
    /// Set when nothing changed since the last build into this folder: what that build reported.
    public var upToDate: String?
    /// Groups of bulk downloads left as they were (`BuildOptions.downloadsLater`), for the next build.
    public var waiting = 0
    /// Drafts left out (none when `BuildOptions.drafts`), by id, with why each is one.
    public var drafts: [String: [String]] = [:]
}

extension MemoryStore {
    /// The store of `serve`: kept in memory across its builds, and told every path its watcher sees
    /// change (`forget`), so a rebuild stats only those instead of walking the content folder.
    public static func watched() -> MemoryStore {
        let store = MemoryStore()
        PipelineShelves.watched(store)
        return store
    }

    /// Absolute paths that changed since the last build; those outside `content` are ignored.
    public func forget(_ changed: Set<String>, content root: URL) { PipelineShelves.forget(changed, content: root, in: self) }
}

/// One error for the files a build could not write, by cause: what failed, how often, the system's
/// reason in words and the first path; the output folder as it was.
func publishFailure(_ failures: [SystemError], output: URL) -> Diagnostic {
    var causes: [String: (count: Int, first: SystemError)] = [:]
    for f in failures {
        let cause = "\(f.operation.rawValue) \(f.code)"
        let first = causes[cause].map { $0.first.path < f.path ? $0.first : f } ?? f
        causes[cause] = ((causes[cause]?.count ?? 0) + 1, first)
    }
    let lines = causes.values.sorted { $0.first.path < $1.first.path }.map { cause in
        cause.count == 1 ? cause.first.description
            : localized("\(cause.first.verb) \(cause.count) 个文件：\(cause.first.reason)；第一个是 \(cause.first.path)",
                        en: "\(cause.first.verb) \(cause.count) files: \(cause.first.reason); the first is \(cause.first.path)")
    }
    return .error(SourceLocation(file: output.path), lines.joined(separator: "\n") + localized("；输出文件夹保持原样", en: "; the output folder was left as it was"))
}
