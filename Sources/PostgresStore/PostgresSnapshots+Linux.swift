#if canImport(Glibc)
import Glibc
#endif
import EventStore

extension PostgresSnapshots {
    /// Reads the file at `path` `size` bytes at a time into one reused buffer and hands each piece to `body` (the
    /// last may be shorter); an empty file is one empty piece, so it still has a row. A file that cannot be read
    /// fails as a statement would, naming the file.
    static func readChunks(of path: String, size: Int, _ body: ([UInt8]) throws(PostgresError) -> Void) throws(PostgresError) {
        func failure(_ what: String) -> PostgresError {
            PostgresError(kind: .statement, sqlState: nil, message: "cannot \(what) \(path): \(String(cString: strerror(errno)))",
                          statement: nil)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open") }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: size)
        var sentOne = false
        while true {
            // Fill the buffer (a read may return less than asked before the end of the file).
            var filled = 0
            while filled < size {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, size - filled) }
                if count < 0 && errno == EINTR { continue }
                guard count >= 0 else { throw failure("read") }
                if count == 0 { break }
                filled += count
            }
            if filled == size {
                try body(buffer)
            } else if filled > 0 || !sentOne {
                try body(Array(buffer[..<filled]))
            }
            sentOne = true
            if filled < size { return }
        }
    }
}
