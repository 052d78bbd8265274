internal import COpenSSL

/// Incremental SHA-256 through OpenSSL's EVP interface (libcrypto).
struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    init() {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        self.context = context
        let initialised = EVP_DigestInit_ex(context, EVP_sha256(), nil)
        precondition(initialised == 1, "OpenSSL could not initialise SHA-256")
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Feeds `bytes` into the digest.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let updated = EVP_DigestUpdate(context, base, bytes.count)
        precondition(updated == 1, "OpenSSL SHA-256 update failed")
    }

    /// Feeds the bytes of `array` into the digest.
    mutating func update(_ array: [UInt8]) {
        array.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest as 64 lowercase hex digits.
    consuming func hexDigest() -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let finished = EVP_DigestFinal_ex(context, &digest, &length)
        precondition(finished == 1 && length == 32, "OpenSSL SHA-256 finalisation failed")
        let hex = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in digest.prefix(32) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// SHA-256 of `bytes` as lowercase hex.
    static func hex(of bytes: [UInt8]) -> String {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.hexDigest()
    }
}
