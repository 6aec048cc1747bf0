#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits and timeouts of the preview server's HTTP layer (``PreviewServer``).
public struct HTTPLimits: Sendable, Equatable {
    /// The longest request line (method, target, version), without its line end. Longer: 414.
    public var maxRequestLine: Int
    /// The largest header section (every field line with its line end). Larger: 431.
    public var maxHeaderBytes: Int
    /// The most header fields. More: 431.
    public var maxHeaderFields: Int
    /// The largest request body read (and thrown away: the server only answers GET and HEAD). Larger: 413.
    public var maxBodyBytes: Int
    /// The time a client has to send a request's head (and its small body) once the connection is
    /// open or the previous response is sent. Then the connection is closed without an answer.
    public var headerTimeout: Duration
    /// The first pause after `accept` fails for want of resources (descriptors, memory); each further
    /// failure doubles it, up to ``maxAcceptBackoff``.
    public var acceptBackoff: Duration
    public var maxAcceptBackoff: Duration

    public init(maxRequestLine: Int = 8 * 1024, maxHeaderBytes: Int = 32 * 1024, maxHeaderFields: Int = 100,
                maxBodyBytes: Int = 64 * 1024, headerTimeout: Duration = .seconds(5),
                acceptBackoff: Duration = .milliseconds(10), maxAcceptBackoff: Duration = .milliseconds(500)) {
        self.maxRequestLine = maxRequestLine
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderFields = maxHeaderFields
        self.maxBodyBytes = maxBodyBytes
        self.headerTimeout = headerTimeout
        self.acceptBackoff = acceptBackoff
        self.maxAcceptBackoff = maxAcceptBackoff
    }
}

/// The head of one HTTP/1.x request: its request line and header fields, as sent.
struct RequestHead: Equatable, Sendable {
    var method: String
    /// The request target, still percent-encoded (e.g. `/a%20b/?q=1`).
    var target: String
    /// `1` for HTTP/1.1, `0` for HTTP/1.0.
    var minorVersion: Int
    /// Field names as sent; values without the whitespace around them.
    var fields: [Field]

    struct Field: Equatable, Sendable {
        var name: String
        var value: String
    }

    /// Every value of the field `name` (compared without regard to case).
    func values(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name }.map(\.value)
    }

    /// Whether the connection stays open after the response (RFC 9112 §9.3).
    var keepAlive: Bool {
        let tokens = values("connection").flatMap { $0.lowercased().split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if tokens.contains("close") { return false }
        return minorVersion >= 1 || tokens.contains("keep-alive")
    }
}

/// Why a request head was refused; each maps to the status the client is sent before the close.
enum HeadFailure: Error, Equatable, Sendable {
    case uriTooLong           // 414
    case headersTooLarge      // 431
    case badRequest(String)   // 400
    case versionNotSupported  // 505
}

/// Reads a request head from bytes as they arrive, in one pass over each byte, and never holds more
/// than the limits allow (plus the last read).
///
/// FlyingFox's own decoder gathered each line byte by byte through an actor and checked every
/// prefix, with no limit on a line's length; this one scans each new byte once for the line end,
/// keeps the offsets of the lines found, and refuses as soon as a limit is passed.
struct HeadParser {
    let limits: HTTPLimits
    private(set) var buffer: [UInt8] = []
    /// Bytes of `buffer` already scanned for a line end.
    private var scanned = 0
    /// Where the line being read starts.
    private var lineStart = 0
    /// The request line, once its end has been seen.
    private var requestLine: Range<Int>?
    /// Where the header section starts (just after the request line's end).
    private var headerStart = 0
    private var fieldLines: [Range<Int>] = []
    /// How many bytes the scan has looked at: each one once (`buffer.count` at most).
    private(set) var examined = 0

    enum Outcome: Equatable {
        case needMore
        /// A complete head, and the bytes that came after it (a body, or the next request).
        case head(RequestHead, rest: [UInt8])
        case failure(HeadFailure)
    }

    init(limits: HTTPLimits, carry: [UInt8] = []) {
        self.limits = limits
        buffer = carry
    }

    /// True when nothing of a request has arrived yet.
    var isEmpty: Bool { buffer.isEmpty }

    /// Adds bytes just read; scans only those.
    mutating func feed(_ bytes: some Collection<UInt8>) -> Outcome {
        buffer.append(contentsOf: bytes)
        return scan()
    }

