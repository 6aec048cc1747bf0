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
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let i = next.increment()
            if i >= count { break }
            results[i] = transform(items[i])
        }
    }
    return results.values
}

final class Slots<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    subscript(i: Int) -> T? {
        get { lock.withLock { storage[i] } }
        set { lock.withLock { storage[i] = newValue } }
    }
    /// For the counter slot 0: returns the current value and adds one.
    func increment() -> Int where T == Int {
        lock.withLock { let v = storage[0]!; storage[0] = v + 1; return v }
    }
    var values: [T] { lock.withLock { storage.map { $0! } } }
}
