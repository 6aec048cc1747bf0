import Model
import Support

/// How exported texts are compared and read: labels without spaces, numbering or quotes;
/// amounts as exact decimal text.
enum Text {
    /// `一、“三公”经费支出 (台、辆)` → `一、三公经费支出（台、辆）`: no whitespace, full-width brackets and
    /// colon, every other full-width ASCII form half-width (`１．` → `1.`), no quotes.
    static func norm(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case " ", "\t", "\n", "\r", "\u{3000}", "\u{A0}", "\"", "'", "“", "”", "‘", "’": continue
            case "(", "\u{FF08}": out += "（"
            case ")", "\u{FF09}": out += "）"
            case ":", "\u{FF1A}": out += "："
            // Other full-width forms of ASCII (１２３, ．, Ａ) read as their half-width form.
            case "\u{FF01}"..."\u{FF5E}": out.unicodeScalars.append(Unicode.Scalar(u.value - 0xFEE0)!)
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static let numerals = Set("一二三四五六七八九十")

    /// The label without its numbering: `二十一、` `1.` `（1）` `(二)`.
    static func core(_ s: String) -> String {
        var t = Substring(norm(s))
        if t.first == "（", let close = t.firstIndex(of: "）"), t[t.index(after: t.startIndex)..<close].allSatisfy({ $0.isNumber || numerals.contains($0) }) {
            t = t[t.index(after: close)...]
        } else {
            let prefix = t.prefix { $0.isASCII && $0.isNumber || numerals.contains($0) }
            if !prefix.isEmpty, let next = t.dropFirst(prefix.count).first, "、.．".contains(next) { t = t.dropFirst(prefix.count + 1) }
        }
        return String(t)
    }

    static func isDigits(_ s: String) -> Bool { !s.isEmpty && s.allSatisfy { $0.isASCII && $0.isNumber } }

    /// A whole number as written in a 行次 / 栏次 cell (`3`, `3.0` from a float export).
    static func integer(_ s: String) -> Int? {
        let t = s.trimmingSpaces()
        if isDigits(t) { return Int(t) }
        if t.hasSuffix(".0"), isDigits(String(t.dropLast(2))) { return Int(t.dropLast(2)) }
        return nil
    }

    /// Texts that stand for a blank cell: empty, dashes (—— is printed where the form has no figure).
    static func isBlank(_ s: String) -> Bool {
        let t = norm(s)
        return t.isEmpty || t.allSatisfy { "—-－–".contains($0) }
    }

    enum AmountText: Equatable {
        case blank
        /// The text to write, and a note when it had to be changed (float tail rounded).
        case value(String, note: String?)
        case invalid(String)
    }

    /// Reads an amount from a cell. Number cells of a workbook get at least 2 decimals (`0.5` is
    /// shown as 0.50); a float tail (`55.569999999`) is rounded to 2 decimals with a note; counts are
    /// whole numbers. Text cells are kept as written.
    static func amount(_ cell: Sheet.Cell, count: Bool) -> AmountText {
        var t = cell.text.trimmingSpaces()
        if t.hasPrefix("'") { t.removeFirst() }
        if isBlank(t) { return .blank }
        // Full-width digits and a grouped thousands separator are what a formatted export prints.
        // Full-width forms (５５．５７, １，２３４) read as their half-width form.
        t = String(t.unicodeScalars.map { (0xFF01...0xFF5E).contains($0.value) ? Character(Unicode.Scalar($0.value - 0xFEE0)!) : Character($0) })
        let groups = Array(t.prefix { $0 != "." }).split(separator: ",", omittingEmptySubsequences: false)
        if groups.count > 1, groups.dropFirst().allSatisfy({ $0.count == 3 }) {
            t = t.replacing(",", with: "")
        }
        guard let (negative, w, f) = decimal(t) else { return .invalid(localized("'\(cell.text)' 不是金额", en: "'\(cell.text)' is not an amount")) }
        var (whole, fraction) = (w, f)
        var note: String?
        if fraction.count > Amount.maxScale {
            let up = fraction[fraction.index(fraction.startIndex, offsetBy: 2)] >= "5"
            fraction = String(fraction.prefix(2))
            if up { (whole, fraction) = increment(whole, fraction) }
            note = localized("'\(cell.text)' 已四舍五入到 2 位小数（浮点尾数）", en: "'\(cell.text)' rounded to 2 decimals (a floating-point tail)")
        }
        if count {
            if fraction.allSatisfy({ $0 == "0" }) { fraction = "" } else { return .invalid(localized("'\(cell.text)' 不是整数", en: "'\(cell.text)' is not a whole number")) }
        } else if cell.isNumber || note != nil {
            while fraction.count < 2 { fraction += "0" }
        }
        let sign = negative && (whole + fraction).contains { $0 != "0" } ? "-" : ""
        let text = sign + whole + (fraction.isEmpty ? "" : "." + fraction)
        switch Amount.parse(text) {
        case .success: break
        case .failure(.tooLarge): return .invalid(localized("'\(cell.text)' 超出金额的范围（最多 10^13 万元）", en: "'\(cell.text)' is larger than any amount (at most 10^13 万元)"))
        case .failure: return .invalid(localized("'\(cell.text)' 不是金额", en: "'\(cell.text)' is not an amount"))
        }
        return .value(text, note: note)
    }

    /// Splits `-1.5E+3`, `55.57`, `.5` into sign, integer digits and fraction digits (exponent applied).
    static func decimal(_ s: String) -> (Bool, String, String)? {
        var t = Substring(s)
        var negative = false
        if t.first == "-" || t.first == "+" { negative = t.first == "-"; t.removeFirst() }
        var exponent = 0
        if let e = t.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            // Int(_:) gives nil rather than trapping on too many digits; the bound keeps the padding below small.
            guard let x = Int(t[t.index(after: e)...]), x > -40 && x < 40 else { return nil }
            exponent = x
            t = t[..<e]
        }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !t.isEmpty, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        var digits = String(parts[0]) + (parts.count == 2 ? String(parts[1]) : "")
        var point = parts[0].count + exponent
        guard !digits.isEmpty else { return nil }
        if point < 0 { digits = String(repeating: "0", count: -point) + digits; point = 0 }
        if point > digits.count { digits += String(repeating: "0", count: point - digits.count) }
        var whole = String(digits.prefix(point).drop { $0 == "0" })
        if whole.isEmpty { whole = "0" }
        var fraction = String(digits.dropFirst(point))
        // Trailing zeros beyond what a float export adds are kept: `0.50` stays `0.50`.
        if exponent != 0 { while fraction.count > 2 && fraction.hasSuffix("0") { fraction.removeLast() } }
        return (negative, whole, fraction)
    }

    /// 55.569 → rounding up the last kept digit with carries: (55, 57).
    static func increment(_ whole: String, _ fraction: String) -> (String, String) {
        var digits = Array(whole + fraction)
        var i = digits.count - 1
        while i >= 0 {
            if digits[i] == "9" { digits[i] = "0"; i -= 1 } else { digits[i] = Character(Unicode.Scalar(digits[i].asciiValue! + 1)); break }
        }
        if i < 0 { digits.insert("1", at: 0) }
        let w = digits.count - fraction.count
        return (String(digits[..<w]), String(digits[w...]))
    }
}
