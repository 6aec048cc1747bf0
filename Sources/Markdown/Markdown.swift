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
        // One pass over the bytes (six `contains` searches of the page cost more than rendering it).
        var html = html
        let (lt, h, gt, one, six) = (UInt8(ascii: "<"), UInt8(ascii: "h"), UInt8(ascii: ">"), UInt8(ascii: "1"), UInt8(ascii: "6"))
        let best: UInt8? = html.withUTF8 { b in
            var best: UInt8?
            var i = 0
            while i + 3 < b.count {
                if b[i] == lt, b[i + 1] == h, (one...six).contains(b[i + 2]), b[i + 3] == gt, b[i + 2] < (best ?? six + 1) { best = b[i + 2] }
                i += 1
            }
            return best
        }
        return best.map { Int($0 - one) + 1 }
    }

    /// `<h1>` → `<h3>` and so on (capped at h6), in one pass over the bytes (replacing tag by tag took time
    /// quadratic in the number of headings: bench/README.md#figures-that-were-in-code-comments).
    static func shiftHeadings(_ html: String, by offset: Int) -> String {
        guard html.contains("<h") else { return html }
        let (lt, slash, h, gt, one, six) = (UInt8(ascii: "<"), UInt8(ascii: "/"), UInt8(ascii: "h"), UInt8(ascii: ">"), UInt8(ascii: "1"), UInt8(ascii: "6"))
        let source = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var i = 0
        while i < source.count {
            // `<hN>` or `</hN>`, N = 1…6
            let n = source[i] == lt && i + 1 < source.count && source[i + 1] == slash ? i + 2 : i + 1
            if source[i] == lt, n + 2 < source.count, source[n] == h, (one...six).contains(source[n + 1]), source[n + 2] == gt {
                out.append(contentsOf: source[i...n])
                out.append(one - 1 + UInt8(min(6, Int(source[n + 1] - one + 1) + offset)))
                out.append(gt)
                i = n + 3
                continue
            }
            out.append(source[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// cmark's version, for diagnostics.
    public static var version: String { String(cString: cmark_version_string()) }
}
