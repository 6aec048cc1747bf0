/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same sequence on every platform and
/// Swift version — unlike `Int.random(in:using:)`, whose algorithm the standard library may change.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one part of the fixture (a department, a year), independent of the others:
    /// the same department gets the same figures whatever N is.
    public init(seed: UInt64, _ parts: UInt64...) {
        var s = SplitMix64(seed: seed)
        var mixed = s.next()
        for p in parts {
            var t = SplitMix64(seed: mixed ^ (p &* 0x9E37_79B9_7F4A_7C15))
            mixed = t.next()
        }
        state = mixed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform enough for test data (modulo bias is irrelevant at these range sizes).
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// Amount in units of 0.01 万元.
    mutating func units(_ range: ClosedRange<Int>) -> Int64 { Int64(int(range)) }

    /// True with the given probability in percent.
    public mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }

    /// `count` distinct items, in their original order.
    mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        var indices = Array(items.indices)
        var chosen: [Int] = []
        for _ in 0..<min(count, items.count) {
            let i = int(0...indices.count - 1)
            chosen.append(indices.remove(at: i))
        }
        return chosen.sorted().map { items[$0] }
    }
}
