#if canImport(Glibc)
internal import COpenSSL
import Glibc

/// An OpenSSL server context: certificate, key, TLS 1.2–1.3, modern ciphers, ALPN `h2` and `http/1.1`.
///
/// `@unchecked Sendable`: after `init` our code only passes the context to `SSL_new`, which the loop threads
/// may call at once: OpenSSL guards what it changes inside a shared context itself (its reference count,
/// the session cache). A reload builds a new context; connections keep the one they started with (each
/// `SSL` holds a reference), so none is dropped.
final class TLSContext: @unchecked Sendable {
    private let context: OpaquePointer

    /// TLS 1.2 suites: forward-secret AEAD only (TLS 1.3 suites are OpenSSL's defaults, all modern).
    private static let cipherList = "ECDHE+AESGCM:ECDHE+CHACHA20"

    /// Loads the certificate chain and key; `offersHTTP2` lets ALPN pick `h2` when the client offers it.
    init(configuration: TLSConfiguration, offersHTTP2: Bool) throws(TLSError) {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .context(Self.lastError()) }
        self.context = context
        guard recsmith_ssl_ctx_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw .context("TLS 1.2 minimum: \(Self.lastError())")
        }
        SSL_CTX_set_options(context, recsmith_ssl_server_options())
        _ = recsmith_ssl_ctx_set_mode(context, recsmith_ssl_mode_nonblocking())
        guard SSL_CTX_set_cipher_list(context, Self.cipherList) == 1 else { throw .context("ciphers: \(Self.lastError())") }
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainPath) == 1 else {
            throw .certificate(path: configuration.certificateChainPath, reason: Self.lastError())
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyPath, SSL_FILETYPE_PEM) == 1 else {
            throw .privateKey(path: configuration.privateKeyPath, reason: Self.lastError())
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .privateKey(path: configuration.privateKeyPath, reason: "does not match the certificate: \(Self.lastError())")
        }
        SSL_CTX_set_alpn_select_cb(context, offersHTTP2 ? Self.selectHTTP2OrHTTP1 : Self.selectHTTP1, nil)
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// A session for the socket `fd` that `loop` accepted, or nil when OpenSSL cannot make one.
    func makeSession(fd: Int32, loop: EventLoop) -> TLSSession? {
        guard let ssl = SSL_new(context) else { return nil }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            return nil
        }
        SSL_set_accept_state(ssl)
        return TLSSession(ssl: ssl, loop: loop)
    }

    private typealias ALPNCallback = @convention(c) (
        OpaquePointer?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?, UnsafeMutablePointer<UInt8>?,
        UnsafePointer<UInt8>?, UInt32, UnsafeMutableRawPointer?
    ) -> Int32

    private static let selectHTTP2OrHTTP1: ALPNCallback = { _, selected, selectedLength, offered, offeredLength, _ in
        select(["h2", "http/1.1"], selected, selectedLength, offered, offeredLength)
    }

    private static let selectHTTP1: ALPNCallback = { _, selected, selectedLength, offered, offeredLength, _ in
        select(["http/1.1"], selected, selectedLength, offered, offeredLength)
    }

    /// Picks the first of `preferred` that the client offers (our preference order, as RFC 7301 lets the
    /// server choose); with none in common the handshake goes on without ALPN, and HTTP/1.1 is spoken.
    private static func select(
        _ preferred: [String], _ selected: UnsafeMutablePointer<UnsafePointer<UInt8>?>?,
        _ selectedLength: UnsafeMutablePointer<UInt8>?, _ offered: UnsafePointer<UInt8>?, _ offeredLength: UInt32
    ) -> Int32 {
        guard let offered, let selected, let selectedLength else { return SSL_TLSEXT_ERR_NOACK }
        let list = UnsafeBufferPointer(start: offered, count: Int(offeredLength))
        for name in preferred {
            var index = 0
            while index < list.count {
                let length = Int(list[index])
                let start = index + 1
                guard start + length <= list.count else { break }
                if UnsafeBufferPointer(rebasing: list[start..<start + length]).elementsEqual(name.utf8) {
                    selected.pointee = offered + start
                    selectedLength.pointee = UInt8(length)
                    return SSL_TLSEXT_ERR_OK
                }
                index = start + length
            }
        }
        return SSL_TLSEXT_ERR_NOACK
    }

    /// OpenSSL's queued errors as text (and the queue emptied).
    static func lastError() -> String {
        var messages: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return messages.isEmpty ? "unknown error" : messages.joined(separator: "; ")
    }
}
#endif
