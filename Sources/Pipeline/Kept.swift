import Foundation
import Support

/// Results of the last build, one per item, with the item's id and key (what it was made from).
public struct Kept<V: Sendable>: Sendable {
    public var ids: [String] = []
    public var keys: [UInt64] = []
    public var values: [V] = []
    public init(ids: [String] = [], keys: [UInt64] = [], values: [V] = []) {
        self.ids = ids
        self.keys = keys
        self.values = values
    }
}

/// What a process keeps between builds, behind one lock (`PipelineCache`, and the site's `BuildCache`).
public protocol KeepsResults: AnyObject, Sendable {
    var lock: NSLock { get }
}

extension Optional where Wrapped: KeepsResults {
    /// `make` of each item, or, in a process that keeps a cache, what it gave for the item's id in
    /// the last build when the item's key (what the result is made from) is the same. Items to make
    /// are made in parallel, each let go as soon as it is made. When the items are the last build's
    /// (an edit), results are matched by position, without a lookup by id.
    /// `kept`: results of a build in another process (`Analysis`), for a process without a cache.
    public func reuse<T: Sendable, V: Sendable>(_ field: ReferenceWritableKeyPath<Wrapped, Kept<V>>, _ items: consuming [T],
                                                ids: [String], keys: [UInt64], kept disk: Kept<V>? = nil,
                                                _ make: @escaping @Sendable (T) -> V) -> [V] {
        var values = [V?](repeating: nil, count: ids.count)
        var misses: [Int] = []
        if let kept = self.map({ cache in cache.lock.withLock { cache[keyPath: field] } }) ?? disk {
            if kept.ids == ids {
                for i in ids.indices {
                    if kept.keys[i] == keys[i] { values[i] = kept.values[i] } else { misses.append(i) }
                }
            } else {
                let position = Dictionary(zip(kept.ids, kept.ids.indices), uniquingKeysWith: { first, _ in first })
                for i in ids.indices {
                    if let j = position[ids[i]], kept.keys[j] == keys[i] { values[i] = kept.values[j] } else { misses.append(i) }
                }
            }
        } else {
            misses = Array(ids.indices)
        }
        // Each item to make is let go as soon as it is made (a disclosure as read, once completed:
        // one copy in memory, not two).
        let work = misses.map { items[$0] }
        items = []
        for (i, value) in zip(misses, parallelConsume(consume work, make)) { values[i] = value }
        let made = values.map { $0! }
        if let cache = self {
            cache.lock.withLock { cache[keyPath: field] = Kept(ids: ids, keys: keys, values: made) }
        }
        return made
    }
}
