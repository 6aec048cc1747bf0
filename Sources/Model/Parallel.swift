import Dispatch
import Foundation

/// Order-preserving parallel map over all cores (deterministic output).
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], threads: Int? = nil, _ transform: @Sendable (T) -> R) -> [R] {
    let count = items.count
    guard count > 1, threads != 1 else { return items.map(transform) }
    let results = Slots<R>(count: count)
    let workers = min(count, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    let next = Slots<Int>(count: 1)
    next[0] = 0
    // Neighbouring items go to the same thread, a run at a time: pages next to each other are
    // files of one folder, and two threads creating files in one folder wait on its lock.
    let run = max(1, min(32, count / (workers * 64)))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let first = next.increment(by: run)
            if first >= count { break }
            for i in first..<min(first + run, count) { results[i] = transform(items[i]) }
        }
    }
    return results.values
}

/// `parallelMap` that lets go of each item once it is transformed (the items are moved in): peak
/// memory is one copy of the data, not the items and their results side by side.
public func parallelConsume<T: Sendable, R: Sendable>(_ items: consuming [T], threads: Int? = nil, _ transform: @Sendable (T) -> R) -> [R] {
    let count = items.count
    let slots = Slots<T>(count: count)
    for (i, item) in items.enumerated() { slots[i] = item }
    items = []
    return parallelMap(Array(0..<count), threads: threads) { i in transform(slots.take(i)) }
}

final class Slots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.withLock { storage[i] } }
        set { lock.withLock { storage[i] = newValue } }
    }
    /// For the counter slot 0: returns the current value and adds `step`.
    func increment(by step: Int) -> Int where T == Int {
        lock.withLock { let v = storage[0]!; storage[0] = v + step; return v }
    }
    var values: [T] { lock.withLock { storage.map { $0! } } }
    /// The value at `i`, leaving the slot empty.
    func take(_ i: Int) -> T { lock.withLock { let v = storage[i]!; storage[i] = nil; return v } }
}
