import Foundation
import Support

/// Where a build keeps what the next build can reuse, shelf by shelf: `MemoryStore` for a process
/// that builds again and again (`serve`), `DiskStore` for builds in new processes (`sitegen build`,
/// in a file beside the output folder). Everything a build reuses is on a shelf of the store it is
/// given; no stage keeps results of its own.
public protocol Store: AnyObject, Sendable {
    /// What the last build kept on the shelf.
    func kept<V>(_ shelf: Shelf<V>) -> Kept<V>?
    /// This build's results, for the next.
    func keep<V>(_ shelf: Shelf<V>, _ results: Kept<V>)
}

/// Results of one kind (completed disclosures, findings, what was published …).
public struct Shelf<V: Sendable>: Sendable {
    public let name: String
    /// How `DiskStore` writes the shelf and reads it back; nil: kept in memory only (a completed
    /// disclosure, the parsed theme), so a new process makes it again.
    public let codec: Codec<V>?

    public init(_ name: String, codec: Codec<V>? = nil) {
        self.name = name
        self.codec = codec
    }
}

/// A shelf as lines of text: none may be empty or start with `§`. `read` gets the lines as bytes
/// (valid during the call only) and returns nil for anything it cannot read whole.
public struct Codec<V: Sendable>: Sendable {
    public let write: @Sendable (Kept<V>) -> String
    public let read: @Sendable (ArraySlice<UnsafeBufferPointer<UInt8>>) -> Kept<V>?
    /// Of a codec with one line per result (`lines`): that line. `DiskStore` writes a result whose
    /// id and key are those it read as the line it read, and encodes only the others.
    public let line: (@Sendable (_ id: String, _ key: UInt64, _ value: V) -> String)?

    public init(write: @escaping @Sendable (Kept<V>) -> String,
                read: @escaping @Sendable (ArraySlice<UnsafeBufferPointer<UInt8>>) -> Kept<V>?) {
        self.write = write
        self.read = read
        line = nil
    }

    /// One line per result, in order: `line` writes it (without the line break), `item` reads it
    /// back (nil: the whole shelf is unusable). Read a run of lines per thread.
    public static func lines(_ line: @escaping @Sendable (_ id: String, _ key: UInt64, _ value: V) -> String,
                             item: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> (id: String, key: UInt64, value: V)?) -> Codec<V> {
        Codec(write: { kept in
            var out = ""
            for i in kept.ids.indices { out += line(kept.ids[i], kept.keys[i], kept.values[i]) + "\n" }
            return out
        }, read: { lines in
            nonisolated(unsafe) let lines = lines
            let runs = stride(from: lines.startIndex, to: lines.endIndex, by: 256).map { $0..<min($0 + 256, lines.endIndex) }
            let parts = parallelMap(runs) { run -> Kept<V>? in
                var kept = Kept<V>()
                for text in lines[run] {
                    guard let (id, key, value) = item(text) else { return nil }
                    kept.ids.append(id)
                    kept.keys.append(key)
                    kept.values.append(value)
                }
                return kept
            }
            var kept = Kept<V>()
            for part in parts {
                guard let part else { return nil }
                kept.ids += part.ids
                kept.keys += part.keys
                kept.values += part.values
            }
            return kept
        }, line: line)
    }

    private init(write: @escaping @Sendable (Kept<V>) -> String,
                 read: @escaping @Sendable (ArraySlice<UnsafeBufferPointer<UInt8>>) -> Kept<V>?,
                 line: (@Sendable (String, UInt64, V) -> String)?) {
        self.write = write
        self.read = read
        self.line = line
    }
}

/// A store in memory, for a process that builds the same site again and again (`serve`).
public final class MemoryStore: Store {
    private let shelves = Locked<[String: any Sendable]>([:])
    private let backing = Locked<(any Store)?>(nil)
    public init() {}

    /// What the process's first build may reuse of a build in another process (`DiskStore`): asked
    /// for the shelves this store does not have yet.
    public func back(with store: any Store) { backing.withLock { $0 = store } }

    /// A shelf taken from the backing store is kept here: decoded once, not by every build.
    public func kept<V>(_ shelf: Shelf<V>) -> Kept<V>? {
        if let mine = shelves.withLock({ $0[shelf.name] as? Kept<V> }) { return mine }
        guard let backed = backing.withLock({ $0 })?.kept(shelf) else { return nil }
        shelves.withLock { if $0[shelf.name] == nil { $0[shelf.name] = backed } }
        return backed
    }
    public func keep<V>(_ shelf: Shelf<V>, _ results: Kept<V>) { shelves.withLock { $0[shelf.name] = results } }
    /// Forgets a shelf.
    public func drop<V>(_ shelf: Shelf<V>) { shelves.withLock { $0[shelf.name] = nil } }
}

/// Optional text as one field of a tab-separated line: "-" for nil, else "=" and the text with
/// backslash, tab, line feed and carriage return escaped (`UnsafeBufferPointer.field` reads it).
public func lineField(_ text: String?) -> String {
    guard let text else { return "-" }
    guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return "=" + text }
    var out = "="
    for c in text.unicodeScalars {
        switch c {
        case "\\": out += "\\\\"
        case "\t": out += "\\t"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        default: out.unicodeScalars.append(c)
        }
    }
    return out
}

extension UnsafeBufferPointer<UInt8> {
    /// A field `lineField` wrote: nil for "-" (`.some(nil)`), nil when it is neither form.
    public var field: String?? {
        if count == 1 && self[0] == UInt8(ascii: "-") { return .some(nil) }
        guard count >= 1, self[0] == UInt8(ascii: "=") else { return nil }
        let body = UnsafeBufferPointer(rebasing: self[1...])
        guard body.contains(0x5C) else { return body.text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count)
        var escaped = false
        for b in body {
            if escaped {
                switch b {
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                default: bytes.append(b)
                }
                escaped = false
            } else if b == 0x5C {
                escaped = true
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The pieces between separators (empty ones too); after `maxSplits` splits, the rest is one piece.
    /// Found with `memchr`, into an array made once for a line's fields (the state file is split
    /// into lines, and its lines into fields, on every build: the loop over the bytes and the
    /// array's growth were much of decoding the disclosures' stamps: bench/README.md).
    public func pieces(_ separator: UInt8, maxSplits: Int = .max) -> [UnsafeBufferPointer<UInt8>] {
        guard let base = baseAddress else { return [self] }
        var pieces: [UnsafeBufferPointer<UInt8>] = []
        pieces.reserveCapacity(8)
        var start = 0
        while pieces.count < maxSplits, let hit = memchr(base + start, Int32(separator), count - start) {
            let end = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            pieces.append(UnsafeBufferPointer(start: base + start, count: end - start))
            start = end + 1
        }
        pieces.append(UnsafeBufferPointer(start: base + start, count: count - start))
        return pieces
    }

    public var text: String { String(decoding: self, as: UTF8.self) }
}
