import Check
import Content
import Derive
import Foundation
import Model
import Pipeline
import Support

/// What a build made of each disclosure, kept beside the output folder in `.<output>.sitegen-analysis`
/// (e.g. `.public.sitegen-analysis`): what it was read from, what reading it reported, and what the
/// page graph needs of it (fingerprints, findings); and what each department.yaml gave. A build in a
/// new process reads again only the year folders and department.yaml files whose files changed
/// since; the other disclosures are read only if a page made again needs them.
/// Without it, one edited disclosure out of 10,000 cost a new process a read, derive and check of all.
///
/// Trusted only for the same content folder, the same sitegen binary and the same shared files
/// (site.yaml, glossary, catalogues, department.yaml files: `ContentLoader.Result.sharedStamp`).
struct Analysis {
    static let format = "sitegen-analysis 2"

    var binary = BuildState.binary
    var content: String
    var shared: String
    var entries: [Entry]
    /// department.yaml path → what it gave (checked by its stamp, as `serve` checks it).
    var departments: [String: ContentLoader.KeptDepartment]

    struct Entry {
        var id: String
        /// `ContentLoader.Result.stamps[id]`: what its year folder held.
        var stamp: String
        /// What reading the year folder reported (warnings: a build with errors keeps no analysis).
        var diagnostics: [Diagnostic]
        /// What its fingerprints and its findings are made from (`AnalysedSite.keys`, `checkKeys`).
        var key: UInt64
        var checkKey: UInt64
        var stamps: DisclosureStamps
        var findings: [Finding]
    }

    static func location(of output: URL) -> URL { Output.beside(output, ".sitegen-analysis") }

    /// The analysis kept for this output folder, if it was made by this binary from this content folder.
    static func read(for output: URL, content: URL) -> Analysis? {
        guard let data = FileManager.default.contents(atPath: location(of: output).path) else { return nil }
        return parse(data, content: content)
    }

    // The file: four header lines (format, binary, content folder, shared stamp), then a line per
    // department.yaml (its path, a tab, what it gave as JSON), then a line per disclosure of
    // tab-separated fields. Paths, ids, stamps, keys and dates (YYYY-MM-DD, else the build failed)
    // never hold a tab or a line break; text that may (departments, diagnostics, findings) is written
    // as JSON, whose strings escape both. JSON for the whole file was a large part of an edit's
    // rebuild to read and to write (bench/README.md#figures-that-were-in-code-comments).
    private static let fieldCount = 11

    static func parse(_ data: Data, content: URL) -> Analysis? {
        [UInt8](data).withUnsafeBufferPointer { bytes in
            let lines = bytes.pieces(UInt8(ascii: "\n"))
            guard lines.count >= 4, lines[0].text == format, lines[1].text == BuildState.binary,
                  lines[2].text == content.standardizedFileURL.path else { return nil }
            let json = JSONDecoder()
            // "-" is none; text that does not decode makes the whole file unusable (never findings dropped).
            func decode<T: Decodable>(_ type: T.Type, _ bytes: UnsafeBufferPointer<UInt8>) -> [T]? {
                bytes.count == 1 && bytes[0] == UInt8(ascii: "-") ? [] : try? json.decode([T].self, from: Data(bytes))
            }
            var entries: [Entry] = []
            entries.reserveCapacity(lines.count - 4)
            var departments: [String: ContentLoader.KeptDepartment] = [:]
            for line in lines[4...] where !line.isEmpty {
                let f = line.pieces(UInt8(ascii: "\t"))
                if f.count == 2 {
                    guard let kept = try? json.decode(ContentLoader.KeptDepartment.self, from: Data(f[1])) else { return nil }
                    departments[f[0].text] = kept
                    continue
                }
                guard f.count == fieldCount, let key = UInt64(f[2].text), let checkKey = UInt64(f[3].text),
                      let diagnostics = decode(Diagnostic.self, f[9]), let findings = decode(Finding.self, f[10]) else { return nil }
                var values: [String: Amount] = [:]
                for pair in f[8].pieces(UInt8(ascii: ";")) where !pair.isEmpty {
                    let parts = pair.pieces(UInt8(ascii: "="))
                    guard parts.count == 3, let units = Int64(parts[1].text), let scale = Int(parts[2].text) else { return nil }
                    values[parts[0].text] = Amount(units: units, scale: scale)
                }
                let stamps = DisclosureStamps(files: f[4].text, figures: f[5].text, cells: f[6].text,
                                                          headline: Headline(values: values), published: f[7].text == "-" ? nil : f[7].text)
                entries.append(Entry(id: f[0].text, stamp: f[1].text, diagnostics: diagnostics, key: key, checkKey: checkKey,
                                     stamps: stamps, findings: findings))
            }
            return Analysis(binary: lines[1].text, content: lines[2].text, shared: lines[3].text, entries: entries,
                            departments: departments)
        }
    }

