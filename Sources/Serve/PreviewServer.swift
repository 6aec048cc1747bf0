import FlyingFox
import FlyingSocks
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a ``PreviewServer`` could not start.
public enum PreviewServerError: Error, Equatable, Sendable, CustomStringConvertible, LocalizedError {
    /// Another process already listens on the port.
    case portInUse(UInt16)
    /// The folder to serve does not exist or is not a folder.
    case rootNotFound(String)
    /// `host` is not a numeric IPv4/IPv6 address (or `localhost`).
    case invalidHost(String)
    /// `start()` was called on a server that is already running.
    case alreadyRunning
    /// Binding or listening failed for another reason.
    case startFailed(String)

    public var description: String {
        switch self {
        case .portInUse(let port):
            "port \(port) is already in use; try --port \(port == .max ? port - 1 : port + 1)"
        case .rootNotFound(let path): "cannot serve \(path): no such folder (build the site first)"
        case .invalidHost(let host): "invalid host '\(host)': use a numeric address such as 127.0.0.1 or ::1"
        case .alreadyRunning: "the preview server is already running"
        case .startFailed(let message): "the preview server could not start: \(message)"
        }
    }

    public var errorDescription: String? { description }
}

/// A development server for the built site (`public/`), with live reload.
///
/// It serves static files only, never outside `root`, adds `Cache-Control: no-cache`
/// and a strong ETag to every file, and injects
/// `<script src="/__sitegen/reload.js" defer></script>` into HTML responses (never on disk).
/// Browsers listen on `/__sitegen/events` (Server-Sent Events) and reload on ``notifyReload()``
/// or show an overlay on ``notifyError(_:)``.
///
/// It stays up against hostile or broken clients (see ``HTTPLimits``): a failed `accept` (out of
/// descriptors) pauses and retries instead of ending the accept loop; a request's head must arrive
/// within a time limit and within size limits (414, 431); and only requests whose `Host` is
/// `localhost`, a name under `.localhost` or an IP address are answered (403 otherwise), so a web
/// page cannot read the preview through DNS rebinding.
///
/// ```swift
/// let server = PreviewServer(root: publicDir, port: 1313)
/// try await server.start()           // returns once listening
/// print("http://127.0.0.1:\(await server.listeningPort())/")
/// server.notifyReload()              // after each rebuild
/// await server.stop()
/// ```
public actor PreviewServer {
    /// The folder being served. It is resolved (realpath) on every request, so it may be
    /// replaced atomically (or be a symlink that is swapped) while the server runs.
    public nonisolated let root: URL
    /// The address to bind; loopback (`127.0.0.1`) by default.
    public nonisolated let host: String
    /// The requested port; `0` picks a free one (see ``listeningPort()``).
    public nonisolated let port: UInt16

    /// Size limits and time limits of requests (see ``HTTPLimits``).
    public nonisolated let limits: HTTPLimits

    private let hub = EventHub()
    private var listener: Listener?
    private var heartbeat: Task<Void, Never>?

    /// Creates a server; nothing is bound until ``start()``.
    public init(root: URL, host: String = "127.0.0.1", port: UInt16 = 1313, limits: HTTPLimits = HTTPLimits()) {
        self.root = root
        self.host = host
        self.port = port
        self.limits = limits
    }

    /// Binds and starts serving; returns once the socket is listening.
    ///
    /// Prints a warning to stderr when `host` is not a loopback address.
    /// - Throws: ``PreviewServerError`` (e.g. `.portInUse` with a hint for `--port`).
    public func start() async throws {
        guard listener == nil else { throw PreviewServerError.alreadyRunning }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw PreviewServerError.rootNotFound(root.path)
        }
        let address = try Self.makeAddress(host: host, port: port)
        if !Self.isLoopback(host) {
            FileHandle.standardError.write(Data(
                "warning: serving on \(host), which is not a loopback address: other machines may reach this preview\n".utf8))
        }

        let socket: Socket
        do {
            socket = try Socket(domain: Int32(type(of: address).family))
            do {
                try socket.setValue(true, for: .localAddressReuse)
                try socket.bind(to: address)
                try socket.listen()
            } catch {
                try? socket.close()
                throw error
            }
        } catch {
            throw mapStartError(error)
        }
        let pool = HTTPServer.defaultPool()
        do {
            try await pool.prepare()
        } catch {
            try? socket.close()
            throw mapStartError(error)
        }
        hub.open()
        let listener = Listener(socket: socket, pool: pool, limits: limits, handler: SiteHandler(root: root, hub: hub)) { line in
            FileHandle.standardError.write(Data("sitegen serve: \(line)\n".utf8))
        }
        listener.start()
        self.listener = listener
        heartbeat = Task { [hub] in
            // A comment line every 15 s lets dead SSE connections be noticed and closed.
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(15))
                hub.broadcast(Data(": ping\n\n".utf8))
            }
        }
    }

    /// The port actually bound (useful with port `0`), or `0` when not listening.
    public func listeningPort() async -> UInt16 {
        switch try? listener?.socket.sockname() {
        case .ip4(_, let port)?, .ip6(_, let port)?: port
        default: 0
        }
    }

    /// `http://host:port/` for the listening server, or `nil` when not listening.
    public func listeningURL() async -> URL? {
        let port = await listeningPort()
        guard port != 0 else { return nil }
        let shown = host.contains(":") ? "[\(host)]" : host
        return URL(string: "http://\(shown):\(port)/")
    }

    /// Closes the listener and all connections (live-reload streams included). Idempotent.
    public func stop() async {
        guard let listener else { return }
        self.listener = nil
        heartbeat?.cancel()
        heartbeat = nil
        hub.close()
        await listener.stop(grace: .milliseconds(250))  // in-flight responses get a moment; idle ones close now
    }

    /// How many times accepting a connection has failed since ``start()`` (e.g. out of descriptors).
    var acceptFailures: Int { listener?.acceptFailures ?? 0 }

    /// Tells every connected browser to reload; clears a shown error overlay.
    public nonisolated func notifyReload() {
        hub.reload()
    }

    /// Tells every connected browser (and those connecting later, until the next reload)
    /// to show an overlay with `file:line` and the message.
    public nonisolated func notifyError(_ e: PreviewError) {
        hub.error(e)
    }

    /// The number of browsers listening for live-reload events.
    public nonisolated var liveReloadClients: Int { hub.count }

    /// True for `localhost`, `127.0.0.0/8` and `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "[::1]" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    static func makeAddress(host: String, port: UInt16) throws -> any SocketAddress {
        let h = host.lowercased() == "localhost" ? "127.0.0.1" : host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        do {
            if h.contains(":") { return try sockaddr_in6.inet6(ip6: h, port: port) }
            return try sockaddr_in.inet(ip4: h, port: port)
        } catch {
            throw PreviewServerError.invalidHost(host)
        }
    }

    private func mapStartError(_ error: any Error) -> any Error {
        if error is PreviewServerError { return error }
        if case SocketError.failed(_, let code, let message)? = error as? SocketError {
            switch code {
            case EADDRINUSE: return PreviewServerError.portInUse(port)
            case EACCES: return PreviewServerError.startFailed("permission denied for port \(port) (ports below 1024 need privileges); try --port 1313")
            case EADDRNOTAVAIL: return PreviewServerError.startFailed("address \(host) is not available on this machine")
            default: return PreviewServerError.startFailed(message)
            }
        }
        return PreviewServerError.startFailed(error.localizedDescription)
    }
}
