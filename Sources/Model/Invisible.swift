import Support
/// Characters that cannot be seen but change how a text reads: bidirectional controls reorder the
/// text around them (a name can display as another, a slug as a different URL) and zero-width
/// characters make two names that look the same differ (in search, in the comparison index, in the
/// regions a department names). Slugs with them are refused; names lose them, with a warning.
public enum Invisible {
    /// U+202A–202E and U+2066–2069 (embeddings, overrides, isolates), U+200E/U+200F and U+061C (marks);
    /// U+200B–200D, U+2060 and U+FEFF (zero width).
    @inline(__always) public static func isInvisible(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C, 0x200B...0x200D, 0x2060, 0xFEFF: true
        default: false
        }
    }

    /// Whether the text has any.
    public static func contains(_ s: String) -> Bool {
        // Every one of them is U+061C or above: text of one- and two-byte characters has none.
        s.utf8.contains { $0 >= 0xD8 } && s.unicodeScalars.contains(where: isInvisible)
    }

    /// The invisible characters of a text, each once, in order.
    public static func found(in s: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for u in s.unicodeScalars where isInvisible(u) && !out.contains(u) { out.append(u) }
        return out
    }

    /// The text without them.
    public static func removing(from s: String) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s.unicodeScalars.lazy.filter { !isInvisible($0) })
        return String(out)
    }

    /// The text with each of them written as `<U+202E>`, so that a message quoting it reads as stored.
    public static func visible(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            if isInvisible(u) { out += "<\(code(u))>" } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// `U+202E`.
    public static func code(_ u: Unicode.Scalar) -> String {
        let hex = String(u.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// `U+202E（从右到左强制）` / `U+202E (RIGHT-TO-LEFT OVERRIDE)`, for messages.
    public static func describe(_ u: Unicode.Scalar) -> String {
        let zh: String
        switch u.value {
        case 0x202A: zh = "从左到右嵌入"
        case 0x202B: zh = "从右到左嵌入"
        case 0x202C: zh = "结束方向格式"
        case 0x202D: zh = "从左到右强制"
        case 0x202E: zh = "从右到左强制"
        case 0x2066: zh = "从左到右隔离"
        case 0x2067: zh = "从右到左隔离"
        case 0x2068: zh = "首个强方向隔离"
        case 0x2069: zh = "结束方向隔离"
        case 0x200E: zh = "从左到右标记"
        case 0x200F: zh = "从右到左标记"
        case 0x061C: zh = "阿拉伯字母标记"
        case 0x200B: zh = "零宽空格"
        case 0x200C: zh = "零宽不连字"
        case 0x200D: zh = "零宽连字"
        case 0x2060: zh = "零宽不折行"
        case 0xFEFF: zh = "零宽不换行空格"
        default: zh = "不可见字符"
        }
        return localized("\(code(u))（\(zh)）", en: "\(code(u)) (\(u.properties.name ?? "invisible"))")
    }

    /// Several, joined for a message.
    public static func describe(_ us: [Unicode.Scalar]) -> String {
        us.map(describe).joined(separator: localized("、", en: ", "))
    }
}
