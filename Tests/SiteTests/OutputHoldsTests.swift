import Foundation
@testable import Site
import Testing

/// A file already in the output is reused only when it holds exactly the bytes to publish.
@Suite struct OutputHoldsTests {
    @Test("only the same bytes: not one byte changed, not another size, not a link to the same bytes")
    func sameBytesOnly() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("holds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = Array("决算公开 <table>".utf8) + [UInt8](repeating: 7, count: 5000)
        let file = dir.appendingPathComponent("page.html")
        try Data(bytes).write(to: file)
        #expect(Output.holds(file.path, bytes))
        var changed = bytes
        changed[4999] ^= 1
        #expect(!Output.holds(file.path, changed))
        #expect(!Output.holds(file.path, bytes + [0]))
        #expect(!Output.holds(file.path, Array(bytes.dropLast())))
        let link = dir.appendingPathComponent("link.html")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: file)
        #expect(!Output.holds(link.path, bytes))
        let empty = dir.appendingPathComponent("empty.html")
        try Data().write(to: empty)
        #expect(Output.holds(empty.path, []))
    }
}
