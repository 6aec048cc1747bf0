import Foundation
import Model
import Yams

/// A content file read as UTF-8 text, with the checks editors' files need
/// (encoding from an old PC, byte-order mark, CRLF, empty files, size).
struct SourceFile {
    let path: String       // relative to the content folder, for messages
    let text: String

    static let maxBytes = 20 * 1024 * 1024

    static func read(_ url: URL, relativePath: String) -> Result<SourceFile, Diagnostic> {
        let here = SourceLocation(file: relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return .failure(.error(here, "cannot read the file"))
        }
        if data.count > maxBytes {
            return .failure(.error(here, "the file is \(data.count / 1_048_576) MB; content files may be at most \(maxBytes / 1_048_576) MB — split the table or check that this is the right file"))
        }
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return .failure(.error(here, "the file is UTF-16; save it as UTF-8"))
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            let (line, encoding) = describeNonUTF8(bytes)
            return .failure(.error(SourceLocation(file: relativePath, line: line),
                                   "the file is not UTF-8 (it looks like \(encoding)); convert it with: iconv -f GB18030 -t UTF-8 '\(relativePath)' -o '\(relativePath).utf8' and replace the file"))
        }
        if text.contains("\r") { text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") }
        if text.contains("\u{0}") {
            return .failure(.error(here, "the file contains NUL bytes; it is not a text file"))
        }
        return .success(SourceFile(path: relativePath, text: text))
    }

    /// The first line with invalid UTF-8, and a guess at the encoding (GBK/GB18030 from Chinese Windows).
    static func describeNonUTF8(_ bytes: [UInt8]) -> (Int, String) {
        var line = 1
        var i = 0
        var firstBad: Int?
        var gbPairs = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A { line += 1 }
            if b >= 0x81 && b <= 0xFE && i + 1 < bytes.count {
                let t = bytes[i + 1]
                if (t >= 0x40 && t <= 0xFE && t != 0x7F) || (t >= 0x30 && t <= 0x39) {
                    gbPairs += 1
                    if firstBad == nil, String(validating: bytes[i..<min(bytes.count, i + 4)], as: UTF8.self) == nil { firstBad = line }
                    i += 2
                    continue
                }
            }
            if b >= 0x80, firstBad == nil { firstBad = line }
            i += 1
        }
        return (firstBad ?? 1, gbPairs > 0 ? "GBK/GB18030" : "a legacy 8-bit encoding")
    }
}

/// A YAML/JSON node together with the file it came from, so every value can say where it is.
struct Located {
    let node: Node
    let file: String

    var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0)
    }

    var mapping: [(key: Located, value: Located)]? {
        guard case .mapping(let m) = node else { return nil }
        return m.map { (Located(node: $0.key, file: file), Located(node: $0.value, file: file)) }
    }

    var sequence: [Located]? {
        guard case .sequence(let s) = node else { return nil }
        return s.map { Located(node: $0, file: file) }
    }

    /// The scalar exactly as written (never through Double).
    var scalar: String? {
        guard case .scalar(let s) = node else { return nil }
        return s.string
    }

    /// True for `~`, `null`, empty plain scalars and `""`.
    var isNull: Bool {
        guard case .scalar(let s) = node else { return false }
        if s.style == .plain { return ["", "~", "null", "Null", "NULL"].contains(s.string) }
        return s.string.isEmpty
    }

    subscript(key: String) -> Located? {
        mapping?.first { $0.key.scalar == key }?.value
    }

    var kindName: String {
        switch node {
        case .scalar: return "a single value"
        case .mapping: return "a mapping (key: value lines)"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    static func parse(_ source: SourceFile) -> Result<Located, Diagnostic> {
        if source.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return .failure(.error(SourceLocation(file: source.path, line: 1), "the file is empty; expected \(source.path.hasSuffix(".json") ? "a JSON object" : "YAML content")"))
        }
        do {
            guard let node = try Yams.compose(yaml: source.text) else {
                return .failure(.error(SourceLocation(file: source.path, line: 1), "the file has no content"))
            }
            return .success(Located(node: node, file: source.path))
        } catch let error as YamlError {
            return .failure(describe(error, file: source.path, text: source.text))
        } catch {
            return .failure(.error(SourceLocation(file: source.path), "cannot parse: \(error)"))
        }
    }

    static func describe(_ error: YamlError, file: String, text: String) -> Diagnostic {
        let syntax = file.hasSuffix(".json") ? "JSON" : "YAML"
        func at(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> Diagnostic {
            var message = "invalid \(syntax): \(problem)"
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if mark.line >= 1, mark.line <= lines.count, lines[mark.line - 1].contains("\t") || problem.contains("tab") {
                message += " (tabs are not allowed for indentation in YAML; indent with spaces)"
            }
            if let context { message += " (\(context.text) at line \(context.mark.line))" }
            return .error(SourceLocation(file: file, line: mark.line, column: mark.column), message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _): return at(mark, problem, context)
        case .parser(let context, let problem, let mark, _): return at(mark, problem, context)
        case .composer(let context, let problem, let mark, _): return at(mark, problem, context)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .error(SourceLocation(file: file, line: context.mark.line), "duplicate key \(duplicates.sorted().joined(separator: ", ")): each key may appear once in a mapping")
        case .reader(let problem, _, _, _): return .error(SourceLocation(file: file), "cannot read \(syntax): \(problem)")
        default: return .error(SourceLocation(file: file), "invalid \(syntax): \(error)")
        }
    }
}
