/// A ZIP archive written front to back in memory: each entry deflated by libdeflate (`Deflater`)
/// as it is added, or copied as already deflated from another archive of ours (`ZipReader.Entry`),
/// the central directory once at the end; ZIP64 records when there are 65,535 entries or more, or
/// 4 GiB. ZIPFoundation's own `Archive.addEntry` reads and writes the whole central directory again
/// for every entry added — quadratic in the entries. Entries get a fixed date (1980-01-01) and mode
/// 0644, so the same files give the same bytes, the layout ZIPFoundation writes.
public struct ZipWriter {
    public private(set) var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0
    private let deflater: Deflater

    public init(deflater: Deflater = Deflater()) { self.deflater = deflater }

    private static let madeBy: UInt16 = 789        // UNIX, ZIP 2.1
    private static let flags: UInt16 = 0x0800      // names are UTF-8
    private static let deflate: UInt16 = 8
    private static let dosDate: UInt16 = 0x0021    // 1980-01-01, 00:00
    private static let mode: UInt32 = 0o100644 << 16

    public mutating func add(_ name: String, _ data: [UInt8]) {
        add(name, compressed: deflater.deflate(data), crc: Deflater.crc32(data), size: data.count)
    }

    /// An entry of another archive, copied as it is deflated there.
    public mutating func add(_ name: String, _ entry: ZipReader.Entry) {
        add(name, compressed: entry.compressed, crc: entry.crc, size: entry.size)
    }

    private mutating func add<C: Collection<UInt8>>(_ name: String, compressed: C, crc: UInt32, size: Int) {
        let offset = UInt64(bytes.count)
        let name = Array(name.utf8)
        let large = UInt64(size) >= 0xFFFF_FFFF || UInt64(compressed.count) >= 0xFFFF_FFFF
        let needs: UInt16 = large ? 45 : 20
        // Local header: sizes in a ZIP64 field when either is too large for 32 bits.
        bytes += Self.le(UInt32(0x0403_4b50)) + Self.le(needs) + Self.le(Self.flags) + Self.le(Self.deflate) + Self.le(UInt16(0)) + Self.le(Self.dosDate)
        bytes += Self.le(crc) + Self.le(large ? UInt32.max : UInt32(compressed.count)) + Self.le(large ? UInt32.max : UInt32(size))
        bytes += Self.le(UInt16(name.count)) + Self.le(UInt16(large ? 20 : 0)) + name
        if large { bytes += Self.le(UInt16(1)) + Self.le(UInt16(16)) + Self.le(UInt64(size)) + Self.le(UInt64(compressed.count)) }
        bytes.append(contentsOf: compressed)
        // Its central directory record, written at the end.
        let farOffset = offset >= 0xFFFF_FFFF
        let extra = (large ? [UInt64(size), UInt64(compressed.count)] : []) + (farOffset ? [offset] : [])
        directory += Self.le(UInt32(0x0201_4b50)) + Self.le(Self.madeBy) + Self.le(needs) + Self.le(Self.flags) + Self.le(Self.deflate)
        directory += Self.le(UInt16(0)) + Self.le(Self.dosDate) + Self.le(crc)
        directory += Self.le(large ? UInt32.max : UInt32(compressed.count)) + Self.le(large ? UInt32.max : UInt32(size))
        directory += Self.le(UInt16(name.count)) + Self.le(UInt16(extra.isEmpty ? 0 : 4 + 8 * extra.count)) + Self.le(UInt16(0))
        directory += Self.le(UInt16(0)) + Self.le(UInt16(0)) + Self.le(Self.mode) + Self.le(farOffset ? UInt32.max : UInt32(offset)) + name
        if !extra.isEmpty { directory += Self.le(UInt16(1)) + Self.le(UInt16(8 * extra.count)) + extra.flatMap(Self.le) }
        count += 1
    }

    /// The archive: the entries, their central directory and its end record.
    public mutating func finish() -> [UInt8] {
        let start = UInt64(bytes.count), size = UInt64(directory.count), total = UInt64(count)
        bytes += directory
        let zip64 = total >= 0xFFFF || start >= 0xFFFF_FFFF || size >= 0xFFFF_FFFF
        if zip64 {
            let record = UInt64(bytes.count)
            bytes += Self.le(UInt32(0x0606_4b50)) + Self.le(UInt64(44)) + Self.le(Self.madeBy) + Self.le(UInt16(45))
            bytes += Self.le(UInt32(0)) + Self.le(UInt32(0)) + Self.le(total) + Self.le(total) + Self.le(size) + Self.le(start)
            bytes += Self.le(UInt32(0x0706_4b50)) + Self.le(UInt32(0)) + Self.le(record) + Self.le(UInt32(1))
        }
        bytes += Self.le(UInt32(0x0605_4b50)) + Self.le(UInt16(0)) + Self.le(UInt16(0))
        bytes += Self.le(UInt16(min(total, 0xFFFF))) + Self.le(UInt16(min(total, 0xFFFF)))
        bytes += Self.le(UInt32(min(size, 0xFFFF_FFFF))) + Self.le(UInt32(min(start, 0xFFFF_FFFF))) + Self.le(UInt16(0))
        return bytes
    }

    /// Little-endian bytes of an integer.
    private static func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }
}

/// The entries of an archive `ZipWriter` wrote (deflated, no ZIP64): to copy them into another
/// archive without deflating them again, or to inflate one. Nil for anything else.
public struct ZipReader {
    public struct Entry: Sendable {
        public var name: String
        public var crc: UInt32
        public var size: Int
        public var compressed: ArraySlice<UInt8>

        /// The entry's bytes; nil when they do not inflate to its size and CRC.
        public func inflated() -> [UInt8]? {
            guard let out = Deflater.inflate(compressed, size: size), Deflater.crc32(out) == crc else { return nil }
            return out
        }
    }

    public let entries: [Entry]

    public init?(_ bytes: [UInt8]) {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        let end = bytes.count - 22
        guard end >= 0, u32(end) == 0x0605_4b50 else { return nil }
        let total = u16(end + 10), start = u32(end + 16)
        var at = start, entries: [Entry] = []
        for _ in 0..<total {
            guard at + 46 <= bytes.count, u32(at) == 0x0201_4b50, u16(at + 10) == 8 else { return nil }
            let crc = UInt32(u32(at + 16)), compressedSize = u32(at + 20), size = u32(at + 24)
            let nameLength = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32), local = u32(at + 42)
            guard at + 46 + nameLength <= bytes.count, local + 30 <= bytes.count, u32(local) == 0x0403_4b50 else { return nil }
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            let data = local + 30 + u16(local + 26) + u16(local + 28)
            guard data + compressedSize <= start else { return nil }
            entries.append(Entry(name: name, crc: crc, size: size, compressed: bytes[data..<(data + compressedSize)]))
            at += 46 + nameLength + extra + comment
        }
        self.entries = entries
    }

    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }
}
