import Foundation
import Model
import Site

// What the test targets share (the `test_site` of Zola's components): the example content, the error
// corpus and the golden files, fresh folders, the built example site, readers of the output, and the
// sitegen binary beside the test bundle.

/// The repository root (…/Tests/TestSite/TestSite.swift → …).
public let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
public let exampleContent = repoRoot.appendingPathComponent("content")

/// The error corpus (`Corpus/`, beside this file): one folder per case of broken content.
public let corpusFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")
/// The small valid content folder each corpus case differs from.
public let corpusBase = corpusFolder.appendingPathComponent("_base")
/// Reference documents restated as files (`Golden/`, beside this file).
public let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

public func temporaryFolder(_ name: String = "sitegen-test") -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Builds the example site once per test process into a temporary folder.
public let exampleBuild: (output: URL, result: Result<BuildReport, BuildFailure>) = {
    let output = temporaryFolder("example").appendingPathComponent("public")
    return (output, SiteBuilder.build(BuildOptions(content: exampleContent, output: output)))
}()

public func read(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

/// Every file under a folder: relative path → bytes.
public func snapshot(_ folder: URL) -> [String: Data] {
    var out: [String: Data] = [:]
    let base = folder.standardizedFileURL.path
    guard let walker = FileManager.default.enumerator(atPath: base) else { return out }
    for case let path as String in walker {
        var isDir: ObjCBool = false
        let full = base + "/" + path
        if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
            out[path] = FileManager.default.contents(atPath: full)
        }
    }
    return out
}

/// A copy of the example content in a fresh folder: (folder, its content/, its public/).
public func copyOfExampleSite(_ name: String) throws -> (URL, URL, URL) {
    let root = temporaryFolder(name)
    try FileManager.default.copyItem(at: exampleContent, to: root.appendingPathComponent("content"))
    return (root, root.appendingPathComponent("content"), root.appendingPathComponent("public"))
}

/// The sitegen binary beside the test bundle.
public var sitegenBinary: URL {
    URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sitegen")
}

/// The sitegen binary beside the test bundle, run to its end: its exit status, or the signal that ended it.
public func runSitegen(_ arguments: [String], environment: [String: String] = [:]) throws -> Int32 {
    let process = Process()
    process.executableURL = sitegenBinary
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}
