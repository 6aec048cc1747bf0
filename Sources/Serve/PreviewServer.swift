import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
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
/// It is a Hummingbird 2 application on SwiftNIO: NIO accepts connections (after a failed `accept`,
/// out of descriptors, it pauses and retries instead of giving up) and decodes requests (llhttp,
/// within ``HTTPLimits``: 431 past them); Hummingbird runs the request loop and closes a connection
/// whose request head does not arrive in time. Only requests whose `Host` is `localhost`, a name under
/// `.localhost` or an IP address are answered (``HostPolicyMiddleware``; 403 otherwise), so a web page
/// cannot read the preview through DNS rebinding.
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
    private let failures = AcceptFailures()
    private var running: Running?

    private struct Running {
        let group: ServiceGroup
        let task: Task<Void, Never>
        let port: UInt16
        let heartbeat: Task<Void, Never>
    }

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
        guard running == nil else { throw PreviewServerError.alreadyRunning }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw PreviewServerError.rootNotFound(root.path)
        }
        let address = try Self.bindHost(host)
        if !Self.isLoopback(host) {
            FileHandle.standardError.write(Data(
                "warning: serving on \(host), which is not a loopback address: other machines may reach this preview\n".utf8))
        }

        hub.open()
        let limits = limits
        let started = StartSignal()
        let failures = failures
        let log: @Sendable (String) -> Void = { line in FileHandle.standardError.write(Data("sitegen serve: \(line)\n".utf8)) }
        let app = Application(
            responder: PreviewResponder(site: SiteHandler(root: root, hub: hub)),
            server: HTTPServerBuilder { responder in PreviewChannel(responder: responder, limits: limits) },
            configuration: ApplicationConfiguration(address: .hostname(address, port: Int(port))),
            onServerRunning: { channel in
                // Ahead of NIO's AcceptBackoffHandler, which sees accept's errors and keeps them.
                try? await channel.eventLoop.submit {
                    try channel.pipeline.syncOperations.addHandler(AcceptWatch(failures: failures, log: log), position: .first)
                }.get()
                started.resolve(.success(UInt16(channel.localAddress?.port ?? 0)))
            },
            logger: Self.quiet
        )
        let group = ServiceGroup(configuration: .init(services: [app], logger: Self.quiet))
        let task = Task {
            do {
                try await group.run()
                started.resolve(.failure(PreviewServerError.startFailed("the server stopped at once")))
            } catch {
                started.resolve(.failure(error))
            }
        }
        let bound: UInt16
        do {
            bound = try await started.value()
        } catch {
            task.cancel()
            await task.value
            hub.close()
            throw mapStartError(error)
        }
        let heartbeat = Task { [hub] in
            // A comment line every 15 s lets dead SSE connections be noticed and closed.
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(15))
                hub.broadcast(Data(": ping\n\n".utf8))
            }
        }
        running = Running(group: group, task: task, port: bound, heartbeat: heartbeat)
    }

    /// The port actually bound (useful with port `0`), or `0` when not listening.
    public func listeningPort() async -> UInt16 {
        running?.port ?? 0
    }

    /// `http://host:port/` for the listening server, or `nil` when not listening.
    public func listeningURL() async -> URL? {
        let port = await listeningPort()
        guard port != 0 else { return nil }
        let shown = host.contains(":") ? "[\(host)]" : host
        return URL(string: "http://\(shown):\(port)/")
    }

    /// Closes the listener and all connections (live-reload streams included). Idempotent.
    ///
    /// Idle connections close at once; a response being written gets a moment (250 ms) to end,
    /// then whatever is left is cancelled.
    public func stop() async {
        guard let running else { return }
        self.running = nil
        running.heartbeat.cancel()
        hub.close()
        await running.group.triggerGracefulShutdown()
        let task = running.task
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await task.value
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(250))
                return false
            }
            if await group.next() == false { task.cancel() }
            group.cancelAll()
        }
    }

    /// How many times accepting a connection has failed since the server was made (e.g. out of descriptors).
    var acceptFailures: Int { failures.count }

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

    /// The numeric address to bind for `host` (`localhost` is 127.0.0.1); names are refused.
    static func bindHost(_ host: String) throws -> String {
        let h = host.lowercased() == "localhost" ? "127.0.0.1" : host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard (try? SocketAddress(ipAddress: h, port: 0)) != nil else { throw PreviewServerError.invalidHost(host) }
        return h
    }

    /// Hummingbird and ServiceLifecycle log to stderr at `info` by default; sitegen says what it has to itself.
    static let quiet = Logger(label: "sitegen.serve", factory: { _ in SwiftLogNoOpLogHandler() })

    private func mapStartError(_ error: any Error) -> any Error {
        if error is PreviewServerError { return error }
        if let error = error as? IOError {
            switch error.errnoCode {
            case EADDRINUSE: return PreviewServerError.portInUse(port)
            case EACCES: return PreviewServerError.startFailed("permission denied for port \(port) (ports below 1024 need privileges); try --port 1313")
            case EADDRNOTAVAIL: return PreviewServerError.startFailed("address \(host) is not available on this machine")
            default: return PreviewServerError.startFailed(error.description)
            }
        }
        return PreviewServerError.startFailed("\(error)")
    }
}

