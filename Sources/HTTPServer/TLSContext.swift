#if canImport(Glibc)
import COpenSSL
import Glibc

/// An OpenSSL server context: certificate, key, TLS 1.2–1.3, modern ciphers, ALPN `http/1.1`.
///
/// `@unchecked Sendable`: after `init` the context is only read, and OpenSSL makes `SSL_new` on a shared
/// context thread-safe. A reload builds a new context; connections keep the one they started with (each
/// `SSL` holds a reference), so none is dropped.
final class TLSContext: @unchecked Sendable {
    private let context: OpaquePointer

    /// TLS 1.2 suites: forward-secret AEAD only (TLS 1.3 suites are OpenSSL's defaults, all modern).
    private static let cipherList = "ECDHE+AESGCM:ECDHE+CHACHA20"

    init(configuration: TLSConfiguration) throws(TLSError) {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .context(Self.lastError()) }
        self.context = context
        guard recsmith_ssl_ctx_set_min_proto_version(context, recsmith_tls1_2_version()) == 1 else {
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
        SSL_CTX_set_alpn_select_cb(context, { _, selected, selectedLength, offered, offeredLength, _ in
            TLSContext.selectALPN(selected, selectedLength, offered, offeredLength)
        }, nil)
    }

    deinit {
        SSL_CTX_free(context)
    }

    /// A session for the accepted socket `fd`, or nil when OpenSSL cannot make one.
    func makeSession(fd: Int32) -> TLSSession? {
        guard let ssl = SSL_new(context) else { return nil }
        guard SSL_set_fd(ssl, fd) == 1 else {
            SSL_free(ssl)
            return nil
        }
        SSL_set_accept_state(ssl)
        return TLSSession(ssl: ssl)
    }

    /// Picks `http/1.1` when the client offers it; otherwise the handshake goes on without ALPN.
    private static func selectALPN(
        _ selected: UnsafeMutablePointer<UnsafePointer<UInt8>?>?, _ selectedLength: UnsafeMutablePointer<UInt8>?,
        _ offered: UnsafePointer<UInt8>?, _ offeredLength: UInt32
    ) -> Int32 {
        guard let offered, let selected, let selectedLength else { return SSL_TLSEXT_ERR_NOACK }
        var index = 0
        while index < Int(offeredLength) {
            let length = Int(offered[index])
            let start = index + 1
            guard start + length <= Int(offeredLength) else { break }
            if length == 8, UnsafeBufferPointer(start: offered + start, count: 8).elementsEqual("http/1.1".utf8) {
                selected.pointee = offered + start
                selectedLength.pointee = UInt8(length)
                return SSL_TLSEXT_ERR_OK
            }
            index = start + length
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
