import Foundation
#if canImport(Glibc)
import Glibc
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Glibc.read(fd, buffer, count) }
#elseif canImport(Darwin)
import Darwin
private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { Darwin.read(fd, buffer, count) }
#endif
import Model
import Support
import Yams

/// A content file read as UTF-8 text, with the checks editors' files need
/// (encoding from an old PC, byte-order mark, CRLF, empty files, size).
struct SourceFile {
    let path: String       // relative to the content folder, for messages
    let text: String

    /// `limits`: the file may be at most `markdownBytes` (`.md`) or `yamlBytes` (the rest); the size is
    /// checked before the file is read.
    static func read(_ url: URL, relativePath: String, limits: ContentLimits) -> Result<SourceFile, Diagnostic> {
        let here = SourceLocation(file: relativePath)
        let markdown = relativePath.hasSuffix(".md")
        let maxBytes = markdown ? limits.markdownBytes : limits.yamlBytes
        // One open, fstat and read (FileManager's attributes and contents cost several times more).
        // Non-blocking: a named pipe that slipped past the folder's checks must not hang the build.
        let fd = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(.error(here, localized("无法读取这个文件（请确认它存在且可读）", en: "cannot read the file (check that it exists and is readable)"))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.error(here, localized("无法读取这个文件（请确认它存在且可读）", en: "cannot read the file (check that it exists and is readable)"))) }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            return .failure(.error(here, localized("无法读取：这是一个文件夹；应为文件", en: "cannot read the file: found a folder; expected a file")))
        }
        if (st.st_mode & S_IFMT) != S_IFREG {
            return .failure(.error(here, localized("这不是普通文件（命名管道、设备或套接字）；应为一个文本文件", en: "this is not a plain file (a named pipe, device or socket); expected a text file")))
        }
        // The size is checked before reading, so a huge file is refused without loading it.
        if Int(st.st_size) > maxBytes { return .failure(tooLarge(Int(st.st_size), limit: maxBytes, here, markdown: markdown)) }
        // Read into place (one byte more than the size: a file that grew meanwhile is read to its end).
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
            let n = bytes.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 { return .failure(.error(here, localized("无法读取这个文件（请确认它存在且可读）", en: "cannot read the file (check that it exists and is readable)"))) }
            if n == 0 { break }
            count += n
            if count > maxBytes { return .failure(tooLarge(count, limit: maxBytes, here, markdown: markdown)) }
        }
        bytes.removeSubrange(count...)
        return decode(bytes, relativePath: relativePath)
    }

    /// A file over its size limit, or a part of one (`part`: its front matter, `overview.note`): the
    /// message names the size, the limit and its key in site.yaml.
    static func tooLarge(_ size: Int, limit: Int, _ here: SourceLocation, markdown: Bool,
                         part: (zh: String, en: String)? = nil) -> Diagnostic {
        let (found, most) = ContentLimits.sizes(size, limit: limit)
        let key = markdown ? "limits.markdown_bytes" : "limits.yaml_bytes"
        let (zh, en) = part ?? ("文件", "the file")
        if markdown {
            return .error(here, localized(
                "\(zh)大小为 \(found)，超过 Markdown 文本的上限 \(most)（site.yaml 中的 \(key)）——情况说明通常只有几十 KB，请确认这是正确的文件",
                en: "\(en) is \(found); Markdown text may be at most \(most) (\(key) in site.yaml) — a 情况说明 is a few dozen KB: check that this is the right file"))
        }
        return .error(here, localized(
            "\(zh)大小为 \(found)，超过 YAML/JSON 内容的上限 \(most)（site.yaml 中的 \(key)）——请拆分表格，或确认这是正确的文件",
            en: "\(en) is \(found); YAML and JSON content may be at most \(most) (\(key) in site.yaml) — split the table or check that this is the right file"))
    }

    /// The checks on the bytes of a file (BOM, UTF-16, NUL, not UTF-8, CRLF), without the file system.
    static func decode(_ input: [UInt8], relativePath: String) -> Result<SourceFile, Diagnostic> {
        var bytes = input
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let endian = utf16(bytes) {
            let iconv = "iconv -f UTF-16\(endian == "little-endian" ? "LE" : "BE") -t UTF-8 '\(relativePath)' -o '\(relativePath).utf8'"
            return .failure(.error(SourceLocation(file: relativePath, line: 1), localized(
                "文件是 UTF-16 编码（\(endian == "little-endian" ? "小端序" : "大端序")）；应为 UTF-8：请另存为 UTF-8（记事本：另存为 → 编码选 UTF-8），或用 \(iconv) 转换后替换原文件",
                en: "the file is UTF-16 (\(endian)); expected UTF-8: save it as UTF-8 (Notepad: Save As → Encoding UTF-8), or convert it with: \(iconv) and replace the file")))
        }
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            return .failure(.error(SourceLocation(file: relativePath, line: line), localized(
                "文件含有 NUL 字节（第一个在这一行）；应为文本文件——它是不是电子表格或损坏的副本？",
                en: "the file contains NUL bytes (first on this line); expected a text file — is this a spreadsheet or a damaged copy?")))
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            let (line, encoding) = describeNonUTF8(bytes)
            let gbk = encoding == "GBK/GB18030"
            let iconv = "iconv -f GB18030 -t UTF-8 '\(relativePath)' -o '\(relativePath).utf8'"
            return .failure(.error(SourceLocation(file: relativePath, line: line), localized(
                "文件不是 UTF-8 编码：看起来是\(gbk ? " GBK/GB18030" : "旧式 8 位编码")（第一处在这一行）；应为 UTF-8："
                    + (gbk ? "请用 \(iconv) 转换后替换原文件（或在记事本中：另存为 → 编码选 UTF-8）" : "请另存为 UTF-8"),
                en: "the file is not UTF-8: it looks like \(encoding) (first such text on this line); expected UTF-8: "
                    + (gbk ? "convert it with: \(iconv) and replace the file (or in Notepad: Save As → Encoding UTF-8)" : "save it as UTF-8"))))
        }
        if bytes.contains(0x0D) { text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") }
        return .success(SourceFile(path: relativePath, text: text))
    }

    /// "little-endian" / "big-endian" for UTF-16 text: a byte-order mark, or ASCII interleaved with NUL bytes.
    static func utf16(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xFE]) { return "little-endian" }
        if bytes.starts(with: [0xFE, 0xFF]) { return "big-endian" }
        let sample = bytes.prefix(4096)
        guard sample.count >= 4 else { return nil }
        var evenNUL = 0, oddNUL = 0
        for (i, b) in sample.enumerated() where b == 0 { if i % 2 == 0 { evenNUL += 1 } else { oddNUL += 1 } }
        let pairs = sample.count / 2
        if oddNUL * 4 >= pairs && evenNUL * 20 < pairs { return "little-endian" }
        if evenNUL * 4 >= pairs && oddNUL * 20 < pairs { return "big-endian" }
        return nil
    }

    /// The line of the first byte that is not valid UTF-8, and a guess at the encoding (GBK/GB18030 from Chinese Windows).
    static func describeNonUTF8(_ bytes: [UInt8]) -> (Int, String) {
        // Find the first invalid UTF-8 sequence.
        var i = 0
        var firstBad = bytes.count
        while i < bytes.count {
            let b = bytes[i]
            let length: Int
            switch b {
            case 0x00...0x7F: length = 1
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            if length == 0 || i + length > bytes.count
                || String(validating: bytes[i..<i + length], as: UTF8.self) == nil {
                firstBad = i
                break
            }
            i += length
        }
        let line = bytes[..<min(firstBad, bytes.count)].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        // From there on, count GBK double-byte pairs (lead 0x81–0xFE, trail 0x40–0xFE except 0x7F).
        var gbPairs = 0, strays = 0
        var j = firstBad
        while j < bytes.count {
            let b = bytes[j]
            if b >= 0x81 && b <= 0xFE && j + 1 < bytes.count, bytes[j + 1] >= 0x40, bytes[j + 1] != 0x7F, bytes[j + 1] != 0xFF {
                gbPairs += 1
                j += 2
                continue
            }
            if b >= 0x80 { strays += 1 }
            j += 1
        }
        return (line, gbPairs > 0 && strays <= gbPairs / 4 ? "GBK/GB18030" : "a legacy 8-bit encoding (not UTF-8)")
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
        // Not through `mapping`: that wraps every pair of the mapping for each key looked up.
        guard case .mapping(let m) = node else { return nil }
        for pair in m {
            if case .scalar(let k) = pair.key, k.string == key { return Located(node: pair.value, file: file) }
        }
        return nil
    }

    var kindName: String {
        switch node {
        case .scalar: return localized("单个值", en: "a single value")
        case .mapping: return localized("映射（“键: 值”的若干行）", en: "a mapping (key: value lines)")
        case .sequence: return localized("列表", en: "a list")
        case .alias: return localized("别名", en: "an alias")
        }
    }

    /// The node tree of a YAML or JSON file, refused when it nests deeper than `limits.yamlDepth` or
    /// its aliases reach more than `limits.yamlAliases` values (see `YAMLLimits`).
    static func parse(_ source: SourceFile, limits: ContentLimits) -> Result<Located, Diagnostic> {
        if source.text.unicodeScalars.allSatisfy({ CharacterSet.whitespacesAndNewlines.contains($0) }) {
            return .failure(.error(SourceLocation(file: source.path, line: 1), localized("文件是空的；应为\(source.path.hasSuffix(".json") ? " JSON 对象" : " YAML 内容")", en: "the file is empty; expected \(source.path.hasSuffix(".json") ? "a JSON object" : "YAML content")")))
        }
        let textBytes = source.text.utf8.count
        let aliases = YAMLLimits.mayHaveAliases(source.text)
        do {
            // No implicit tags (bool, int, float … by regular expression for every scalar): sitegen reads
            // each scalar's text itself, amounts exactly as written.
            // The encoding is given: Yams' default reads the whole process environment on every call.
            if aliases {
                // The masked text first; its parser keeps the anchors alive (nodes hold them weakly).
                let parser = try Parser(yaml: YAMLLimits.masked(source.text), resolver: .basic, constructor: .default, encoding: .utf8)
                if let masked = try parser.singleRoot(), let refusal = withExtendedLifetime(parser, {
                    YAMLLimits.check(masked, limits: limits, textBytes: textBytes, masked: true)
                }) {
                    return .failure(.error(SourceLocation(file: source.path, line: YAMLLimits.line(refusal)), YAMLLimits.message(refusal, limits: limits)))
                }
            }
            guard let node = try Yams.compose(yaml: source.text, .basic, .default, .utf8) else {
                return .failure(.error(SourceLocation(file: source.path, line: 1), localized("文件没有内容", en: "the file has no content")))
            }
            if !aliases, let refusal = YAMLLimits.check(node, limits: limits, textBytes: textBytes, masked: false) {
                return .failure(.error(SourceLocation(file: source.path, line: YAMLLimits.line(refusal)), YAMLLimits.message(refusal, limits: limits)))
            }
            return .success(Located(node: node, file: source.path))
        } catch let error as YamlError {
            var diagnostic = describe(error, file: source.path, text: source.text, depthLimit: limits.yamlDepth)
            // An error in the masked text names an alias as written.
            if aliases { diagnostic.message = diagnostic.message.replacingOccurrences(of: String(Character(YAMLLimits.marker)), with: "*") }
            return .failure(diagnostic)
        } catch {
            return .failure(.error(SourceLocation(file: source.path), localized("无法解析：\(error)", en: "cannot parse: \(error)")))
        }
    }

    static func describe(_ error: YamlError, file: String, text: String, depthLimit: Int) -> Diagnostic {
        let syntax = file.hasSuffix(".json") ? "JSON" : "YAML"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // libyaml reports problems found at the end of the text on the line after the last one.
        var lastLine = lines.count
        while lastLine > 1, lines[lastLine - 1].trimmingCharacters(in: .whitespaces).isEmpty { lastLine -= 1 }
        func clamp(_ line: Int) -> Int { max(1, min(line, lastLine)) }
        func isEnd(_ mark: Mark) -> Bool { mark.line > lastLine }
        func indentedWithTab(_ line: Int) -> Bool {
            guard line >= 1, line <= lines.count else { return false }
            return lines[line - 1].prefix { $0 == " " || $0 == "\t" }.contains("\t")
        }
        func at(_ mark: Mark, _ problem: String, _ context: YamlError.Context?) -> Diagnostic {
            let contextText = context?.text ?? ""
            let contextLine = context.map { clamp($0.mark.line) }
            var line = clamp(mark.line)
            let invalid = localized("\(syntax) 格式错误：", en: "invalid \(syntax): ")
            let message: String
            if indentedWithTab(mark.line) || (problem.contains("cannot start any token") && mark.line >= 1 && mark.line <= lines.count && lines[mark.line - 1].contains("\t")) {
                message = localized("这一行用 Tab 缩进；应使用空格（YAML 不允许用 Tab 缩进）",
                                    en: "this line is indented with a tab; expected spaces (YAML does not allow tabs for indentation)")
            } else if contextText.contains("quoted scalar"), let contextLine {
                line = contextLine
                message = isEnd(mark)
                    ? localized("从这一行开始的引号文字没有闭合（直到文件末尾）；应有结束引号",
                                en: "the quoted text that starts on this line is not closed (found the end of the file); expected a closing quote")
                    : localized("从这一行开始的引号文字没有闭合（到第 \(clamp(mark.line)) 行仍没有）；应有结束引号",
                                en: "the quoted text that starts on this line is not closed (found line \(clamp(mark.line)) without it); expected a closing quote")
            } else if contextText.contains("flow sequence") || contextText.contains("flow mapping"), let contextLine {
                let sequence = contextText.contains("flow sequence")
                let kind = sequence ? localized("[ … ] 列表", en: "[ … ] list") : localized("{ … } 映射", en: "{ … } mapping")
                let close = sequence ? "]" : "}"
                if isEnd(mark) {
                    message = localized("从第 \(contextLine) 行开始的 \(kind)没有闭合（直到文件末尾）；应在末尾写 '\(close)'",
                                        en: "the \(kind) that starts on line \(contextLine) is not closed (found the end of the file); expected '\(close)' at its end")
                } else if clamp(mark.line) > contextLine {
                    message = localized("从第 \(contextLine) 行开始的 \(kind)在这一行之前没有闭合；应在末尾写 '\(close)'，或在各项之间写 ','",
                                        en: "the \(kind) that starts on line \(contextLine) is not closed before this line; expected '\(close)' at its end, or ',' between its items")
                } else {
                    message = localized("有一项后面既没有 ',' 也没有 '\(close)'；\(kind)的各项之间应写 ','",
                                        en: "found an item not followed by ',' or '\(close)'; expected ',' between the items of the \(kind)")
                }
            } else if problem.contains("did not find expected key") || problem.contains("did not find expected '-' indicator") {
                let sequence = contextText.contains("sequence")
                message = localized("这一行与上面的行没有对齐；应与从第 \(contextLine ?? line) 行开始的\(sequence ? "“- 列表项”" : "“键: 值”行")缩进相同",
                                    en: "this line does not line up with the lines above it; expected the indentation of the \(sequence ? "- list items" : "key: value lines") that start on line \(contextLine ?? line)")
            } else if problem.lowercased().contains("nesting level") {
                message = localized(
                    "列表和映射嵌套超过 1000 层，超过上限 \(depthLimit) 层（site.yaml 中的 limits.yaml_depth）——内容文件只嵌套几层（表格的一行在第 5 层），请检查缩进和括号",
                    en: "lists and mappings are nested more than 1000 levels deep; at most \(depthLimit) (limits.yaml_depth in site.yaml) — content nests a few levels (a table row is at level 5): check the indentation and the brackets")
            } else if problem.contains("mapping values are not allowed") {
                message = localized("这一行有第二个 ': '；含有 ': ' 的值应加引号（title: \"a: b\"），或者这一行应与相邻的行缩进相同",
                                    en: "found a second ': ' on this line; expected a value that contains ': ' to be quoted (title: \"a: b\"), or this line at the indentation of its neighbours")
            } else if problem.contains("could not find expected ':'") {
                message = localized("这一行没有 ':'；应为“键: 值”（也请检查上一行）", en: "found a line without ':'; expected key: value (check the line above too)")
            } else if let context, let contextLine {
                message = problem + localized("（第 \(contextLine) 行的 \(context.text)）", en: " (\(context.text) on line \(contextLine))")
            } else {
                message = problem
            }
            return .error(SourceLocation(file: file, line: line, column: mark.column), invalid + message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _): return at(mark, problem, context)
        case .parser(let context, let problem, let mark, _): return at(mark, problem, context)
        case .composer(let context, let problem, let mark, _): return at(mark, problem, context)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.sorted().first ?? ""
            let first = clamp(context.mark.line)
            let second = duplicateLine(key: key, after: context.mark, lines: lines) ?? first
            return .error(SourceLocation(file: file, line: second), localized(
                "重复的键 '\(key)'\(second == first ? "" : "（第一次在第 \(first) 行）")；同一映射中每个键只能出现一次——请合并两处，或给其中一个改名",
                en: "duplicate key '\(key)'\(second == first ? "" : " (first on line \(first))"); expected each key once in a mapping — merge the two or rename one"))
        case .reader(let problem, _, _, _): return .error(SourceLocation(file: file, line: 1), localized("无法读取 \(syntax)：\(problem)", en: "cannot read \(syntax): \(problem)"))
        default: return .error(SourceLocation(file: file, line: 1), localized("\(syntax) 格式错误：\(error)", en: "invalid \(syntax): \(error)"))
        }
    }

    /// The line of the second `key:` of the block mapping whose first `key:` is at `mark`.
    static func duplicateLine(key: String, after mark: Mark, lines: [Substring]) -> Int? {
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let indent = mark.column - 1
        let spellings = [key, "\"\(key)\"", "'\(key)'"].map { $0 + ":" }
        var n = mark.line + 1
        while n <= lines.count {
            let line = lines[n - 1]
            let body = line.drop { $0 == " " }
            let width = line.count - body.count
            if !body.isEmpty, !body.hasPrefix("#") {
                if width < indent { break }
                if width == indent, spellings.contains(where: { body.hasPrefix($0) }) { return n }
            }
            n += 1
        }
        // Flow mappings (JSON): the next occurrence of the quoted key.
        for m in mark.line..<lines.count + 1 {
            var line = lines[m - 1][...]
            if m == mark.line { line = line.dropFirst(max(0, min(line.count, mark.column))) }
            if line.contains("\"\(key)\"") || line.contains("'\(key)'") { return m }
        }
        return nil
    }
}

