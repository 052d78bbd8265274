import EventFormats
import Evaluation
import Models
import Testing

struct ItemRecordsTests {
    @Test func readsRecordsAndFlattensLabels() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("items.jsonl", """
            {"item": "i1", "categories": ["shoes", "sale"], "labels": {"price": 49.5, "brand": "acme", "colors": ["red", "blue"], "new": true, "stock": 3}, "text": "Trail shoes", "hidden": false}

            {"item": "i2"}
            {"item": "i1", "text": "replaced"}\r
            {"item": "e\\u0301"}

            """)
        let records = try ItemRecords.load(path: path)
        #expect(records.documents.count == 3)
        #expect(records.aligned(to: ["i2", "i1", "unknown"]) == [
            ItemDocument(), ItemDocument(text: "replaced"), nil,
        ])
        // Labels sorted by name; a number as its shortest text, an array one label per element.
        let first = try ItemRecords.load(path: try directory.write("one.jsonl", """
            {"item": "i1", "categories": ["shoes"], "labels": {"price": 49.5, "brand": "acme", "colors": ["red", "blue"], "new": true, "stock": 3}}
            """))
        #expect(first.aligned(to: ["i1"]) == [ItemDocument(categories: ["shoes"], labels: [
            .init(name: "brand", value: "acme"), .init(name: "colors", value: "red"), .init(name: "colors", value: "blue"),
            .init(name: "new", value: "true"), .init(name: "price", value: "49.5"), .init(name: "stock", value: "3"),
        ])])
        // Ids match byte for byte: "é" precomposed is not "e" + U+0301.
        #expect(records.aligned(to: ["\u{e9}", "e\u{301}"]).map { $0 != nil } == [false, true])
    }

    @Test(arguments: [
        (#"{"item": "i1"}\#nnot json"#, 2, "not a JSON object"),
        (#"{"categories": ["a"]}"#, 1, #""item" is missing"#),
        (#"{"item": ""}"#, 1, #""item" must not be empty"#),
        (#"{"item": "i1", "labels": {"size": {"eu": 42}}}"#, 1, "labels.size"),
        (#"{"item": "i1", "categories": "shoes"}"#, 1, "categories"),
    ])
    func namesTheLineOfAnInvalidRecord(text: String, line: Int, reason: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("items.jsonl", text)
        #expect {
            try ItemRecords.load(path: path)
        } throws: { error in
            let message = "\(error)"
            return message.hasPrefix("\(path):\(line): invalid item record") && message.contains(reason)
        }
    }

    @Test func reportsAnUnreadableFile() {
        #expect {
            try ItemRecords.load(path: "/nonexistent/items.jsonl")
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent/items.jsonl: cannot read the file")
        }
    }
}
