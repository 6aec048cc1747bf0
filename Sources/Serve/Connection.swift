import FlyingFox
import FlyingSocks
import Foundation
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One client connection: reads requests within ``HTTPLimits``, checks `Host`, asks the handler,
/// writes the responses; keeps the connection open between requests unless told otherwise.
struct Connection: Sendable {
    let socket: AsyncSocket
    let id: Int
    let listener: Listener

    private var limits: HTTPLimits { listener.limits }

    /// What arrived on the connection within the head's time limit.
    enum Incoming: Sendable {
        /// A request whose body (if any) has been read and dropped, and the bytes after it.
        case request(RequestHead, rest: [UInt8])
        case refused(Refusal)
    }

    func run() async {
        defer { try? socket.close() }
        var carry: [UInt8] = []
        while listener.connections.setIdle(id, carry.isEmpty) {
            let incoming: Incoming
            do {
                incoming = try await withDeadline(limits.headerTimeout) { [carry] in try await read(carry: carry) }
            } catch {
                // Too slow (the time limit), gone (EOF, reset) or the server stops: close, say nothing.
                return
            }
            listener.connections.setIdle(id, false)
            switch incoming {
            case .refused(let refusal):
                await refuse(refusal)
                return
            case .request(let head, let rest):
                if let refusal = Self.checkHost(head) {
                    await refuse(refusal)
                    return
                }
                let response = await respond(to: head)
                do {
                    guard try await write(response, for: head) else { return }
                } catch {
                    return
                }
                carry = rest
            }
        }
    }

    // MARK: Reading

