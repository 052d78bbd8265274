import EventFormats
import JSON
import Testing
@testable import Catalogue

/// Relation validation as `POST /relations` applies it.
struct RelationDecoderTests {
    private let decoder = RelationDecoder(types: .standard, maxBatchSize: 3)

    private func values(_ text: String) throws -> [JSONValue] {
        guard case .array(let elements) = try JSONValue.parse(text) else { return [] }
        return elements
    }

    @Test func aRelationWithoutWeightTakesItsTypesWeight() throws {
        let relations = try decoder.relations(try values(#"[{"from":"a","to":"b","type":"bought_together"},{"from":"a","to":"c","type":"also_viewed","weight":3}]"#))
        #expect(relations == [Relation(from: "a", to: "b", type: "bought_together", weight: 1.2),
                              Relation(from: "a", to: "c", type: "also_viewed", weight: 3)])
    }

    @Test func everyProblemIsNamedByIndexAndField() throws {
        let batch = try values(#"[{"from":"a","to":"a","type":"also_bought"},{"from":"","to":"b","type":"x","weight":-1},{"to":5,"type":"also_bought","extra":1}]"#)
        #expect(throws: RecordError.invalidRecords([
            RecordIssue(index: 0, field: "to", message: "names the same item as from; an item is not related to itself"),
            RecordIssue(index: 1, field: "from", message: "must not be empty"),
            RecordIssue(index: 1, field: "type", message: "unknown relation type; configured types are also_bought, also_viewed, bought_together"),
            RecordIssue(index: 1, field: "weight", message: "must be a number above 0 and at most 1000000"),
            RecordIssue(index: 2, field: "to", message: "must be a string"),
            RecordIssue(index: 2, field: "extra", message: "is not a relation field (from, to, type, weight)"),
            RecordIssue(index: 2, field: "from", message: "is required"),
        ])) { try decoder.relations(batch) }
    }

    @Test func aBatchOverTheLimitIsRefusedBeforeValidation() throws {
        #expect(throws: RecordError.batchTooLarge(count: 4, limit: 3)) { try decoder.relations(Array(repeating: .null, count: 4)) }
    }
}
