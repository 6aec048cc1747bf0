import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Answers every request of a ``PreviewServer`` that passed its ``RequestGate`` and Host policy:
/// static files under `root`, the live-reload endpoints, and the error responses.
struct SiteHandler: HTTPResponder {
    typealias Context = BasicRequestContext

    let root: URL
    let hub: EventHub

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            var r = Self.plain(.methodNotAllowed, head: false)
            r.headers[.allow] = "GET, HEAD"
            return r
        }
        let head = request.method == .head
        // The target as sent (still percent-encoded), without the query.
        let target = (request.head.path ?? "").split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawPath = String(target.first ?? "")
        let query = target.count > 1 ? String(target[1]) : ""

        switch rawPath {
        case LiveReload.eventsPath where !head:
            return eventStream()
        case LiveReload.eventsPath:
            return Self.response(.ok, body: Data(), type: "text/event-stream", head: true)
        case LiveReload.scriptPath:
            return fileResponse(Data(LiveReload.script.utf8), type: "text/javascript; charset=utf-8", request: request)
        default:
            break
        }

        switch Self.resolve(rawPath: rawPath, root: root.path) {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { return notFound(head: head) }
            let type = Self.contentType(forPath: path)
            let body = type.hasPrefix("text/html") ? LiveReload.inject(into: data) : data
            return fileResponse(body, type: type, request: request)
        case .redirect(let location):
            var r = Self.plain(.movedPermanently, head: head)
            r.headers[.location] = query.isEmpty ? location : "\(location)?\(query)"
            return r
        case .notFound:
            return notFound(head: head)
        case .forbidden:
            return Self.plain(.forbidden, head: head)
        case .badRequest:
            return Self.plain(.badRequest, head: head)
        }
    }

    // MARK: Responses

    /// Server-Sent Events until the hub closes; each event is written (and flushed) as it comes.
    private func eventStream() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-cache"
        let events = hub.subscribe().map { ByteBuffer(bytes: $0) }
        return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: events))
    }

    /// 200 with a strong ETag, or 304 when `If-None-Match` matches it.
    private func fileResponse(_ body: Data, type: String, request: Request) -> Response {
        let etag = Self.etag(for: body)
        let head = request.method == .head
        if let inm = request.headers[.ifNoneMatch], Self.matches(ifNoneMatch: inm, etag: etag) {
            var r = Self.response(.notModified, body: body, type: nil, head: true)  // no body; length of the 200
            r.headers[.eTag] = etag
            return r
        }
        var r = Self.response(.ok, body: body, type: type, head: head)
        r.headers[.eTag] = etag
        return r
    }

    private func notFound(head: Bool) -> Response {
        if case .file(let path) = Self.resolve(rawPath: "/404.html", root: root.path),
           let data = FileManager.default.contents(atPath: path) {
            return Self.response(.notFound, body: LiveReload.inject(into: data), type: "text/html; charset=utf-8", head: head)
        }
        return Self.plain(.notFound, head: head)
    }
}

extension SiteHandler {
    static func plain(_ status: HTTPResponse.Status, head: Bool) -> Response {
        response(status, body: Data("\(status.code) \(status.reasonPhrase)\n".utf8), type: "text/plain; charset=utf-8", head: head)
    }

    /// For HEAD (and 304) the body is dropped but `Content-Length` still tells its size.
    static func response(_ status: HTTPResponse.Status, body: Data, type: String?, head: Bool) -> Response {
        var headers = HTTPFields()
        if let type { headers[.contentType] = type }
        headers[.cacheControl] = "no-cache"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: head ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    // MARK: ETag

    /// A strong validator from the served bytes: FNV-1a 64 plus the length. No dates, so
    /// the same bytes always give the same ETag.
    static func etag(for data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "\"\(String(repeating: "0", count: 16 - hex.count))\(hex)-\(String(data.count, radix: 16))\""
    }

    /// `If-None-Match` uses weak comparison: `W/` prefixes are ignored; `*` matches anything.
    static func matches(ifNoneMatch header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { item in
            var tag = item.trimmingCharacters(in: .whitespaces)
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag.removeFirst(2) }
            return tag == etag
        }
    }

