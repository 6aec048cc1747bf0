import Foundation
import ZIPFoundation

/// A ZIP archive written front to back in memory: each entry deflated by ZIPFoundation
/// (`Data.compress`, which also gives its CRC-32) as it is added, the central directory once at the
/// end; ZIP64 records when there are 65,535 entries or more, or 4 GiB. ZIPFoundation's own
/// `Archive.addEntry` reads and writes the whole central directory again for every entry added —
/// quadratic in the entries (a region ZIP has 21 per disclosure). Entries get a fixed date
/// (1980-01-01) and mode 0644, so the same files give the same bytes, the layout ZIPFoundation writes.
struct ZipWriter {
    private(set) var bytes: [UInt8] = []
    private var directory: [UInt8] = []
    private var count = 0

    private static let madeBy: UInt16 = 789        // UNIX, ZIP 2.1
    private static let flags: UInt16 = 0x0800      // names are UTF-8
    private static let deflate: UInt16 = 8
    private static let dosDate: UInt16 = 0x0021    // 1980-01-01, 00:00
    private static let mode: UInt32 = 0o100644 << 16

    mutating func add(_ name: String, _ data: [UInt8]) {
        var compressed: [UInt8] = []
        compressed.reserveCapacity(data.count / 4 + 64)
        let crc = (try? Data.compress(size: Int64(data.count), bufferSize: 1 << 16, provider: { position, size in
            Data(data[Int(position)..<Int(position) + size])
        }, consumer: { compressed.append(contentsOf: $0) })) ?? 0
        let offset = UInt64(bytes.count)
        let name = Array(name.utf8)
        let large = UInt64(data.count) >= 0xFFFF_FFFF || UInt64(compressed.count) >= 0xFFFF_FFFF
        let needs: UInt16 = large ? 45 : 20
        // Local header: sizes in a ZIP64 field when either is too large for 32 bits.
        bytes += Self.le(UInt32(0x0403_4b50)) + Self.le(needs) + Self.le(Self.flags) + Self.le(Self.deflate) + Self.le(UInt16(0)) + Self.le(Self.dosDate)
        bytes += Self.le(crc) + Self.le(large ? UInt32.max : UInt32(compressed.count)) + Self.le(large ? UInt32.max : UInt32(data.count))
        bytes += Self.le(UInt16(name.count)) + Self.le(UInt16(large ? 20 : 0)) + name
        if large { bytes += Self.le(UInt16(1)) + Self.le(UInt16(16)) + Self.le(UInt64(data.count)) + Self.le(UInt64(compressed.count)) }
        bytes += compressed
        // Its central directory record, written at the end.
        let farOffset = offset >= 0xFFFF_FFFF
        let extra = (large ? [UInt64(data.count), UInt64(compressed.count)] : []) + (farOffset ? [offset] : [])
        directory += Self.le(UInt32(0x0201_4b50)) + Self.le(Self.madeBy) + Self.le(needs) + Self.le(Self.flags) + Self.le(Self.deflate)
        directory += Self.le(UInt16(0)) + Self.le(Self.dosDate) + Self.le(crc)
        directory += Self.le(large ? UInt32.max : UInt32(compressed.count)) + Self.le(large ? UInt32.max : UInt32(data.count))
        directory += Self.le(UInt16(name.count)) + Self.le(UInt16(extra.isEmpty ? 0 : 4 + 8 * extra.count)) + Self.le(UInt16(0))
        directory += Self.le(UInt16(0)) + Self.le(UInt16(0)) + Self.le(Self.mode) + Self.le(farOffset ? UInt32.max : UInt32(offset)) + name
        if !extra.isEmpty { directory += Self.le(UInt16(1)) + Self.le(UInt16(8 * extra.count)) + extra.flatMap(Self.le) }
        count += 1
    }

    /// The archive: the entries, their central directory and its end record.
    mutating func finish() -> [UInt8] {
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
