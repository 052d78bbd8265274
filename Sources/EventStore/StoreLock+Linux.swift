#if canImport(Glibc)
import Glibc
import Locking

/// An exclusive claim on a store for one process: `flock` on `<store>.lock` beside the database, holding
/// the owner's pid. The kernel releases it when the process exits, however it exits, so a crash never
/// leaves a stale lock. Commands that write or serve the store take it; read-only ones (export, backup) don't.
package final class StoreLock: Sendable {
    /// The lock file's path.
    package let path: String
    /// The locked file's descriptor; nil once released.
    private let descriptor: Lock<Int32?>

    /// Takes the lock for the store at `databasePath`, or throws `.inUse` with the holder's pid at once.
    package init(databasePath: String) throws(StoreLockError) {
        path = databasePath + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotLock(path: path, errno: errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            let holder = Self.readPID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK { throw .inUse(path: databasePath, pid: holder) }
            throw .cannotLock(path: path, errno: code)
        }
        self.descriptor = Lock(descriptor)
        // Only the holder writes, so a reader that lost the race finds a whole pid or an empty file.
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit { release() }

    /// Lets go of the store; calling it again does nothing. Closing the descriptor releases the lock; the
    /// file stays (removing it could race a new holder).
    package func release() {
        if let descriptor = descriptor.withLock({ $0.take() }) { close(descriptor) }
    }

    private static func readPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let digits = buffer[..<count].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        return Int32(String(decoding: digits, as: UTF8.self))
    }
}

/// Why `StoreLock` could not be taken.
package enum StoreLockError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Another process holds the store (its pid when the lock file names one).
    case inUse(path: String, pid: Int32?)
    /// The lock file could not be opened or locked.
    case cannotLock(path: String, errno: Int32)

    package var description: String {
        switch self {
        case .inUse(let path, let pid):
            "store \(path) is in use by " + (pid.map { "pid \($0)" } ?? "another process")
                + "; stop that server first (export and backup work beside it)"
        case .cannotLock(let path, let code):
            "cannot lock \(path): \(String(cString: strerror(code)))"
        }
    }
}
#endif
