internal import COpenSSL

/// `h64` of docs/EVALUATION.md §9, the hash behind the wave-2 splits and experiment assignment: SHA-256 of the
/// fields' UTF-8 bytes with `0x1F` (unit separator) between fields, the digest's first 8 bytes read as a
/// big-endian integer. Any language with SHA-256 reproduces it, so peers split identically, and every replica and
/// restart assigns a user to the same variant. The fields are joined on the stack: hashing allocates nothing.
package enum StableHash {
    /// `h64` of one field.
    package static func h64(_ field: String) -> UInt64 {
        var field = field
        return field.withUTF8 { a in digest(a, Self.none, Self.none, fields: 1) }
    }

    /// `h64` of two fields.
    package static func h64(_ first: String, _ second: String) -> UInt64 {
        var (first, second) = (first, second)
        return first.withUTF8 { a in second.withUTF8 { b in digest(a, b, Self.none, fields: 2) } }
    }

    /// `h64` of three fields.
    package static func h64(_ first: String, _ second: String, _ third: String) -> UInt64 {
        var (first, second, third) = (first, second, third)
        return first.withUTF8 { a in second.withUTF8 { b in third.withUTF8 { c in digest(a, b, c, fields: 3) } } }
    }

    private static var none: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: nil, count: 0) }

    /// The first 8 digest bytes, big-endian, of the first `fields` of `a`, `b`, `c` joined by 0x1F.
    private static func digest(
        _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, _ c: UnsafeBufferPointer<UInt8>, fields: Int
    ) -> UInt64 {
        let count = a.count + b.count + c.count + fields - 1
        let digestLength = Int(SHA256_DIGEST_LENGTH)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count + digestLength) { buffer in
            var offset = 0
            func append(_ part: UnsafeBufferPointer<UInt8>, separated: Bool) {
                if separated {
                    buffer[offset] = 0x1F
                    offset += 1
                }
                for byte in part {
                    buffer[offset] = byte
                    offset += 1
                }
            }
            append(a, separated: false)
            if fields > 1 { append(b, separated: true) }
            if fields > 2 { append(c, separated: true) }
            let output = buffer.baseAddress! + count
            _ = SHA256(buffer.baseAddress, count, output)
            var value: UInt64 = 0
            for index in 0..<8 { value = value << 8 | UInt64(output[index]) }
            return value
        }
    }
}
