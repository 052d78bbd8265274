#if canImport(Glibc)
import Glibc

/// What one read or write on a connection did.
enum TransferResult {
    case bytes(Int)
    /// Nothing now: wait for the socket to be ready.
    case wouldBlock
    /// The peer closed its side.
    case endOfStream
    case failed
}

/// How a connection's bytes travel: straight through the socket, or through a TLS session.
enum ConnectionTransport {
    case plain
    case tls(TLSSession)

    /// Reads up to `count` bytes from `fd` into `buffer`.
    func receive(_ fd: Int32, into buffer: UnsafeMutablePointer<UInt8>, count: Int) -> TransferResult {
        switch self {
        case .plain:
            while true {
                let received = recv(fd, buffer, count, 0)
                if received > 0 { return .bytes(received) }
                if received == 0 { return .endOfStream }
                if errno == EINTR { continue }
                return errno == EAGAIN || errno == EWOULDBLOCK ? .wouldBlock : .failed
            }
        case .tls(let session):
            return session.receive(into: buffer, count: count)
        }
    }

    /// Writes up to `count` bytes of `buffer` to `fd`.
    func send(_ fd: Int32, from buffer: UnsafeRawPointer, count: Int) -> TransferResult {
        switch self {
        case .plain:
            while true {
                let written = Glibc.send(fd, buffer, count, Int32(MSG_NOSIGNAL))
                if written > 0 { return .bytes(written) }
                if written < 0 && errno == EINTR { continue }
                return written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) ? .wouldBlock : .failed
            }
        case .tls(let session):
            return session.send(from: buffer, count: count)
        }
    }

    /// True when a read shorter than the room offered means the socket is empty. Over TLS a read returns at
    /// most one record, so only an explicit "would block" says so.
    var shortReadMeansDrained: Bool {
        if case .plain = self { return true }
        return false
    }

    var isTLS: Bool {
        if case .tls = self { return true }
        return false
    }
}
#endif
