import Derive
import Markdown
import Model

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
    public static func scan(_ text: String, firstLine: Int = 1) -> (found: [Occurrence], unclosed: [Int]) {
        var found: [Occurrence] = []
        var unclosed: [Int] = []
        var line = firstLine
        var i = text.startIndex
        while i < text.endIndex {
            let ch = text[i]
            if ch == "\n" { line += 1 }
            if ch == "{", text.index(after: i) < text.endIndex, text[text.index(after: i)] == "{" {
                let start = text.index(i, offsetBy: 2)
                var j = start
                var closed: String.Index?
                while j < text.endIndex, text[j] != "\n" {
                    if text[j] == "}", text.index(after: j) < text.endIndex, text[text.index(after: j)] == "}" { closed = j; break }
                    j = text.index(after: j)
                }
                if let closed {
                    let end = text.index(closed, offsetBy: 2)
                    found.append(Occurrence(expression: String(text[start..<closed]).trimmingSpaces(), line: line, range: i..<end))
                    i = end
                    continue
                }
                // No `}}` before the end of the line: none for a later `{{` on it either. Reported once, and the
                // rest of the line skipped (rescanning it from each `{{` would take time quadratic in its length).
                unclosed.append(line)
                i = j
                continue
            }
            i = text.index(after: i)
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
        var cursor = prose.text.startIndex
        for occurrence in found {
            out += prose.text[cursor..<occurrence.range.lowerBound]
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
        out += prose.text[cursor...]
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

    /// Expands data references, then renders.
    public func html(_ prose: Prose?, book: FigureBook?, topLevel: Int = 3, into bag: inout DiagnosticBag) -> String? {
        guard let prose else { return nil }
        // `sitegen draft` leaves 【待填写：…】 where only the editor knows the words.
        for (i, line) in prose.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let at = line.firstRange(of: "【待填写") else { continue }
            bag.warning(SourceLocation(file: prose.location.file, line: prose.firstLine + i), "placeholder \(line[at.lowerBound...].prefix { $0 != "】" })】 still to be written: replace it before publishing")
        }
        let text = book.map { DataReferences.expand(prose, book: $0, into: &bag) } ?? prose.text
        return html(text, topLevel: topLevel)
    }
}
