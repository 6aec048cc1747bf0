import Foundation
import Testing
@testable import Serve
#if canImport(Glibc)
import Glibc
#endif

// One serialized tree: the fd-count check and the sockets stay deterministic.
// The time limit only stops a hang. It counts from a test's start, also while other suites' synchronous
// tests hold the cooperative threads (two on a 2-core runner): CI once waited 61 s for them under a
// 1-minute limit.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct ServeTests {

    @Suite struct Files {
        @Test func contentTypesPerExtension() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            let expected: [(String, String)] = [
                ("/index.html", "text/html; charset=utf-8"),
                ("/style.css", "text/css; charset=utf-8"),
                ("/app.js", "text/javascript; charset=utf-8"),
                ("/data.json", "application/json; charset=utf-8"),
                ("/table.csv", "text/csv; charset=utf-8"),
                ("/feed.xml", "application/xml; charset=utf-8"),
                ("/chart.svg", "image/svg+xml; charset=utf-8"),
                ("/robots.txt", "text/plain; charset=utf-8"),
                ("/notes.md", "text/markdown; charset=utf-8"),
                ("/logo.png", "image/png"),
                ("/photo.jpg", "image/jpeg"),
                ("/favicon.ico", "image/x-icon"),
                ("/archive.zip", "application/zip"),
                ("/font.woff2", "font/woff2"),
            ]
            for (path, type) in expected {
                let r = try await rawRequest(port: port, target: path)
                #expect(r.status == 200, "\(path)")
                #expect(r["Content-Type"] == type, "\(path)")
                #expect(r["Cache-Control"] == "no-cache", "\(path)")
            }
            let png = try await rawRequest(port: port, target: "/logo.png")
            #expect(png.body == Data([0x89, 0x50, 0x4e, 0x47]))
            await server.stop()
        }

        @Test func foldersServeIndexAndRedirectWithoutSlash() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }

            let redirect = try await rawRequest(port: port, target: "/about?x=1")
            #expect(redirect.status == 301)
            #expect(redirect["Location"] == "/about/?x=1")

            let about = try await rawRequest(port: port, target: "/about/")
            #expect(about.status == 200)
            #expect(about["Content-Type"] == "text/html; charset=utf-8")
            #expect(about.text.contains("<p>About</p>"))

            let home = try await rawRequest(port: port, target: "/")
            #expect(home.status == 200)
            #expect(home.text.contains("<h1>Home</h1>"))

            // A folder without index.html is not listed.
            let empty = try await rawRequest(port: port, target: "/empty/")
            #expect(empty.status == 404)
            #expect(!empty.text.contains(".keep"))

            let linked = try await rawRequest(port: port, target: "/in-link.css")
            #expect(linked.status == 200)
            #expect(linked.text == "body { color: red }\n")
            await server.stop()
        }

        @Test func missingFileUsesSite404Page() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            let r = try await rawRequest(port: port, target: "/nope/missing.html")
            #expect(r.status == 404)
            #expect(r["Content-Type"] == "text/html; charset=utf-8")
            #expect(r.text.contains("<h1>Lost</h1>"))
            #expect(r.text.contains(LiveReload.scriptTag))
            await server.stop()
        }

        @Test func missingFileWithout404PageIsPlain() async throws {
            let (dir, root) = try makeSite(with404: false)
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            let r = try await rawRequest(port: port, target: "/missing.css")
            #expect(r.status == 404)
            #expect(r["Content-Type"] == "text/plain; charset=utf-8")
            #expect(r.text == "404 Not Found\n")
            await server.stop()
        }

        @Test func headSendsHeadersOnly() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            let get = try await rawRequest(port: port, target: "/style.css")
            let head = try await rawRequest(port: port, method: "HEAD", target: "/style.css")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head["Content-Length"] == String(get.body.count))
            #expect(head["Content-Type"] == get["Content-Type"])
            #expect(head["ETag"] == get["ETag"])
            await server.stop()
        }

        @Test func etagIsStableAndIfNoneMatchGives304() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            let first = try await rawRequest(port: port, target: "/data.json")
            let second = try await rawRequest(port: port, target: "/data.json")
            let etag = try #require(first["ETag"])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
            #expect(second["ETag"] == etag)
            // Hummingbird sends Date; the ETag comes from the bytes only (the same twice, above).

            let cached = try await rawRequest(port: port, target: "/data.json", headers: ["If-None-Match": etag])
            #expect(cached.status == 304)
            #expect(cached.body.isEmpty)
            #expect(cached["ETag"] == etag)

            let listed = try await rawRequest(port: port, target: "/data.json", headers: ["If-None-Match": "\"zzz\", W/\(etag)"])
            #expect(listed.status == 304)

            let stale = try await rawRequest(port: port, target: "/data.json", headers: ["If-None-Match": "\"other\""])
            #expect(stale.status == 200)
            #expect(stale.text == "{\"a\":1}\n")

            // HTML ETags cover the served bytes (with the script), and change when the file does.
            let page = try await rawRequest(port: port, target: "/")
            try indexHTML.replacingOccurrences(of: "Home", with: "Start").write(
                to: root.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
            let changed = try await rawRequest(port: port, target: "/", headers: ["If-None-Match": page["ETag"]!])
            #expect(changed.status == 200)
            #expect(changed["ETag"] != page["ETag"])
            await server.stop()
        }

        @Test func onlyGetAndHeadAreAllowed() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
                let r = try await rawRequest(port: port, method: method, target: "/index.html", headers: ["Content-Length": "0"])
                #expect(r.status == 405, "\(method)")
                #expect(r["Allow"] == "GET, HEAD")
            }
            await server.stop()
        }
    }

    @Suite struct Traversal {
        static let attempts = [
            "/../outside/secret.txt",
            "/../../../../../../etc/passwd",
            "/about/../../outside/secret.txt",
            "/./../outside/secret.txt",
            "/%2e%2e/outside/secret.txt",
            "/%2E%2E/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/.%2e/outside/secret.txt",
            "/..%2foutside%2fsecret.txt",
            "/%2e%2e%2foutside%2fsecret.txt",
            "/about%2f..%2f..%2foutside/secret.txt",
            "/%252e%252e/outside/secret.txt",
            "/%252e%252e%252foutside%252fsecret.txt",
            "/..%252foutside/secret.txt",
            "/..\\outside\\secret.txt",
            "/\\..\\outside\\secret.txt",
            "/%5c..%5coutside%5csecret.txt",
            "/..%5coutside/secret.txt",
            "/index.html%00.css",
            "/%00/../outside/secret.txt",
            "/%c0%ae%c0%ae/outside/secret.txt",
            "//etc/passwd",
            "///../outside/secret.txt",
            "/etc-link/passwd",
            "/etc-link/",
            "/out-link.txt",
            "/out-dir/secret.txt",
            "http://127.0.0.1/../outside/secret.txt",
            "../outside/secret.txt",
            "*",
        ]

        @Test func everyVariantIsRefused() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            // The files exist, so a 200 would be a real escape.
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out-link.txt").path))
            #expect(FileManager.default.fileExists(atPath: "/etc/passwd"))
            for target in Self.attempts {
                let r = try await rawRequest(port: port, target: target)
                #expect([400, 403, 404].contains(r.status), "\(target) → \(r.status)")
                #expect(!r.text.contains("TOPSECRET"), "\(target)")
                #expect(!r.text.contains("root:"), "\(target)")
            }
            await server.stop()
        }

        @Test func resolverRefusesWithoutTheNetwork() throws {
            let (dir, root) = try makeSite()
            defer { _ = dir }
            for target in Self.attempts {
                switch SiteHandler.resolve(rawPath: target, root: root.path) {
                case .file(let path): Issue.record("\(target) resolved to \(path)")
                case .redirect(let location): Issue.record("\(target) redirected to \(location)")
                default: break
                }
            }
            let real = try #require(SiteHandler.realPath(root.path))
            #expect(SiteHandler.resolve(rawPath: "/style.css", root: root.path) == .file(real + "/style.css"))
            #expect(SiteHandler.resolve(rawPath: "/st%79le.css", root: root.path) == .file(real + "/style.css"))
            #expect(SiteHandler.resolve(rawPath: "/about", root: root.path) == .redirect("/about/"))
            #expect(SiteHandler.containsEncodedSeparator("/%2E%2e") && !SiteHandler.containsEncodedSeparator("/100%.html"))
        }
    }

    @Suite struct LiveReloadTests {
        @Test func htmlGetsScriptInjectedButDiskIsUntouched() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            let r = try await rawRequest(port: port, target: "/")
            #expect(r.text.contains(#"<script src="/__sitegen/reload.js" defer></script></body>"#))
            #expect(r.text.components(separatedBy: "reload.js").count == 2)
            let onDisk = try String(contentsOf: root.appendingPathComponent("index.html"), encoding: .utf8)
            #expect(onDisk == indexHTML)
            #expect(!onDisk.contains("__sitegen"))

            let upper = try await rawRequest(port: port, target: "/about/")
            #expect(upper.text.hasSuffix(#"<script src="/__sitegen/reload.js" defer></script></BODY></html>"#))

            let css = try await rawRequest(port: port, target: "/style.css")
            #expect(!css.text.contains("__sitegen"))

            let js = try await rawRequest(port: port, target: "/__sitegen/reload.js")
            #expect(js.status == 200)
            #expect(js["Content-Type"] == "text/javascript; charset=utf-8")
            #expect(js.text.contains("new EventSource(\"/__sitegen/events\")"))
            #expect(js.text.contains("textContent"))
            #expect(!js.text.contains("innerHTML"))
            await server.stop()
        }

        @Test func injectionWithoutBodyTagAppends() {
            let out = LiveReload.inject(into: Data("<p>hi</p>".utf8))
            #expect(String(decoding: out, as: UTF8.self) == "<p>hi</p>" + LiveReload.scriptTag)
            let two = LiveReload.inject(into: Data("<body></body>x</body>".utf8))
            #expect(String(decoding: two, as: UTF8.self) == "<body></body>x" + LiveReload.scriptTag + "</body>")
        }

        @Test func eventStreamReceivesReloadAndError() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            let conn = try RawConnection(port: port)
            try conn.send(Array("GET /__sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".utf8))
            let opening = try await offPool { conn.read(untilText: ": connected") }
            #expect(opening.hasPrefix("HTTP/1.1 200"))
            #expect(opening.lowercased().contains("content-type: text/event-stream"))
            #expect(opening.contains(": connected"))
            #expect(server.liveReloadClients == 1)

            server.notifyReload()
            let afterReload = try await offPool { conn.read(untilText: "event: reload\n") }
            #expect(afterReload.contains("event: reload\ndata: {}\n\n"))

            server.notifyError(PreviewError(file: "content/report.yaml", line: 12, message: "unknown code \"X\"\nsecond line"))
            let afterError = try await offPool { conn.read(untilText: "event: error\n") }
            let tail = try #require(afterError.components(separatedBy: "event: error\ndata: ").last)
            let json = try #require(tail.components(separatedBy: "\n").first)
            let decoded = try JSONDecoder().decode(PreviewError.self, from: Data(json.utf8))
            #expect(decoded == PreviewError(file: "content/report.yaml", line: 12, message: "unknown code \"X\"\nsecond line"))
            #expect(json.contains(#""file":"content/report.yaml""#) && json.contains(#""line":12"#))

            // stop() ends the open stream instead of hanging on it.
            await server.stop()
            let end = try await offPool { conn.read(until: { _ in false }) }
            #expect(String(decoding: end, as: UTF8.self).contains("0\r\n\r\n"))
        }

        @Test func lateClientSeesTheLastErrorUntilReload() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            server.notifyError(PreviewError(file: "themes/base.html", line: 3, message: "bad tag"))
            let conn = try RawConnection(port: port)
            try conn.send(Array("GET /__sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            let text = try await offPool { conn.read(untilText: "bad tag") }
            #expect(text.contains("event: error"))

            server.notifyReload()
            let fresh = try RawConnection(port: port)
            try fresh.send(Array("GET /__sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
            let opening = try await offPool { fresh.read(untilText: ": connected") }
            #expect(!opening.contains("event: error"))
            await server.stop()
        }
    }

    @Suite struct Lifecycle {
        @Test func portInUseHasAClearMessage() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            let second = PreviewServer(root: root, port: port)
            await #expect(throws: PreviewServerError.portInUse(port)) { try await second.start() }
            #expect(PreviewServerError.portInUse(1313).description == "port 1313 is already in use; try --port 1314")
            await server.stop()
        }

        @Test func stopClosesTheListener() async throws {
            let (dir, root) = try makeSite()
            defer { _ = dir }
            // Sockets only: NIO's event loops (one group for the process) keep their own descriptors.
            let baseline = WatcherTests.openFDs(prefix: "socket:")
            let (server, port) = try await startServer(root: root)
            // An idle keep-alive connection must not keep stop() waiting.
            do {
                let idle = try RawConnection(port: port)
                try idle.send(Array("GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
                _ = try await offPool { idle.read(untilText: "User-agent") }
                await server.stop()
            }
            #expect(await server.listeningPort() == 0)
            #expect(throws: (any Error).self) { _ = try RawConnection(port: port) }
            await server.stop()  // idempotent
            #expect(await eventually(timeout: .seconds(2)) { WatcherTests.openFDs(prefix: "socket:") <= baseline })
        }

        @Test func missingRootAndBadHostAreReported() async throws {
            let missing = PreviewServer(root: URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)"), port: 0)
            await #expect(throws: PreviewServerError.self) { try await missing.start() }
            let (dir, root) = try makeSite()
            defer { _ = dir }
            let bad = PreviewServer(root: root, host: "not-an-ip", port: 0)
            await #expect(throws: PreviewServerError.invalidHost("not-an-ip")) { try await bad.start() }
        }

        @Test func loopbackDetection() {
            for host in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] { #expect(PreviewServer.isLoopback(host), "\(host)") }
            for host in ["0.0.0.0", "192.168.1.10", "::", "example.com", "128.0.0.1"] { #expect(!PreviewServer.isLoopback(host), "\(host)") }
        }
    }

    @Suite struct WatcherTests {
        /// Open descriptors of this process, optionally only those whose target starts with `prefix`.
        static func openFDs(prefix: String = "") -> Int {
            let fm = FileManager.default
            let fds = (try? fm.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
            return fds.filter { ((try? fm.destinationOfSymbolicLink(atPath: "/proc/self/fd/\($0)")) ?? "").hasPrefix(prefix) }.count
        }

        @Test(arguments: [Watcher.Mode.inotify, .polling])
        func reportsAFileEdit(mode: Watcher.Mode) async throws {
            let dir = try TempDir()
            try dir.write("content/pages/a.md", "one")
            try dir.write("themes/base/page.html", "<p>")
            let changes = Collector<Set<String>>()
            let watcher = Watcher(roots: [dir.url.appendingPathComponent("content"), dir.url.appendingPathComponent("themes")],
                                  mode: mode) { changes.append($0) }
            try watcher.start()
            #expect(watcher.mode == mode)
            let edited = dir.url.appendingPathComponent("content/pages/a.md").standardizedFileURL.path
            try dir.write("content/pages/a.md", "two, longer")
            #expect(await eventually(timeout: .seconds(2)) { changes.all.contains { $0.contains(edited) } })

            // New folders are watched too, and deletions reported.
            try dir.write("themes/new/deep/x.css", "a{}")
            let created = dir.url.appendingPathComponent("themes/new/deep/x.css").standardizedFileURL.path
            #expect(await eventually(timeout: .seconds(2)) { changes.all.contains { $0.contains(created) } })
            try dir.write("themes/new/deep/x.css", "a{color:red}")
            let before = changes.all.count
            #expect(await eventually(timeout: .seconds(2)) { changes.all.dropFirst(before).contains { $0.contains(created) } })
            try FileManager.default.removeItem(atPath: edited)
            #expect(await eventually(timeout: .seconds(2)) { changes.all.contains { $0.contains(edited) && changes.all.count > 2 } })
            watcher.stop()
        }

        @Test func burstsAreDebouncedIntoOneCall() async throws {
            let dir = try TempDir()
            try dir.write("content/x.txt", "0")
            let changes = Collector<Set<String>>()
            let watcher = Watcher(roots: [dir.url.appendingPathComponent("content")], mode: .inotify,
                                  debounce: .milliseconds(300)) { changes.append($0) }
            try watcher.start()
            for i in 1...5 { try dir.write("content/f\(i).txt", "\(i)") }
            #expect(await eventually(timeout: .seconds(2)) { !changes.all.isEmpty })
            try await Task.sleep(for: .milliseconds(400))
            #expect(changes.all.count == 1)
            #expect(changes.all.first?.count == 5)
            watcher.stop()
        }

        @Test func stopClosesDescriptorsAndSilences() async throws {
            let dir = try TempDir()
            try dir.write("content/sub/x.txt", "0")
            // The watcher's own kinds of descriptor: its wake-up pipe and the inotify instance.
            let watcherFDs = { Self.openFDs(prefix: "pipe:") + Self.openFDs(prefix: "anon_inode:inotify") }
            let baseline = watcherFDs()
            for mode in [Watcher.Mode.inotify, .polling, .auto] {
                let changes = Collector<Set<String>>()
                let watcher = Watcher(roots: [dir.url.appendingPathComponent("content"), dir.url.appendingPathComponent("missing")],
                                      mode: mode) { changes.append($0) }
                try watcher.start()
                #expect(throws: WatcherError.alreadyStarted) { try watcher.start() }
                watcher.stop()
                watcher.stop()
                try dir.write("content/sub/x.txt", "changed after stop \(mode)")
                try await Task.sleep(for: .milliseconds(500))
                #expect(changes.all.isEmpty, "\(mode)")
            }
            #expect(watcherFDs() <= baseline)
        }

        @Test func stopFromTheCallbackDoesNotDeadlock() async throws {
            let dir = try TempDir()
            try dir.write("content/x.txt", "0")
            let calls = Collector<Int>()
            let box = Collector<Watcher>()
            let watcher = Watcher(roots: [dir.url.appendingPathComponent("content")], mode: .auto) { _ in
                calls.append(1)
                box.all.first?.stop()
            }
            box.append(watcher)
            try watcher.start()
            try dir.write("content/x.txt", "1")
            #expect(await eventually(timeout: .seconds(2)) { calls.all.count == 1 })
            #expect(await eventually(timeout: .seconds(2)) { watcher.mode == nil })
        }
    }
}
