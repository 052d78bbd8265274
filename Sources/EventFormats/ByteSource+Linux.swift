#if canImport(Glibc)
import Glibc

extension ByteSource {
    /// Opens `path` for reading.
    static func openFile(path: String) throws(CSVError) -> ByteSource {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw .cannotOpen(path: path, errno: code, reason: String(cString: strerror(code)))
        }
        return .file(descriptor: descriptor, path: path)
    }

    static func readFile(
        descriptor: Int32, path: String, into buffer: inout [UInt8], count: Int
    ) throws(CSVError) -> Int {
        let oldCount = buffer.count
        var received = 0
        var failure: Int32 = 0
        buffer.append(contentsOf: repeatElement(0, count: count))
        buffer.withUnsafeMutableBytes { raw in
            while true {
                let result = Glibc.read(descriptor, raw.baseAddress! + oldCount, count)
                if result >= 0 {
                    received = result
                    return
                }
                if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        buffer.removeLast(count - received)
        if failure != 0 {
            throw .readFailed(path: path, errno: failure, reason: String(cString: strerror(failure)))
        }
        return received
    }

    static func closeFile(descriptor: Int32) {
        _ = Glibc.close(descriptor)
    }
}
#endif
