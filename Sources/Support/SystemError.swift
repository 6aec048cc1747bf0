#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A call to the operating system that failed: what sitegen was doing, to which path, and the
/// system's reason in words (never a Foundation error code).
public struct SystemError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Operation: String, Sendable {
        case read, write, create, rename, remove, list, lock, sync
    }

    public var operation: Operation
    public var path: String
    /// `errno` as the call left it.
    public var code: Int32

    public init(_ operation: Operation, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    /// "无法写入 public/a.html：磁盘空间已满（No space left on device）"
    public var description: String { "\(verb) \(path)：\(reason)" }

    /// What sitegen was doing, as a verb phrase ("无法写入").
    public var verb: String {
        switch operation {
        case .read: localized("无法读取", en: "cannot read")
        case .write: localized("无法写入", en: "cannot write")
        case .create: localized("无法创建", en: "cannot create")
        case .rename: localized("无法移动", en: "cannot move")
        case .remove: localized("无法删除", en: "cannot remove")
        case .list: localized("无法列出", en: "cannot list")
        case .lock: localized("无法锁定", en: "cannot lock")
        case .sync: localized("无法写入磁盘", en: "cannot flush to disk")
        }
    }

    /// The system's reason: in Chinese for the common causes, always with the system's own words.
    public var reason: String {
        let system = String(cString: strerror(code))
        let words: String? = switch code {
        case ENOSPC: "磁盘空间已满"
        case EDQUOT: "超出磁盘配额"
        case EIO: "输入/输出错误（磁盘或网络存储故障）"
        case EACCES, EPERM: "没有权限"
        case EROFS: "文件系统是只读的"
        case ENOENT: "路径不存在"
        case ENOTDIR: "路径中有一项不是文件夹"
        case EISDIR: "这是一个文件夹"
        case EEXIST: "已经存在"
        case EMFILE, ENFILE: "打开的文件过多"
        case ENAMETOOLONG: "路径太长"
        case EBUSY: "正在被使用（可能是挂载点）"
        case EXDEV: "不在同一个文件系统上"
        case ELOOP: "符号链接层数过多"
        case ENOTEMPTY: "文件夹不是空的"
        default: nil
        }
        guard Language.current == .zh, let words else { return system }
        return "\(words)（\(system)）"
    }
}
