#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Up to `size` bytes of an open file from where it stands, read into place (the array is not
/// zeroed first: for a state of megabytes the zeros cost page faults of their own); fewer when the
/// file ends sooner or a read fails. A read an interrupt cut short is retried.
public func readUpTo(_ size: Int, from fd: Int32) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
        count = 0
        while count < size {
            #if canImport(Glibc)
            let n = Glibc.read(fd, buffer.baseAddress! + count, size - count)
            #else
            let n = Darwin.read(fd, buffer.baseAddress! + count, size - count)
            #endif
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            count += n
        }
    }
}
