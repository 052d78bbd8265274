import JSON
import Testing

struct JSONValueTests {
    @Test func escapesStrings() {
        #expect(JSONValue.string("a\"b\\c\n\u{1}é").serialized() == "\"a\\\"b\\\\c\\n\\u0001é\"")
    }

    @Test func writesNumbersAndNesting() {
        let value = JSONValue.object([
            ("a", .array([.integer(1), .number(0.5), .null, .bool(true)])),
            ("b", .object([("c", .array([.object([])]))])),
            ("d", .number(.infinity)),
        ])
        #expect(value.serialized(indent: 0) == "{\"a\": [1, 0.5, null, true], \"b\": {\"c\": [{}]}, \"d\": null}")
        #expect(value.serialized() == "{\n  \"a\": [1, 0.5, null, true],\n  \"b\": {\n    \"c\": [\n      {}\n    ]\n  },\n  \"d\": null\n}")
        #expect(value["a"] == .array([.integer(1), .number(0.5), .null, .bool(true)]))
        #expect(value["missing"] == nil)
    }
}
