import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import Serve
#if canImport(Glibc)
import Glibc
#endif

extension ServeTests {
    /// Clients that misbehave, on purpose or not: the server answers what it can, refuses the rest
    /// quickly, and keeps answering everyone else.
    @Suite struct Hostile {

        // MARK: Host (DNS rebinding)

        @Test func foreignHostIsRefusedAndLoopbackNamesAreServed() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            for host in ["evil.example", "evil.example:\(port)", "localhost.evil.example:\(port)", "127.0.0.1.nip.io:\(port)", "localhost.:\(port)"] {
                let r = try await rawRequest(port: port, target: "/", host: host)
                #expect(r.status == 403, "\(host)")
                #expect(r.text.contains("DNS 重绑定"), "\(host)")
                #expect(!r.text.contains("<h1>Home</h1>"), "\(host)")
                #expect(r["Connection"] == "close")
            }
            for host in ["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)", "localhost", "LocalHost:\(port)", "127.0.0.1",
                         "preview.localhost:\(port)"] {
                let r = try await rawRequest(port: port, target: "/", host: host)
                #expect(r.status == 200, "\(host)")
                #expect(r.text.contains("<h1>Home</h1>"), "\(host)")
            }
            // No Host at all, or two, on HTTP/1.1: 400 (RFC 9112 §3.2).
            let none = try await rawExchange(port: port, Array("GET / HTTP/1.1\r\nConnection: close\r\n\r\n".utf8))
            #expect(none.status == 400)
            let two = try await rawExchange(port: port, Array("GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n".utf8))
            #expect(two.status == 400)
            await server.stop()
        }

        @Test func hostPolicyWithoutTheNetwork() {
            for host in ["localhost", "localhost:1313", "LOCALHOST:1", "a.b.localhost:8080", "127.0.0.1", "127.0.0.1:1313", "127.9.8.7",
                         "[::1]", "[::1]:1313", "[::]:1313", "0.0.0.0:1313", "192.168.1.10:1313", "[fe80::1]:80"] {
                #expect(HostPolicy.check(host) == .allowed, "\(host)")
            }
            for host in ["evil.example", "evil.example:1313", "localhost.evil.example", "localhost.", "xlocalhost",
                         "127.0.0.1.nip.io", "1.2.3", "127.1", "0x7f.0.0.1", "2130706433"] {
                #expect(HostPolicy.check(host) == .foreign, "\(host)")
            }
            for host in ["", ":1313", "localhost:", "localhost:99999", "localhost:12a", "[::1", "[::1]x", "[::1]:", "[evil.example]:80",
                         "::1", "user@localhost", "local host", "localhost/x", ".localhost", "a..localhost"] {
                #expect(HostPolicy.check(host) == .malformed, "\(host)")
            }
        }

        // MARK: Size limits (linear parsing)

        @Test func oversizeRequestTargetGets431() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            // NIO's decoder counts the request target as a header field and reports one error for every
            // limit of the head, so an over-long target gets 431, not 414.
            let long = "/" + String(repeating: "a", count: 128 * 1024)
            let r = try await rawRequest(port: port, target: long)
            #expect(r.status == 431)
            #expect(r["Connection"] == "close")
            #expect(r.text.hasPrefix("431 Request Header Fields Too Large\n"))

