import Check
import Foundation
import Model
import Testing
import TestSite

/// The checker on real documents: for every case of `corpus/` with a site, `sitegen check` reports
/// exactly the findings of `corpus/<case>/findings.yaml` — each verified by hand against the
/// document, with a `why` — and nothing else. 提示 (differences within rounding, shown with
/// `check --explain`) are not findings. Precision and recall over the corpus: docs/quality.md.
@Suite struct CorpusFindingsTests {
    static let corpus = repoRoot.appendingPathComponent("corpus")

    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: corpus.appendingPathComponent("\($0)/site/content").path) }.sorted()
    }()

    /// `error t03.subtotal departments/x/2025/disclosure.yaml:227` per finding of the file. The file
    /// is ours and flat (a list of `key: value` maps), so it is read line by line.
    static func expected(_ text: String) -> [String] {
        var out: [String] = []
        var item: [String: String] = [:]
        func flush() {
            if !item.isEmpty { out.append("\(item["severity"] ?? "?") \(item["rule"] ?? "?") \(item["file"] ?? "?"):\(item["line"] ?? "?")") }
            item = [:]
        }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix("#"), line != "findings:", line != "findings: []" else { continue }
            if line.hasPrefix("- ") { flush(); line.removeFirst(2) }
            guard let colon = line.firstIndex(of: ":") else { continue }
            item[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        flush()
        return out.sorted()
    }

    @Test("check reports exactly the hand-verified findings", arguments: cases)
    func corpusCase(_ name: String) throws {
        let folder = Self.corpus.appendingPathComponent(name)
        let file = folder.appendingPathComponent("findings.yaml")
        try #require(FileManager.default.fileExists(atPath: file.path), "\(name): no findings.yaml")
        let found = try analysedFindings(folder.appendingPathComponent("site/content")).filter { $0.severity != .info }
        let got = found.map { "\($0.severity.rawValue) \($0.rule) \($0.location.file):\($0.location.line)" }.sorted()
        let want = Self.expected(read(file))
        #expect(got == want, "\(name)\nreported, not in findings.yaml:\n\(Set(got).subtracting(want).sorted().joined(separator: "\n"))\nin findings.yaml, not reported:\n\(Set(want).subtracting(got).sorted().joined(separator: "\n"))")
    }
}
