import Catalogue
import JSON
import Testing

struct RecordDecoderTests {
    let decoder = RecordDecoder()

    @Test func decodesEveryFieldOfTheContractExample() throws {
        let json = try JSONValue.parse(#"""
            {"categories": ["shoes", "sale", "shoes"], "labels": {"brand": "acme", "price": 49.5, "colors": ["red", "blue"], "new": true},
             "text": "free text", "hidden": false, "published_at": "2026-11-01T00:00:00Z", "expires_at": 1798675200}
            """#)
        let (id, record) = try decoder.itemRecord(json, expectedID: "sku-9")
        #expect(id == "sku-9")
        #expect(record.categories == ["shoes", "sale"])
        #expect(record.labels == ["brand": .string("acme"), "price": .number(49.5), "colors": .strings(["red", "blue"]), "new": .bool(true)])
        #expect(record.text == "free text")
        #expect(record.publishedAt == 1_793_491_200)
        #expect(record.expiresAt == 1_798_675_200)
    }

    @Test func encodesBackToTheSameRecord() throws {
        let json = try JSONValue.parse(#"{"categories": ["a"], "labels": {"n": 3, "f": 0.5, "s": "x"}, "hidden": true, "published_at": "2026-01-02T03:04:05.25Z"}"#)
        let record = try decoder.itemRecord(json, expectedID: "i").record
        #expect(try decoder.itemRecord(record.json, expectedID: "i").record == record)
        #expect(record.json["published_at"] == .string("2026-01-02T03:04:05.25Z"))
        #expect(record.json["labels"] == .object([("f", .number(0.5)), ("n", .integer(3)), ("s", .string("x"))]))
    }

    @Test func namesEveryBadFieldOfEveryRecordInABatch() throws {
        let batch = try JSONValue.parse(#"""
            [{"item": "ok", "categories": ["a"]},
             {"item": "", "categories": "shoes"},
             {"categories": [1], "labels": {"bad name": 1, "nested": {"a": 1}}, "hidden": "yes", "colour": 1},
             {"item": "x", "published_at": "yesterday", "text": 5}]
            """#)
        guard case .array(let values) = batch else { Issue.record("not an array"); return }
        #expect {
            _ = try decoder.itemRecords(values)
        } throws: { error in
            guard case .invalidRecords(let issues) = error as? RecordError else { return false }
            let fields = issues.map { "\($0.index ?? -1):\($0.field)" }
            return fields == ["1:item", "1:categories", "2:categories[0]", "2:labels.bad name", "2:labels.nested", "2:hidden", "2:colour",
                              "3:published_at", "3:text"]
        }
    }

    @Test func enforcesSizeLimits() throws {
        var limits = RecordLimits()
        limits.maxCategories = 2
        limits.maxLabels = 1
        limits.maxTextBytes = 4
        limits.maxLabelArrayCount = 1
        limits.maxBatchSize = 1
        let strict = RecordDecoder(limits: limits)
        for text in [#"{"categories": ["a", "b", "c"]}"#, #"{"labels": {"a": 1, "b": 2}}"#, #"{"text": "12345"}"#, #"{"labels": {"a": ["x", "y"]}}"#,
                     #"{"categories": ["\#(String(repeating: "c", count: 129))"]}"#] {
            #expect(throws: RecordError.self) { try strict.itemRecord(try JSONValue.parse(text), expectedID: "i") }
        }
        #expect(throws: RecordError.batchTooLarge(count: 2, limit: 1)) { try strict.itemRecords([.object([]), .object([])]) }
    }

    @Test func refusesAnIdOtherThanThePathsAndAcceptsWhatGetReturns() throws {
        #expect(throws: RecordError.self) { try decoder.itemRecord(try JSONValue.parse(#"{"item": "b"}"#), expectedID: "a") }
        let echoed = try decoder.itemRecord(try JSONValue.parse(#"{"item": "a", "events": 12, "hidden": true}"#), expectedID: "a")
        #expect(echoed.record.hidden)
        #expect(throws: RecordError.self) { try decoder.itemRecords([try JSONValue.parse(#"{"hidden": true}"#)]) }
    }

    @Test func takesEveryInstantRFC3339CanWriteAndNothingBeyond() throws {
        func publishedAt(_ value: String) throws -> Double? {
            try decoder.itemRecord(try JSONValue.parse(#"{"published_at": \#(value)}"#), expectedID: "i").record.publishedAt
        }
        #expect(try publishedAt(#""9999-12-31T23:59:59.999999-23:59""#) == 253_402_387_139.999_999)
        #expect(try publishedAt(#""0000-01-01T00:00:00+23:59""#) == -62_167_305_540)
        #expect(try publishedAt("253402387139.999999") == 253_402_387_139.999_999)
        #expect(throws: RecordError.self) { try publishedAt("253402387141") }
        #expect(throws: RecordError.self) { try publishedAt(#""-62167305541""#) }
    }

    @Test func aPatchMayRemoveOnlyFieldsAndLabelsARecordCanHave() throws {
        for text in [#"{"hidden": null, "labels": {"price": null, "new": true}, "item": null}"#, #"{"events": null}"#, "{}"] {
            try decoder.checkItemPatch(try JSONValue.parse(text), expectedID: "i")
        }
        for text in [#"{"hiden": null}"#, #"{"labels": {"bad name": null}}"#, #"{"labels": {"a": [null]}}"#, #"{"item": "j"}"#, "[]"] {
            #expect(throws: RecordError.self, "\(text)") { try decoder.checkItemPatch(try JSONValue.parse(text), expectedID: "i") }
        }
        let crowded = (0..<65).map { #""l\#($0)": \#($0 == 0 ? "null" : "1")"# }.joined(separator: ",")
        #expect(throws: RecordError.self, "65 labels, one of them removed") {
            try decoder.checkItemPatch(try JSONValue.parse(#"{"labels": {\#(crowded)}}"#), expectedID: "i")
        }
        try decoder.checkUserPatch(try JSONValue.parse(#"{"labels": {"age": null}, "user": null}"#), expectedID: "u")
        #expect(throws: RecordError.self) { try decoder.checkUserPatch(try JSONValue.parse(#"{"text": null}"#), expectedID: "u") }
    }

    @Test func decodesUserLabels() throws {
        let (id, record) = try decoder.userRecord(try JSONValue.parse(#"{"labels": {"tier": "gold", "age": 31}}"#), expectedID: "u1")
        #expect(id == "u1")
        #expect(record.labels == ["tier": .string("gold"), "age": .number(31)])
        #expect(throws: RecordError.self) { try decoder.userRecord(try JSONValue.parse(#"{"categories": []}"#), expectedID: "u1") }
    }
}

struct MergePatchTests {
    /// The examples of RFC 7396, appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, #"null"#, #"null"#),
        (#"{"a":"foo"}"#, #""bar""#, #""bar""#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func mergesAsRFC7396Says(target: String, patch: String, result: String) throws {
        #expect(try JSONValue.parse(target).merging(patch: try JSONValue.parse(patch)) == JSONValue.parse(result))
    }
}
