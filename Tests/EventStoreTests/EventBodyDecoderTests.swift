import Testing
@testable import EventStore

private let decoder = EventBodyDecoder()

private func decode(_ text: String, _ format: EventBodyDecoder.Format = .json) throws(EventDecodingError) -> [EventInput] {
    try decoder.decode(Array(text.utf8), format: format)
}

private func decodingError(_ text: String, _ format: EventBodyDecoder.Format = .json, decoder: EventBodyDecoder = decoder)
    -> EventDecodingError?
{
    do {
        _ = try decoder.decode(Array(text.utf8), format: format)
        return nil
    } catch {
        return error
    }
}

@Suite struct EventBodyDecoderTests {
    @Test func decodesOneObjectWithEveryField() throws {
        let events = try decode(
            #"{"user":"u42","item":"sku-9","type":"purchase","timestamp":"2026-11-22T10:00:00Z","weight":1.5,"value":4,"id":"e-1"}"#)
        #expect(
            events == [
                EventInput(
                    user: "u42", item: "sku-9", type: "purchase", timestamp: .text("2026-11-22T10:00:00Z"),
                    weight: 1.5, value: 4, id: "e-1")
            ])
    }

    @Test func decodesArrayOfObjects() throws {
        let events = try decode(#" [ {"user":"a","item":"x","timestamp":1700000000} , {"user":"b","item":"y"} ] "#)
        #expect(events.count == 2)
        #expect(events[0].timestamp == .seconds(1_700_000_000))
        #expect(events[1].user == "b")
    }

    @Test func decodesEmptyArrayAsNoEvents() throws {
        #expect(try decode("[]").isEmpty)
        #expect(try decode(" [ \n ] ").isEmpty)
    }

    @Test func decodesNDJSONSkippingBlankLines() throws {
        let body = "{\"user\":\"a\",\"item\":\"x\"}\r\n\n   \n{\"user\":\"b\",\"item\":\"y\"}\n"
        let events = try decode(body, .ndjson)
        #expect(events.map(\.user) == ["a", "b"])
        #expect(try decode("\n\n", .ndjson).isEmpty)
    }

    @Test func rejectsTwoObjectsOnOneNDJSONLine() {
        let error = decodingError("{\"user\":\"a\"} {\"user\":\"b\"}\n", .ndjson)
        #expect(error?.reason == .unexpectedByte(UInt8(ascii: "{"), expected: "end of line"))
        #expect(error?.line == 1)
        #expect(error?.column == 14)
    }

    @Test func rejectsObjectSplitAcrossNDJSONLines() {
        let error = decodingError("{\"user\":\"a\",\n\"item\":\"x\"}\n", .ndjson)
        #expect(error?.reason == .unexpectedEnd(expected: "a string key"))
        #expect(error?.line == 1)
    }

    @Test func reportsLineAndColumnOfMalformedNDJSON() {
        let body = "{\"user\":\"a\"}\n{\"user\":\"b\"}\n{\"user\": tru}\n"
        let error = decodingError(body, .ndjson)
        #expect(error?.line == 3)
        #expect(error?.column == 13)
        #expect(error?.offset == 38)
        #expect(error?.description == "unexpected '}', expected 'true' at line 3, column 13")
    }

    @Test(arguments: [
        (#"{"user":"a",}"#, EventDecodingError.Reason.unexpectedByte(UInt8(ascii: "}"), expected: "a string key")),
        (#"[{"user":"a"},]"#, .unexpectedByte(UInt8(ascii: "]"), expected: "an event object")),
        (#"{"user" "a"}"#, .unexpectedByte(UInt8(ascii: "\""), expected: "':'")),
        (#"{'user':"a"}"#, .unexpectedByte(UInt8(ascii: "'"), expected: "a string key")),
        (#"{user:"a"}"#, .unexpectedByte(UInt8(ascii: "u"), expected: "a string key")),
        (#"{"weight":NaN}"#, .unexpectedByte(UInt8(ascii: "N"), expected: "a value")),
        (#"{"weight":Infinity}"#, .unexpectedByte(UInt8(ascii: "I"), expected: "a value")),
        (#"{"weight":-Infinity}"#, .invalidNumber),
        (#"{"weight":01}"#, .invalidNumber),
        (#"{"weight":1.}"#, .invalidNumber),
        (#"{"weight":.5}"#, .unexpectedByte(UInt8(ascii: "."), expected: "a value")),
        (#"{"weight":+1}"#, .unexpectedByte(UInt8(ascii: "+"), expected: "a value")),
        (#"{"weight":1e}"#, .invalidNumber),
        (#"{"weight":-}"#, .invalidNumber),
        (#"{"weight":0x10}"#, .unexpectedByte(UInt8(ascii: "x"), expected: "',' or '}'")),
        (#"{"user":"a"#, .unexpectedEnd(expected: "'\"'")),
        (#"{"user":"a""#, .unexpectedEnd(expected: "',' or '}'")),
        (#"{"user":"a\x"}"#, .invalidEscape),
        (#"{"user":"\ud800"}"#, .invalidUnicodeEscape),
        (#"{"user":"\udc00"}"#, .invalidUnicodeEscape),
        (#"{"user":"\ud800\u0041"}"#, .invalidUnicodeEscape),
        (#"{"user":"\u12G4"}"#, .invalidUnicodeEscape),
        ("{\"user\":\"a\tb\"}", .controlCharacterInString),
        (#"{"user":"a"} x"#, .unexpectedByte(UInt8(ascii: "x"), expected: "end of input")),
        (#"{"user":"a"} // note"#, .unexpectedByte(UInt8(ascii: "/"), expected: "end of input")),
        (#"{"user":"a","user":"b"}"#, .duplicateKey("user")),
        ("", .emptyBody),
        ("  \n ", .emptyBody),
        ("42", .unexpectedByte(UInt8(ascii: "4"), expected: "an event object")),
        (#"[1,2]"#, .unexpectedByte(UInt8(ascii: "1"), expected: "an event object")),
        (#"[[]]"#, .unexpectedByte(UInt8(ascii: "["), expected: "an event object")),
        (#"{"x":[1,2,]}"#, .unexpectedByte(UInt8(ascii: "]"), expected: "a value")),
        (#"{"x":tRue}"#, .unexpectedByte(UInt8(ascii: "R"), expected: "'true'")),
        (#"{"#, .unexpectedEnd(expected: "a string key")),
        (#"[{"user":"a"}"#, .unexpectedEnd(expected: "',' or ']'")),
    ])
    func rejectsMalformedJSON(body: String, reason: EventDecodingError.Reason) {
        #expect(decodingError(body)?.reason == reason)
    }

    /// Invalid sequences placed at offset 10 of a body; the error points at the first byte that cannot be right.
    @Test(arguments: [
        ([0xC0, 0x80], 10),  // overlong encoding of U+0000
        ([0xE0, 0x80, 0x80], 11),  // overlong three-byte form
        ([0xED, 0xA0, 0x80], 11),  // UTF-16 surrogate encoded in UTF-8
        ([0xF4, 0x90, 0x80, 0x80], 11),  // above U+10FFFF
        ([0xF5, 0x80, 0x80, 0x80], 10),  // invalid lead byte
        ([0x80], 10),  // lone continuation byte
        ([0xE2, 0x82], 12),  // truncated sequence
        ([0xE2, 0x28, 0xA1], 11),  // bad continuation byte
    ] as [([UInt8], Int)])
    func rejectsInvalidUTF8(sequence: [UInt8], offset: Int) {
        let body = Array(#"{"user":"a"#.utf8) + sequence + Array(#"b","item":"x"}"#.utf8)
        let error = #expect(throws: EventDecodingError.self) { try decoder.decode(body, format: .json) }
        #expect(error?.reason == .invalidUTF8)
        #expect(error?.offset == offset)
    }

    @Test func acceptsWellFormedMultibyteUTF8() throws {
        let events = try decode(#"{"user":"Zoë 東京 😀","item":"ü"}"#)
        #expect(events[0].user == "Zoë 東京 😀")
    }

    @Test func decodesEscapesIncludingSurrogatePairs() throws {
        let events = try decode(#"{"user":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t","item":"\u0041"}"#)
        #expect(events[0].user == "é😀\"\\/\u{08}\u{0C}\n\r\t")
        #expect(events[0].item == "A")
    }

    @Test func matchesKeysWrittenWithEscapes() throws {
        let events = try decode(#"{"\u0075ser":"a","it\u0065m":"x"}"#)
        #expect(events[0].user == "a")
        #expect(events[0].item == "x")
    }

    @Test func ignoresUnknownFieldsOfAnyShape() throws {
        let events = try decode(
            #"{"meta":{"a":[1,2.5e3,true,false,null,{"b":"\u00e9"}]},"user":"a","item":"x","tags":[],"o":{}}"#)
        #expect(events == [EventInput(user: "a", item: "x")])
    }

    @Test func treatsNullAsAbsent() throws {
        let events = try decode(
            #"{"user":"a","item":"x","type":null,"timestamp":null,"weight":null,"id":null,"recommendation_id":null}"#)
        #expect(events == [EventInput(user: "a", item: "x")])
    }

    @Test func readsTheRecommendationID() throws {
        let events = try decode(#"{"user":"a","item":"x","recommendation_id":"AbC-_"}"#)
        #expect(events == [EventInput(user: "a", item: "x", recommendationID: "AbC-_")])
    }

    @Test func recordsFieldsWithWrongJSONTypes() throws {
        let events = try decode(
            #"{"user":42,"item":["x"],"type":true,"timestamp":{"s":1},"weight":"2","value":false,"id":7,"recommendation_id":1}"#)
        #expect(events[0].wrongTypes == Set(EventField.allCases))
        #expect(events[0].user == nil && events[0].weight == nil && events[0].id == nil)
    }

    @Test func acceptsTimestampAsNumberOrString() throws {
        let events = try decode(#"[{"timestamp":1700000000.5},{"timestamp":"1700000000"},{"timestamp":"2024-01-01T00:00:00Z"}]"#)
        #expect(events.map(\.timestamp) == [.seconds(1_700_000_000.5), .text("1700000000"), .text("2024-01-01T00:00:00Z")])
    }

    @Test func parsesNumbersExactlyLikeTheStandardLibrary() throws {
        var generator = SeededGenerator(seed: 7)
        var texts = ["0", "-0", "0.1", "1E+2", "1e-2", "123456789012345678901234567890", "9007199254740993",
                     "1700000000.123", "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308", "0.000001"]
        for _ in 0..<500 {
            let value = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            texts.append(value.description)
            texts.append(String(Double.random(in: 0...2_000_000_000, using: &generator)))
        }
        for text in texts {
            let events = try decode(#"{"weight":\#(text)}"#)
            #expect(events[0].weight == Double(text), "\(text)")
        }
    }

    @Test func turnsHugeNumbersIntoInfinityOrZero() throws {
        let events = try decode(#"[{"weight":1e400},{"weight":-1e400},{"weight":1e-400},{"weight":1e99999999999}]"#)
        #expect(events.map(\.weight) == [.infinity, -.infinity, 0, .infinity])
    }

    @Test func enforcesDepthLimit() throws {
        let shallow = #"{"user":"a","x":"# + String(repeating: "[", count: 10) + String(repeating: "]", count: 10) + "}"
        #expect(try decode(shallow).count == 1)
        let deep = #"{"x":"# + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "}"
        #expect(decodingError(deep)?.reason == .depthLimitExceeded(32))
        let limited = EventBodyDecoder(configuration: .init(maxDepth: 2))
        #expect(decodingError(#"[{"x":{}}]"#, decoder: limited)?.reason == .depthLimitExceeded(2))
        #expect(decodingError(#"{"x":{}}"#, decoder: limited) == nil)
    }

    @Test func enforcesEventCountLimit() {
        let limited = EventBodyDecoder(configuration: .init(maxEvents: 3))
        let four = "[" + Array(repeating: "{}", count: 4).joined(separator: ",") + "]"
        #expect(decodingError(four, decoder: limited)?.reason == .tooManyEvents(3))
        let three = "[" + Array(repeating: "{}", count: 3).joined(separator: ",") + "]"
        #expect(decodingError(three, decoder: limited) == nil)
        let lines = Array(repeating: "{}", count: 4).joined(separator: "\n")
        #expect(decodingError(lines, .ndjson, decoder: limited)?.reason == .tooManyEvents(3))
    }

    @Test func ignoresLeadingByteOrderMark() throws {
        let body: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"user":"a"}"#.utf8)
        #expect(try decoder.decode(body, format: .json).count == 1)
    }

    @Test func decodesOneEventFromALine() throws {
        let event = try decoder.decodeEvent("  {\"user\":\"a\",\"item\":\"b\"}  ".utf8)
        #expect(event == EventInput(user: "a", item: "b"))
        #expect(throws: EventDecodingError.self) { try decoder.decodeEvent("[{}]".utf8) }
        #expect(throws: EventDecodingError.self) { try decoder.decodeEvent("{} {}".utf8) }
    }

    @Test func decodesFromNonContiguousSequences() throws {
        let body = #"{"user":"a","item":"b"}"#.utf8.lazy.map { $0 }
        #expect(try decoder.decode(body, format: .json).count == 1)
    }

    @Test func survivesRandomlyCorruptedBodies() {
        let valid = Array(
            #"[{"user":"u\u00e9","item":"東京","type":"cart","timestamp":"2024-01-01T00:00:00Z","weight":2.5e0,"id":"k","x":[1,{"y":null}]}]"#
                .utf8)
        let alphabet = Array(#"{}[],:"\ u0123456789.eE+-tfnrl"#.utf8) + [0x00, 0x80, 0xC3, 0xE6, 0xF0, 0xFF, 0x0A]
        var generator = SeededGenerator(seed: 99)
        for _ in 0..<3_000 {
            var body = valid
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let position = Int.random(in: 0..<body.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: body[position] = alphabet.randomElement(using: &generator)!
                case 1: body.remove(at: position)
                default: body.insert(alphabet.randomElement(using: &generator)!, at: position)
                }
            }
            for format in [EventBodyDecoder.Format.json, .ndjson] {
                do {
                    _ = try decoder.decode(body, format: format)
                } catch {
                    #expect(error.offset >= 0 && error.offset <= body.count)
                    #expect(error.line >= 1 && error.column >= 1)
                }
            }
        }
    }
}
