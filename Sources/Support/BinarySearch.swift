/// Binary search over sorted collections.
extension RandomAccessCollection {
    /// The first index whose element is not `isBefore`, in a collection where every element that
    /// `isBefore` comes first (a binary search).
    public func partitioningIndex(where isBefore: (Element) -> Bool) -> Index {
        var low = startIndex, count = self.count
        while count > 0 {
            let half = count / 2, mid = index(low, offsetBy: half)
            if isBefore(self[mid]) {
                low = index(after: mid)
                count -= half + 1
            } else {
                count = half
            }
        }
        return low
    }
}
