import Check
import Foundation
import Model
import Pipeline
import Testing
import TestSite

/// The findings of a copy of `base` (the small corpus base site unless told), with text edits
/// (file → transform) and extra files applied. One helper for every rule test of this target.
func findings(base: URL = corpusBase, edits: [String: (String) -> String] = [:], extra: [String: String] = [:]) throws -> [Finding] {
    let root = temporaryFolder("check").appendingPathComponent("content")
    try FileManager.default.copyItem(at: base, to: root)
    for (path, text) in extra {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    for (path, edit) in edits {
        let url = root.appendingPathComponent(path)
        try edit(read(url)).write(to: url, atomically: true, encoding: .utf8)
    }
    return try analysedFindings(root)
}

/// The findings of a content folder as `sitegen check` finds them (提示 included).
func analysedFindings(_ content: URL) throws -> [Finding] {
    var stages: [(String, Duration, Int)] = []
    switch Analyser.analyse(content: content, stages: &stages) {
    case .success(let model): return model.findings
    case .failure(let f): Issue.record("content did not load: \(f)"); return []
    }
}

/// `E rule`, `W rule`, `I rule` (错误, 警告, 提示), in the findings' order.
func severityAndRule(_ f: [Finding]) -> [String] {
    f.map { "\($0.severity == .error ? "E" : $0.severity == .warning ? "W" : "I") \($0.rule)" }
}
