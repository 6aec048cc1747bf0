/// Text that import, `new` and `draft` write into YAML: every string scalar reads back as exactly
/// itself, and nothing from a file name or a content file can start a new line, key or document.
enum YAMLText {
    /// Plain scalars that YAML (or a reader resolving tags) would take for something other than text.
    static let keywords: Set<String> = ["null", "true", "false", "yes", "no", "on", "off", "y", "n", "~"]
    /// Punctuation a plain scalar may hold after its first character (never `:`, `#`, `,`, brackets, quotes of YAML).
    static let plainPunctuation = Set("（）()、，。；：《》〈〉【】“”‘’—–-_./·%".unicodeScalars)

    /// `s` as a scalar: plain when it can only be read as this text (letters, digits, CJK punctuation;
    /// not starting with a digit, a sign, an indicator or a space), double-quoted with escapes otherwise.
    static func scalar(_ s: String) -> String {
        isPlain(s) ? s : "\"" + escaped(s, quotes: true) + "\""
    }

    static func isPlain(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last,
              first.properties.isAlphabetic || (first.value >= 0x80 && plainPunctuation.contains(first)),
              last != " ", !keywords.contains(s.lowercased()) else { return false }
        return s.unicodeScalars.allSatisfy { u in
            switch u.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
                return true
            default:
                return u == " " || plainPunctuation.contains(u)
            }
        }
    }

    /// The body of a double-quoted scalar (`quotes`), or text for a comment or message (no quotes
    /// escaped): backslash, line breaks and every character YAML does not allow in a stream as escapes.
    static func escaped(_ s: String, quotes: Bool) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(s.unicodeScalars.count)
        for u in s.unicodeScalars {
            switch u {
            case "\\": out += quotes ? "\\\\" : "\\"
            case "\"": out += quotes ? "\\\"" : "\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            default:
                if isPrintable(u) && !isLineBreak(u) {
                    out.unicodeScalars.append(u)
                } else if u.value <= 0xFF {
                    out += "\\x" + hex(u.value, 2)
                } else if u.value <= 0xFFFF {
                    out += "\\u" + hex(u.value, 4)
                } else {
                    out += "\\U" + hex(u.value, 8)
                }
            }
        }
        return out
    }

    /// A `# comment` line's text: one line, whatever the text held.
    static func comment(_ s: String) -> String { escaped(s, quotes: false) }

    /// YAML 1.1/1.2's printable set (c-printable), less the byte-order mark.
    static func isPrintable(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD: return u.value != 0xFEFF
        case 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// Line breaks of YAML 1.1 (libyaml): LF, CR, NEL, LS, PS.
    static func isLineBreak(_ u: Unicode.Scalar) -> Bool {
        [0x0A, 0x0D, 0x85, 0x2028, 0x2029].contains(u.value)
    }

    static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}
