import Foundation
import Support

/// Results of one kind from the last build, one per item, with the item's id and key (what it was
/// made from).
public struct Kept<V: Sendable>: Sendable {
    public var ids: [String] = []
    public var keys: [UInt64] = []
    public var values: [V] = []
    public init(ids: [String] = [], keys: [UInt64] = [], values: [V] = []) {
        self.ids = ids
        self.keys = keys
        self.values = values
    }

    /// One result (the theme, what was published) with its key.
    public init(_ value: V, key: UInt64, id: String = "") { self.init(ids: [id], keys: [key], values: [value]) }

    /// The one result, if it was made from `key` (and for `id`).
    public func single(key: UInt64, id: String = "") -> V? {
        values.count == 1 && keys[0] == key && ids[0] == id ? values[0] : nil
    }
}

/// A shelf's results looked up by id (`Kept`'s positions indexed once), for results asked for one
/// at a time.
public struct KeptIndex<V: Sendable>: Sendable {
    private let kept: Kept<V>
    private let position: [String: Int]

    public init(_ kept: Kept<V>?) {
        self.kept = kept ?? Kept()
        position = Dictionary(zip(self.kept.ids, self.kept.ids.indices), uniquingKeysWith: { first, _ in first })
    }

    /// What was kept for `id`, if it was made from `key`.
    public func value(_ id: String, key: UInt64) -> V? {
        position[id].flatMap { kept.keys[$0] == key ? kept.values[$0] : nil }
    }
}

extension Store {
    /// `make` of each item, or what the last build made of the item with the same id when the item's
    /// key (what the result is made from) is the same. Items to make are made in parallel, each let
    /// go as soon as it is made. When the items are the last build's (an edit), results are matched
    /// by position, without a lookup by id. This build's results are kept on the shelf.
    public func reuse<T: Sendable, V: Sendable>(_ shelf: Shelf<V>, _ items: consuming [T], ids: [String], keys: [UInt64],
                                                _ make: @escaping @Sendable (T) -> V) -> [V] {
        var values = [V?](repeating: nil, count: ids.count)
        var misses: [Int] = []
        if let kept = kept(shelf) {
            if kept.ids == ids {
                for i in ids.indices {
                    if kept.keys[i] == keys[i] { values[i] = kept.values[i] } else { misses.append(i) }
                }
            } else {
                let index = KeptIndex(kept)
                for i in ids.indices {
                    if let value = index.value(ids[i], key: keys[i]) { values[i] = value } else { misses.append(i) }
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
        keep(shelf, Kept(ids: ids, keys: keys, values: made))
        return made
    }
}
