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

    /// Updates an output folder in place with the files that changed (`serve`, incremental builds):
    /// every file is first written beside its target, and only when all are written are they renamed
    /// over the old ones, so a failed write leaves the folder as it was. Cost is in the changed files,
    /// not in the size of the site.
    public static func update(_ files: [File], removing removed: [String], in output: URL) throws {
        let fm = FileManager.default
        var written: [(String, String)] = []
        do {
            var made: Set<String> = []
            for file in files {
                let target = output.appendingPathComponent(file.path).path
                let dir = (target as NSString).deletingLastPathComponent
                if !made.contains(dir) {
                    try fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    made.insert(dir)
                }
                let temporary = dir + "/.sitegen-\(ProcessInfo.processInfo.processIdentifier)-" + (target as NSString).lastPathComponent
                try write(file.bytes, to: temporary)
                written.append((temporary, target))
            }
        } catch {
            for (temporary, _) in written { unlink(temporary) }
            throw error
        }
        for (temporary, target) in written where rename(temporary, target) != 0 {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
        }
        for path in removed { unlink(output.appendingPathComponent(path).path) }
    }
}
