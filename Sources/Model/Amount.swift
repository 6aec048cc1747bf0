import Support
/// An exact decimal amount (万元, or a count), as written by an editor.
///
/// Stored as an integer number of 1/10,000 units together with the number of
/// decimals it was written with, so `0.50` stays `0.50` when printed. Money never
/// goes through floating point: sums are exact, and ratios are rounded once,
/// half away from zero, when they are formatted.
public struct Amount: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// Value in units of 10⁻⁴.
    public let units: Int64
    /// Decimals to print (0…4); one byte, not eight: a disclosure holds an amount per cell.
    private let digits: UInt8
    public var scale: Int { Int(digits) }

    public static let maxScale = 4
    static let one: Int64 = 10_000
    /// Largest accepted magnitude: 10¹³ 万元 — far beyond any budget (sums saturate, see `ceiling`).
    public static let limit: Int64 = 10_000_000_000_000 * 10_000

    public init(units: Int64, scale: Int) {
        self.units = units
        digits = UInt8(max(0, min(Amount.maxScale, scale)))
    }

    enum CodingKeys: String, CodingKey { case units, scale }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(units: try c.decode(Int64.self, forKey: .units), scale: try c.decode(Int.self, forKey: .scale))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(units, forKey: .units)
        try c.encode(scale, forKey: .scale)
    }

    public static let zero = Amount(units: 0, scale: 2)

    public init(integer: Int) { self.init(units: Int64(integer) * Amount.one, scale: 0) }

    /// Why a text is not an amount.
    public enum ParseError: Error, Equatable, Sendable {
        case empty
        case thousandsSeparator
        case fullWidthDigits
        case tooManyDecimals(Int)
        case tooLarge
        case notANumber

        /// What an editor reads: what was found, what is expected.
        public var explanation: String {
            switch self {
            case .empty: return localized("空白金额", en: "an empty amount")
            case .thousandsSeparator: return localized("含千位分隔符（应写 1234.56，不写 1,234.56）", en: "a thousands separator (write 1234.56, not 1,234.56)")
            case .fullWidthDigits: return localized("含全角数字（应用半角数字写 55.57，不写 ５５.５７）", en: "full-width digits (write 55.57 with ASCII digits, not ５５.５７)")
            case .tooManyDecimals(let n): return localized("有 \(n) 位小数（最多 4 位）", en: "\(n) decimals (at most 4 are allowed)")
            case .tooLarge: return localized("数值太大，超出以万元为单位的金额范围", en: "a number too large for an amount in 万元")
            case .notANumber: return localized("不是数字（只写数字，如 55.57，不带单位）", en: "text that is not a number (write digits only, e.g. 55.57, without units)")
            }
        }
    }

    /// Parses `-12.34`, `55.5673`, `0`, `+3.0`. Strict: no exponent, separators, units or spaces.
    public static func parse(_ raw: String) -> Result<Amount, ParseError> {
        let text = raw.trimmingSpaces()
        if text.isEmpty { return .failure(.empty) }
        var bytes = Array(text.utf8)
        var negative = false
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        if bytes.isEmpty { return .failure(.notANumber) }
        var intPart: Int64 = 0
        var fraction: Int64 = 0
        var decimals = 0
        var seenPoint = false
        var digits = 0
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let d = Int64(b - UInt8(ascii: "0"))
                digits += 1
                if seenPoint {
                    decimals += 1
                    if decimals <= maxScale { fraction = fraction * 10 + d }
                } else {
                    if intPart > limit / one { return .failure(.tooLarge) }
                    intPart = intPart * 10 + d
                }
            case UInt8(ascii: "."):
                if seenPoint { return .failure(.notANumber) }
                seenPoint = true
            case UInt8(ascii: ","):
                return .failure(text.contains(".") || bytes.count > 4 ? .thousandsSeparator : .notANumber)
            default:
                if text.unicodeScalars.contains(where: { (0xFF10...0xFF19).contains($0.value) }) {
                    return .failure(.fullWidthDigits)
                }
                if text.unicodeScalars.contains(where: { $0.value == 0xFF0C }) { return .failure(.thousandsSeparator) }
                return .failure(.notANumber)
            }
        }
        if digits == 0 { return .failure(.notANumber) }
        if decimals > maxScale { return .failure(.tooManyDecimals(decimals)) }
        var pad = decimals
        while pad < maxScale { fraction *= 10; pad += 1 }
        let magnitude = intPart * one + fraction
        if magnitude > limit { return .failure(.tooLarge) }
        return .success(Amount(units: negative ? -magnitude : magnitude, scale: decimals))
    }

    public var isZero: Bool { units == 0 }
    public var isNegative: Bool { units < 0 }
    public var magnitude: Amount { Amount(units: units < 0 ? -units : units, scale: scale) }
    /// Same value, printed with at least `decimals` decimals.
    public func atLeast(decimals: Int) -> Amount { Amount(units: units, scale: max(scale, decimals)) }

    /// Sums and differences saturate at ±`ceiling` (about 2.3 × 10¹⁴ 万元) instead of trapping: only absurd
    /// content gets there (a hundred amounts near `limit` in one column), and such a file must give wrong
    /// totals for the checker to report, not a crash. A quarter of Int64's range, so that rounding, and the
    /// difference of two saturated amounts, still fit.
    public static let ceiling: Int64 = .max / 4

    static func saturating(_ r: (partialValue: Int64, overflow: Bool), positive: Bool) -> Int64 {
        r.overflow ? (positive ? ceiling : -ceiling) : max(-ceiling, min(ceiling, r.partialValue))
    }

    public static func + (a: Amount, b: Amount) -> Amount {
        Amount(units: saturating(a.units.addingReportingOverflow(b.units), positive: b.units > 0), scale: max(a.scale, b.scale))
    }
    public static func - (a: Amount, b: Amount) -> Amount {
        Amount(units: saturating(a.units.subtractingReportingOverflow(b.units), positive: b.units < 0), scale: max(a.scale, b.scale))
    }
    public static prefix func - (a: Amount) -> Amount {
        Amount(units: saturating(Int64(0).subtractingReportingOverflow(a.units), positive: a.units < 0), scale: a.scale)
    }
    public static func < (a: Amount, b: Amount) -> Bool { a.units < b.units }
    public static func == (a: Amount, b: Amount) -> Bool { a.units == b.units }
    public func hash(into h: inout Hasher) { h.combine(units) }

    /// `self / whole × 100`, rounded half away from zero to `decimals` decimals; nil when `whole` is 0.
    public func percent(of whole: Amount, decimals: Int = 2) -> Amount? {
        guard whole.units != 0 else { return nil }
        // result units (10⁻⁴) = self × 100 × 10⁴ / whole, then rounded to `decimals`.
        let num = Int128(units) * 100 * Int128(Amount.one)
        let exact = Amount.divideRounded(num, Int128(whole.units), keepDecimals: decimals)
        return Amount(units: exact, scale: decimals)
    }

    /// `self / divisor`, rounded half away from zero to `decimals` decimals; nil when `divisor` is 0.
    public func divided(by divisor: Amount, decimals: Int = 2) -> Amount? {
        guard divisor.units != 0 else { return nil }
        let exact = Amount.divideRounded(Int128(units) * Int128(Amount.one), Int128(divisor.units), keepDecimals: decimals)
        return Amount(units: exact, scale: decimals)
    }

    /// Rounds to `decimals` (half away from zero).
    public func rounded(to decimals: Int) -> Amount {
        let d = max(0, min(Amount.maxScale, decimals))
        let step = Amount.pow10(Amount.maxScale - d)
        let q = Amount.roundDiv(Int128(units), Int128(step)) * Int128(step)
        return Amount(units: Int64(q), scale: d)
    }

    static func pow10(_ n: Int) -> Int64 { var r: Int64 = 1; for _ in 0..<max(0, n) { r *= 10 }; return r }

    static func roundDiv(_ a: Int128, _ b: Int128) -> Int128 {
        let negative = (a < 0) != (b < 0)
        let (absA, absB) = (a < 0 ? -a : a, b < 0 ? -b : b)
        let q = (absA * 2 + absB) / (absB * 2)
        return negative ? -q : q
    }

    /// num / den in 10⁻⁴ units, rounded to `keepDecimals` decimals.
    static func divideRounded(_ num: Int128, _ den: Int128, keepDecimals: Int) -> Int64 {
        let step = Int128(pow10(maxScale - max(0, min(maxScale, keepDecimals))))
        let q = roundDiv(num, den * step) * step
        return Int64(clamping: q)
    }

    /// Plain decimal text with `scale` decimals: `-1234.50`.
    public var description: String { formatted(decimals: scale) }

    /// Plain decimal text with exactly `decimals` decimals (rounding half away from zero if fewer).
    public func formatted(decimals: Int) -> String {
        let value = decimals < Amount.maxScale ? rounded(to: decimals).units : units
        let negative = value < 0
        let magnitude = negative ? -value : value
        let intPart = magnitude / Amount.one
        var fracPart = magnitude % Amount.one
        var text = negative ? "-" : ""
        text += String(intPart)
        if decimals > 0 {
            fracPart /= Amount.pow10(Amount.maxScale - min(decimals, Amount.maxScale))
            var frac = String(fracPart)
            let width = min(decimals, Amount.maxScale)
            if frac.count < width { frac = String(repeating: "0", count: width - frac.count) + frac }
            text += "." + frac
        }
        return text
    }

    /// Pixel-free proportional scaling for charts: `self × length / whole`, rounded, in 1/100 units.
    public func scaled(to length: Int, of whole: Amount) -> Int {
        guard whole.units != 0 else { return 0 }
        return Int(Amount.roundDiv(Int128(units) * Int128(length) * 100, Int128(whole.units)))
    }
}

extension String {
    public func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension Sequence where Element == Amount {
    /// Exact sum; `nil` when the sequence is empty.
    public func sum() -> Amount? { reduce(nil) { ($0 ?? Amount(units: 0, scale: $1.scale)) + $1 } }
}
