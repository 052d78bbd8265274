import COpenSSL
import Foundation
import Glibc
@testable import HTTPServer
import TestSupport

/// A self-signed certificate for `127.0.0.1`/`localhost`, made with the `openssl` command in a temporary
/// directory; nil (and the test skipped) when the command is not installed.
struct TestCertificate {
    let directory: URL
    var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    var keyPath: String { directory.appendingPathComponent("key.pem").path }

    static let opensslPath = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Makes a certificate whose subject common name is `commonName`.
    static func make(commonName: String = "recsmith-test", in directory: URL? = nil) throws -> TestCertificate {
        let directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = TestCertificate(directory: directory)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opensslPath ?? "/usr/bin/openssl")
        process.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", certificate.keyPath, "-out", certificate.certificatePath, "-days", "1",
                             "-subj", "/CN=\(commonName)", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TLSTestError.certificateNotMade }
        return certificate
    }

    func remove() { try? FileManager.default.removeItem(at: directory) }
}

enum TLSTestError: Error {
    case certificateNotMade
    case handshakeFailed(String)
}

/// A blocking TLS client over `TestClient`'s socket: the same requests and response parsing, encrypted.
final class TLSTestClient: TestClient {
    private let context: OpaquePointer
    private let ssl: OpaquePointer

    /// Connects and completes the handshake. `maximumVersion` (e.g. TLS 1.1) restricts the client, with
    /// OpenSSL's security level lowered so the client itself would accept the old protocol; `alpn` lists the
    /// protocols offered.
    init(port: Int, maximumVersion: Int32? = nil, alpn: [String] = ["http/1.1"], timeoutSeconds: Int = 5) throws {
        context = SSL_CTX_new(TLS_client_method())
        if let maximumVersion {
            SSL_CTX_set_security_level(context, 0)
            _ = SSL_CTX_set_cipher_list(context, "DEFAULT:@SECLEVEL=0")
            _ = recsmith_ssl_ctx_set_min_proto_version(context, 0)
            _ = recsmith_ssl_ctx_set_max_proto_version(context, maximumVersion)
        }
        ssl = SSL_new(context)
        try super.init(port: port, timeoutSeconds: timeoutSeconds)
        var wire: [UInt8] = []
        for name in alpn { wire += [UInt8(name.utf8.count)] + Array(name.utf8) }
        _ = SSL_set_alpn_protos(ssl, wire, UInt32(wire.count))
        SSL_set_fd(ssl, fd)
        guard SSL_connect(ssl) == 1 else {
            throw TLSTestError.handshakeFailed(TLSContext.lastError())
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    override func transmit(_ bytes: UnsafeRawPointer, count: Int) -> Int {
        Int(SSL_write(ssl, bytes, Int32(clamping: count)))
    }

    override func receive(_ buffer: UnsafeMutableRawPointer, count: Int) -> Int {
        Int(SSL_read(ssl, buffer, Int32(clamping: count)))
    }

    /// The negotiated protocol version, e.g. `TLSv1.3`.
    var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The protocol ALPN selected, or "" for none.
    var selectedProtocol: String { TLSSession.selectedProtocol(of: ssl) }

    /// The subject of the server's certificate, e.g. `/CN=recsmith-test`.
    var peerSubject: String {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return "" }
        defer { X509_free(certificate) }
        var buffer = [CChar](repeating: 0, count: 256)
        X509_NAME_oneline(X509_get_subject_name(certificate), &buffer, Int32(buffer.count))
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
