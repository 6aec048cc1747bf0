extension Array where Element == UInt8 {
    /// Where `pattern` first begins at or after `start`, compared byte by byte (Foundation's string
    /// search goes through a locale); nil when it does not, or when `pattern` is empty.
    @inlinable
    public func firstIndex(of pattern: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first else { return nil }
        var i = Swift.max(start, 0)
        while i + pattern.count <= count {
            if self[i] == first && self[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }
}
