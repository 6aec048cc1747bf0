import ArgumentParser
import Check
import Foundation
import Model
import Pipeline
import Support
import Site

@main
struct Sitegen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sitegen",
        abstract: "Publishes 部门决算公开 (final-accounts disclosures) as a static website.",
        subcommands: [Build.self, MergeCommand.self, CheckCommand.self, ServeCommand.self, FixtureCommand.self, ImportCommand.self, NewCommand.self, DraftCommand.self],
        defaultSubcommand: Build.self)
}

struct ContentOptions: ParsableArguments {
    @Option(help: "The content folder.")
    var content: String = "content"
    @Flag(help: "Read symbolic links in content/ and themes/ that lead to files inside the site folder (by default every link is refused).")
    var followSymlinks = false
    @Option(help: "Language of messages: zh (default) or en (also from an English LANG).")
    var lang: Language?

    /// Runs before the command: every message after this speaks the chosen language.
    func validate() throws {
        Language.current = lang ?? .fromEnvironment()
    }
}

extension Language: ExpressibleByArgument {}

/// Prints diagnostics the way compilers do, so editors' tools can jump to file:line. Content paths
/// are relative to the content folder inside sitegen; printed, they are relative to where the command runs.
func report(_ diagnostics: [Diagnostic], content: String = "content", limit: Int = DiagnosticBag.errorLimit) {
    var printed = 0
    let fm = FileManager.default
    for var d in diagnostics where printed < limit {
        let inContent = (content as NSString).appendingPathComponent(d.location.file)
        // Template paths are already relative to the working directory; content paths are not.
        if !d.location.file.hasPrefix("/"), !fm.fileExists(atPath: d.location.file) || fm.fileExists(atPath: inContent) {
            d.location.file = inContent
        }
        FileHandle.standardError.write(Data((d.description + "\n").utf8))
        printed += 1
    }
    if diagnostics.count > limit {
        FileHandle.standardError.write(Data(localized("……另有 \(diagnostics.count - limit) 条\n", en: "… and \(diagnostics.count - limit) more\n").utf8))
    }
}

/// A build or merge that failed (`verb`, in both languages): its diagnostics, then how many errors
/// and that the output folder was not changed; exits 1.
func reportFailure(_ failure: BuildFailure, verb: (zh: String, en: String), output: String, content: String) throws -> Never {
    report(failure.diagnostics, content: content)
    let n = failure.errors.count
    FileHandle.standardError.write(Data(localized("\(verb.zh)失败：\(n) 个错误；\(output)/ 没有改动\n",
                                                  en: "\(verb.en) failed: \(n) error\(n == 1 ? "" : "s"); \(output)/ was not changed\n").utf8))
    throw ExitCode(1)
}

