import Derive
import Model

// MARK: - Numbers as prose writes them

/// A number in prose: its digits as an integer and decimals, its unit, where it stands.
struct ProseNumber {
    enum Unit { case yuan, wan, yi, percent, none }
    var start: Int
    var end: Int          // after the unit
    var digits: Int128
    var decimals: Int
    var unit: Unit
    var text: String      // as written after normalising: `1033.18万元`

    var isMoney: Bool { unit == .yuan || unit == .wan || unit == .yi }

    /// Decimals of the value in 万元 (元 adds four, 亿元 takes four).
    var wanDecimals: Int {
        switch unit {
        case .yuan: decimals + 4
        case .yi: decimals - 4
        default: decimals
        }
    }

    /// The value rounded to `p` decimals of 万元 (of %, for a percentage), as an integer.
    func value(at p: Int) -> Int128 { ProseNumber.shift(digits, by: p - wanDecimals) }

    /// As an Amount in 万元 (or %), with as many decimals as written, at most four.
    var amount: Amount {
        let units = Int64(clamping: value(at: 4))
        var scale = max(0, min(4, wanDecimals))
        // 499000元 is 49.90万元, not 49.9000.
        if unit == .yuan { while scale > 2, units % Int64(ProseNumber.pow10(5 - scale)) == 0 { scale -= 1 } }
        return Amount(units: units, scale: scale)
    }

    static func pow10(_ n: Int) -> Int128 { var r: Int128 = 1; for _ in 0..<max(0, n) { r *= 10 }; return r }

    /// x × 10^k, rounded half away from zero when k < 0.
    static func shift(_ x: Int128, by k: Int) -> Int128 {
        if k >= 0 { return x * pow10(k) }
        let d = pow10(-k)
        let q = (abs(x) * 2 + d) / (d * 2)
        return x < 0 ? -q : q
    }

    /// An Amount (10⁻⁴ units) rounded to `p` decimals, as an integer.
    static func figure(_ a: Amount, at p: Int) -> Int128 { shift(Int128(a.units), by: p - 4) }

    /// Does the written number say the figure, at the precision written (and at most the figure's)?
    func matches(_ figure: Amount) -> Bool {
        let p = min(wanDecimals, max(figure.scale, 2))
        return value(at: p) == ProseNumber.figure(figure, at: p)
    }
}

extension Checker {
    static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }

    /// `text` contains `word`, compared as UTF-8 bytes (no grapheme breaking: this runs on every line).
    static func has(_ text: String, _ word: String) -> Bool {
        var text = text, word = word
        return text.withUTF8 { t in
            word.withUTF8 { w in
                guard !w.isEmpty else { return true }
                guard t.count >= w.count else { return false }
                let first = w[0]
                var i = 0
                while i <= t.count - w.count {
                    if t[i] == first {
                        var k = 1
                        while k < w.count && t[i + k] == w[k] { k += 1 }
                        if k == w.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }

    /// An ASCII or full-width digit anywhere, over UTF-8 bytes (full-width ０–９ are EF BC 90–99).
    static func hasDigit(_ text: String) -> Bool {
        var u = text.utf8.makeIterator()
        var prev: (UInt8, UInt8) = (0, 0)
        while let b = u.next() {
            if b >= 0x30 && b <= 0x39 { return true }
            if prev == (0xEF, 0xBC), b >= 0x90 && b <= 0x99 { return true }
            prev = (prev.1, b)
        }
        return false
    }

    /// Full-width digits and punctuation made ASCII, thousands separators dropped, 百分之N made N%.
    static func normalise(_ text: String) -> [Unicode.Scalar] {
        var s: [Unicode.Scalar] = text.unicodeScalars.map { c in
            switch c.value {
            case 0xFF10...0xFF19: Unicode.Scalar(c.value - 0xFF10 + 0x30)!
            case 0xFF0E: "."
            case 0xFF05: "%"
            case 0x3000: " "
            default: c
            }
        }
        // 1,033.18 / 1，033.18: a comma between a digit and exactly three digits.
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(s.count)
        for (i, c) in s.enumerated() {
            if c == "," || c == "，", i > 0, isDigit(s[i - 1]), i + 3 < s.count,
               isDigit(s[i + 1]), isDigit(s[i + 2]), isDigit(s[i + 3]), i + 4 >= s.count || !isDigit(s[i + 4]) {
                continue
            }
            out.append(c)
        }
        s = out
        // 百分之12.5 → 12.5%
        let marker: [Unicode.Scalar] = ["百", "分", "之"]
        var i = 0
        out = []
        while i < s.count {
            if i + 3 < s.count, Array(s[i..<i + 3]) == marker, isDigit(s[i + 3]) {
                var j = i + 3
                while j < s.count, isDigit(s[j]) || (s[j] == "." && j + 1 < s.count && isDigit(s[j + 1])) { j += 1 }
                out += s[i + 3..<j]
                out.append("%")
                i = j
                continue
            }
            out.append(s[i])
            i += 1
        }
        return out
    }

    /// The numbers of a normalised text.
    static func numbers(_ s: [Unicode.Scalar]) -> [ProseNumber] {
        var out: [ProseNumber] = []
        var i = 0
        while i < s.count {
            guard isDigit(s[i]), i == 0 || !(isDigit(s[i - 1]) || s[i - 1] == "." || (s[i - 1].properties.isAlphabetic && s[i - 1].value < 0x80)) else { i += 1; continue }
            var j = i
            var digits: Int128 = 0, decimals = 0, seenDot = false, valid = true
            while j < s.count {
                if isDigit(s[j]) {
                    if digits < Int128(1) << 100 { digits = digits * 10 + Int128(s[j].value - 0x30) } else { valid = false }
                    if seenDot { decimals += 1 }
                } else if s[j] == ".", !seenDot, j + 1 < s.count, isDigit(s[j + 1]) {
                    seenDot = true
                } else { break }
                j += 1
            }
            var k = j
            while k < s.count, s[k] == " " { k += 1 }
            var unit = ProseNumber.Unit.none
            var end = j
            if k < s.count {
                if s[k] == "%" { unit = .percent; end = k + 1 }
                else if s[k] == "元" { unit = .yuan; end = k + 1 }
                else if k + 1 < s.count, s[k + 1] == "元", s[k] == "万" { unit = .wan; end = k + 2 }
                else if k + 1 < s.count, s[k + 1] == "元", s[k] == "亿" { unit = .yi; end = k + 2 }
            }
            if valid {
                var text = ""
                text.unicodeScalars.append(contentsOf: s[i..<end])
                out.append(ProseNumber(start: i, end: end, digits: digits, decimals: decimals, unit: unit, text: text))
            }
            i = max(end, j)
        }
        // "分别为 12.00、3.50万元": a bare number listed before a unit takes it.
        for n in out.indices.reversed() where out[n].unit == .none && n + 1 < out.count && out[n + 1].isMoney {
            let gap = String(String.UnicodeScalarView(s[out[n].end..<out[n + 1].start])).filter { $0 != " " }
            if ["、", "和", "及", "，", ","].contains(gap) {
                out[n].unit = out[n + 1].unit
                out[n].text += out[n + 1].unit == .yuan ? "元" : out[n + 1].unit == .yi ? "亿元" : "万元"
            }
        }
        return out
    }
}
