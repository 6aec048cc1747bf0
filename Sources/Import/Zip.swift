import Foundation
import Model
import Support
import ZIPFoundation

/// The package of an .xlsx file, read within `ImportLimits`: the central directory is read one
/// record at a time (at most `entries` of them), and a part is inflated in chunks by
/// ZIPFoundation's `Data.decompress` from bytes this reader hands it — never more than the
/// part's compressed size, so a damaged stream ends with an error instead of reading on — with
/// every inflated byte counted against the part's declared size and the limits as it comes.
/// (`Archive.extract` reads past a part's end and, on a stream that never ends, loops.)
final class ZipPackage {
    struct Entry {
        var path: String
        var flags: UInt16
        var method: UInt16
        var crc: UInt32
        var compressedSize: UInt64
        var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    let place: Place
    let limits: ImportLimits
    private let handle: FileHandle
    private let fileSize: UInt64
    private(set) var entries: [String: Entry] = [:]
    /// Output chunk of the inflater: the most read past a limit before it is noticed.
    static let chunk = 64 << 10
    /// Entry names longer than this cannot be parts an import reads; they are counted, not kept.
    static let maxPathBytes = 1_024

    init(url: URL, place: Place, limits: ImportLimits) throws {
        self.place = place
        self.limits = limits
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ImportError(localized("\(place.description)：无法读取（\(error.localizedDescription)）", en: "\(place.description): cannot be read (\(error.localizedDescription))"))
        }
        fileSize = (try? handle.seekToEnd()) ?? 0
        try readDirectory()   // on an error, deinit closes the file
    }

    deinit { try? handle.close() }

    private func notZip() -> ImportError {
        ImportError(localized("\(place.description)：不是 .xlsx 工作簿（不是 ZIP 文件）；请在 Excel 中另存为 .xlsx，或导出 CSV 文件",
                              en: "\(place.description): not an .xlsx workbook (not a ZIP file); save it from Excel as .xlsx, or export CSV files"))
    }

    private func read(at offset: UInt64, count: Int) throws -> Data {
        guard offset <= fileSize, count <= fileSize - offset else {
            throw place.damaged(zh: "ZIP 结构指向文件末尾之后", en: "the ZIP structure points past the end of the file")
        }
        do {
            try handle.seek(toOffset: offset)
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else { throw place.damaged(zh: "文件在 ZIP 结构中间结束", en: "the file ends inside the ZIP structure") }
            return data
        } catch let e as ImportError { throw e } catch {
            throw ImportError(localized("\(place.description)：读取失败（\(error.localizedDescription)）", en: "\(place.description): read failed (\(error.localizedDescription))"))
        }
    }

