extension EventJSONParser {
    /// Parses a string at `"` and returns its decoded text.
    mutating func parseString() throws(EventDecodingError) -> String {
        position += 1
        let start = position
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            try advanceOverStringByte(byte)
        }
        guard position < end else { throw error(.unexpectedEnd(expected: "'\"'")) }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                appendUTF8(try decodeEscape())
            } else {
                let from = position
                try advanceOverStringByte(byte)
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<position]))
            }
        }
        throw error(.unexpectedEnd(expected: "'\"'"))
    }

    /// Checks a string at `"` without building it.
    mutating func scanString() throws(EventDecodingError) {
        position += 1
        while position < end {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                return
            }
            if byte == UInt8(ascii: "\\") {
                _ = try decodeEscape()
            } else {
                try advanceOverStringByte(byte)
            }
        }
        throw error(.unexpectedEnd(expected: "'\"'"))
    }

    /// Moves past one unescaped character starting with `byte`, validating control characters and UTF-8.
    @inline(__always)
    private mutating func advanceOverStringByte(_ byte: UInt8) throws(EventDecodingError) {
        if byte >= 0x20, byte < 0x80 {
            position += 1
        } else if byte < 0x20 {
            throw error(.controlCharacterInString)
        } else {
            try advanceOverMultibyte(byte)
        }
    }

    /// Validates one multi-byte UTF-8 sequence (Unicode table 3-7: no overlongs, surrogates or values above U+10FFFF).
    private mutating func advanceOverMultibyte(_ lead: UInt8) throws(EventDecodingError) {
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: throw error(.invalidUTF8)
        }
        guard position + length <= end else { throw error(.invalidUTF8) }
        let second = bytes[position + 1]
        guard second >= low, second <= high else { throw error(.invalidUTF8, at: position + 1) }
        for offset in 2..<length where bytes[position + offset] & 0xC0 != 0x80 {
            throw error(.invalidUTF8, at: position + offset)
        }
        position += length
    }

    /// Decodes the escape at a backslash and returns the Unicode scalar value it stands for.
    private mutating func decodeEscape() throws(EventDecodingError) -> UInt32 {
        let escapeOffset = position
        position += 1
        guard position < end else { throw error(.unexpectedEnd(expected: "an escape character")) }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return UInt32(byte)
        case UInt8(ascii: "b"): return 0x08
        case UInt8(ascii: "f"): return 0x0C
        case UInt8(ascii: "n"): return 0x0A
        case UInt8(ascii: "r"): return 0x0D
        case UInt8(ascii: "t"): return 0x09
        case UInt8(ascii: "u"):
            let scalar = try readHex4(escapeOffset: escapeOffset)
            if scalar >= 0xDC00, scalar <= 0xDFFF { throw error(.invalidUnicodeEscape, at: escapeOffset) }
            guard scalar >= 0xD800, scalar <= 0xDBFF else { return scalar }
            guard position + 1 < end, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u")
            else { throw error(.invalidUnicodeEscape, at: escapeOffset) }
            position += 2
            let low = try readHex4(escapeOffset: escapeOffset)
            guard low >= 0xDC00, low <= 0xDFFF else { throw error(.invalidUnicodeEscape, at: escapeOffset) }
            return 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        default:
            throw error(.invalidEscape, at: escapeOffset)
        }
    }

    /// Appends the UTF-8 encoding of a scalar value (never a surrogate, at most U+10FFFF) to `scratch`.
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private mutating func readHex4(escapeOffset: Int) throws(EventDecodingError) -> UInt32 {
        guard position + 4 <= end else { throw error(.invalidUnicodeEscape, at: escapeOffset) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error(.invalidUnicodeEscape, at: escapeOffset)
            }
            value = value << 4 | UInt32(digit)
            position += 1
        }
        return value
    }
}
