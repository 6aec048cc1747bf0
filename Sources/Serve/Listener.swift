import FlyingFox
import FlyingSocks
import Foundation
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The preview's HTTP/1.1 layer on FlyingSocks: the accept loop and the open connections.
///
/// It replaces FlyingFox's `HTTPServer`, whose accept loop ended on the first failed `accept`
/// (EMFILE: the server stayed up and answered nothing), which had no time limit for a request's
/// head and no limit on its size. FlyingFox's types (`HTTPRequest`, `HTTPResponse`) are still
/// what ``SiteHandler`` answers with.
final class Listener: @unchecked Sendable {
    let socket: Socket
    let pool: any AsyncSocketPool
    let limits: HTTPLimits
    let handler: any HTTPHandler
    let connections = ConnectionRegistry()
    private let log: @Sendable (String) -> Void

    private let lock = NSLock()
    private var poolTask: Task<Void, Never>?
    private var acceptTask: Task<Void, Never>?
    private var failures = 0

    init(socket: Socket, pool: any AsyncSocketPool, limits: HTTPLimits, handler: any HTTPHandler,
         log: @escaping @Sendable (String) -> Void) {
        self.socket = socket
        self.pool = pool
        self.limits = limits
        self.handler = handler
        self.log = log
    }

    /// How many times `accept` has failed (for want of descriptors, or a client that left first).
    var acceptFailures: Int { lock.withLock { failures } }

    /// Runs the socket pool and the accept loop. The pool must be prepared.
    func start() {
        lock.withLock {
            poolTask = Task { [pool] in try? await pool.run() }
            acceptTask = Task { await self.acceptLoop() }
        }
    }

    /// Stops accepting, closes idle connections at once, gives the others `grace` to finish their
    /// response (a live-reload stream ends when its hub is closed), then cancels what is left.
    func stop(grace: Duration) async {
        let (accepting, polling) = lock.withLock { (acceptTask, poolTask) }
        accepting?.cancel()
        await accepting?.value
        try? socket.close()
        let open = connections.beginStop()
        let deadline = Task { [connections] in
            try? await Task.sleep(for: grace)
            connections.cancelAll()
        }
        for task in open { await task.value }
        deadline.cancel()
        polling?.cancel()
        await polling?.value
    }

    /// Accepts until cancelled. A failed `accept` never ends the loop: when descriptors or memory
    /// run out the pending connection stays in the kernel's queue, and the loop pauses (doubling
    /// the pause up to `maxAcceptBackoff`) instead of spinning on a listener that stays readable,
    /// then accepts it once a descriptor is free.
    private func acceptLoop() async {
        let listener: AsyncSocket
        do {
            listener = try AsyncSocket(socket: socket, pool: pool)
        } catch {
            log(localized("预览服务器无法监听：\(error.localizedDescription)", en: "the preview server cannot listen: \(error.localizedDescription)"))
            return
        }
        var pause = limits.acceptBackoff
        var short = false
        while !Task.isCancelled {
            do {
                let client = try await listener.accept()
                if short {
                    short = false
                    log(localized("预览服务器恢复接受连接。", en: "the preview server accepts connections again."))
                }
                pause = limits.acceptBackoff
                connections.start { id in await Connection(socket: client, id: id, listener: self).run() }
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                lock.withLock { failures += 1 }
                // A client that gave up while queued: the next one may be waiting already.
                if case SocketError.failed(_, let code, _) = error, [ECONNABORTED, EINTR, EPROTO].contains(code) { continue }
                if !short {
                    short = true
                    let reason = if case SocketError.failed(_, let code, let message) = error { "\(message), errno \(code)" } else { "\(error)" }
                    log(localized("预览服务器暂时无法接受连接（\(reason)）：文件描述符或内存可能已用尽。它会自动重试，资源释放后即恢复。",
                                  en: "the preview server cannot accept connections for now (\(reason)): file descriptors or memory may have run out. It retries by itself and recovers once they are freed."))
                }
                try? await Task.sleep(for: pause)
                pause = min(pause * 2, limits.maxAcceptBackoff)
            }
        }
    }
}

/// The open connections: each one's task, and whether it is between requests (idle).
final class ConnectionRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Int: Task<Void, Never>] = [:]
    private var idle: Set<Int> = []
    private var nextID = 0
    private var stopping = false

    var count: Int { lock.withLock { tasks.count } }

    func start(_ body: @escaping @Sendable (Int) async -> Void) {
        lock.withLock {
            let id = nextID
            nextID += 1
            // Inserted under the lock, so the task's own removal cannot come first.
            tasks[id] = Task {
                await body(id)
                self.finish(id)
            }
        }
    }

    /// Marks a connection idle (waiting for a request) or busy. False when the server is stopping:
    /// the connection should close instead of waiting for another request.
    @discardableResult
    func setIdle(_ id: Int, _ isIdle: Bool) -> Bool {
        lock.withLock {
            if isIdle { idle.insert(id) } else { idle.remove(id) }
            return !stopping
        }
    }

    /// Refuses further requests, cancels the idle connections, and returns every open one's task.
    func beginStop() -> [Task<Void, Never>] {
        lock.withLock {
            stopping = true
            for id in idle { tasks[id]?.cancel() }
            return Array(tasks.values)
        }
    }

    func cancelAll() {
        for task in lock.withLock({ Array(tasks.values) }) { task.cancel() }
    }

    private func finish(_ id: Int) {
        lock.withLock {
            tasks[id] = nil
            idle.remove(id)
        }
    }
}

struct DeadlineExceeded: Error {}

/// Runs `body`, cancelling it when `timeout` passes first (then throws ``DeadlineExceeded``).
/// FlyingSocks ends a read or write waiting on a cancelled task with `CancellationError`.
func withDeadline<T: Sendable>(_ timeout: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard case let value?? = try await group.next() else { throw DeadlineExceeded() }
        return value
    }
}