    /// The end-of-central-directory record (and its ZIP64 form), then each central directory record.
    private func readDirectory() throws {
        guard fileSize >= 22 else { throw notZip() }
        let tailSize = Int(min(fileSize, 22 + 0xFFFF))
        let tail = try read(at: fileSize - UInt64(tailSize), count: tailSize)
        var eocd: Int?
        var i = tail.count - 22
        while i >= 0 {
            if tail.u32(i) == 0x0605_4b50 { eocd = i; break }
            i -= 1
        }
        guard let e = eocd else { throw notZip() }
        var count = UInt64(tail.u16(e + 10))
        var size = UInt64(tail.u32(e + 12))
        var offset = UInt64(tail.u32(e + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            // ZIP64: the locator sits just before the end record and points at the ZIP64 end record.
            let eocdOffset = fileSize - UInt64(tailSize) + UInt64(e)
            guard eocdOffset >= 20 else { throw place.damaged(zh: "缺少 ZIP64 目录定位记录", en: "no ZIP64 end locator") }
            let locator = try read(at: eocdOffset - 20, count: 20)
            guard locator.u32(0) == 0x0706_4b50 else { throw place.damaged(zh: "缺少 ZIP64 目录定位记录", en: "no ZIP64 end locator") }
            let record = try read(at: locator.u64(8), count: 56)
            guard record.u32(0) == 0x0606_4b50 else { throw place.damaged(zh: "ZIP64 目录结束记录无效", en: "invalid ZIP64 end record") }
            count = record.u64(32)
            size = record.u64(40)
            offset = record.u64(48)
        }
        if count > UInt64(limits.entries) {
            throw place.limit(zh: "ZIP 包声明有 \(count) 个条目，多于 \(Place.number(limits.entries)) 个", en: "the ZIP package declares \(count) entries, more than \(Place.number(limits.entries))")
        }
        guard offset <= fileSize, size <= fileSize - offset else {
            throw place.damaged(zh: "ZIP 中央目录超出文件末尾", en: "the ZIP central directory runs past the end of the file")
        }
        var position = offset
        for _ in 0..<count {
            let header = try read(at: position, count: 46)
            guard header.u32(0) == 0x0201_4b50 else { throw place.damaged(zh: "ZIP 中央目录记录无效", en: "invalid ZIP central directory record") }
            let nameLength = Int(header.u16(28)), extraLength = Int(header.u16(30)), commentLength = Int(header.u16(32))
            var entry = Entry(path: "", flags: header.u16(8), method: header.u16(10), crc: header.u32(16),
                              compressedSize: UInt64(header.u32(20)), uncompressedSize: UInt64(header.u32(24)),
                              localHeaderOffset: UInt64(header.u32(42)))
            defer { position += 46 + UInt64(nameLength + extraLength + commentLength) }
            guard nameLength <= Self.maxPathBytes else { continue }
            entry.path = String(decoding: try read(at: position + 46, count: nameLength), as: UTF8.self)
            if entry.compressedSize == 0xFFFF_FFFF || entry.uncompressedSize == 0xFFFF_FFFF || entry.localHeaderOffset == 0xFFFF_FFFF {
                try zip64(&entry, extra: try read(at: position + 46 + UInt64(nameLength), count: extraLength))
            }
            if entries[entry.path] == nil { entries[entry.path] = entry }
        }
    }

    /// Sizes and offset from the ZIP64 extra field (id 1): each present only where the record has all ones.
    private func zip64(_ entry: inout Entry, extra: Data) throws {
        var i = 0
        while i + 4 <= extra.count {
            let id = extra.u16(i), length = Int(extra.u16(i + 2))
            var field = i + 4
            i = field + length
            guard id == 1, i <= extra.count else { continue }
            func next() throws -> UInt64 {
                guard field + 8 <= i else { throw place.damaged(zh: "ZIP64 扩展字段过短", en: "ZIP64 extra field too short") }
                defer { field += 8 }
                return extra.u64(field)
            }
            if entry.uncompressedSize == 0xFFFF_FFFF { entry.uncompressedSize = try next() }
            if entry.compressedSize == 0xFFFF_FFFF { entry.compressedSize = try next() }
            if entry.localHeaderOffset == 0xFFFF_FFFF { entry.localHeaderOffset = try next() }
            return
        }
        throw place.damaged(zh: "缺少 ZIP64 扩展字段", en: "no ZIP64 extra field")
    }

    /// Inflates a part and hands it on in chunks, within its declared size and the limits.
    func extract(_ entry: Entry, budget: ImportBudget, _ consumer: (Data) throws -> Void) throws {
        let at = place.with(entry: entry.path)
        let limits = budget.limits
        if entry.flags & 1 != 0 { throw at.damaged(zh: "条目已加密", en: "the entry is encrypted") }
        // Declared sizes first: a part that says it is too large is refused before a byte is inflated.
        if entry.uncompressedSize > UInt64(limits.entryBytes) {
            throw at.limit(zh: "解压后声明为 \(Place.bytes(Int(clamping: entry.uncompressedSize)))，大于单个条目上限 \(Place.bytes(limits.entryBytes))",
                           en: "declares \(Place.bytes(Int(clamping: entry.uncompressedSize))) uncompressed, more than \(Place.bytes(limits.entryBytes)) for one entry")
        }
        try checkRatio(Int(entry.uncompressedSize), entry, at, limits, declared: true)
        if budget.bytes + Int(entry.uncompressedSize) > limits.totalBytes {
            throw at.limit(zh: "连同已读部分，解压后合计将超过 \(Place.bytes(limits.totalBytes))", en: "with the parts already read, would inflate to more than \(Place.bytes(limits.totalBytes)) in total")
        }
        let local = try read(at: entry.localHeaderOffset, count: 30)
        guard local.u32(0) == 0x0403_4b50 else { throw at.damaged(zh: "本地文件头无效", en: "invalid local file header") }
        let dataOffset = entry.localHeaderOffset + 30 + UInt64(local.u16(26)) + UInt64(local.u16(28))
        guard dataOffset <= fileSize, entry.compressedSize <= fileSize - dataOffset else {
            throw at.damaged(zh: "压缩数据超出文件末尾", en: "the compressed data runs past the end of the file")
        }

        var produced = 0
        var crc: UInt32 = 0
        // An error of the limits or of the consumer, to be told from the inflater's own.
        var passedOn: Error?
        // Every chunk is counted before it is passed on: the declared size may lie.
        func take(_ data: Data) throws {
            produced += data.count
            if produced > Int(entry.uncompressedSize) {
                throw at.limit(zh: "解压后超过其声明的 \(Place.bytes(Int(entry.uncompressedSize)))（声明的大小不实）",
                               en: "inflates to more than the \(Place.bytes(Int(entry.uncompressedSize))) it declares (its declared size is false)")
            }
            if produced > limits.entryBytes {
                throw at.limit(zh: "解压后大于单个条目上限 \(Place.bytes(limits.entryBytes))", en: "inflates to more than \(Place.bytes(limits.entryBytes)) for one entry")
            }
            try checkRatio(produced, entry, at, limits, declared: false)
            try budget.addBytes(data.count, at)
            do { try consumer(data) } catch { passedOn = error; throw error }
        }

        var remaining = entry.compressedSize
        var position = dataOffset
        func nextCompressed(_ size: Int) throws -> Data {
            let n = Int(min(UInt64(size), remaining))
            let data = try read(at: position, count: n)
            position += UInt64(n)
            remaining -= UInt64(n)
            return data
        }
        switch entry.method {
        case 0:
            while remaining > 0 {
                let data = try nextCompressed(Self.chunk)
                crc = data.crc32(checksum: crc)
                try take(data)
            }
        case 8:
            do {
                crc = try Data.decompress(size: Int64(entry.compressedSize), bufferSize: Self.chunk, skipCRC32: false, provider: { _, size in
                    // The inflater reads `size` bytes from what it is given, so a short last chunk is padded:
                    // a stream that has not ended by then fails on the padding or on the next call.
                    guard remaining > 0 else {
                        throw at.damaged(zh: "压缩数据在流结束前用完", en: "the compressed data ends before its stream does")
                    }
                    var data = try nextCompressed(size)
                    if data.count < size { data.append(Data(count: size - data.count)) }
                    return data
                }, consumer: take)
            } catch {
                if let passedOn { throw passedOn }
                if let e = error as? ImportError { throw e }
                throw at.damaged(zh: "无法解压（\(error)）", en: "cannot be inflated (\(error))")
            }
        default:
            throw at.damaged(zh: "压缩方式 \(entry.method) 不受支持", en: "compression method \(entry.method) is not supported")
        }
        if produced != Int(entry.uncompressedSize) || crc != entry.crc {
            throw at.damaged(zh: "解压结果与 ZIP 目录记录不符（大小或 CRC）", en: "the inflated data does not match the ZIP directory (size or CRC)")
        }
    }

    private func checkRatio(_ bytes: Int, _ entry: Entry, _ at: Place, _ limits: ImportLimits, declared: Bool) throws {
        guard bytes > limits.ratioGraceBytes else { return }
        let compressed = max(entry.compressedSize, 1)
        guard UInt64(bytes) / compressed >= UInt64(limits.compressionRatio) else { return }
        let ratio = Place.number(Int(clamping: UInt64(bytes) / compressed))
        throw at.limit(zh: "压缩比\(declared ? "（声明）" : "")达 \(ratio):1（\(Place.bytes(Int(clamping: entry.compressedSize))) 解压为\(declared ? "" : "超过") \(Place.bytes(bytes))），大于 \(Place.number(limits.compressionRatio)):1",
                       en: "compression ratio \(ratio):1\(declared ? " declared" : "") (\(Place.bytes(Int(clamping: entry.compressedSize))) inflating to \(declared ? "" : "more than ")\(Place.bytes(bytes))), above \(Place.number(limits.compressionRatio)):1")
    }
}

private extension Data {
    func u16(_ i: Int) -> UInt16 { UInt16(self[startIndex + i]) | UInt16(self[startIndex + i + 1]) << 8 }
    func u32(_ i: Int) -> UInt32 { UInt32(u16(i)) | UInt32(u16(i + 2)) << 16 }
    func u64(_ i: Int) -> UInt64 { UInt64(u32(i)) | UInt64(u32(i + 4)) << 32 }
}
