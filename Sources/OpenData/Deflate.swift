import CLibdeflate

/// Raw DEFLATE (RFC 1951) and CRC-32 by libdeflate: whole buffers, level 6 (zlib's default level),
/// chosen over zlib by time and size (bench/README.md#downloads-four-files-per-disclosure).
public final class Deflater: @unchecked Sendable {
    public static let level: Int32 = 6
    private let compressor: OpaquePointer

    public init(level: Int32 = Deflater.level) {
        compressor = libdeflate_alloc_compressor(level)!
    }

    deinit { libdeflate_free_compressor(compressor) }

    /// The deflated bytes of `data`.
    public func deflate(_ data: [UInt8]) -> [UInt8] {
        if data.isEmpty { return [0x03, 0x00] }   // an empty final fixed block
        let bound = libdeflate_deflate_compress_bound(compressor, data.count)
        var out = [UInt8](repeating: 0, count: bound)
        let n = data.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { libdeflate_deflate_compress(compressor, input.baseAddress, data.count, $0.baseAddress, bound) }
        }
        out.removeSubrange(n...)
        return out
    }

    public static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBytes { UInt32(libdeflate_crc32(0, $0.baseAddress, $0.count)) }
    }

    /// The inflated bytes of a raw deflate stream of known size; nil when it is not exactly that.
    public static func inflate<C: Collection<UInt8>>(_ data: C, size: Int) -> [UInt8]? {
        guard let d = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(d) }
        var out = [UInt8](repeating: 0, count: size)
        let input = Array(data)
        let result = input.withUnsafeBytes { i in
            out.withUnsafeMutableBytes { libdeflate_deflate_decompress(d, i.baseAddress, i.count, $0.baseAddress, size, nil) }
        }
        return result == LIBDEFLATE_SUCCESS ? out : nil
    }
}