    // MARK: Content types

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "htm": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "json": "application/json; charset=utf-8", "map": "application/json; charset=utf-8",
        "webmanifest": "application/manifest+json; charset=utf-8",
        "csv": "text/csv; charset=utf-8",
        "xml": "application/xml; charset=utf-8",
        "svg": "image/svg+xml; charset=utf-8",
        "txt": "text/plain; charset=utf-8",
        "md": "text/markdown; charset=utf-8",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "avif": "image/avif", "ico": "image/x-icon",
        "zip": "application/zip", "pdf": "application/pdf", "wasm": "application/wasm",
        "woff2": "font/woff2", "woff": "font/woff", "ttf": "font/ttf", "otf": "font/otf",
    ]

    static func contentType(forPath path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        return contentTypes[ext] ?? "application/octet-stream"
    }

    // MARK: Path resolution

    enum Resolution: Equatable {
        case file(String)
        case redirect(String)
        case notFound
        case forbidden
        case badRequest
    }

    /// Maps a raw (still percent-encoded) request path to a regular file inside `root`.
    ///
    /// Refuses traversal in every spelling: `..`/`.` segments, `%2f`, `%5c`, `%00`, backslashes,
    /// control bytes, empty segments (`//etc`), double encoding (`%252e`), invalid UTF-8, and
    /// symlinks whose real path leaves the real path of `root`.
    static func resolve(rawPath: String, root: String) -> Resolution {
        guard rawPath.hasPrefix("/") else { return .badRequest }  // e.g. absolute-form "http://…"
        guard !rawPath.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f }) else { return .badRequest }
        let lowered = rawPath.lowercased()
        if rawPath.contains("\\") || ["%2f", "%5c", "%00"].contains(where: lowered.contains) { return .forbidden }

        // Decode exactly once; what remains must not hide another '.', '/', '\' or NUL.
        guard let decoded = rawPath.removingPercentEncoding else { return .badRequest }
        if decoded.utf8.contains(where: { $0 < 0x20 || $0 == 0x7f || $0 == UInt8(ascii: "\\") }) { return .forbidden }
        if containsEncodedSeparator(decoded) { return .forbidden }

        let segments = decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (i, segment) in segments.enumerated() {
            if segment == "." || segment == ".." { return .forbidden }
            if segment.isEmpty && i < segments.count - 1 { return .forbidden }
        }

        guard let rootReal = realPath(root) else { return .notFound }
        guard let real = realPath(rootReal + decoded) else { return .notFound }
        guard isInside(real, rootReal) else { return .forbidden }

        switch fileKind(real) {
        case .directory:
            guard decoded.hasSuffix("/") else { return .redirect(rawPath + "/") }
            guard let index = realPath(real + "/index.html") else { return .notFound }
            guard isInside(index, rootReal) else { return .forbidden }
            return fileKind(index) == .regular ? .file(index) : .notFound
        case .regular:
            return .file(real)
        case .other:
            return .notFound
        }
    }

    /// True when `s` holds `%XX` that decodes to '.', '/', '\' or NUL (i.e. it was double-encoded).
    static func containsEncodedSeparator(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count >= 3 else { return false }
        for i in 0..<(b.count - 2) where b[i] == UInt8(ascii: "%") {
            if let v = UInt8(String(decoding: b[(i + 1)...(i + 2)], as: UTF8.self), radix: 16),
               [0x2e, 0x2f, 0x5c, 0x00].contains(v) { return true }
        }
        return false
    }

    static func isInside(_ path: String, _ rootReal: String) -> Bool {
        path == rootReal || path.hasPrefix(rootReal == "/" ? "/" : rootReal + "/")
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    enum Kind { case regular, directory, other }

    static func fileKind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .other }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        default: return .other
        }
    }
}
