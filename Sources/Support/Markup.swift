/// Escaping for HTML, SVG and XML text and attribute values — one rule for every output:
/// `& < > " '` become entities and the control characters XML 1.0 forbids are dropped.
public enum Markup {
    /// `spaceForNewlines`: turn tabs and line breaks into spaces (SVG labels).
    public static func escape(_ text: String, spaceForNewlines: Bool = false) -> String {
        var plain = true
        var previous: UInt8 = 0
        for b in text.utf8 {
            if b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 || (b < 0x20 && (spaceForNewlines || (b != 0x09 && b != 0x0A && b != 0x0D)))
                || (previous == 0xBF && (b == 0xBE || b == 0xBF)) {
                plain = false
                break
            }
            previous = b
        }
        if plain { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for u in text.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": if spaceForNewlines { out += " " } else { out.unicodeScalars.append(u) }
            default:
                if u.value >= 0x20 && u.value != 0xFFFE && u.value != 0xFFFF { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
