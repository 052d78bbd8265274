import EventFormats
import JSON

/// Turns the JSON objects of a `POST /relations` body into relations, collecting every problem of every entry
/// (index and field) so one `400` names them all. An entry has `from`, `to` and `type` (strings) and an optional
/// `weight` (a number; `null` or absent means the type's configured weight); any other member is refused.
package struct RelationDecoder: Sendable {
    /// The configured relation types and their weights.
    package let types: RelationTypeWeights
    /// Most relations in one batch.
    package let maxBatchSize: Int

    package init(types: RelationTypeWeights, maxBatchSize: Int) {
        self.types = types
        self.maxBatchSize = maxBatchSize
    }

    /// Every relation of the batch, or every problem (`.invalidRecords`), or `.batchTooLarge`.
    package func relations(_ values: [JSONValue]) throws(RecordError) -> [Relation] {
        guard values.count <= maxBatchSize else { throw .batchTooLarge(count: values.count, limit: maxBatchSize) }
        var issues: [RecordIssue] = []
        var relations: [Relation] = []
        relations.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            if let relation = decode(value, index: index, issues: &issues) { relations.append(relation) }
        }
        guard issues.isEmpty else { throw .invalidRecords(issues) }
        return relations
    }

    private func decode(_ value: JSONValue, index: Int, issues: inout [RecordIssue]) -> Relation? {
        guard case .object(let members) = value else {
            issues.append(RecordIssue(index: index, field: "relation", message: "must be a JSON object"))
            return nil
        }
        var strings: [String: String] = [:]
        var weight: Double?
        var ownIssues: [RecordIssue] = []
        for (key, member) in members {
            switch (key, member) {
            case ("from", .string(let text)), ("to", .string(let text)), ("type", .string(let text)):
                strings[key] = text
            case ("from", _), ("to", _), ("type", _):
                ownIssues.append(RecordIssue(index: index, field: key, message: "must be a string"))
            case ("weight", .integer(let number)): weight = Double(number)
            case ("weight", .number(let number)): weight = number
            case ("weight", .null): weight = nil
            case ("weight", _): ownIssues.append(RecordIssue(index: index, field: key, message: "must be a number"))
            default: ownIssues.append(RecordIssue(index: index, field: key, message: "is not a relation field (from, to, type, weight)"))
            }
        }
        var problems: [RelationRule.Problem] = []
        let relation = RelationRule.relation(
            from: strings["from"], to: strings["to"], type: strings["type"], weight: weight, types: types, problems: &problems)
        // A field already reported as the wrong JSON type is not reported again as missing.
        let reported = Set(ownIssues.map(\.field))
        issues += ownIssues
        issues += problems.filter { !reported.contains($0.field) }.map { RecordIssue(index: index, field: $0.field, message: $0.message) }
        return ownIssues.isEmpty ? relation : nil
    }
}
