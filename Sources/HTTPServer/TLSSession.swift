#if canImport(Glibc)
internal import COpenSSL
import Glibc

/// One connection's TLS state over its non-blocking socket: handshake, then encrypted reads and writes.
///
/// Confined to the connection's event-loop thread (OpenSSL's error queue is per thread, and every call
/// clears it first); each method says so with `loop.assertOnLoopThread()`, a debug-build check. "Would block" means wait for the socket: OpenSSL may want to read during a write or
/// write during a read, so the connection retries on either readiness event.
final class TLSSession {
    /// How far a handshake got.
    enum Handshake {
        case done
        case wouldBlock
        /// With OpenSSL's reason.
        case failed(String)
    }

    private let ssl: OpaquePointer
    // Unretained, as in `HTTPConnection`: the loop outlives its connections and so their sessions.
    private unowned(unsafe) let loop: EventLoop

    init(ssl: OpaquePointer, loop: EventLoop) {
        loop.assertOnLoopThread()
        self.ssl = ssl
        self.loop = loop
    }

    deinit {
        SSL_free(ssl)
    }

    /// Advances the server handshake.
    func handshake() -> Handshake {
        loop.assertOnLoopThread()
        ERR_clear_error()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .done }
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .wouldBlock
        case SSL_ERROR_SYSCALL, SSL_ERROR_ZERO_RETURN:
            ERR_clear_error()
            return .failed("the client closed the connection during the handshake")
        default:
            return .failed(TLSContext.lastError())
        }
    }

    /// Decrypts up to `count` bytes into `buffer`.
    func receive(into buffer: UnsafeMutablePointer<UInt8>, count: Int) -> TransferResult {
        loop.assertOnLoopThread()
        ERR_clear_error()
        let result = SSL_read(ssl, buffer, Int32(clamping: count))
        return result > 0 ? .bytes(Int(result)) : failure(of: result)
    }

    /// Encrypts and sends up to `count` bytes of `buffer` (partial writes are enabled).
    func send(from buffer: UnsafeRawPointer, count: Int) -> TransferResult {
        loop.assertOnLoopThread()
        ERR_clear_error()
        let result = SSL_write(ssl, buffer, Int32(clamping: count))
        return result > 0 ? .bytes(Int(result)) : failure(of: result)
    }

    /// Sends `close_notify` (best effort: the socket is non-blocking and we do not wait for the peer's).
    func shutdown() {
        loop.assertOnLoopThread()
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// The protocol ALPN selected (`h2`, `http/1.1`), or "" when the client offered none we speak.
    var selectedProtocol: String {
        loop.assertOnLoopThread()
        return Self.selectedProtocol(of: ssl)
    }

    /// The protocol ALPN selected on `ssl` (server or client side), or "".
    static func selectedProtocol(of ssl: OpaquePointer) -> String {
        var data: UnsafePointer<UInt8>?
        var length: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &data, &length)
        guard let data else { return "" }
        return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
    }

    private func failure(of result: Int32) -> TransferResult {
        let error = SSL_get_error(ssl, result)
        ERR_clear_error()
        switch error {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            return .wouldBlock
        case SSL_ERROR_ZERO_RETURN:
            return .endOfStream
        default:
            return .failed
        }
    }
}
#endif
