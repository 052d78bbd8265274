/// Where the server's certificate and key are: PEM files, read at start and again on `reloadTLSCertificates()`.
package struct TLSConfiguration: Sendable, Equatable {
    /// The certificate chain: the server's certificate first, then the intermediates.
    package var certificateChainPath: String
    /// The private key of the first certificate.
    package var privateKeyPath: String

    /// Serves TLS 1.2 and 1.3 with `certificateChainPath` and `privateKeyPath`.
    package init(certificateChainPath: String, privateKeyPath: String) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
    }
}

/// Why TLS could not be set up.
package enum TLSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The certificate chain could not be loaded (missing file, not PEM, …); `reason` is OpenSSL's.
    case certificate(path: String, reason: String)
    /// The private key could not be loaded or does not match the certificate.
    case privateKey(path: String, reason: String)
    /// OpenSSL refused a setting (protocol versions, ciphers).
    case context(String)

    package var description: String {
        switch self {
        case .certificate(let path, let reason): "cannot load the TLS certificate chain \(path): \(reason)"
        case .privateKey(let path, let reason): "cannot load the TLS private key \(path): \(reason)"
        case .context(let reason): "cannot set up TLS: \(reason)"
        }
    }
}
