import Foundation

/// A build problem to show in the browser overlay: `file:line` and a message.
public struct PreviewError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file the problem is in, as the user should read it (e.g. `content/report.yaml`).
    public var file: String
    /// 1-based line, or 0 when unknown.
    public var line: Int
    public var message: String

    public init(file: String, line: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// Paths reserved by the preview server; the site cannot shadow them.
enum LiveReload {
    static let prefix = "/__sitegen/"
    static let eventsPath = "/__sitegen/events"
    static let scriptPath = "/__sitegen/reload.js"
    /// What is injected before `</body>` in every HTML response.
    static let scriptTag = #"<script src="/__sitegen/reload.js" defer></script>"#

    /// Listens for `reload` (reload the page) and `error` (show an overlay built with DOM
    /// methods and `textContent` only, so messages are never parsed as HTML).
    static let script = #"""
    // sitegen live reload (served by `sitegen serve` only; never written to disk).
    (() => {
      const OVERLAY = "__sitegen-error-overlay";
      const events = new EventSource("/__sitegen/events");
      const hide = () => { const o = document.getElementById(OVERLAY); if (o) o.remove(); };
      events.addEventListener("reload", () => { hide(); location.reload(); });
      events.addEventListener("error", (e) => {
        if (!e.data) return; // a dropped connection, not a build error: EventSource retries by itself
        let err;
        try { err = JSON.parse(e.data); } catch { return; }
        hide();
        const box = document.createElement("div");
        box.id = OVERLAY;
        box.setAttribute("role", "alert");
        Object.assign(box.style, {
          position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
          background: "rgba(20, 20, 20, 0.92)", color: "#fff", padding: "2rem",
          font: "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
        });
        const title = document.createElement("div");
        title.textContent = "Build error";
        title.style.cssText = "color:#ff6b6b;font-weight:bold;font-size:16px;margin-bottom:.5rem";
        const where = document.createElement("div");
        where.textContent = err.line > 0 ? `${err.file}:${err.line}` : String(err.file ?? "");
        where.style.cssText = "color:#ffd479;margin-bottom:.5rem";
        const message = document.createElement("pre");
        message.textContent = String(err.message ?? "");
        message.style.cssText = "white-space:pre-wrap;margin:0";
        box.append(title, where, message);
        document.body.appendChild(box);
      });
    })();
    """#

    /// Inserts ``scriptTag`` before the last `</body>` (any case), or appends it.
    static func inject(into html: Data) -> Data {
        let needle = Array("</body>".utf8)
        let bytes = [UInt8](html)
        var insertAt = bytes.count
        if bytes.count >= needle.count {
            search: for start in stride(from: bytes.count - needle.count, through: 0, by: -1) {
                for (i, b) in needle.enumerated() where lower(bytes[start + i]) != b { continue search }
                insertAt = start
                break
            }
        }
        var out = Data(bytes[..<insertAt])
        out.append(Data(scriptTag.utf8))
        out.append(contentsOf: bytes[insertAt...])
        return out
    }

    private static func lower(_ b: UInt8) -> UInt8 { (65...90).contains(b) ? b + 32 : b }

    static func event(_ name: String, json: Data) -> Data {
        Data("event: \(name)\ndata: ".utf8) + json + Data("\n\n".utf8)
    }

    static func errorEvent(_ e: PreviewError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // JSONEncoder escapes newlines inside strings, so the payload is one SSE data line.
        return event("error", json: (try? encoder.encode(e)) ?? Data("{}".utf8))
    }
}

/// Fans live-reload events out to every open `/__sitegen/events` stream.
final class EventHub: @unchecked Sendable {
    private let lock = NSLock()
    private var subscribers: [Int: AsyncStream<Data>.Continuation] = [:]
    private var nextID = 0
    private var lastError: PreviewError?
    private var isOpen = false

    var count: Int { lock.withLock { subscribers.count } }

    func open() { lock.withLock { isOpen = true } }

    /// A new stream that starts with a comment and, if the last build failed, its error.
    func subscribe() -> AsyncStream<Data> {
        let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingNewest(64))
        continuation.yield(Data(": connected\nretry: 1000\n\n".utf8))
        lock.withLock {
            guard isOpen else { return continuation.finish() }
            let id = nextID
            nextID += 1
            subscribers[id] = continuation
            continuation.onTermination = { [weak self] _ in self?.remove(id) }
            if let lastError { continuation.yield(LiveReload.errorEvent(lastError)) }
        }
        return stream
    }

    func reload() {
        lock.withLock { lastError = nil }
        broadcast(LiveReload.event("reload", json: Data("{}".utf8)))
    }

    func error(_ e: PreviewError) {
        lock.withLock { lastError = e }
        broadcast(LiveReload.errorEvent(e))
    }

    func broadcast(_ data: Data) {
        for c in lock.withLock({ Array(subscribers.values) }) { c.yield(data) }
    }

    /// Ends every stream (their HTTP responses complete) and refuses new ones until `open()`.
    func close() {
        let all = lock.withLock {
            isOpen = false
            defer { subscribers = [:] }
            return Array(subscribers.values)
        }
        for c in all { c.finish() }
    }

    private func remove(_ id: Int) {
        _ = lock.withLock { subscribers.removeValue(forKey: id) }
    }
}
