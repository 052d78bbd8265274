/// Why a percent-encoded component could not be decoded.
package enum PercentDecodingError: Error, Sendable, Equatable {
    /// `%` not followed by two hex digits.
    case invalidEscape
    /// The decoded bytes are not valid UTF-8.
    case invalidUTF8
    /// The decoded text contains a NUL byte.
    case nulByte
}

extension PercentDecodingError: HTTPResponseConvertible {
    /// A 400 naming what was wrong with the escape.
    package var response: HTTPResponse {
        let what = switch self {
        case .invalidEscape: "an invalid percent-escape"
        case .invalidUTF8: "invalid UTF-8"
        case .nulByte: "a NUL byte"
        }
        return .error(.badRequest, code: "bad_request", message: "the request target contains \(what)")
    }
}

/// Decodes `%XX` escapes (and `+` as space when `plusAsSpace`) into a UTF-8 string.
package func percentDecode(_ text: Substring, plusAsSpace: Bool = false) throws(PercentDecodingError) -> String {
    let utf8 = text.utf8
    if !utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == 0 || (plusAsSpace && $0 == UInt8(ascii: "+")) }) {
        return String(text)
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(utf8.count)
    var iterator = utf8.makeIterator()
    while let byte = iterator.next() {
        switch byte {
        case UInt8(ascii: "%"):
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw .invalidEscape
            }
            bytes.append(high << 4 | low)
        case UInt8(ascii: "+") where plusAsSpace:
            bytes.append(UInt8(ascii: " "))
        default:
            bytes.append(byte)
        }
    }
    if bytes.contains(0) { throw .nulByte }
    guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
    return decoded
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
