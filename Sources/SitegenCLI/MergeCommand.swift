import ArgumentParser
import Foundation
import Site
import Support

/// `sitegen merge`: joins shards (`sitegen build --region R`) into one site, published atomically.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the output folders of shards (sitegen build --region R) into one site, byte for byte what one full build makes.")

    @OptionGroup var options: ContentOptions
    @Argument(help: "The shards' output folders.") var shards: [String]
    @Option(help: "The output folder.") var output: String = "public"
    @Option(help: "Render with this many threads (default: all cores).") var threads: Int?

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let merge = MergeOptions(shards: shards.map { URL(fileURLWithPath: $0) }, content: URL(fileURLWithPath: options.content),
                                 output: URL(fileURLWithPath: output), threads: threads, followSymlinks: options.followSymlinks)
        switch SiteBuilder.merge(merge) {
        case .failure(let failure):
            try reportFailure(failure, verb: (zh: "合并", en: "merge"), output: output, content: options.content)
        case .success(let r):
            report(r.warnings, content: options.content)
            let time = seconds(clock.now - start)
            print(localized("已合并 \(shards.count) 个分片：\(r.pages) 个页面（\(r.disclosures) 份决算公开）、\(r.files) 个文件，用时 \(time) → \(output)/",
                            en: "merged \(shards.count) shards: \(r.pages) pages (\(r.disclosures) disclosures), \(r.files) files in \(time) → \(output)/"))
        }
    }
}
