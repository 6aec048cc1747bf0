import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Model

/// Publishes a set of files atomically: everything is written into a temporary sibling folder,
/// which then replaces the output folder. If anything fails, the output folder is left as it was.
public enum Output {
    public struct File: Sendable {
        public var path: String
        public var bytes: [UInt8]
        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
        public init(path: String, text: String) { self.init(path: path, bytes: Array(text.utf8)) }
    }

    /// `reuse`: paths whose bytes are unchanged since the last publish; they are hard-linked from the
    /// current output into the staging folder instead of written again.
    /// One open/write/close: FileManager.createFile costs several times more per file.
    static func write(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            guard n > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
            offset += n
        }
    }

    public static func publish(_ files: [File], reuse: [String] = [], to output: URL) throws {
        let fm = FileManager.default
        let output = output.standardizedFileURL
        let parent = output.deletingLastPathComponent()
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        let name = output.lastPathComponent
        let staging = parent.appendingPathComponent(".\(name).staging-\(ProcessInfo.processInfo.processIdentifier)")
        let retired = parent.appendingPathComponent(".\(name).old-\(ProcessInfo.processInfo.processIdentifier)")
        try? fm.removeItem(at: staging)
        try? fm.removeItem(at: retired)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            var made: Set<String> = []
            func folder(for url: URL) throws {
                let dir = url.deletingLastPathComponent().path
                if !made.contains(dir) {
                    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    made.insert(dir)
                }
            }
            for path in reuse {
                let url = staging.appendingPathComponent(path)
                try folder(for: url)
                if link(output.appendingPathComponent(path).path, url.path) != 0 {
                    try fm.copyItem(at: output.appendingPathComponent(path), to: url)
                }
            }
            for file in files {
                let url = staging.appendingPathComponent(file.path)
                try folder(for: url)
                try write(file.bytes, to: url.path)
            }
            // Swap: the old output steps aside, the staging folder takes its name, the old one goes.
            if fm.fileExists(atPath: output.path) { try fm.moveItem(at: output, to: retired) }
            do {
                try fm.moveItem(at: staging, to: output)
            } catch {
                if fm.fileExists(atPath: retired.path) { try? fm.moveItem(at: retired, to: output) }
                throw error
            }
            try? fm.removeItem(at: retired)
        } catch {
            try? fm.removeItem(at: staging)
            throw error
        }
    }
}
