/// A strict RFC 8259 parser over raw bytes, specialised for event objects.
///
/// It reads one event object at a time: known fields are decoded into `EventInput`, unknown fields are
/// parsed (so their syntax is checked) and dropped. Strings are UTF-8 validated as they are scanned and
/// built without intermediate copies when they hold no escapes; numbers take an exact fast path when the
/// decimal mantissa and exponent allow it and fall back to the standard library otherwise.
struct EventJSONParser {
    /// The whole input (errors report offsets within it).
    let bytes: UnsafeBufferPointer<UInt8>
    /// End of the range being parsed.
    let end: Int
    /// Deepest nesting allowed.
    let maxDepth: Int
    /// Next byte to read.
    var position: Int
    /// Reused buffer for strings that contain escapes.
    var scratch: [UInt8] = []

    /// Parses `bytes[start..<end]`; errors report offsets within all of `bytes`.
    init(bytes: UnsafeBufferPointer<UInt8>, start: Int = 0, end: Int? = nil, maxDepth: Int) {
        self.bytes = bytes
        self.position = start
        self.end = end ?? bytes.count
        self.maxDepth = maxDepth
    }

    /// True when only the end of the range is left.
    var isAtEnd: Bool { position >= end }

    /// The next byte, if any.
    var peek: UInt8? { position < end ? bytes[position] : nil }

    /// Moves past one byte already inspected through `peek`.
    mutating func advance() { position += 1 }

    /// Skips JSON whitespace (space, tab, line feed, carriage return).
    mutating func skipWhitespace() {
        while position < end {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// An error at the current position.
    func error(_ reason: EventDecodingError.Reason) -> EventDecodingError {
        error(reason, at: position)
    }

    /// An error at `offset`.
    func error(_ reason: EventDecodingError.Reason, at offset: Int) -> EventDecodingError {
        EventDecodingError(reason: reason, offset: offset, in: bytes)
    }

    /// The error for a missing `expected` at the current position: end of input or an unexpected byte.
    func unexpected(_ expected: String) -> EventDecodingError {
        if let byte = peek { return error(.unexpectedByte(byte, expected: expected)) }
        return error(.unexpectedEnd(expected: expected))
    }

    // MARK: Event objects

    /// Parses one event object starting at `{`, at nesting `depth` (1 for a top-level object).
    mutating func parseEvent(depth: Int) throws(EventDecodingError) -> EventInput {
        guard peek == UInt8(ascii: "{") else { throw unexpected("an event object") }
        guard depth <= maxDepth else { throw error(.depthLimitExceeded(maxDepth)) }
        position += 1
        var event = EventInput()
        var seen: UInt8 = 0
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            position += 1
            return event
        }
        while true {
            guard peek == UInt8(ascii: "\"") else { throw unexpected("a string key") }
            let keyOffset = position
            let field = try parseKey()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw unexpected("':'") }
            position += 1
            skipWhitespace()
            if let field {
                guard seen & field.bit == 0 else { throw error(.duplicateKey(field.rawValue), at: keyOffset) }
                seen |= field.bit
                try parseValue(of: field, into: &event, depth: depth + 1)
            } else {
                try skipValue(depth: depth + 1)
            }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","):
                position += 1
                skipWhitespace()
            case UInt8(ascii: "}"):
                position += 1
                return event
            default:
                throw unexpected("',' or '}'")
            }
        }
    }

    /// Parses a key at `"`; returns the known field it names, or nil for any other key.
    private mutating func parseKey() throws(EventDecodingError) -> EventField? {
        let start = position + 1
        var index = start
        // Fast path: a plain ASCII key without escapes is compared in place.
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return knownField(start, index - start)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
            index += 1
        }
        let key = try parseString()
        return EventField(rawValue: key)
    }

    private func knownField(_ start: Int, _ count: Int) -> EventField? {
        switch count {
        case 2: return matches(start, "id") ? .id : nil
        case 4:
            if matches(start, "user") { return .user }
            if matches(start, "item") { return .item }
            if matches(start, "type") { return .type }
            return nil
        case 5: return matches(start, "value") ? .value : nil
        case 6: return matches(start, "weight") ? .weight : nil
        case 9: return matches(start, "timestamp") ? .timestamp : nil
        case 17: return matches(start, "recommendation_id") ? .recommendationID : nil
        default: return nil
        }
    }

    private func matches(_ start: Int, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        let pointer = literal.utf8Start
        for offset in 0..<count where bytes[start + offset] != pointer[offset] { return false }
        return true
    }

    private mutating func parseValue(
        of field: EventField, into event: inout EventInput, depth: Int
    ) throws(EventDecodingError) {
        guard let byte = peek else { throw unexpected("a value") }
        if byte == UInt8(ascii: "n") {
            try expectLiteral("null")
            return
        }
        switch field {
        case .user, .item, .type, .id, .recommendationID:
            guard byte == UInt8(ascii: "\"") else { break }
            let text = try parseString()
            switch field {
            case .user: event.user = text
            case .item: event.item = text
            case .type: event.type = text
            case .recommendationID: event.recommendationID = text
            default: event.id = text
            }
            return
        case .timestamp:
            if byte == UInt8(ascii: "\"") {
                event.timestamp = .text(try parseString())
                return
            }
            if Self.startsNumber(byte) {
                event.timestamp = .seconds(try parseNumber())
                return
            }
        case .weight, .value:
            guard Self.startsNumber(byte) else { break }
            let number = try parseNumber()
            if field == .weight { event.weight = number } else { event.value = number }
            return
        }
        try skipValue(depth: depth)
        event.wrongTypes.insert(field)
    }

    // MARK: Any value

    /// Parses and discards one value of any type at nesting `depth`.
    mutating func skipValue(depth: Int) throws(EventDecodingError) {
        guard let byte = peek else { throw unexpected("a value") }
        switch byte {
        case UInt8(ascii: "{"):
            guard depth <= maxDepth else { throw error(.depthLimitExceeded(maxDepth)) }
            position += 1
            skipWhitespace()
            if peek == UInt8(ascii: "}") {
                position += 1
                return
            }
            while true {
                guard peek == UInt8(ascii: "\"") else { throw unexpected("a string key") }
                try scanString()
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { throw unexpected("':'") }
                position += 1
                skipWhitespace()
                try skipValue(depth: depth + 1)
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","):
                    position += 1
                    skipWhitespace()
                case UInt8(ascii: "}"):
                    position += 1
                    return
                default:
                    throw unexpected("',' or '}'")
                }
            }
        case UInt8(ascii: "["):
            guard depth <= maxDepth else { throw error(.depthLimitExceeded(maxDepth)) }
            position += 1
            skipWhitespace()
            if peek == UInt8(ascii: "]") {
                position += 1
                return
            }
            while true {
                try skipValue(depth: depth + 1)
                skipWhitespace()
                switch peek {
                case UInt8(ascii: ","):
                    position += 1
                    skipWhitespace()
                case UInt8(ascii: "]"):
                    position += 1
                    return
                default:
                    throw unexpected("',' or ']'")
                }
            }
        case UInt8(ascii: "\""): try scanString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default:
            guard Self.startsNumber(byte) else { throw unexpected("a value") }
            _ = try parseNumber()
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(EventDecodingError) {
        let pointer = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount {
            guard position < end else { throw error(.unexpectedEnd(expected: "'\(literal)'")) }
            guard bytes[position] == pointer[offset] else {
                throw error(.unexpectedByte(bytes[position], expected: "'\(literal)'"))
            }
            position += 1
        }
    }

    /// True for the bytes that can start a JSON number.
    static func startsNumber(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
