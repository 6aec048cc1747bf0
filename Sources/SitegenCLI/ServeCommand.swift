import ArgumentParser
import Dispatch
import Foundation
import Incremental
import Model
import Serve
import Support
import Site

/// `sitegen serve`: build, serve public/ on 127.0.0.1, rebuild on every change and reload open pages.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Preview the site with live reload (binds 127.0.0.1 unless --host says otherwise).")

    @OptionGroup var options: ContentOptions
    @Option(help: "The output folder.") var output: String = "public"
    @Option(help: "Port to listen on.") var port: UInt16 = 1313
    @Option(help: "Address to bind. Anything but 127.0.0.1/::1 exposes the preview to your network.") var host: String = "127.0.0.1"
    @Option(help: "Theme folders to watch besides content/ (default: <site>/themes).") var themes: String?
    @Flag(help: "Watch by polling instead of inotify.") var poll = false

    func run() async throws {
        let content = URL(fileURLWithPath: options.content)
        let outputURL = URL(fileURLWithPath: output)
        var buildOptions = BuildOptions(content: content, output: outputURL, followSymlinks: options.followSymlinks, fault: Fault.fromEnvironment())
        buildOptions.drafts = true   // a preview shows drafts, with their 草稿 banner
        let rebuilder = Rebuilder(options: buildOptions)
        let server = PreviewServer(root: outputURL, host: host, port: port)
        let themeFolder = themes.map { URL(fileURLWithPath: $0) } ?? content.standardizedFileURL.deletingLastPathComponent().appendingPathComponent("themes")
        // A folder a build may not write is not served either (its files are someone else's).
        if case .failure(let failure) = OutputFolder.claim(outputURL, content: content, protected: [themeFolder]) {
            report(failure.diagnostics, content: options.content)
            throw ExitCode(1)
        }
        // Watch first: an edit made while the first build runs is not missed.
        let watcher = Watcher(roots: [content, themeFolder], mode: poll ? .polling : .auto) { changed in
            let clock = ContinuousClock()
            let start = clock.now
            if let error = rebuilder.rebuild(changed: changed) {
                server.notifyError(error)
                say(localized("重新构建失败（\(error.file):\(error.line)）；仍在提供上一次构建成功的网站",
                              en: "rebuild failed (\(error.file):\(error.line)); still serving the last good site"))
            } else {
                server.notifyReload()
                let (pages, changes, time) = (rebuilder.lastRendered, changed.count, seconds(clock.now - start))
                say(localized("\(changes) 处改动后重新生成了 \(pages) 个页面，用时 \(time)（\(rebuilder.lastStages)）",
                              en: "rebuilt \(pages) page\(pages == 1 ? "" : "s") after \(changes) change\(changes == 1 ? "" : "s") in \(time) (\(rebuilder.lastStages))"))
                // The bulk downloads the edit changed (a region's long CSV and ZIP) come right after
                // the pages are shown; an edit made meanwhile is built once they are done.
                let waiting = rebuilder.lastWaiting
                if waiting > 0 {
                    let start = clock.now
                    if let error = rebuilder.rebuild() {
                        server.notifyError(error)
                    } else {
                        say(localized("生成了 \(waiting) 个地区年度的批量下载文件，用时 \(seconds(clock.now - start))",
                                      en: "made the bulk downloads of \(waiting) region-year\(waiting == 1 ? "" : "s") in \(seconds(clock.now - start))"))
                    }
                }
            }
        }
        try watcher.start()
        if let error = rebuilder.rebuild() {
            FileHandle.standardError.write(Data(localized(
                "首次构建失败；在内容改正之前，先提供之前的网站（\(error.file):\(error.line)）\n",
                en: "the first build failed; serving the previous site until the content is fixed (\(error.file):\(error.line))\n").utf8))
        }
        try? FileManager.default.createDirectory(at: outputURL, withIntermediateDirectories: true)
        do {
            try await server.start()
        } catch {
            watcher.stop()
            FileHandle.standardError.write(Data("sitegen serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let address = await server.listeningURL()?.absoluteString ?? "http://\(host):\(port)/"
        say(localized("正在 \(address) 提供 \(output)/——编辑 content/ 或 themes/ 会自动重新构建并刷新页面；按 Ctrl-C 停止",
                      en: "serving \(output)/ at \(address) — editing content/ or themes/ rebuilds and reloads; Ctrl-C stops"))

        // Ctrl-C / SIGTERM: stop watching and serving, then exit cleanly.
        let stop = AsyncStream<Void> { continuation in
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
                source.setEventHandler { continuation.yield() }
                source.resume()
                Signals.keep(source)
            }
        }
        for await _ in stop { break }
        watcher.stop()
        await server.stop()
        say(localized("\n已停止", en: "\nstopped"))
    }
}

/// Writes a line to standard output at once (no buffering), so pipes see progress as it happens.
func say(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }

/// Keeps signal sources alive for the life of the process.
enum Signals {
    nonisolated(unsafe) static var sources: [DispatchSourceSignal] = []
    static func keep(_ s: DispatchSourceSignal) { sources.append(s) }
}

/// Serialises rebuilds (the watcher may fire while one runs) and turns failures into overlay errors.
final class Rebuilder: @unchecked Sendable {
    let options: BuildOptions
    private let lock = NSLock()
    /// Decoded content and rendered pages kept between rebuilds: only what a change touches is redone.
    /// The watcher reports every changed path, so a rebuild stats only those.
    private let store = MemoryStore.watched()
    private(set) var lastRendered = 0
    private(set) var lastStages = ""
    /// Groups of bulk downloads the last rebuild left for the next.
    private(set) var lastWaiting = 0

    init(options: BuildOptions) { self.options = options }

    /// Builds; returns the first error for the browser overlay, after printing all of them.
    /// After changes, bulk downloads the changes touched are left for the next call (`lastWaiting`).
    func rebuild(changed: Set<String> = []) -> PreviewError? {
        lock.withLock {
            // Forgotten here, under the lock: a rebuild that was running when they changed may have seen them either way.
            store.forget(changed, content: options.content)
            var options = options
            options.downloadsLater = !changed.isEmpty
            switch SiteBuilder.build(options, store: store) {
            case .success(let r):
                report(r.warnings)
                lastWaiting = r.waiting
                lastRendered = r.rendered
                lastStages = r.stages.map { "\($0.0) \(Int($0.1.components.seconds * 1000 + $0.1.components.attoseconds / 1_000_000_000_000_000)) ms" }.joined(separator: ", ")
                return nil
            case .failure(let f):
                report(f.diagnostics)
                let first = f.errors.first ?? f.diagnostics.first
                return PreviewError(file: first?.location.file ?? "", line: first?.location.line ?? 0,
                                    message: first?.message ?? localized("构建失败", en: "build failed"))
            }
        }
    }
}