    var text: String {
        let json = JSONEncoder()
        json.outputFormatting = .sortedKeys   // the same analysis gives the same file
        func encode<T: Encodable>(_ value: T?) -> String {
            value.flatMap { try? json.encode($0) }.map { String(decoding: $0, as: UTF8.self) } ?? "-"
        }
        var out = [Self.format, binary, content, shared].joined(separator: "\n") + "\n"
        for path in departments.keys.sorted() { out += path + "\t" + encode(departments[path]) + "\n" }
        for e in entries {
            let f = e.stamps
            let headline = f.headline.values.keys.sorted().map { "\($0)=\(f.headline.values[$0]!.units)=\(f.headline.values[$0]!.scale)" }
            let fields = [e.id, e.stamp, String(e.key), String(e.checkKey), f.files, f.figures, f.cells, f.published ?? "-",
                          headline.joined(separator: ";"), encode(e.diagnostics.isEmpty ? nil : e.diagnostics),
                          encode(e.findings.isEmpty ? nil : e.findings)]
            out += fields.joined(separator: "\t") + "\n"
        }
        return out
    }

    /// What `ContentLoader.load` asks of each year folder.
    var reuse: ContentLoader.Reuse {
        let byFolder = Dictionary(entries.map { ("departments/" + $0.id, ($0.stamp, $0.diagnostics)) }, uniquingKeysWith: { a, _ in a })
        let shared = shared
        return ContentLoader.Reuse(departments: departments) { sharedNow, folder, stamp in
            guard sharedNow == shared, let kept = byFolder[folder], kept.0 == stamp else { return nil }
            return kept.1
        }
    }

    /// Results kept for `BuildCache`'s `reuse`: fingerprints by `keys`, findings by `checkKeys`.
    var stamps: Kept<DisclosureStamps> {
        Kept(ids: entries.map(\.id), keys: entries.map(\.key), values: entries.map(\.stamps))
    }
    var checked: Kept<[Finding]> {
        Kept(ids: entries.map(\.id), keys: entries.map(\.checkKey), values: entries.map(\.findings))
    }

    init(binary: String, content: String, shared: String, entries: [Entry], departments: [String: ContentLoader.KeptDepartment]) {
        self.binary = binary
        self.content = content
        self.shared = shared
        self.entries = entries
        self.departments = departments
    }

    init(_ model: AnalysedSite, content: URL, stamps: [DisclosureStamps]) {
        self.content = content.standardizedFileURL.path
        shared = model.sharedStamp
        departments = model.departmentFiles
        entries = model.ids.indices.map { i in
            let id = model.ids[i]
            return Entry(id: id, stamp: model.stamps[id] ?? "?", diagnostics: model.folderDiagnostics["departments/" + id] ?? [],
                         key: model.keys[i], checkKey: model.checkKeys[i], stamps: stamps[i], findings: model.checked[i])
        }
    }

    /// Written after a successful build (a failure to write it only costs the next build its shortcut).
    func write(for output: URL) { Output.replace(Self.location(of: output).path, with: Array(text.utf8)) }
}
