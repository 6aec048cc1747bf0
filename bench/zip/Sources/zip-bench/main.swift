import Foundation
import ZIPFoundation

// N small CSV files (a region ZIP holds 21 per disclosure) into one archive, each way; best of 3.
let clock = ContinuousClock()
func best(_ run: () -> [UInt8]) -> (Duration, [UInt8]) {
    var out: (Duration, [UInt8])?
    for _ in 0..<3 {
        let start = clock.now
        let bytes = run()
        let time = clock.now - start
        if out == nil || time < out!.0 { out = (time, bytes) }
    }
    return out!
}
func ms(_ d: Duration) -> String { String(format: "%.0f ms", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15) }

print("entries   ZipWriter   Archive.addEntry   same bytes")
for n in [2_100, 8_400, 16_800, 33_600] {
    let files = (0..<n).map { i in ("d\(i / 21)/t\(i % 21).csv", Array("单位编码,科目编码,金额\n111001,2010101,\(i % 997).00\n".utf8)) }
    let (ours, a) = best {
        var writer = ZipWriter()
        for (name, data) in files { writer.add(name, data) }
        return writer.finish()
    }
    let (theirs, b) = best {
        let archive = try! Archive(accessMode: .create)
        for (name, data) in files {
            try! archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), modificationDate: Date(timeIntervalSince1970: 315_532_800),
                                  compressionMethod: .deflate, bufferSize: 1 << 16) { p, s in Data(data[Int(p)..<Int(p) + s]) }
        }
        return [UInt8](archive.data!)
    }
    print(String(format: "%7d   %9@   %16@   %@", n, ms(ours), ms(theirs), a == b ? "yes" : "NO"))
}
