import Derive
import Markdown
import Model
import Support

/// Data references in Markdown: `{{03.合计.基本支出 | 占比 03.合计.本年支出合计}}`.
public enum DataReferences {
    public struct Occurrence: Sendable, Equatable {
        /// The text between the braces, trimmed.
        public var expression: String
        /// 1-based line in the file.
        public var line: Int
        public var range: Range<String.Index>
    }

    /// Every `{{…}}` in a text; an unclosed `{{` is reported as an occurrence with an empty range end.
    /// Scans UTF-8 bytes: braces and newlines are ASCII, which never occurs inside a multi-byte
    /// character (walking Characters of CJK prose was a large part of a disclosure page's view model:
    /// bench/README.md#figures-that-were-in-code-comments).
    public static func scan(_ text: String, firstLine: Int = 1) -> (found: [Occurrence], unclosed: [Int]) {
        var found: [Occurrence] = []
        var unclosed: [Int] = []
        var line = firstLine
        let utf8 = text.utf8
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), newline = UInt8(ascii: "\n")
        var i = utf8.startIndex
        while i < utf8.endIndex {
            let byte = utf8[i]
            if byte == newline { line += 1 }
            let next = utf8.index(after: i)
            if byte == open, next < utf8.endIndex, utf8[next] == open {
                let start = utf8.index(after: next)
                var j = start
                var closed: String.Index?
                while j < utf8.endIndex, utf8[j] != newline {
                    let after = utf8.index(after: j)
                    if utf8[j] == close, after < utf8.endIndex, utf8[after] == close { closed = j; break }
                    j = after
                }
                if let closed {
                    let end = utf8.index(closed, offsetBy: 2)
                    found.append(Occurrence(expression: String(decoding: utf8[start..<closed], as: UTF8.self).trimmingSpaces(), line: line, range: i..<end))
                    i = end
                    continue
                }
                // No `}}` before the end of the line: none for a later `{{` on it either. Reported once, and the
                // rest of the line skipped (rescanning it from each `{{` would take time quadratic in its length).
                unclosed.append(line)
                i = j
                continue
            }
            i = next
        }
        return (found, unclosed)
    }

    /// Replaces every reference by its formatted figure; problems are reported at file:line.
    public static func expand(_ prose: Prose, book: FigureBook, into bag: inout DiagnosticBag) -> String {
        let (found, unclosed) = scan(prose.text, firstLine: prose.firstLine)
        for line in unclosed {
            bag.error(SourceLocation(file: prose.location.file, line: line), "unclosed data reference '{{': expected {{table.row.column}}, e.g. {{03.合计.基本支出}}")
        }
        guard !found.isEmpty else { return prose.text }
        var out = ""
        let text = prose.text.utf8
        var cursor = text.startIndex
        for occurrence in found {
            out += String(decoding: text[cursor..<occurrence.range.lowerBound], as: UTF8.self)
            cursor = occurrence.range.upperBound
            let at = SourceLocation(file: prose.location.file, line: occurrence.line)
            switch FigureReference.parse(occurrence.expression).flatMap({ book.evaluate($0) }) {
            case .failure(let e):
                bag.error(at, "data reference {{\(occurrence.expression)}}: \(e)")
                out += "{{\(occurrence.expression)}}"
            case .success(let v):
                out += format(v)
            }
        }
        out += String(decoding: text[cursor...], as: UTF8.self)
        return out
    }

    public static func format(_ v: FigureValue) -> String {
        switch v {
        case .amount(let a, let isCount): return Format.amount(a, isCount: isCount)
        case .percent(let p): return Format.percent(p)
        case .word(let w): return w
        case .blank: return "—"
        }
    }
}

/// Markdown to HTML for the site's pages.
public struct ProseRenderer: Sendable {
    public var allowRawHTML: Bool
    public init(allowRawHTML: Bool) { self.allowRawHTML = allowRawHTML }

    /// `topLevel`: the heading level the text's highest heading gets (one below the page's heading
    /// that the text sits under), so headings never skip a level whatever level the editor began at.
    public func html(_ markdown: String, topLevel: Int = 3) -> String {
        Markdown.html(markdown, allowRawHTML: allowRawHTML, topLevel: topLevel)
    }

    static let placeholder = Array("【待填写".utf8)

    static func hasPlaceholder(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= placeholder.count else { return false }
            for start in 0...(bytes.count - placeholder.count) where bytes[start] == placeholder[0] {
                if (1..<placeholder.count).allSatisfy({ bytes[start + $0] == placeholder[$0] }) { return true }
            }
            return false
        }
    }

    /// Expands data references, then renders.
    public func html(_ prose: Prose?, book: FigureBook?, topLevel: Int = 3, into bag: inout DiagnosticBag) -> String? {
        guard let prose else { return nil }
        // `sitegen draft` leaves 【待填写：…】 where only the editor knows the words (looked for line by line
        // only when the text has one: a Character search of every line cost more than the rest).
        if Self.hasPlaceholder(prose.text) {
            for (i, line) in prose.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let at = line.firstRange(of: "【待填写") else { continue }
                let placeholder = line[at.lowerBound...].prefix { $0 != "】" } + "】"
                bag.warning(SourceLocation(file: prose.location.file, line: prose.firstLine + i),
                            localized("\(placeholder) 还没有填写：填写后才会发布", en: "placeholder \(placeholder) still to be written: replace it before publishing"))
            }
        }
        let text = book.map { DataReferences.expand(prose, book: $0, into: &bag) } ?? prose.text
        return html(text, topLevel: topLevel)
    }
}
