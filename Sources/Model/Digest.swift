/// A short, stable fingerprint of a text (FNV-1a, 64 bits, hex): input stamps of incremental builds
/// are compared and concatenated as fingerprints, not as the long lists of files they come from.
public enum Digest {
    public static func fnv1a(_ text: String) -> String {
        var text = text
        return text.withUTF8 { fnv1a(buffer: $0) }
    }

    public static func fnv1a(bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { fnv1a(buffer: $0) }
    }

    /// Over contiguous bytes: a generic `Sequence` version ran through a witness call per byte
    /// (unspecialised across modules), ten times slower.
    static func fnv1a(buffer: UnsafeBufferPointer<UInt8>) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in buffer {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
