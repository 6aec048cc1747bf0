import Foundation
import Testing
import TestSite
#if canImport(Glibc)
import Glibc
#endif

/// `sitegen serve` end to end: the real binary, a real HTTP server on an ephemeral port, real file edits.
@Suite(.serialized) struct PreviewTests {
    static var binary: URL { sitegenBinary }

    /// A running `sitegen serve` whose output lines are collected.
    final class Server: @unchecked Sendable {
        let process = Process()
        let lock = NSLock()
        var lines: [String] = []
        var port: UInt16 = 0

        init(content: URL, output: URL) throws {
            process.executableURL = PreviewTests.binary
            // English: the lines waited for below are serve's English ones.
            process.arguments = ["serve", "--lang", "en", "--content", content.path, "--output", output.path, "--port", "0", "--poll"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let text = String(decoding: handle.availableData, as: UTF8.self)
                guard let self, !text.isEmpty else { return }
                self.lock.withLock { self.lines += text.split(separator: "\n").map(String.init) }
            }
            try process.run()
            let started = wait(for: "serving") != nil
            if started, let line = lock.withLock({ lines.first { $0.hasPrefix("serving") } }),
               let range = line.range(of: "127.0.0.1:"), let end = line[range.upperBound...].firstIndex(of: "/") {
                port = UInt16(line[range.upperBound..<end]) ?? 0
            }
        }

        /// Waits until a line containing `text` appears (after `after` lines); returns it.
        @discardableResult
        func wait(for text: String, after: Int = 0, timeout: Double = 30) -> String? {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let hit = lock.withLock({ lines.dropFirst(after).first { $0.contains(text) } }) { return hit }
                usleep(20_000)
            }
            return nil
        }

        var lineCount: Int { lock.withLock { lines.count } }

        func stop() -> Int32 {
            process.terminate()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// A blocking HTTP/1.1 GET over a socket; returns the whole response (headers and body).
    static func get(_ port: UInt16, _ path: String, readUntil marker: String? = nil, timeout: Double = 5) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let ok = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard ok == 0 else { return "" }
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { data += buffer[0..<n] } else if n == 0 { break }
            if let marker, String(decoding: data, as: UTF8.self).contains(marker) { break }
        }
        return String(decoding: data, as: UTF8.self)
    }

    @Test func editsAreServedBrokenContentKeepsTheLastGoodSite() throws {
        let root = temporaryFolder("serve")
        try FileManager.default.copyItem(at: exampleContent, to: root.appendingPathComponent("content"))
        let file = root.appendingPathComponent("content/departments/donghu-sme/2022/disclosure.yaml")
        let original = read(file)
        let server = try Server(content: root.appendingPathComponent("content"), output: root.appendingPathComponent("public"))
        defer { _ = server.stop() }
        #expect(server.port > 0, "server did not start: \(server.lines)")
        guard server.port > 0 else { return }

        let page = "/donghu-sme/2022/"
        let first = Self.get(server.port, page)
        #expect(first.hasPrefix("HTTP/1.1 200"))
        #expect(first.contains("content-type: text/html; charset=utf-8") || first.contains("Content-Type: text/html; charset=utf-8"))
        #expect(first.contains("/__sitegen/reload.js"), "live-reload script injected")
        #expect(!read(root.appendingPathComponent("public/donghu-sme/2022/index.html")).contains("reload.js"), "never on disk")

        // A live-reload listener.
        let events = LockedText()
        let listener = Thread {
            events.append(Self.get(server.port, "/__sitegen/events", readUntil: "event: error", timeout: 25))
        }
        listener.start()
        usleep(300_000)

        // Edit a figure: the new figure is served.
        var before = server.lineCount
        try original.replacingOccurrences(of: "一般公共预算财政拨款收入: 55.57", with: "一般公共预算财政拨款收入: 55.58")
            .write(to: file, atomically: true, encoding: .utf8)
        #expect(server.wait(for: "rebuilt", after: before) != nil, "no rebuild: \(server.lines)")
        #expect(Self.get(server.port, page).contains(">55.58<"))

        // Break the file: the last good site stays, the browser hears the error.
        before = server.lineCount
        try (original + "\n  broken: [\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(server.wait(for: "rebuild failed", after: before) != nil)
        let during = Self.get(server.port, page)
        #expect(during.contains(">55.58<"))
        listener.cancel()
        let deadline = Date().addingTimeInterval(10)
        while !events.text.contains("event: error") && Date() < deadline { usleep(50_000) }
        #expect(events.text.contains("event: reload"))
        #expect(events.text.contains("event: error") && events.text.contains("disclosure.yaml"))

        // Fix it: served again.
        before = server.lineCount
        try original.write(to: file, atomically: true, encoding: .utf8)
        #expect(server.wait(for: "rebuilt", after: before) != nil)
        #expect(!Self.get(server.port, page).contains(">55.58<"))
        #expect(server.stop() == 0)
        #expect(server.wait(for: "stopped", timeout: 2) != nil)
    }

    @Test func aTakenPortIsAClearError() throws {
        let root = temporaryFolder("serve-port")
        try FileManager.default.copyItem(at: exampleContent, to: root.appendingPathComponent("content"))
        let first = try Server(content: root.appendingPathComponent("content"), output: root.appendingPathComponent("public"))
        defer { _ = first.stop() }
        guard first.port > 0 else { Issue.record("no server"); return }
        let second = Process()
        second.executableURL = Self.binary
        second.arguments = ["serve", "--content", root.appendingPathComponent("content").path, "--output", root.appendingPathComponent("public2").path,
                            "--port", "\(first.port)"]
        let err = Pipe()
        second.standardError = err
        second.standardOutput = FileHandle.nullDevice
        try second.run()
        second.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(second.terminationStatus != 0)
        #expect(message.contains("already in use"))
    }
}

final class LockedText: @unchecked Sendable {
    private var value = ""
    private let lock = NSLock()
    func append(_ s: String) { lock.withLock { value += s } }
    var text: String { lock.withLock { value } }
}