    /// Reads one request head, and its body if it has a small one, from `carry` and the socket.
    private func read(carry: [UInt8]) async throws -> Incoming {
        var parser = HeadParser(limits: limits, carry: carry)
        var outcome = parser.scan()
        while outcome == .needMore {
            let bytes = try await socket.read(atMost: 16 * 1024)
            guard !bytes.isEmpty else { throw SocketError.disconnected }
            outcome = parser.feed(bytes)
        }
        switch outcome {
        case .needMore: throw SocketError.disconnected  // not reached
        case .failure(let failure): return .refused(Refusal(failure))
        case .head(let head, var rest):
            // The server answers GET and HEAD only; a body is read (within limits) and dropped so
            // the connection can carry the next request.
            if !head.values("transfer-encoding").isEmpty { return .refused(.notImplemented) }
            let lengths = Set(head.values("content-length").flatMap { $0.split(separator: ",") }
                .map { $0.trimmingCharacters(in: .whitespaces) })
            guard lengths.count <= 1 else { return .refused(.badRequest) }
            var length = 0
            if let text = lengths.first {
                guard !text.isEmpty, text.count <= 19, text.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text) else {
                    return .refused(.badRequest)
                }
                length = n
            }
            guard length <= limits.maxBodyBytes else { return .refused(.contentTooLarge) }
            while rest.count < length {
                let bytes = try await socket.read(atMost: min(16 * 1024, length - rest.count))
                guard !bytes.isEmpty else { throw SocketError.disconnected }
                rest += bytes
            }
            return .request(head, rest: Array(rest[length...]))
        }
    }

    // MARK: Answering

    /// `nil` when `Host` names this machine by a loopback name or an address (``HostPolicy``).
    static func checkHost(_ head: RequestHead) -> Refusal? {
        let hosts = head.values("host")
        if hosts.isEmpty { return head.minorVersion >= 1 ? .badRequest : nil }  // RFC 9112 §3.2
        guard hosts.count == 1 else { return .badRequest }
        switch HostPolicy.check(hosts[0]) {
        case .allowed: return nil
        case .foreign: return .foreignHost
        case .malformed: return .badRequest
        }
    }

    private func respond(to head: RequestHead) async -> HTTPResponse {
        let target = head.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var headers = HTTPHeaders()
        for field in head.fields { headers.addValue(field.value, for: HTTPHeader(field.name)) }
        let request = HTTPRequest(method: HTTPMethod(head.method), version: HTTPVersion("HTTP/1.\(head.minorVersion)"),
                                  target: .init(path: String(target[0]), query: target.count > 1 ? String(target[1]) : ""),
                                  headers: headers, body: HTTPBodySequence(data: Data()))
        do {
            return try await listener.handler.handleRequest(request)
        } catch {
            return SiteHandler.plain(.internalServerError, head: head.method == "HEAD")
        }
    }

    /// Writes `response`; returns whether the connection stays open.
    private func write(_ response: HTTPResponse, for head: RequestHead) async throws -> Bool {
        guard case .httpBody(let body) = response.payload else {
            try await socket.write(Self.encodeHead(SiteHandler.plain(.internalServerError, head: false), close: true, extra: []))
            return false
        }
        if let count = body.count {
            let keep = head.keepAlive
            var extra: [(String, String)] = []
            if response.headers[.contentLength] == nil { extra.append(("Content-Length", String(count))) }
            if keep && head.minorVersion == 0 { extra.append(("Connection", "keep-alive")) }
            var data = Self.encodeHead(response, close: !keep, extra: extra)
            data.append(try await response.bodyData)
            try await socket.write(data)
            return keep
        }
        // A stream (live reload): chunked on HTTP/1.1; on HTTP/1.0 its end is the connection's.
        let chunked = head.minorVersion >= 1
        let keep = chunked && head.keepAlive
        try await socket.write(Self.encodeHead(response, close: !keep, extra: chunked ? [("Transfer-Encoding", "chunked")] : []))
        for try await chunk in body where !chunk.isEmpty {
            if chunked {
                var framed = Data("\(String(chunk.count, radix: 16))\r\n".utf8)
                framed.append(chunk)
                framed.append(contentsOf: [13, 10])
                try await socket.write(framed)
            } else {
                try await socket.write(chunk)
            }
        }
        if chunked { try await socket.write(Data("0\r\n\r\n".utf8)) }
        return keep
    }

    static func encodeHead(_ response: HTTPResponse, close: Bool, extra: [(String, String)]) -> Data {
        var text = "HTTP/1.1 \(response.statusCode.code) \(response.statusCode.phrase)\r\n"
        var lines = response.headers.map { ($0.key.rawValue, $0.value) } + extra
        if close { lines.append(("Connection", "close")) }
        lines.sort { $0.0 < $1.0 }
        for (name, value) in lines {
            // Values can hold parts of the request (a redirect's Location); never a line break.
            let safe = value.contains(where: { $0 == "\r" || $0 == "\n" }) ? value.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") : value
            text += "\(name): \(safe)\r\n"
        }
        text += "\r\n"
        return Data(text.utf8)
    }

    // MARK: Refusing

    /// A request the server will not answer, with a short reason for whoever opened it.
    enum Refusal: Sendable, Equatable {
        case badRequest, foreignHost, contentTooLarge, uriTooLong, headersTooLarge, notImplemented, versionNotSupported

        init(_ failure: HeadFailure) {
            switch failure {
            case .uriTooLong: self = .uriTooLong
            case .headersTooLarge: self = .headersTooLarge
            case .badRequest: self = .badRequest
            case .versionNotSupported: self = .versionNotSupported
            }
        }

        var status: HTTPStatusCode {
            switch self {
            case .badRequest: .badRequest
            case .foreignHost: .forbidden
            case .contentTooLarge: HTTPStatusCode(413, phrase: "Content Too Large")
            case .uriTooLong: .uriTooLong
            case .headersTooLarge: .requestHeaderFieldsTooLarge
            case .notImplemented: HTTPStatusCode(501, phrase: "Not Implemented")
            case .versionNotSupported: HTTPStatusCode(505, phrase: "HTTP Version Not Supported")
            }
        }

        func message(_ limits: HTTPLimits) -> String {
            switch self {
            case .badRequest:
                localized("请求格式不正确。", en: "The request is malformed.")
            case .foreignHost:
                localized("预览服务器只回答以 localhost 或 IP 地址（如 127.0.0.1）访问的请求。这个请求的 Host 是别的域名，可能来自网页的 DNS 重绑定攻击。请用 http://localhost:端口/ 打开预览。",
                          en: "The preview server only answers requests addressed to localhost or an IP address (such as 127.0.0.1). This request's Host names another domain, as a web page attempting DNS rebinding would. Open the preview at http://localhost:PORT/.")
            case .contentTooLarge:
                localized("请求正文超过 \(limits.maxBodyBytes / 1024) KB。", en: "The request body exceeds \(limits.maxBodyBytes / 1024) KB.")
            case .uriTooLong:
                localized("请求行超过 \(limits.maxRequestLine / 1024) KB。", en: "The request line exceeds \(limits.maxRequestLine / 1024) KB.")
            case .headersTooLarge:
                localized("请求头超过 \(limits.maxHeaderBytes / 1024) KB 或 \(limits.maxHeaderFields) 行。",
                          en: "The request header exceeds \(limits.maxHeaderBytes / 1024) KB or \(limits.maxHeaderFields) fields.")
            case .notImplemented:
                localized("预览服务器不接受分块传输的请求正文。", en: "The preview server does not accept chunked request bodies.")
            case .versionNotSupported:
                localized("预览服务器只支持 HTTP/1.0 和 HTTP/1.1。", en: "The preview server speaks HTTP/1.0 and HTTP/1.1 only.")
            }
        }
    }

    /// Answers with the refusal and closes. The client may still be sending (a 128 KB request line):
    /// closing with unread bytes would reset the connection and could destroy the answer before the
    /// client reads it, so the server stops sending, then reads and drops what comes for a moment.
    private func refuse(_ refusal: Refusal) async {
        let status = refusal.status
        let body = Data("\(status.code) \(status.phrase)\n\(refusal.message(limits))\n".utf8)
        var response = SiteHandler.response(status, body: body, type: "text/plain; charset=utf-8", head: false)
        response.headers[.contentLength] = String(body.count)
        var bytes = Self.encodeHead(response, close: true, extra: [])
        bytes.append(body)
        let data = bytes
        do {
            try await withDeadline(limits.headerTimeout) { [socket] in try await socket.write(data) }
        } catch {
            return
        }
        _ = shutdown(socket.socket.file.rawValue, Int32(SHUT_WR))
        _ = try? await withDeadline(.seconds(1)) { [socket] in
            var drained = 0
            while drained < 1 << 20 {
                let bytes = try await socket.read(atMost: 16 * 1024)
                if bytes.isEmpty { break }
                drained += bytes.count
            }
        }
    }
}