            // The limit is the target's: 8 KB passes, one byte more does not.
            let fits = "/" + String(repeating: "b", count: 8 * 1024 - 1)
            #expect(try await rawRequest(port: port, target: fits).status == 404)
            #expect(try await rawRequest(port: port, target: fits + "b").status == 431)
            // The server still answers.
            #expect(try await rawRequest(port: port, target: "/").status == 200)
            await server.stop()
        }

        @Test func hugeHeaderBlocksGet431() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            // Too many bytes: one 40 KB value, or 64 lines of 1 KB.
            let big = try await rawRequest(port: port, target: "/", headers: ["X-Big": String(repeating: "v", count: 40 * 1024)])
            #expect(big.status == 431)
            #expect(big.text.hasPrefix("431 Request Header Fields Too Large\n"))
            var kilo: [String: String] = [:]
            for i in 0..<64 { kilo["X-F\(i)"] = String(repeating: "w", count: 1024) }
            #expect(try await rawRequest(port: port, target: "/", headers: kilo).status == 431)
            // Half a megabyte of header lines, sent as fast as possible: refused after the first 32 KB.
            var flood = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".utf8)
            for i in 0..<10_000 { flood += Array("X-Flood-\(i): \(String(repeating: "z", count: 40))\r\n".utf8) }
            flood += Array("\r\n".utf8)
            #expect(try await rawExchange(port: port, flood).status == 431)
            // Too many fields: 101 small ones (the limit is 100, Host and Connection included).
            var many: [String: String] = [:]
            for i in 0..<99 { many["X-M\(i)"] = "1" }
            #expect(try await rawRequest(port: port, target: "/", headers: many).status == 431)
            many.removeValue(forKey: "X-M0")
            // Under every limit: served (98 + Host + Connection = 100 fields, 24 KB).
            for key in many.keys.sorted().prefix(24) { many[key] = String(repeating: "k", count: 1000) }
            #expect(try await rawRequest(port: port, target: "/", headers: many).status == 200)
            await server.stop()
        }

        @Test func decoderKeepsTheLimitsWithoutTheNetwork() throws {
            // NIO's decoder with the preview's limits, fed one byte at a time (the worst case for a parser
            // that scans again from the start of a line at each read): a head of 100 fields and 31 KB passes.
            let limits = HTTPLimits()
            var head = Array("GET /\(String(repeating: "p", count: 8000)) HTTP/1.1\r\nHost: localhost\r\n".utf8)
            for i in 0..<99 { head += Array("X-\(i): \(String(repeating: "q", count: 220))\r\n".utf8) }
            head += Array("\r\n".utf8)
            let channel = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes,
                                                                                          limitConfiguration: limits.decoderLimits)))
            for byte in head { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
            guard case .head(let parsed)? = try channel.readInbound(as: HTTPServerRequestPart.self) else {
                Issue.record("no head")
                return
            }
            #expect(parsed.headers.count == 100 && parsed.uri.utf8.count == 8001)
            _ = try? channel.finish()

            // A 128 KB request target is refused once its first 8 KB are in: the decoder holds no more
            // than the limit and one read.
            let refusing = EmbeddedChannel(handler: ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes,
                                                                                           limitConfiguration: limits.decoderLimits)))
            var fed = 0
            var refusal: (any Error)?
            for chunk in Array("GET /\(String(repeating: "a", count: 128 * 1024))".utf8).chunked(4096) where refusal == nil {
                fed += chunk.count
                do { try refusing.writeInbound(ByteBuffer(bytes: chunk)) } catch { refusal = error }
            }
            #expect(refusal as? HTTPParserError == .headerOverflow)
            #expect(fed <= 8 * 1024 + 4096)
            _ = try? refusing.finish()
        }

        @Test func malformedHeadsGet400AndOtherVersions505() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            // Not here: two spaces between target and version, which llhttp reads as one (RFC 9112 §3
            // lets a server split the request line on whitespace).
            let bad = [
                "GET / HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n",            // space before the colon
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n folded\r\n\r\n",   // obs-fold
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nNoColon\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: a\u{1}b\r\n\r\n",  // control byte
                "GET / HTTX/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "G(T / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1, 2\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -1\r\n\r\n",
            ]
            for request in bad {
                let r = try await rawExchange(port: port, Array(request.utf8))
                #expect(r.status == 400, "\(request.debugDescription)")
            }
            #expect(try await rawExchange(port: port, Array("GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)).status == 505)
            let chunked = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            #expect(try await rawExchange(port: port, Array(chunked.utf8)).status == 501)
            let large = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000000\r\n\r\n"
            #expect(try await rawExchange(port: port, Array(large.utf8)).status == 413)
            await server.stop()
        }

        @Test func keepAlivePipeliningAndSmallBodies() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root)
            defer { _ = dir }
            // Three requests in one write, the first with a body that is read and dropped.
            let requests = "POST /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
                + "\r\nGET /style.css HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
            let data = try await offPool {
                let c = try RawConnection(port: port)
                try c.send(Array(requests.utf8))
                return c.read()
            }
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
            #expect(text.components(separatedBy: "HTTP/1.1 200 OK\r\n").count == 3)
            #expect(text.contains("User-agent: *\n") && text.hasSuffix("body { color: red }\n"))

            // HTTP/1.0 closes after the response unless asked otherwise.
            let old = try await rawExchange(port: port, Array("GET /robots.txt HTTP/1.0\r\n\r\n".utf8))
            #expect(old.status == 200 && old["Connection"] == "close" && old.text == "User-agent: *\n")
            await server.stop()
        }

        // MARK: Slow clients

        @Test func slowHeadersAreCutOff() async throws {
            let (dir, root) = try makeSite()
            let (server, port) = try await startServer(root: root, limits: HTTPLimits(headerTimeout: .milliseconds(300)))
            defer { _ = dir }
            // A header trickling in a byte every 50 ms: the connection is closed, without an answer,
            // long before the 200 bytes are sent (a server without a time limit would wait for them all).
            let slow = try await offPool { () -> (closed: Bool, received: Data) in
                let c = try RawConnection(port: port)
                try c.send(Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8))
                for _ in 0..<200 {
                    usleep(50_000)
                    if c.peerClosed() { return (true, c.read()) }
                    do { try c.send([UInt8(ascii: "a")]) } catch { return (true, c.read()) }
                }
                return (false, c.read())
            }
            #expect(slow.closed)
            #expect(slow.received.isEmpty)

            // A connection that sends nothing at all is closed too.
            let silent = try await offPool { () -> Bool in
                let c = try RawConnection(port: port)
                for _ in 0..<200 {
                    if c.peerClosed() { return true }
                    usleep(50_000)
                }
                return false
            }
            #expect(silent)
            // Meanwhile everyone else is served.
            #expect(try await rawRequest(port: port, target: "/").status == 200)
            await server.stop()
        }

        // MARK: Descriptor exhaustion

        /// RLIMIT_NOFILE holds for the whole process, and other suites run at the same time in this
        /// one: the test runs again, alone, in a child process of the test binary.
        static let childVariable = "SITEGEN_SERVE_TESTS_FD_CHILD"

        @Test func answersAgainAfterDescriptorsRunOut() async throws {
            if let marker = ProcessInfo.processInfo.environment[Self.childVariable] {
                try await exhaustDescriptors(marker: URL(fileURLWithPath: marker))
                return
            }
            let dir = try TempDir()
            let marker = dir.url.appendingPathComponent("answered")
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            child.arguments = ["--testing-library", "swift-testing", "--filter", "answersAgainAfterDescriptorsRunOut"]
            child.environment = ProcessInfo.processInfo.environment.merging([Self.childVariable: marker.path]) { $1 }
            let log = dir.url.appendingPathComponent("child.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let output = try FileHandle(forWritingTo: log)
            child.standardOutput = output
            child.standardError = output
            child.standardInput = FileHandle.nullDevice
            try child.run()
            nonisolated(unsafe) let running = child
            let finished = try await offPool { () -> Bool in
                for _ in 0..<1200 where running.isRunning { usleep(50_000) }  // at most a minute
                let inTime = !running.isRunning
                if !inTime { running.terminate() }
                running.waitUntilExit()
                return inTime
            }
            try output.close()
            let printed = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(finished && child.terminationStatus == 0, "\(printed)")
            #expect((try? String(contentsOf: marker, encoding: .utf8)) == "answered", "\(printed)")
        }

        /// In the child: no descriptor left while a client connects, then the limit comes back.
        private func exhaustDescriptors(marker: URL) async throws {
            let (dir, root) = try makeSite()
            defer { _ = dir }
            let (server, port) = try await startServer(root: root, limits: HTTPLimits())
            let sockets = ServeTests.WatcherTests.openFDs(prefix: "socket:")
            #expect(try await rawRequest(port: port, target: "/robots.txt").status == 200)
            // After `Connection: close` the server closes its end once the client has closed: wait for it,
            // or the descriptor it frees late would let the server accept while the others are exhausted.
            _ = await eventually(timeout: .seconds(2)) { ServeTests.WatcherTests.openFDs(prefix: "socket:") <= sockets }
            let client = try RawConnection(port: port, connectNow: false)

            var saved = rlimit()
            #expect(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved) == 0)
            let lowest = dup(2)  // the lowest free descriptor: the limit is set just below it
            close(lowest)
            var exhausted = saved
            exhausted.rlim_cur = rlim_t(lowest)
            #expect(setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &exhausted) == 0)
            let probe = open("/dev/null", O_RDONLY)
            let probeErrno = errno
            var failures = 0
            do {
                // The kernel queues the connection; the server's accept fails with EMFILE.
                try client.connect()
                try client.send(Array("GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8))
                for _ in 0..<250 {
                    failures = await server.acceptFailures
                    if failures > 0 { break }
                    try? await Task.sleep(for: .milliseconds(20))
                }
                try? await Task.sleep(for: .milliseconds(100))  // a few more failed attempts
            }
            #expect(setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &saved) == 0)
            #expect(probe == -1 && probeErrno == EMFILE, "the limit did not bite: open gave \(probe)")
            #expect(failures > 0)

            // Descriptors are free again: the queued client is answered, and new ones are.
            let queued = try parseResponse(try await offPool { client.read() })
            #expect(queued.status == 200 && queued.text == "User-agent: *\n")
            #expect(try await rawRequest(port: port, target: "/").status == 200)
            await server.stop()
            try "answered".write(to: marker, atomically: false, encoding: .utf8)
        }
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
