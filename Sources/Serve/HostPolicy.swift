import Foundation
import HTTPTypes
import Hummingbird
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Answers 403 to a request whose `Host` is not this machine's (``HostPolicy``), 400 to one whose
/// `Host` cannot be read or is sent twice; passes the others on. A request without `Host` (HTTP/1.0)
/// is passed on: HTTP/1.1 requires it, and ``RequestGate`` refuses an HTTP/1.1 request without it.
struct HostPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // NIO's HTTP/1 conversion makes the first `Host` the authority and keeps any further one as a field.
        if request.headers[values: HTTPField.Name("Host")!].count > 0 {
            return Self.refusal(.badRequest, localized("请求有不止一个 Host。", en: "The request has more than one Host."), head: request.method == .head)
        }
        guard let host = request.head.authority else { return try await next(request, context) }
        switch HostPolicy.check(host) {
        case .allowed:
            return try await next(request, context)
        case .foreign:
            return Self.refusal(.forbidden, Self.foreignMessage, head: request.method == .head)
        case .malformed:
            return Self.refusal(.badRequest, localized("请求的 Host 无法识别。", en: "The request's Host cannot be read."), head: request.method == .head)
        }
    }

    static var foreignMessage: String {
        localized("预览服务器只回答以 localhost 或 IP 地址（如 127.0.0.1）访问的请求。这个请求的 Host 是别的域名，可能来自网页的 DNS 重绑定攻击。请用 http://localhost:端口/ 打开预览。",
                  en: "The preview server only answers requests addressed to localhost or an IP address (such as 127.0.0.1). This request's Host names another domain, as a web page attempting DNS rebinding would. Open the preview at http://localhost:PORT/.")
    }

    /// Says why, and ends the connection (``RequestGate`` closes it after a response marked so).
    static func refusal(_ status: HTTPResponse.Status, _ message: String, head: Bool) -> Response {
        var response = SiteHandler.response(status, body: Data("\(status.code) \(status.reasonPhrase)\n\(message)\n".utf8),
                                            type: "text/plain; charset=utf-8", head: head)
        response.headers[.connection] = "close"
        return response
    }
}

/// Which `Host` values the preview answers: a defence against DNS rebinding, where a page on the web
/// makes its own name resolve to 127.0.0.1 and then reads the preview as its own origin.
///
/// Allowed: `localhost` and names under `.localhost` (RFC 6761: they never leave the machine), and
/// IP address literals (`127.0.0.1`, `[::1]`, the bound address, a LAN address when the preview is
/// bound to all interfaces): a page can only be the same origin as an address literal by being
/// served from it. Each with or without a port. Anything else — a name a DNS server answers for — is refused.
enum HostPolicy {
    enum Verdict: Equatable { case allowed, foreign, malformed }

    static func check(_ host: String) -> Verdict {
        let h = host.lowercased()
        let name: Substring
        var port: Substring = ""
        if h.hasPrefix("[") {
            guard let close = h.firstIndex(of: "]") else { return .malformed }
            name = h[h.index(after: h.startIndex)..<close]
            let after = h[h.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return .malformed }
                port = after.dropFirst()
                guard !port.isEmpty else { return .malformed }
            }
            return isValidPort(port) && isIPv6(name) ? .allowed : .malformed
        }
        if let colon = h.lastIndex(of: ":") {
            name = h[..<colon]
            port = h[h.index(after: colon)...]
            guard !port.isEmpty else { return .malformed }
        } else {
            name = h[...]
        }
        guard isValidPort(port), !name.isEmpty, !name.hasPrefix("."), !name.contains(".."),
              name.utf8.allSatisfy({ isToken($0) }) else { return .malformed }
        if name == "localhost" || name.hasSuffix(".localhost") { return .allowed }
        return isIPv4(name) ? .allowed : .foreign
    }

    /// Letters, digits, `-`, `.` and `_`: what a host name or an IPv4 address is written with.
    private static func isToken(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"): true
        default: false
        }
    }

    private static func isValidPort(_ port: Substring) -> Bool {
        port.isEmpty || (port.count <= 5 && port.allSatisfy(\.isASCII) && port.allSatisfy(\.isNumber) && Int(port)! <= 65_535)
    }

    static func isIPv4(_ s: Substring) -> Bool {
        var addr = in_addr()
        return inet_pton(AF_INET, String(s), &addr) == 1
    }

    static func isIPv6(_ s: Substring) -> Bool {
        var addr = in6_addr()
        return inet_pton(AF_INET6, String(s), &addr) == 1
    }
}
