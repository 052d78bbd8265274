import JSON
import Testing

struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" {"a": [1, -2.5e1, 0, true, false, null], "b": {"c": "d\u00e9\n\ud83d\ude00"}, "e": 12345678901234567890} "#)
        #expect(value == .object([
            ("a", .array([.integer(1), .number(-25), .integer(0), .bool(true), .bool(false), .null])),
            ("b", .object([("c", .string("dé\n😀"))])),
            ("e", .number(12345678901234567890)),
        ]))
    }

    @Test func roundTripsWhatItWrites() throws {
        let value = JSONValue.object([("x", .array([.string("q\"\\\u{1}"), .integer(-7), .number(0.25)])), ("y", .object([]))])
        #expect(try JSONValue.parse(value.serialized(indent: 0)) == value)
        #expect(try JSONValue.parse(value.serialized(indent: 2)) == value)
    }

    @Test(arguments: [
        ("", 0, "expected a value"),
        ("{\"a\" 1}", 5, "expected ':'"),
        ("[1,]", 3, "expected a value"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("{\"a\":1,\"a\":2}", 7, "appears twice"),
        ("\"abc", 4, "unterminated string"),
        ("01", 1, "leading zero"),
        ("1.", 2, "expected a digit"),
        ("\"\\x\"", 2, "invalid escape"),
        ("\"\\ud800\"", 7, "unpaired surrogate"),
        ("tru", 0, "expected a value"),
        ("1 2", 2, "unexpected text"),
        ("\"a\tb\"", 2, "control character"),
        ("1e999", 0, "out of range"),
    ])
    func refusesMalformedTextAtItsOffset(text: String, offset: Int, message: String) {
        #expect {
            _ = try JSONValue.parse(text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.offset == offset && error.message.contains(message)
        }
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "[", count: 40) + String(repeating: "]", count: 40)) }
        #expect(throws: Never.self) { try JSONValue.parse(String(repeating: "[", count: 32) + String(repeating: "]", count: 32)) }
    }
}
