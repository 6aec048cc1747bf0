import Dispatch
import Foundation
import Support

/// A store kept as one file between builds in new processes. Its text: header lines, which the
/// owner writes and checks (what the file describes: Site's `BuildState`), then a section per shelf
/// that has a codec — a line `§ <shelf name>`, then the codec's lines. Shelves are read when first
/// asked for, so a build that needs one shelf does not decode the others. The owner reads and
/// writes the file; the store only turns it into shelves and back.
public final class DiskStore: Store {
    /// The header lines of the file the store was read from (empty for a new store).
    public let header: [String]
    private let bytes: [UInt8]
    /// Shelf name → the byte range of its lines.
    private let sections: [String: Range<Int>]
    private let shelves = Locked<[String: any Sendable]>([:])
    /// Shelves read from `bytes`, decoded (once, when first asked for).
    private let decoded = Locked<[String: any Sendable]>([:])
    /// Of a decoded shelf whose codec has a line per result: where each result's line is in `bytes`.
    private let lines = Locked<[String: [Range<Int>]]>([:])
    /// Held while a shelf is decoded: a thread that asks for it meanwhile waits instead of decoding
    /// it again (`prefetch`).
    private let decoding = Locked<[String: NSLock]>([:])

    /// A store with nothing kept.
    public convenience init() { self.init(bytes: []) }

    /// The store a file held; `only`: of its shelves, these alone (the others are not trusted).
    public init(bytes: [UInt8], only: Set<String>? = nil) {
        var header: [String] = []
        var sections: [String: Range<Int>] = [:]
        var section: (name: String, start: Int)?
        var start = 0
        bytes.withUnsafeBufferPointer { all in
            while start < all.count {
                let end = all[start...].firstIndex(of: UInt8(ascii: "\n")) ?? all.count
                let line = UnsafeBufferPointer(rebasing: all[start..<end])
                if line.starts(with: Self.mark) {
                    if let s = section { sections[s.name] = s.start..<start }
                    section = (UnsafeBufferPointer(rebasing: line[Self.mark.count...]).text, end + 1)
                } else if section == nil {
                    header.append(line.text)
                }
                start = end + 1
            }
        }
        if let s = section { sections[s.name] = min(s.start, bytes.count)..<bytes.count }
        if let only { sections = sections.filter { only.contains($0.key) } }
        self.header = header
        self.bytes = bytes
        self.sections = sections
    }

    static let mark = Array("§ ".utf8)

    /// A shelf is decoded when first asked for, once.
    public func kept<V>(_ shelf: Shelf<V>) -> Kept<V>? {
        if let written = shelves.withLock({ $0[shelf.name] }) { return (written as? Written<V>)?.kept }
        if let decoded = decoded.withLock({ $0[shelf.name] }) { return decoded as? Kept<V> }
        guard let codec = shelf.codec, let range = sections[shelf.name] else { return nil }
        let gate = decoding.withLock { gates in
            if let gate = gates[shelf.name] { return gate }
            let gate = NSLock()
            gates[shelf.name] = gate
            return gate
        }
        gate.lock()
        defer { gate.unlock() }
        if let decoded = decoded.withLock({ $0[shelf.name] }) { return decoded as? Kept<V> }
        let (kept, ranges) = bytes.withUnsafeBufferPointer { all in
            let lines = UnsafeBufferPointer(rebasing: all[range]).pieces(UInt8(ascii: "\n")).filter { !$0.isEmpty }
            let ranges = lines.map { line in
                let start = line.baseAddress.map { $0 - all.baseAddress! } ?? 0
                return start..<(start + line.count)
            }
            return (codec.read(lines[...]), ranges)
        }
        if let kept {
            decoded.withLock { $0[shelf.name] = kept }
            if codec.line != nil && ranges.count == kept.ids.count { lines.withLock { $0[shelf.name] = ranges } }
        }
        return kept
    }

    /// Decodes a shelf on another thread, for a later `kept` (a build's plan needs the published
    /// list and the disclosures' stamps only after the analysis, which leaves a core idle at times).
    public func prefetch<V>(_ shelf: Shelf<V>) {
        guard shelf.codec != nil, sections[shelf.name] != nil else { return }
        DispatchQueue.global().async { _ = self.kept(shelf) }
    }

    /// Of a codec with a line per result, a result with the id and key of one read is written as the
    /// line read (one disclosure edited: one line encoded, not 10,000); such a shelf, kept while the
    /// build goes on, is encoded on another thread meanwhile (`file` waits for it). A shelf written
    /// whole (`Published`, kept as the build ends) is encoded at once: a thread waiting for another
    /// that encodes it would take that thread's place among the cores it encodes on.
    public func keep<V>(_ shelf: Shelf<V>, _ results: Kept<V>) {
        guard let codec = shelf.codec else { return }
        guard let line = codec.line else {
            let text = Array(codec.write(results).utf8)
            shelves.withLock { $0[shelf.name] = Written(encoded: Background(done: text), kept: results) }
            return
        }
        let bytes = bytes, share = bytes.count / max(1, sections.count)
        let read = decoded.withLock { $0[shelf.name] as? Kept<V> }
        let ranges = read == nil ? nil : lines.withLock { $0[shelf.name] }
        let text = Background<[UInt8]> {
            guard let read, let ranges else { return Array(codec.write(results).utf8) }
            let position = read.ids == results.ids ? nil : Dictionary(zip(read.ids, read.ids.indices), uniquingKeysWith: { a, _ in a })
            var out: [UInt8] = []
            out.reserveCapacity(share)
            for i in results.ids.indices {
                let p = position == nil ? i : position![results.ids[i]]
                if let p, read.keys[p] == results.keys[i] {
                    out += bytes[ranges[p]]
                } else {
                    out += line(results.ids[i], results.keys[i], results.values[i]).utf8
                }
                out.append(UInt8(ascii: "\n"))
            }
            return out
        }
        shelves.withLock { $0[shelf.name] = Written(encoded: text, kept: results) }
    }

    /// What a shelf kept in this build, as written (decoded again only if asked for).
    fileprivate struct Written<V: Sendable>: Sendable {
        var encoded: Background<[UInt8]>
        var kept: Kept<V>
        var text: [UInt8] { encoded.value }
    }

    /// The file: `header`, then every shelf by name: as kept in this build, else as read.
    public func file(header: [String]) -> [UInt8] {
        var out = Array((header.joined(separator: "\n") + "\n").utf8)
        let written = shelves.withLock { $0 }
        out.reserveCapacity(out.count + bytes.count + written.values.reduce(0) { $0 + (($1 as? any WrittenText)?.text.count ?? 0) })
        for name in Set(written.keys).union(sections.keys).sorted() {
            out += Self.mark + Array((name + "\n").utf8)
            if let kept = written[name] {
                out += (kept as? any WrittenText)?.text ?? []
            } else if let range = sections[name] {
                out += bytes[range]
            }
        }
        return out
    }
}

private protocol WrittenText { var text: [UInt8] { get } }
extension DiskStore.Written: WrittenText {}

