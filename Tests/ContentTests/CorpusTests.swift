import Foundation
import Model
import Site
import Testing
import TestSite

/// The error corpus: broken (and a few merely unusual) content, each case a folder under
/// `Tests/TestSite/Corpus/` (the shared test site: other targets use its `_base` too).
///
/// A case folder holds only what differs from `Corpus/_base/` (a small valid content folder):
///   - files to add or replace, at their path inside content/;
///   - `<path>.delete`: remove `<path>` (a file or folder) from the base;
///   - `_site/…`: files placed beside content/ in the site folder (e.g. `_site/themes/default/…`);
///   - `expected.txt`: the exact error lines the build must report (`file:line: error: message`), and
///     any warning lines that must be among its warnings. No error line means the build must succeed.
/// Bytes that should not be committed as such (GBK, UTF-16, NUL, BOM, CRLF) and symlinks are made by
/// `Corpus.generators` at test time.
///
/// Every failing build must leave the output folder as it was (a sentinel file, nothing else).
/// `$SITE` in expected lines stands for the temporary site folder.
/// Set `CORPUS_RECORD=1` to write the actual lines into each `expected.txt` (then review the diff).
@Suite("Error corpus")
struct CorpusTests {
    @Test("broken content is reported exactly and leaves the output untouched", arguments: Corpus.cases)
    func corpusCase(_ name: String) throws {
        let run = try Corpus.run(name)
        let expected = try Corpus.expectedLines(name)
        let expectedErrors = Set(expected.filter { $0.contains(": error: ") })
        let expectedWarnings = Set(expected.filter { $0.contains(": warning: ") })

        if ProcessInfo.processInfo.environment["CORPUS_RECORD"] == "1" {
            let keepWarnings = run.warnings.filter { expectedWarnings.contains($0) }
            try Corpus.record(name, lines: run.errors + keepWarnings)
        }

        let actualErrors = Set(run.errors)
        #expect(actualErrors == expectedErrors, """
            \(name): error lines differ
            missing:
            \(expectedErrors.subtracting(actualErrors).sorted().joined(separator: "\n"))
            unexpected:
            \(actualErrors.subtracting(expectedErrors).sorted().joined(separator: "\n"))
            """)
        let missingWarnings = expectedWarnings.subtracting(run.warnings)
        #expect(missingWarnings.isEmpty, "\(name): warnings not reported:\n\(missingWarnings.sorted().joined(separator: "\n"))\nreported:\n\(run.warnings.joined(separator: "\n"))")

        if expectedErrors.isEmpty {
            #expect(run.succeeded, "\(name): the build should succeed")
            #expect(run.outputFiles.contains("index.html"), "\(name): the site was not published")
        } else {
            #expect(!run.succeeded, "\(name): the build should fail")
            #expect(run.outputFiles == [Corpus.sentinelName], "\(name): the output folder changed: \(run.outputFiles)")
            #expect(run.sentinelIntact, "\(name): the sentinel file changed")
        }
        #expect(run.leftovers.isEmpty, "\(name): stray files beside the output folder: \(run.leftovers)")
        for line in run.errors {
            #expect(Corpus.hasLine(line), "\(name): no line number in '\(line)'")
        }
    }

    @Test("the corpus is large enough and the base site builds")
    func corpusShape() throws {
        #expect(Corpus.cases.count >= 60)
        #expect(Corpus.cases.filter { (try? Corpus.expectedLines($0).contains { $0.contains(": error: ") }) == true }.count >= 60)
        let run = try Corpus.run(nil)
        #expect(run.errors.isEmpty, "base: \(run.errors)")
        #expect(run.succeeded)
        // Every generated case has its folder (with expected.txt), and the other way round.
        for name in Corpus.generators.keys { #expect(Corpus.cases.contains(name), "generator for missing case \(name)") }
    }
}

enum Corpus {
    static let root = corpusFolder
    static let base = corpusBase
    static let sentinelName = "sentinel.txt"
    static let sentinelText = "published earlier; a failed build must not touch this\n"

    /// Case folders, in name order.
    static let cases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasPrefix("_") && !$0.hasPrefix(".") }.sorted()
    }()

    struct Run {
        var succeeded: Bool
        var errors: [String]
        var warnings: [String]
        var outputFiles: [String]
        var sentinelIntact: Bool
        var leftovers: [String]
    }

    static func expectedLines(_ name: String) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent(name).appendingPathComponent("expected.txt"), encoding: .utf8)
        return text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    static func record(_ name: String, lines: [String]) throws {
        let url = root.appendingPathComponent(name).appendingPathComponent("expected.txt")
        let old = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let comments = old.split(separator: "\n").filter { $0.hasPrefix("#") }.map(String.init)
        try ((comments + lines.sorted()).joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    /// `file:N: error:` with N ≥ 1, or a file-level message (missing file, link, …) without a line.
    static func hasLine(_ line: String) -> Bool {
        guard let r = line.range(of: ": error: ") else { return false }
        let location = line[..<r.lowerBound]
        if let colon = location.lastIndex(of: ":"), let n = Int(location[location.index(after: colon)...]) { return n >= 1 }
        let message = line[r.upperBound...]
        return fileLevelMessages.contains { message.hasPrefix($0) } || message.contains("个一致性错误，本次不发布")
    }

    /// Messages that are about a whole file or folder, where no line exists.
    static let fileLevelMessages = ["缺少", "文件夹名", "年度文件夹以年份命名", "科目目录文件夹以年份命名", "没有任何单位", "无法读取", "同时有 ",
                                    "这是一个指向", "这不是普通文件", "the theme has no",
                                    // The same in English (`--lang en`).
                                    "missing ", "folder name:", "year folders ", "catalogue folders ", "this is a link ",
                                    "no departments", "cannot read", "found both "]

    /// Builds base + case in a fresh temporary site folder, into an output folder holding a sentinel.
    static func run(_ name: String?) throws -> Run {
        let fm = FileManager.default
        let tmp = fm.temporaryDirectory.appendingPathComponent("sitegen-corpus-\(name ?? "_base")-\(UUID().uuidString)")
        let site = tmp.appendingPathComponent("site")
        let content = site.appendingPathComponent("content")
        let output = site.appendingPathComponent("public")
        defer { try? fm.removeItem(at: tmp) }
        try fm.createDirectory(at: site, withIntermediateDirectories: true)
        try fm.copyItem(at: base, to: content)
        if let name {
            try overlay(root.appendingPathComponent(name), content: content, site: site)
            try generators[name]?(content, site)
        }
        try fm.createDirectory(at: output, withIntermediateDirectories: true)
        try sentinelText.write(to: output.appendingPathComponent(sentinelName), atomically: true, encoding: .utf8)
        // Published by an earlier build: sitegen's own folder.
        try Data().write(to: output.appendingPathComponent(OutputFolder.marker))

        let result = SiteBuilder.build(BuildOptions(content: content, output: output, threads: 1))
        let diagnostics: [Diagnostic]
        let succeeded: Bool
        switch result {
        case .success(let report): diagnostics = report.warnings; succeeded = true
        case .failure(let failure): diagnostics = failure.diagnostics; succeeded = false
        }
        let prefixes = [site.path, site.resolvingSymlinksInPath().path]
        func normalize(_ d: Diagnostic) -> String {
            var text = d.description
            for p in prefixes { text = text.replacingOccurrences(of: p, with: "$SITE") }
            return text
        }
        let outputFiles = (fm.enumerator(atPath: output.path)?.allObjects as? [String] ?? []).filter { $0 != OutputFolder.marker }.sorted()
        let sentinel = try? String(contentsOf: output.appendingPathComponent(sentinelName), encoding: .utf8)
        let leftovers = ((try? fm.contentsOfDirectory(atPath: site.path)) ?? []).filter { !["content", "public", "themes", "outside", ".public.sitegen-state", ".public.sitegen-lock"].contains($0) }
        return Run(succeeded: succeeded,
                   errors: diagnostics.filter { $0.severity == .error }.map(normalize),
                   warnings: diagnostics.filter { $0.severity == .warning }.map(normalize),
                   outputFiles: outputFiles, sentinelIntact: sentinel == sentinelText, leftovers: leftovers.sorted())
    }

    /// Copies a case's files over the content folder; `*.delete` removes, `_site/` goes beside content/.
    static func overlay(_ folder: URL, content: URL, site: URL) throws {
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: folder.path) else { return }
        for case let relative as String in walker {
            let source = folder.appendingPathComponent(relative)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: source.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            if relative == "expected.txt" { continue }
            var target: URL
            var path = relative
            if path.hasPrefix("_site/") {
                path.removeFirst("_site/".count)
                target = site.appendingPathComponent(path)
            } else {
                target = content.appendingPathComponent(path)
            }
            if path.hasSuffix(".delete") {
                target = target.deletingPathExtension()
                try fm.removeItem(at: target)
                continue
            }
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
            try fm.copyItem(at: source, to: target)
        }
    }

    // MARK: - Generated cases (odd bytes, links)

    static let disclosurePath = "departments/test-dept/2022/disclosure.yaml"
    static let departmentPath = "departments/test-dept/department.yaml"

    static func write(_ bytes: [UInt8], _ relative: String, in content: URL) throws {
        let url = content.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    static func baseBytes(_ relative: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: base.appendingPathComponent(relative)))
    }

    /// GB18030 bytes of 东湖区测试局 and 行政单位 (as saved by Excel / Notepad on a Chinese PC).
    static let gbName: [UInt8] = [0xB6, 0xAB, 0xBA, 0xFE, 0xC7, 0xF8, 0xB2, 0xE2, 0xCA, 0xD4, 0xBE, 0xD6]
    static let gbKind: [UInt8] = [0xD0, 0xD0, 0xD5, 0xFE, 0xB5, 0xA5, 0xCE, 0xBB]

    static func utf16LE(_ text: String, bom: Bool) -> [UInt8] {
        (bom ? [0xFF, 0xFE] : []) + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
    }

    static let generators: [String: @Sendable (URL, URL) throws -> Void] = [
        "70-encoding-gbk": { content, _ in
            let bytes = Array("# 单位\n".utf8) + Array("name: ".utf8) + gbName + [0x0A] + Array("kind: ".utf8) + gbKind + [0x0A]
            try write(bytes, departmentPath, in: content)
        },
        "71-encoding-gbk-markdown": { content, _ in
            let bytes = Array("# 情况说明\n\n".utf8) + gbName + Array("的收支情况。\n".utf8)
            try write(bytes, "departments/test-dept/2022/explanation.md", in: content)
        },
        "72-encoding-utf16-bom": { content, _ in
            let text = String(decoding: try baseBytes(departmentPath), as: UTF8.self)
            try write(utf16LE(text, bom: true), departmentPath, in: content)
        },
        "73-encoding-utf16-no-bom": { content, _ in
            let text = String(decoding: try baseBytes(departmentPath), as: UTF8.self)
            try write(utf16LE(text, bom: false), departmentPath, in: content)
        },
        "74-empty-file": { content, _ in
            try write([], disclosurePath, in: content)
        },
        "75-nul-bytes": { content, _ in
            var bytes = try baseBytes(departmentPath)
            let secondLine = bytes.firstIndex(of: 0x0A)! + 1
            bytes.insert(contentsOf: [0x00, 0x00], at: secondLine + 3)
            try write(bytes, departmentPath, in: content)
        },
        "76-symlink-file-outside": { content, site in
            let outside = site.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: base.appendingPathComponent(departmentPath), to: outside.appendingPathComponent("department.yaml"))
            let link = content.appendingPathComponent(departmentPath)
            try FileManager.default.removeItem(at: link)
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside.appendingPathComponent("department.yaml"))
        },
        "77-symlink-folder-outside": { content, site in
            let outside = site.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: content.appendingPathComponent("departments/test-dept"), to: outside.appendingPathComponent("other-dept"))
            try FileManager.default.createSymbolicLink(at: content.appendingPathComponent("departments/other-dept"),
                                                       withDestinationURL: outside.appendingPathComponent("other-dept"))
        },
        "87-yaml-nesting-too-deep": { content, _ in
            let text = "- " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
            try write(Array(text.utf8), "departments/test-dept/2022/performance.yaml", in: content)
        },
        "88-file-is-a-folder": { content, _ in
            let url = content.appendingPathComponent(disclosurePath)
            try FileManager.default.removeItem(at: url)
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        },
        "ok-bom": { content, _ in
            for path in ["site.yaml", departmentPath, disclosurePath, "departments/test-dept/2022/explanation.md"] {
                try write([0xEF, 0xBB, 0xBF] + (try baseBytes(path)), path, in: content)
            }
        },
        "ok-crlf": { content, _ in
            for path in ["site.yaml", departmentPath, disclosurePath, "catalogs/2022/functional.yaml", "departments/test-dept/2022/explanation.md"] {
                let bytes = try baseBytes(path).flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
                try write(bytes, path, in: content)
            }
        },
        "92-crlf-error-lines": { content, _ in
            // Line numbers stay right in a CRLF file: the bad amount is on line 11.
            let text = String(decoding: try baseBytes(disclosurePath), as: UTF8.self)
                .replacingOccurrences(of: "一般公共预算财政拨款收入: 60.00", with: "一般公共预算财政拨款收入: 60.00元")
            try write(Array(text.utf8).flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }, disclosurePath, in: content)
        },
        "93-bom-error-lines": { content, _ in
            let text = String(decoding: try baseBytes(departmentPath), as: UTF8.self)
                .replacingOccurrences(of: "kind: 行政单位", with: "kind: 机关")
            try write([0xEF, 0xBB, 0xBF] + Array(text.utf8), departmentPath, in: content)
        },
    ]
}