func seconds(_ d: Duration) -> String {
    let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    return "\(ms / 1000).\(String(format: "%03d", Int(ms % 1000))) s"
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build the site into the output folder (atomically: on any error it is left as it was).")

    @OptionGroup var options: ContentOptions
    @Option(help: "The output folder.") var output: String = "public"
    @Option(help: "Render with this many threads (default: all cores).") var threads: Int?
    @Flag(help: "Print time and count per stage.") var metrics = false
    @Flag(help: "Render and write every page, even when its inputs did not change since the last build.") var force = false
    @Flag(help: "Publish drafts too (status: draft, or 【待填写】 left in their prose).") var drafts = false
    @Option(help: "Build one region's shard (its pages and those of the regions inside it, with a manifest) for `sitegen merge`.") var region: String?
    @Option(help: ArgumentHelp("How many disclosures to keep in memory between their checks and their pages (the others are read again).",
                               visibility: .hidden)) var inHand = 2_000

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        var buildOptions = BuildOptions(content: URL(fileURLWithPath: options.content), output: URL(fileURLWithPath: output),
                                        threads: threads, force: force, followSymlinks: options.followSymlinks, fault: Fault.fromEnvironment())
        buildOptions.drafts = drafts
        buildOptions.region = region
        buildOptions.inHand = inHand
        let result = SiteBuilder.build(buildOptions)
        switch result {
        case .failure(let failure):
            try reportFailure(failure, verb: (zh: "构建", en: "build"), output: output, content: options.content)
        case .success(let r):
            report(r.warnings + r.findings.filter { $0.severity != .info }.map(\.diagnostic), content: options.content)
            if metrics {
                print("stage    wall        count")
                for (stage, time, count) in r.stages { print("\(stage.padding(toLength: 8, withPad: " ", startingAt: 0)) \(seconds(time))  \(count)") }
                if !r.templates.isEmpty { print("\ntemplate        views (cpu)  template (cpu)  write (cpu)  pages") }
                for t in r.templates {
                    print([t.name.padding(toLength: 15, withPad: " ", startingAt: 0), seconds(t.views).padding(toLength: 12, withPad: " ", startingAt: 0),
                           seconds(t.template).padding(toLength: 15, withPad: " ", startingAt: 0), seconds(t.write).padding(toLength: 12, withPad: " ", startingAt: 0),
                           "\(t.pages)"].joined(separator: " "))
                }
            }
            if let last = r.upToDate {
                print(localized("自上次构建（\(last)）以来没有改动；\(output)/ 已是最新（\(seconds(clock.now - start))）",
                                en: "nothing changed since the last build (\(last)); \(output)/ is up to date (\(seconds(clock.now - start)))"))
            } else {
                let all = r.rendered == r.pages, time = seconds(clock.now - start)
                print(localized("已生成 \(r.pages) 个页面（\(r.disclosures) 份决算公开）\(all ? "" : "：其中 \(r.rendered) 个重新渲染，\(r.pages - r.rendered) 个自上次构建以来没有变化")；\(r.files) 个文件，用时 \(time) → \(output)/",
                                en: "built \(r.pages) pages (\(r.disclosures) disclosures)\(all ? "" : ": \(r.rendered) rendered, \(r.pages - r.rendered) unchanged since the last build"); \(r.files) files in \(time) → \(output)/"))
            }
            printDrafts(r.drafts, leftOut: true)
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Find inconsistent figures in the content.")

    enum Format: String, ExpressibleByArgument { case text, json }

    @OptionGroup var options: ContentOptions
    @Option(help: "text or json.") var format: Format = .text
    @Flag(help: "Treat warnings as errors.") var strict = false
    @Flag(help: "Also list the numbers in 情况说明 that could not be tied to one figure, and why.") var explain = false

    func run() throws {
        var stages: [(String, Duration, Int)] = []
        // Only --explain reads the disclosures again after the checks.
        switch Analyser.analyse(content: URL(fileURLWithPath: options.content), stages: &stages, followLinks: options.followSymlinks,
                                includeDrafts: true, inHand: explain ? .max : 0) {
        case .failure(let failure):
            report(failure.diagnostics, content: options.content)
            throw ExitCode(1)
        case .success(let model):
            // 提示 (differences within rounding) are listed with --explain only.
            let findings = explain ? model.findings : model.findings.filter { $0.severity != .info }
            switch format {
            case .json: print(FindingsJSON.encode(findings))
            case .text:
                print(FindingsText.render(findings, hiddenNotes: model.findings.count - findings.count), terminator: "")
                printDrafts(model.drafts, leftOut: false)
            }
            if explain {
                let list = model.disclosures
                let previous = list.lastYear
                let unsettled = list.indices.flatMap { i in Checker.unsettled(list[i], previous: previous[i].map { list[$0] }) }
                print(UnsettledText.render(unsettled), terminator: "")
            }
            let errors = findings.filter { $0.severity == .error || strict }.count
            if errors > 0 { throw ExitCode(1) }
        }
    }
}

/// Drafts and what still keeps each from being published; `leftOut`: this run left them out
/// (build), else it analysed them (check).
func printDrafts(_ drafts: [String: [String]], leftOut: Bool) {
    guard !drafts.isEmpty else { return }
    print(!leftOut ? localized("\(drafts.count) 份草稿，发布前还需处理：", en: "\(drafts.count) draft(s), still to finish before publishing:")
                    : localized("\(drafts.count) 份草稿没有发布（sitegen build --drafts 可一并发布，sitegen check 列出原因）：",
                                en: "\(drafts.count) draft(s) not published (sitegen build --drafts publishes them; sitegen check lists why):"))
    for id in drafts.keys.sorted() { print("  \(id)：" + drafts[id]!.joined(separator: "；")) }
}