/// The Host policy in front of the site.
struct PreviewResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let hostPolicy = HostPolicyMiddleware<BasicRequestContext>()
    let site: SiteHandler

    func respond(to request: Request, context: Context) async throws -> Response {
        try await hostPolicy.handle(request, context: context) { request, context in
            try await site.respond(to: request, context: context)
        }
    }
}

/// Limits and time limits of the preview's requests, enforced by NIO's HTTP/1 decoder, ``RequestGate``
/// and Hummingbird's idle limit.
public struct HTTPLimits: Sendable, Equatable {
    /// The longest request target, and the longest header field name or value. Longer: 431.
    public var maxFieldBytes: Int
    /// The most bytes of request target, field names and values together. More: 431.
    public var maxHeaderBytes: Int
    /// The most header fields. More: 431.
    public var maxHeaderFields: Int
    /// The largest request body (`Content-Length`), read and thrown away: the server only answers GET
    /// and HEAD. Larger: 413.
    public var maxBodyBytes: Int
    /// The time a client has to send a request's head once the connection is open or the previous
    /// response is sent. Then the connection is closed without an answer.
    public var headerTimeout: Duration

    public init(maxFieldBytes: Int = 8 * 1024, maxHeaderBytes: Int = 32 * 1024, maxHeaderFields: Int = 100,
                maxBodyBytes: Int = 64 * 1024, headerTimeout: Duration = .seconds(5)) {
        self.maxFieldBytes = maxFieldBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxHeaderFields = maxHeaderFields
        self.maxBodyBytes = maxBodyBytes
        self.headerTimeout = headerTimeout
    }

    /// The same limits for NIO's decoder, which counts the target as a field.
    var decoderLimits: NIOHTTPDecoderLimitConfiguration {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = maxFieldBytes
        limits.maxHeaderListSize = maxHeaderBytes
        limits.maxHeaderFieldCount = maxHeaderFields
        return limits
    }
}

/// The outcome of starting, given once by whichever comes first: the server running or failing.
final class StartSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<UInt16, any Error>?
    private var waiter: CheckedContinuation<UInt16, any Error>?

    func resolve(_ outcome: Result<UInt16, any Error>) {
        let waiter: CheckedContinuation<UInt16, any Error>? = lock.withLock {
            guard result == nil else { return nil }
            result = outcome
            defer { self.waiter = nil }
            return self.waiter
        }
        waiter?.resume(with: outcome)
    }

    func value() async throws -> UInt16 {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<UInt16, any Error>? = lock.withLock {
                if result == nil { waiter = continuation }
                return result
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
