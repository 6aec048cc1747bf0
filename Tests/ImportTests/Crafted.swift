import Foundation
import ZIPFoundation

// Crafted workbooks, made byte by byte in the tests (no large fixtures): each is small on disk and
// on the way in, whatever it claims or would inflate to.

/// A ZIP written by hand so that a test can make it lie: each entry is deflated as it is streamed
/// in (a provider gives its bytes), and its declared uncompressed size may be set to anything.
struct CraftedZip {
    struct Entry {
        var path: String
        var compressed: Data
        var crc: UInt32
        var size: UInt64
        var declaredSize: UInt64?
    }

    var entries: [Entry] = []

    /// An entry of `size` bytes given by `bytes(position, count)`, deflated in 64 KiB steps.
    mutating func add(_ path: String, size: Int, declaredSize: UInt64? = nil, bytes: @escaping (Int, Int) -> Data) throws {
        var compressed = Data()
        let crc = try Data.compress(size: Int64(size), bufferSize: 64 << 10, provider: { position, count in bytes(Int(position), count) },
                                    consumer: { compressed.append($0) })
        entries.append(Entry(path: path, compressed: compressed, crc: crc, size: UInt64(size), declaredSize: declaredSize))
    }

    /// An entry whose deflated bytes are given as they are (a damaged stream, a wrong CRC).
    mutating func add(_ path: String, compressed: Data, size: UInt64, crc: UInt32) {
        entries.append(Entry(path: path, compressed: compressed, crc: crc, size: size, declaredSize: nil))
    }

    mutating func add(_ path: String, _ text: String, declaredSize: UInt64? = nil) throws {
        let data = Data(text.utf8)
        try add(path, size: data.count, declaredSize: declaredSize) { data.subdata(in: $0..<$0 + $1) }
    }

    /// `head`, then `count` copies of `filler`, then `tail`: a part that inflates far beyond its compressed size.
    mutating func add(_ path: String, head: String, filler: UInt8, count: Int, tail: String, declaredSize: UInt64? = nil) throws {
        let h = Data(head.utf8), t = Data(tail.utf8)
        let size = h.count + count + t.count
        try add(path, size: size, declaredSize: declaredSize) { position, length in
            var out = Data(capacity: length)
            var i = position
            let end = position + length
            while i < end {
                if i < h.count {
                    let n = min(end, h.count) - i
                    out.append(h.subdata(in: i..<i + n)); i += n
                } else if i < h.count + count {
                    let n = min(end, h.count + count) - i
                    out.append(Data(repeating: filler, count: n)); i += n
                } else {
                    let s = i - h.count - count
                    out.append(t.subdata(in: s..<s + end - i)); i = end
                }
            }
            return out
        }
    }

    func write(to url: URL) throws {
        var out = Data(), directory = Data()
        func u16(_ v: Int, _ d: inout Data) { d.append(contentsOf: [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)]) }
        func u32(_ v: UInt64, _ d: inout Data) { for s in stride(from: 0, to: 32, by: 8) { d.append(UInt8(v >> UInt64(s) & 0xFF)) } }
        for e in entries {
            let offset = UInt64(out.count), name = Data(e.path.utf8), declared = e.declaredSize ?? e.size
            u32(0x0403_4b50, &out); u16(20, &out); u16(0, &out); u16(8, &out); u16(0, &out); u16(0, &out)
            u32(UInt64(e.crc), &out); u32(UInt64(e.compressed.count), &out); u32(declared, &out)
            u16(name.count, &out); u16(0, &out); out.append(name); out.append(e.compressed)
            u32(0x0201_4b50, &directory); u16(20, &directory); u16(20, &directory); u16(0, &directory); u16(8, &directory)
            u16(0, &directory); u16(0, &directory); u32(UInt64(e.crc), &directory); u32(UInt64(e.compressed.count), &directory)
            u32(declared, &directory); u16(name.count, &directory); u16(0, &directory); u16(0, &directory); u16(0, &directory)
            u16(0, &directory); u32(0, &directory); u32(offset, &directory); directory.append(name)
        }
        let start = UInt64(out.count)
        out.append(directory)
        u32(0x0605_4b50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt64(directory.count), &out); u32(start, &out); u16(0, &out)
        try out.write(to: url)
    }
}

let spreadsheetML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
let relationshipsNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

/// A workbook of one sheet, 公开05表, whose `sheetData` body is given; `strings` adds sharedStrings.xml.
/// `sheet` may replace the whole sheet part (e.g. by one that inflates far).
func craftedBook(_ name: String, sheetData: String = "", strings: String? = nil,
                 sheet: ((inout CraftedZip) throws -> Void)? = nil) throws -> URL {
    var zip = CraftedZip()
    try zip.add("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
    try zip.add("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"\(spreadsheetML)\" xmlns:r=\"\(relationshipsNS)\"><sheets><sheet name=\"公开05表\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>")
    try zip.add("xl/_rels/workbook.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(relationshipsNS)/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"\(relationshipsNS)/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>")
    if let strings { try zip.add("xl/sharedStrings.xml", "<?xml version=\"1.0\"?><sst xmlns=\"\(spreadsheetML)\">\(strings)</sst>") }
    if let sheet { try sheet(&zip) } else {
        try zip.add("xl/worksheets/sheet1.xml", sheetHead + "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>一般公共预算财政拨款支出决算表</t></is></c></row>" + sheetData + sheetTail)
    }
    let url = temporaryFolder("sitegen-crafted").appendingPathComponent(name)
    try zip.write(to: url)
    return url
}

let sheetHead = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"\(spreadsheetML)\"><sheetData>"
let sheetTail = "</sheetData></worksheet>"

// MARK: running the command line: exit status and peak memory of the child

/// The sitegen binary built beside the tests.
let sitegenBinary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sitegen")

struct Run {
    var status: Int32
    /// Whether a signal ended it (a trap, an abort, a crash).
    var signalled: Bool
    var stdout: String
    var stderr: String
    /// Peak resident memory of the child in bytes: its VmHWM, read from /proc every 2 ms while it runs.
    /// (Not wait4's ru_maxrss: a child spawned by a large process starts with that process's peak.)
    var peakMemory: Int
}

/// Runs sitegen (Chinese messages) and samples its peak memory until it exits.
func runSitegen(_ arguments: [String]) throws -> Run {
    let folder = temporaryFolder("sitegen-run")
    let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = sitegenBinary
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["LANG"] = "zh_CN.UTF-8"
    environment["LC_ALL"] = nil
    environment["LC_MESSAGES"] = nil
    process.environment = environment
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    let status = "/proc/\(process.processIdentifier)/status"
    var peak = 0
    while process.isRunning {
        // Only once it is sitegen: before its exec the child still shares the test process's memory.
        if let text = try? String(contentsOfFile: status, encoding: .utf8), text.contains("Name:\tsitegen"),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kB = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") {
            peak = max(peak, kB * 1024)
        }
        usleep(2_000)
    }
    process.waitUntilExit()
    return Run(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
               stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
               stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "",
               peakMemory: peak)
}
