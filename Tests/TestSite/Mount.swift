import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted for a test (root only; skipped where mounting is not allowed).
public final class Mount {
    public let folder: URL

    public static let possible: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = temporaryFolder("mount-probe")
        defer { try? FileManager.default.removeItem(at: probe) }
        guard let mount = try? Mount(probe, megabytes: 1) else { return false }
        mount.unmount()
        return true
    }()

    public init(_ folder: URL, megabytes: Int) throws {
        self.folder = folder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mount")
        process.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", folder.path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteNoPermission) }
    }

    public var isMounted: Bool {
        var here = stat(), parent = stat()
        return stat(folder.path, &here) == 0 && stat(folder.deletingLastPathComponent().path, &parent) == 0 && here.st_dev != parent.st_dev
    }

    public func unmount() {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/umount")
        process.arguments = ["-l", folder.path]
        try? process.run()
        process.waitUntilExit()
    }
}
