/// A short, stable fingerprint of a text (FNV-1a, 64 bits, hex): input stamps of incremental builds
/// are compared and concatenated as fingerprints, not as the long lists of files they come from.
public enum Digest {
    public static func fnv1a(_ text: String) -> String {
        var text = text
        return text.withUTF8 { fnv1a(buffer: $0) }
    }

    /// The fingerprint of `parts` joined by `separator`, without joining them first (a published
    /// group's list of paths, on every build).
    public static func fnv1a(joining parts: [String], separator: UInt8) -> String {
        var stream = Stream()
        for (i, part) in parts.enumerated() {
            if i > 0 { stream.mix(separator) }
            var part = part
            part.withUTF8 { for byte in $0 { stream.mix(byte) } }
        }
        return stream.hex
    }

    public static func fnv1a(bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { fnv1a(buffer: $0) }
    }

    /// Over contiguous bytes: a generic `Sequence` version ran through a witness call per byte
    /// (unspecialised across modules), many times slower (bench/README.md#figures-that-were-in-code-comments).
    static func fnv1a(buffer: UnsafeBufferPointer<UInt8>) -> String {
        var stream = Stream()
        for byte in buffer { stream.mix(byte) }
        return stream.hex
    }

    /// A check sum of bytes, taken 8 at a time (hex): tells a file torn by a crash from the file as
    /// written, at a fraction of FNV-1a's cost per byte. Not a fingerprint: it depends on the
    /// machine's byte order.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> String {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 29
            i += 8
        }
        var stream = Stream(seed: hash)
        while i < bytes.count { stream.mix(bytes[i]); i += 1 }
        return stream.hex
    }

    /// FNV-1a over parts given one at a time, each followed by a `|`: the fingerprint of a long list
    /// (every disclosure of a province) without first joining it into one text.
    public struct Stream: Sendable {
        private var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        public init() {}
        init(seed: UInt64) { hash = seed }

        public mutating func add(_ text: String) {
            var text = text
            text.withUTF8 { for byte in $0 { mix(byte) } }
            mix(0x7C)
        }

        public mutating func add(_ number: Int) { add(UInt64(bitPattern: Int64(number))) }

        public mutating func add(_ number: UInt64) {
            var n = number
            for _ in 0..<8 { mix(UInt8(truncatingIfNeeded: n)); n >>= 8 }
            mix(0x7C)
        }

        /// Bytes as they are (no separator after them): a file read in pieces hashes as read whole.
        public mutating func add(bytes: some Sequence<UInt8>) { for byte in bytes { mix(byte) } }

        mutating func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }

        public var value: UInt64 { hash }

        public var hex: String {
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }
    }
}