    /// Scans what is buffered already (the bytes carried over from the previous request).
    mutating func scan() -> Outcome {
        var i = scanned
        let end = buffer.count
        while i < end {
            examined += 1
            if buffer[i] == UInt8(ascii: "\n") {
                var lineEnd = i
                if lineEnd > lineStart, buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
                let line = lineStart..<lineEnd
                if requestLine == nil {
                    // RFC 9112 §2.2: empty lines before the request line are ignored (they count
                    // against the request line's limit).
                    if !line.isEmpty {
                        guard lineEnd <= limits.maxRequestLine else { return .failure(.uriTooLong) }
                        requestLine = line
                    }
                    headerStart = i + 1
                } else if line.isEmpty {
                    scanned = i + 1
                    return finish(restStart: i + 1)
                } else {
                    fieldLines.append(line)
                    guard fieldLines.count <= limits.maxHeaderFields else { return .failure(.headersTooLarge) }
                }
                lineStart = i + 1
            }
            i += 1
        }
        scanned = end
        if requestLine == nil {
            // Past the limit and its line end, with no line end: too long, whatever follows.
            if end > limits.maxRequestLine + 1 { return .failure(.uriTooLong) }
        } else if end - headerStart > limits.maxHeaderBytes {
            return .failure(.headersTooLarge)
        }
        return .needMore
    }

    private func finish(restStart: Int) -> Outcome {
        guard restStart - headerStart <= limits.maxHeaderBytes else { return .failure(.headersTooLarge) }
        guard let requestLine else { return .failure(.badRequest("no request line")) }
        let head: RequestHead
        switch Self.parseRequestLine(buffer[requestLine]) {
        case .failure(let failure): return .failure(failure)
        case .success(let line): head = RequestHead(method: line.method, target: line.target, minorVersion: line.minor, fields: [])
        }
        var result = head
        result.fields.reserveCapacity(fieldLines.count)
        for range in fieldLines {
            switch Self.parseField(buffer[range]) {
            case .failure(let failure): return .failure(failure)
            case .success(let field): result.fields.append(field)
            }
        }
        return .head(result, rest: Array(buffer[restStart...]))
    }

    // MARK: Syntax (RFC 9112 §3, §5; RFC 9110 §5.6.2)

    /// `tchar`: the characters of a method or a field name.
    static func isToken(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }

    static func parseRequestLine(_ line: ArraySlice<UInt8>) -> Result<(method: String, target: String, minor: Int), HeadFailure> {
        let parts = line.split(separator: UInt8(ascii: " "), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.badRequest("request line")) }
        let (method, target, version) = (parts[0], parts[1], parts[2])
        guard !method.isEmpty, method.allSatisfy(isToken) else { return .failure(.badRequest("method")) }
        // Visible US-ASCII only: browsers percent-encode everything else.
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else { return .failure(.badRequest("target")) }
        let v = Array(version)
        guard v.count == 8, v[..<5].elementsEqual("HTTP/".utf8), v[6] == UInt8(ascii: "."),
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(v[5]),
              (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(v[7]) else { return .failure(.badRequest("version")) }
        guard v[5] == UInt8(ascii: "1") else { return .failure(.versionNotSupported) }
        return .success((String(decoding: method, as: UTF8.self), String(decoding: target, as: UTF8.self),
                         Int(v[7] - UInt8(ascii: "0"))))
    }

    static func parseField(_ line: ArraySlice<UInt8>) -> Result<RequestHead.Field, HeadFailure> {
        // No whitespace before the colon, no line folding (§5.1, §5.2).
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex,
              line[line.startIndex..<colon].allSatisfy(isToken) else { return .failure(.badRequest("field name")) }
        var start = colon + 1
        var end = line.endIndex
        let isSpace = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        while start < end, isSpace(line[start]) { start += 1 }
        while end > start, isSpace(line[end - 1]) { end -= 1 }
        let value = line[start..<end]
        // Field values: visible characters, spaces, tabs and obs-text; no CR, LF, NUL or other controls.
        guard value.allSatisfy({ $0 >= 0x20 && $0 != 0x7f || $0 == UInt8(ascii: "\t") }) else {
            return .failure(.badRequest("field value"))
        }
        return .success(.init(name: String(decoding: line[line.startIndex..<colon], as: UTF8.self),
                              value: String(decoding: value, as: UTF8.self)))
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
