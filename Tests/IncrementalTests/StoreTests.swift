import Incremental
import Support
import Testing

/// The store's two backends keep results the same way; `reuse` makes again only what changed.
@Suite struct StoreTests {
    static let numbers = Shelf<Int>("numbers", codec: Codec(write: { kept in
        zip(kept.ids, zip(kept.keys, kept.values)).map { "\($0.0) \($0.1.0) \($0.1.1)\n" }.joined()
    }, read: { lines in
        var kept = Kept<Int>()
        for line in lines {
            let f = line.pieces(UInt8(ascii: " "))
            guard f.count == 3, let key = UInt64(f[1].text), let value = Int(f[2].text) else { return nil }
            kept.ids.append(f[0].text)
            kept.keys.append(key)
            kept.values.append(value)
        }
        return kept
    }))
    static let memoryOnly = Shelf<Int>("memory-only")

    /// Makes each item's value, counting how many were made.
    static func square(_ store: any Store, _ items: [Int], keys: [UInt64]) -> (values: [Int], made: Int) {
        let made = Locked(0)
        let values = store.reuse(numbers, items, ids: items.map(String.init), keys: keys) { n in
            made.withLock { $0 += 1 }
            return n * n
        }
        return (values, made.withLock { $0 })
    }

    @Test("reuse makes again only the items whose key changed, in both backends", arguments: ["memory", "disk"])
    func reuseMakesOnlyWhatChanged(_ backend: String) {
        let store: any Store = backend == "memory" ? MemoryStore() : DiskStore()
        #expect(Self.square(store, [1, 2, 3], keys: [10, 20, 30]) == ([1, 4, 9], 3))
        #expect(Self.square(store, [1, 2, 3], keys: [10, 21, 30]) == ([1, 4, 9], 1))
        // Another order, one item gone, one new: matched by id.
        #expect(Self.square(store, [3, 1, 4], keys: [30, 10, 40]) == ([9, 1, 16], 1))
    }

    @Test("a disk store's file reads back its shelves; memory-only shelves are not written")
    func diskStoreReadsBack() {
        let store = DiskStore()
        _ = Self.square(store, [2, 5], keys: [1, 2])
        store.keep(Self.memoryOnly, Kept(7, key: 1))
        let file = store.file(header: ["format 1", "inputs"])
        let back = DiskStore(bytes: file)
        #expect(back.header == ["format 1", "inputs"])
        #expect(back.kept(Self.numbers)?.values == [4, 25] && back.kept(Self.numbers)?.keys == [1, 2])
        #expect(back.kept(Self.memoryOnly) == nil)
        // Written again without asking for a shelf: the same bytes; `only` keeps the shelves named.
        #expect(back.file(header: ["format 1", "inputs"]) == file)
        #expect(DiskStore(bytes: file, only: ["other"]).kept(Self.numbers) == nil)
        // A shelf that does not read is not used.
        let broken = Array(String(decoding: file, as: UTF8.self).replacingOccurrences(of: "5 2 25", with: "5 2 x").utf8)
        #expect(DiskStore(bytes: broken).kept(Self.numbers) == nil)
    }

    /// Counts how many times a shelf is decoded.
    static let decodes = Locked(0)
    static let counted = Shelf<Int>("counted", codec: Codec(write: numbers.codec!.write, read: { lines in
        decodes.withLock { $0 += 1 }
        return numbers.codec!.read(lines)
    }))

    @Test("a shelf prefetched and asked for by many threads at once is decoded once, the same for all")
    func prefetchDecodesOnce() {
        let store = DiskStore()
        store.keep(Self.counted, Kept(ids: ["a", "b"], keys: [1, 2], values: [3, 4]))
        let back = DiskStore(bytes: store.file(header: ["format 1"]))
        back.prefetch(Self.counted)
        let values = parallelMap(Array(0..<8)) { _ in back.kept(Self.counted)?.values }
        #expect(values.allSatisfy { $0 == [3, 4] })
        #expect(Self.decodes.withLock { $0 } == 1)
    }

    /// One line per result; counts the lines it writes.
    static let written = Locked(0)
    static let lines = Shelf<Int>("lines", codec: Codec.lines({ id, key, value in
        written.withLock { $0 += 1 }
        return "\(id) \(key) \(value)"
    }, item: { line in
        let f = line.pieces(UInt8(ascii: " "))
        guard f.count == 3, let key = UInt64(f[1].text), let value = Int(f[2].text) else { return nil }
        return (f[0].text, key, value)
    }))

