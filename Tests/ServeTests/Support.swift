import Foundation
import Testing
@testable import Serve
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A parsed HTTP/1.1 response read from a raw socket.
struct RawResponse {
    var status: Int
    var headers: [String: String]  // lower-cased names
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    subscript(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Runs blocking work on its own thread so the cooperative pool (which runs the server) stays free.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        Thread { c.resume(with: Result { try work() }) }.start()
    }
}

struct SocketFailure: Error, CustomStringConvertible { var description: String }

/// A minimal HTTP/1.1 client over a POSIX socket: sends the request-target bytes exactly.
final class RawConnection: @unchecked Sendable {
    let fd: Int32
    private var received = Data()

    /// A socket to `127.0.0.1:port`, connected at once unless `connectNow` is false (see ``connect()``).
    init(port: UInt16, timeout: Int = 5, connectNow: Bool = true) throws {
        #if canImport(Glibc)
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw SocketFailure(description: "socket") }
        self.port = port
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if connectNow {
            do {
                try connect()
            } catch {
                close(fd)
                throw error
            }
        }
    }

    private let port: UInt16

    /// Connects the socket; takes no new descriptor.
    func connect() throws {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else { throw SocketFailure(description: "connect: \(String(cString: strerror(errno)))") }
    }

    /// True when the server has closed the connection (EOF or reset) — without waiting; any bytes
    /// waiting are read into what ``read(until:)`` returns.
    func peerClosed() -> Bool {
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buf, buf.count, Int32(MSG_DONTWAIT))
            if n > 0 { received.append(contentsOf: buf[..<n]); continue }
            if n == 0 { return true }
            return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw SocketFailure(description: "send") }
            sent += n
        }
    }

    /// Reads until `predicate` holds for everything received so far, EOF, or the timeout.
    @discardableResult
    func read(until predicate: (Data) -> Bool = { _ in false }) -> Data {
        var buf = [UInt8](repeating: 0, count: 16 * 1024)
        while !predicate(received) {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            received.append(contentsOf: buf[..<n])
        }
        return received
    }

    func read(untilText text: String) -> String {
        String(decoding: read(until: { String(decoding: $0, as: UTF8.self).contains(text) }), as: UTF8.self)
    }
}

/// Sends one request with `Connection: close` and parses the whole response.
/// `host` is the Host header's value (`127.0.0.1:port` unless given).
func rawRequest(port: UInt16, method: String = "GET", target: String, host: String? = nil,
                headers: [String: String] = [:]) async throws -> RawResponse {
    var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
    for (k, v) in headers.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
    head += "\r\n"
    let request = Array(head.utf8)
    let data = try await offPool {
        let c = try RawConnection(port: port)
        try c.send(request)
        return c.read()
    }
    return try parseResponse(data)
}

func parseResponse(_ data: Data) throws -> RawResponse {
    guard let sep = data.range(of: Data("\r\n\r\n".utf8)) else {
        throw SocketFailure(description: "no header end in \(String(decoding: data, as: UTF8.self).debugDescription)")
    }
    let lines = String(decoding: data[..<sep.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
    let parts = lines[0].split(separator: " ")
    guard parts.count >= 2, let status = Int(parts[1]) else { throw SocketFailure(description: "status line \(lines[0])") }
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return RawResponse(status: status, headers: headers, body: Data(data[sep.upperBound...]))
}

/// A temporary folder removed at deinit.
final class TempDir: @unchecked Sendable {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("serve-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }

    func write(_ relative: String, _ data: Data) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: url.appendingPathComponent(relative).path,
                                                   withDestinationPath: destination)
    }
}

let indexHTML = "<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>\n"

/// `public/` with one file per content type, folders, a 404 page, a secret beside it and symlinks.
func makeSite(with404: Bool = true) throws -> (TempDir, URL) {
    let dir = try TempDir()
    try dir.write("outside/secret.txt", "TOPSECRET\n")
    try dir.write("public/index.html", indexHTML)
    try dir.write("public/about/index.html", "<html><BODY><p>About</p></BODY></html>")
    try dir.write("public/empty/.keep", "")
    try dir.write("public/style.css", "body { color: red }\n")
    try dir.write("public/app.js", "console.log(1)\n")
    try dir.write("public/data.json", "{\"a\":1}\n")
    try dir.write("public/table.csv", "a,b\n1,2\n")
    try dir.write("public/feed.xml", "<feed/>\n")
    try dir.write("public/chart.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n")
    try dir.write("public/robots.txt", "User-agent: *\n")
    try dir.write("public/notes.md", "# Notes\n")
    try dir.write("public/logo.png", Data([0x89, 0x50, 0x4e, 0x47]))
    try dir.write("public/photo.jpg", Data([0xff, 0xd8, 0xff]))
    try dir.write("public/favicon.ico", Data([0, 0, 1, 0]))
    try dir.write("public/archive.zip", Data([0x50, 0x4b, 3, 4]))
    try dir.write("public/font.woff2", Data([0x77, 0x4f, 0x46, 0x32]))
    if with404 { try dir.write("public/404.html", "<html><body><h1>Lost</h1></body></html>") }
    try dir.symlink("public/etc-link", to: "/etc")
    try dir.symlink("public/out-link.txt", to: "../outside/secret.txt")
    try dir.symlink("public/out-dir", to: "../outside")
    try dir.symlink("public/in-link.css", to: "style.css")
    return (dir, dir.url.appendingPathComponent("public"))
}

/// Starts a server on 127.0.0.1 with an ephemeral port.
func startServer(root: URL, limits: HTTPLimits = HTTPLimits()) async throws -> (PreviewServer, UInt16) {
    let server = PreviewServer(root: root, port: 0, limits: limits)
    try await server.start()
    let port = await server.listeningPort()
    #expect(port != 0)
    return (server, port)
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(timeout: Duration, _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return condition()
}

/// Thread-safe accumulator for callbacks.
final class Collector<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func append(_ item: T) { lock.withLock { items.append(item) } }
    var all: [T] { lock.withLock { items } }
}

/// Sends `bytes` exactly as given on a new connection and parses the response that comes back.
func rawExchange(port: UInt16, _ bytes: [UInt8]) async throws -> RawResponse {
    let data = try await offPool {
        let c = try RawConnection(port: port)
        try c.send(bytes)
        return c.read()
    }
    return try parseResponse(data)
}
