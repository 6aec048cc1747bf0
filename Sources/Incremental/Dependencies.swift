import Support

// The vocabulary of rebuilding, one for all of sitegen:
// - a **stamp** is what an input was: a file's size, times and inode; a fingerprint of a
//   disclosure's headline figures or of all its cells;
// - a **key** is what a result was made from: the fingerprint of the stamps of the inputs it
//   declares. A result whose key is unchanged is kept as it was.
// So a result may read only what it declares: `Reads` checks every read against the declaration.

/// What a result (a page, a group of pages) is made from: typed inputs, and the key their stamps give.
/// `Input` is the caller's: Site's `PageInput` names a disclosure's files, its figures, its cells …
public struct Dependencies<Input: Hashable & Sendable>: Sendable {
    /// The inputs in the order they were declared (the key follows this order).
    public let inputs: [Input]
    /// The fingerprint of the stamps of `inputs`, in order.
    public let key: String
    /// Made when first asked (a group kept whole is never asked: a build after one edit keeps
    /// thousands, some of thousands of inputs).
    private let declared: LazyBox<Set<Input>>

    /// `stamp`: what each input is now.
    public init(_ inputs: [Input], stamp: (Input) -> String) {
        var stream = Digest.Stream()
        for input in inputs { stream.add(stamp(input)) }
        self.inputs = inputs
        key = stream.hex
        declared = LazyBox { Set(inputs) }
    }

    public func declares(_ input: Input) -> Bool { declared.value.contains(input) }

    /// The declared inputs that `other` does not declare.
    public func undeclared(in other: Dependencies<Input>) -> [Input] { inputs.filter { !other.declares($0) } }
}

/// The reads of one result, checked against what it declared. A read of an input it did not
/// declare would go stale silently (its key would not change with that input), so it is recorded
/// in `Undeclared` and fails the build; the value is still given, for the build to end normally.
public struct Reads<Input: Hashable & Sendable>: Sendable {
    public let declared: Dependencies<Input>
    /// What the result is (a page's path), for the message.
    public let result: String
    let undeclared: Undeclared

    public init(_ declared: Dependencies<Input>, result: String, undeclared: Undeclared) {
        self.declared = declared
        self.result = result
        self.undeclared = undeclared
    }

    /// Records a read of `input`; allowed when it, or any of `alternatives` (inputs whose stamp covers
    /// it: a disclosure's files cover its figures), is declared.
    public func check(_ input: Input, or alternatives: Input...) {
        if declared.declares(input) || alternatives.contains(where: declared.declares) { return }
        undeclared.record("\(result): \(input)")
    }
}

/// Reads of undeclared inputs during one build.
public final class Undeclared: Sendable {
    private let found = Locked<[String]>([])
    public init() {}
    func record(_ read: String) { found.withLock { $0.append(read) } }
    /// What was read without being declared: "<result>: <input>", sorted.
    public var reads: [String] { found.withLock { $0.sorted() } }
}
