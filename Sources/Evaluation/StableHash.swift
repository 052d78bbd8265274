internal import COpenSSL

/// `h64` of docs/EVALUATION.md §9, the hash behind the wave-2 splits: SHA-256 of the fields' UTF-8 bytes with
/// `0x1F` (unit separator) between fields, the digest's first 8 bytes read as a big-endian integer. Any language
/// with SHA-256 reproduces it, so peers split identically.
enum StableHash {
    /// `h64` of `fields`, in order.
    static func h64(_ fields: String...) -> UInt64 {
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(0x1F) }
            bytes.append(contentsOf: field.utf8)
        }
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            _ = SHA256(input.baseAddress, input.count, &digest)
        }
        return digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }
}