    @Test("a shelf of a line per result: read in runs, and written again encoding only what changed")
    func linePerResult() {
        let ids = (0..<1_000).map { "item\($0)" }
        let first = DiskStore()
        first.keep(Self.lines, Kept(ids: ids, keys: ids.indices.map(UInt64.init), values: Array(ids.indices)))
        let file = first.file(header: ["h"])
        let back = DiskStore(bytes: file)
        #expect(back.kept(Self.lines)?.values == Array(ids.indices) && back.kept(Self.lines)?.ids == ids)
        // One key changed, one result gone, one new, in another order: two lines encoded.
        Self.written.withLock { $0 = 0 }
        var next = Kept<Int>(ids: ["new"] + ids.dropFirst().reversed(), keys: [7] + ids.indices.dropFirst().reversed().map(UInt64.init),
                             values: [-1] + ids.indices.dropFirst().reversed())
        next.keys[1] = 9_999
        next.values[1] = 5
        back.keep(Self.lines, next)
        // Encoded on another thread: the file waits for it.
        let again = DiskStore(bytes: back.file(header: ["h"]))
        #expect(Self.written.withLock { $0 } == 2)
        #expect(again.kept(Self.lines)?.ids == next.ids && again.kept(Self.lines)?.keys == next.keys && again.kept(Self.lines)?.values == next.values)
        // A line that does not read makes the shelf unusable, whichever run it is in.
        let broken = Array(String(decoding: file, as: UTF8.self).replacingOccurrences(of: "item900 900 900", with: "item900 x 900").utf8)
        #expect(DiskStore(bytes: broken).kept(Self.lines) == nil)
    }

    @Test("a memory store asks its backing store for what it does not have yet")
    func memoryBackedByDisk() {
        let disk = DiskStore()
        _ = Self.square(disk, [3], keys: [1])
        let memory = MemoryStore()
        memory.back(with: DiskStore(bytes: disk.file(header: [])))
        #expect(Self.square(memory, [3], keys: [1]) == ([9], 0))
        #expect(Self.square(memory, [3], keys: [2]) == ([9], 1))
    }

    @Test("a single result is kept with its key and id")
    func singleResults() {
        let kept = Kept("theme", key: 5, id: "/out")
        #expect(kept.single(key: 5, id: "/out") == "theme")
        #expect(kept.single(key: 6, id: "/out") == nil && kept.single(key: 5, id: "/other") == nil)
    }
}

/// A value made on another thread while the caller goes on.
@Suite struct BackgroundTests {
    @Test("the value is the one made, however many threads wait for it; a value made already is at hand")
    func valueOnceMade() {
        let made = Locked(0)
        let slow = Background<[Int]> {
            made.withLock { $0 += 1 }
            // The caller's own parallel work goes on meanwhile.
            return parallelMap(Array(0..<1_000)) { $0 * 2 }
        }
        let mine = parallelMap(Array(0..<100)) { $0 + 1 }
        let seen = parallelMap(Array(0..<8)) { _ in slow.value.count }
        #expect(mine.count == 100 && seen.allSatisfy { $0 == 1_000 } && slow.value.last == 1_998)
        #expect(made.withLock { $0 } == 1)
        #expect(Background(done: "ready").value == "ready")
    }
}

@Suite struct PiecesTests {
    @Test("a line splits into the pieces between separators, empty ones and the rest after maxSplits too",
          arguments: [("a\tb\tc", Int.max, ["a", "b", "c"]), ("", Int.max, [""]), ("abc", Int.max, ["abc"]),
                      ("\ta\t\tb\t", Int.max, ["", "a", "", "b", ""]), ("a\tb\tc", 1, ["a", "b\tc"]),
                      ("a\tb", 0, ["a\tb"])])
    func pieces(_ line: String, _ maxSplits: Int, _ expected: [String]) {
        let bytes = Array(line.utf8)
        let found = bytes.withUnsafeBufferPointer { $0.pieces(UInt8(ascii: "\t"), maxSplits: maxSplits).map(\.text) }
        #expect(found == expected)
    }
}

@Suite struct DigestTests {
    @Test("a list's fingerprint without joining it is the fingerprint of the joined text",
          arguments: [[], [""], ["index.html"], ["a/index.html", "", "b/数据.csv", "c d"]])
    func joining(_ parts: [String]) {
        #expect(Digest.fnv1a(joining: parts, separator: UInt8(ascii: "\n")) == Digest.fnv1a(parts.joined(separator: "\n")))
    }
}

@Suite struct RelativePathTests {
    @Test("a path splits at its last slash, found by bytes, into its folder and its name",
          arguments: [("departments/单位/2023/说明.md", "departments/单位/2023", "说明.md"), ("site.yaml", "", "site.yaml"),
                      ("a/", "a", ""), ("/b", "", "b"), ("", "", "")])
    func split(_ path: String, _ folder: String, _ name: String) {
        let parts = RelativePath.split(path)
        #expect(String(parts.folder) == folder && String(parts.name) == name)
    }

    @Test func foldersAbove() {
        #expect(RelativePath.folders(above: "a/数据/c.md") == ["a/数据", "a", ""])
        #expect(RelativePath.folders(above: "c.md") == [""])
    }
}
