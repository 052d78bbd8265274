/// Decodes `POST /events` bodies and import lines into `EventInput`s.
///
/// Accepts one JSON object, a JSON array of objects, or NDJSON (one object per line, blank lines skipped).
/// The parser is strict RFC 8259: no trailing commas, no comments, no `NaN`/`Infinity`, only the standard
/// escapes with paired `\u` surrogates, and well-formed UTF-8. A leading UTF-8 byte order mark is ignored.
package struct EventBodyDecoder: Sendable {
    /// Limits that keep a hostile body from costing much.
    package struct Configuration: Sendable, Hashable {
        /// Deepest nesting of arrays and objects; a top-level array of events uses two levels.
        package var maxDepth: Int
        /// Most events one body may hold; decoding stops with `tooManyEvents` past it.
        package var maxEvents: Int

        /// Creates limits; the defaults suit the HTTP API.
        package init(maxDepth: Int = 32, maxEvents: Int = 10_000) {
            precondition(maxDepth >= 2, "events need two levels of nesting inside an array")
            precondition(maxEvents >= 1, "a body must be allowed at least one event")
            self.maxDepth = maxDepth
            self.maxEvents = maxEvents
        }
    }

    /// How the body is framed.
    package enum Format: Sendable, Hashable {
        /// One JSON object or a JSON array of objects (`application/json`).
        case json
        /// One JSON object per line (`application/x-ndjson`); blank lines are skipped.
        case ndjson
    }

    /// The limits in force.
    package var configuration: Configuration

    /// Creates a decoder with the given limits.
    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Decodes a body held in contiguous bytes (an `Array`, `ArraySlice`, `String.UTF8View`, …).
    package func decode<Bytes: Sequence<UInt8>>(_ body: Bytes, format: Format) throws(EventDecodingError) -> [EventInput] {
        let result = body.withContiguousStorageIfAvailable { buffer in
            Result { () throws(EventDecodingError) in try decode(buffer, format: format) }
        } ?? Array(body).withUnsafeBufferPointer { buffer in
            Result { () throws(EventDecodingError) in try decode(buffer, format: format) }
        }
        return try result.get()
    }

    /// Decodes a body in a raw buffer.
    package func decode(_ body: UnsafeRawBufferPointer, format: Format) throws(EventDecodingError) -> [EventInput] {
        try decode(body.assumingMemoryBound(to: UInt8.self), format: format)
    }

    /// Decodes a body in a byte buffer.
    package func decode(_ body: UnsafeBufferPointer<UInt8>, format: Format) throws(EventDecodingError) -> [EventInput] {
        switch format {
        case .json: try decodeJSON(body)
        case .ndjson: try decodeNDJSON(body)
        }
    }

    /// Decodes exactly one event object (surrounding whitespace allowed), e.g. one line of an import file.
    package func decodeEvent<Bytes: Sequence<UInt8>>(_ text: Bytes) throws(EventDecodingError) -> EventInput {
        let result = text.withContiguousStorageIfAvailable { buffer in
            Result { () throws(EventDecodingError) in try decodeEvent(buffer) }
        } ?? Array(text).withUnsafeBufferPointer { buffer in
            Result { () throws(EventDecodingError) in try decodeEvent(buffer) }
        }
        return try result.get()
    }

    /// Decodes exactly one event object held in a byte buffer.
    package func decodeEvent(_ text: UnsafeBufferPointer<UInt8>) throws(EventDecodingError) -> EventInput {
        var parser = EventJSONParser(bytes: text, start: Self.byteOrderMarkLength(text), maxDepth: configuration.maxDepth)
        parser.skipWhitespace()
        let event = try parser.parseEvent(depth: 1)
        parser.skipWhitespace()
        guard parser.isAtEnd else { throw parser.unexpected("end of input") }
        return event
    }

    private func decodeJSON(_ body: UnsafeBufferPointer<UInt8>) throws(EventDecodingError) -> [EventInput] {
        var parser = EventJSONParser(bytes: body, start: Self.byteOrderMarkLength(body), maxDepth: configuration.maxDepth)
        parser.skipWhitespace()
        guard let first = parser.peek else {
            throw EventDecodingError(reason: .emptyBody, offset: parser.position, in: body)
        }
        var events: [EventInput] = []
        if first == UInt8(ascii: "[") {
            parser.advance()
            parser.skipWhitespace()
            if parser.peek == UInt8(ascii: "]") {
                parser.advance()
            } else {
                while true {
                    guard events.count < configuration.maxEvents else {
                        throw parser.error(.tooManyEvents(configuration.maxEvents))
                    }
                    events.append(try parser.parseEvent(depth: 2))
                    parser.skipWhitespace()
                    if parser.peek == UInt8(ascii: "]") {
                        parser.advance()
                        break
                    }
                    guard parser.peek == UInt8(ascii: ",") else { throw parser.unexpected("',' or ']'") }
                    parser.advance()
                    parser.skipWhitespace()
                }
            }
        } else {
            events.append(try parser.parseEvent(depth: 1))
        }
        parser.skipWhitespace()
        guard parser.isAtEnd else { throw parser.unexpected("end of input") }
        return events
    }

    private func decodeNDJSON(_ body: UnsafeBufferPointer<UInt8>) throws(EventDecodingError) -> [EventInput] {
        var events: [EventInput] = []
        var lineStart = Self.byteOrderMarkLength(body)
        while lineStart < body.count {
            var lineEnd = lineStart
            while lineEnd < body.count, body[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var parser = EventJSONParser(bytes: body, start: lineStart, end: lineEnd, maxDepth: configuration.maxDepth)
            parser.skipWhitespace()
            if !parser.isAtEnd {
                guard events.count < configuration.maxEvents else {
                    throw parser.error(.tooManyEvents(configuration.maxEvents))
                }
                events.append(try parser.parseEvent(depth: 1))
                parser.skipWhitespace()
                guard parser.isAtEnd else { throw parser.unexpected("end of line") }
            }
            lineStart = lineEnd + 1
        }
        return events
    }

    private static func byteOrderMarkLength(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }
}
