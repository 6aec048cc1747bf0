import Foundation
import CCmark

/// CommonMark → HTML through libcmark (the reference C implementation).
///
/// Raw HTML and dangerous URLs (`javascript:` …) are dropped unless a site opts in with
/// `markdown.unsafe_html: true`. Headings are shifted down so Markdown's `#` sits below the
/// page's own headings: by `headingOffset` levels, or, with `topLevel`, so that the document's
/// highest heading (whether the editor wrote `#` or `##`) becomes `<h\(topLevel)>` and no level
/// is skipped below the page's own heading.
public enum Markdown {
    public static func html(_ text: String, allowRawHTML: Bool = false, headingOffset: Int = 2, topLevel: Int? = nil) -> String {
        var options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8
        if allowRawHTML { options |= CMARK_OPT_UNSAFE }
        let utf8 = Array(text.utf8)
        guard let raw = utf8.withUnsafeBufferPointer({ buf in
            buf.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) { cmark_markdown_to_html($0, buf.count, options) }
            } ?? cmark_markdown_to_html("", 0, options)
        }) else { return "" }
        defer { free(raw) }
        var html = String(cString: raw)
        let offset = topLevel.map { top in highestHeading(html).map { top - $0 } ?? 0 } ?? headingOffset
        if offset > 0 { html = shiftHeadings(html, by: offset) }
        return html
    }

    /// The smallest n of the `<hn>` elements cmark wrote, if any.
    static func highestHeading(_ html: String) -> Int? {
        (1...6).first { html.contains("<h\($0)>") }
    }

    /// `<h1>` → `<h3>` and so on (capped at h6).
    static func shiftHeadings(_ html: String, by offset: Int) -> String {
        guard html.contains("<h") else { return html }
        var out = html
        for level in stride(from: 6, through: 1, by: -1) {
            let target = min(6, level + offset)
            out = out.replacingAll("<h\(level)>", with: "<h\(target)>").replacingAll("</h\(level)>", with: "</h\(target)>")
        }
        return out
    }

    /// cmark's version, for diagnostics.
    public static var version: String { String(cString: cmark_version_string()) }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let r = rest.range(of: target) {
            result += rest[..<r.lowerBound]
            result += replacement
            rest = rest[r.upperBound...]
        }
        result += rest
        return result
    }
}
