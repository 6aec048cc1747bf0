import Dispatch
import Foundation

/// Order-preserving parallel map over all cores (deterministic output).
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], threads: Int? = nil, _ transform: @Sendable (T) -> R) -> [R] {
    let count = items.count
    guard count > 1, threads != 1 else { return items.map(transform) }
    let workers = min(count, threads ?? ProcessInfo.processInfo.activeProcessorCount)
    let share = Share<T, R>(items, workers: workers)
    DispatchQueue.concurrentPerform(iterations: workers) { _ in share.work(transform) }
    return share.results.values
}

/// `a` and `b` at the same time (two files read and parsed, say).
public func concurrently<A: Sendable, B: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B) -> (A, B) {
    let results = parallelMap([true, false]) { first -> (A?, B?) in first ? (a(), nil) : (nil, b()) }
    return (results[0].0!, results[1].1!)
}

/// A value made on another thread from now on, while the caller goes on; `value` waits for it.
/// Unlike `concurrently`, the caller's own `parallelMap` keeps every core meanwhile: inside
/// `concurrently` it would run on one thread (libdispatch runs an apply nested in another inline).
public final class Background<T: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    private var result: T?

    public init(_ make: @escaping @Sendable () -> T) {
        done.enter()
        DispatchQueue.global().async {
            self.result = make()
            self.done.leave()
        }
    }

    /// A value already made.
    public init(done value: T) {
        result = value
    }

    public var value: T {
        done.wait()
        return result!
    }
}

/// Items shared out to workers, and their results.
private final class Share<T: Sendable, R: Sendable>: @unchecked Sendable {
    let items: [T]
    let results: Slots<R>
    let next = Slots<Int>(count: 1)
    /// Neighbouring items go to the same thread, a run at a time: pages next to each other are
    /// files of one folder, and two threads creating files in one folder wait on its lock.
    let run: Int

    init(_ items: [T], workers: Int) {
        self.items = items
        results = Slots<R>(count: items.count)
        next[0] = 0
        run = max(1, min(32, items.count / (workers * 64)))
    }

    /// Takes runs of items until none are left.
    func work(_ transform: (T) -> R) {
        while true {
            let first = next.increment(by: run)
            if first >= items.count { break }
            for i in first..<min(first + run, items.count) { results[i] = transform(items[i]) }
        }
    }
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

/// A value behind a lock, for caches shared by threads.
public final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    public init(_ value: Value) { self.value = value }
    public func withLock<R>(_ body: (inout Value) -> R) -> R { lock.withLock { body(&value) } }
}

/// Computes a value once, on first use, from any thread. A value with counted consumers (`addUse`,
/// `take`) is dropped after the last of them, so a build does not hold every download until its end.
public final class LazyBox<T: Sendable>: @unchecked Sendable {
    private var stored: T?
    private var uses = 0
    /// Let go by its last counted reader (`release`): asked for again, it is made for the asker only.
    private var released = false
    private let make: (@Sendable () -> T)?
    private let lock = NSLock()
    public init(_ make: @escaping @Sendable () -> T) { self.make = make }
    /// A value in hand (nil: none yet) that `make` makes again once it is let go (`release`).
    public init(_ value: T?, make: @escaping @Sendable () -> T) {
        stored = value
        self.make = make
    }
    /// A value in hand for good: never let go.
    public init(value: T) { stored = value; make = nil }
    /// For `uses` pages that each `take(_:)` the value, made by the first with what it has.
    public init(uses: Int) {
        make = nil
        self.uses = uses
    }
    public var value: T {
        lock.withLock {
            if let v = stored { return v }
            let v = make!()
            if !released { stored = v }
            return v
        }
    }
    /// One more page will `take` the value.
    public func addUse() {
        lock.withLock {
            uses += 1
            released = false
        }
    }
    /// The value, for one of the counted pages (made again if asked for after the last one).
    public func take() -> T { take(make!) }
    /// One of the counted readers (`addUse`) is done with the value: after the last it is let go,
    /// and made again if it is asked for later. A value without `make` is kept.
    public func release() {
        lock.withLock {
            uses -= 1
            if uses <= 0 && make != nil {
                stored = nil
                released = true
            }
        }
    }
    public func take(_ make: () -> T) -> T {
        lock.withLock {
            let v = stored ?? make()
            uses -= 1
            stored = uses > 0 ? v : nil
            return v
        }
    }
}

/// Lets go of `value` on another thread: the caller goes on without waiting while a large structure
/// (a build's model, its walk of the content folder) is freed, and a process that exits meanwhile
/// never frees it at all. Only for values whose deinit has no effect outside memory (no locks or
/// files), and passed with `consume`, so that the caller keeps no reference of its own.
public func releaseInBackground<T>(_ value: consuming T) {
    let box = Dropped(value)
    DispatchQueue.global(qos: .utility).async { box.drop() }
}

private final class Dropped<T>: @unchecked Sendable {
    private var value: T?
    init(_ value: consuming T) { self.value = value }
    func drop() { value = nil }
}
