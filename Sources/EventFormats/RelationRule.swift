/// The checks every relation passes wherever it enters (`POST /relations`, `recsmith import --relations`,
/// `recsmith evaluate --task pairs`): ids follow ``IdentifierRule``, an item is never related to itself, the type
/// is configured, and an explicit weight is a finite number above 0 and at most ``maxWeight``.
package enum RelationRule {
    /// Largest explicit weight.
    package static let maxWeight: Float = 1_000_000
    /// Longest item id, in UTF-8 bytes (as for events).
    package static let maxIDBytes = 256

    /// One broken check: the field and what is wrong.
    package struct Problem: Sendable, Equatable {
        package let field: String
        package let message: String
    }

    /// The relation these fields make, or nil with every problem appended to `problems`. `weight` nil means the
    /// type's weight.
    package static func relation(
        from: String?, to: String?, type: String?, weight: Double?, types: RelationTypeWeights, problems: inout [Problem]
    ) -> Relation? {
        let before = problems.count
        func id(_ value: String?, field: String, problems: inout [Problem]) -> String? {
            guard let value else {
                problems.append(Problem(field: field, message: "is required"))
                return nil
            }
            if let violation = IdentifierRule.violation(of: value, maxBytes: maxIDBytes) {
                problems.append(Problem(field: field, message: IdentifierRule.message(violation)))
                return nil
            }
            return value
        }
        let source = id(from, field: "from", problems: &problems), target = id(to, field: "to", problems: &problems)
        if let source, let target, source == target {
            problems.append(Problem(field: "to", message: "names the same item as from; an item is not related to itself"))
        }
        var typeWeight: Float?
        if let type {
            typeWeight = types.weight(of: type)
            if typeWeight == nil {
                problems.append(Problem(field: "type", message: "unknown relation type; configured types are \(types.typeNames.joined(separator: ", "))"))
            }
        } else {
            problems.append(Problem(field: "type", message: "is required"))
        }
        var explicit: Float?
        if let weight {
            if weight.isFinite, weight > 0, weight <= Double(maxWeight) {
                explicit = Float(weight)
            } else {
                problems.append(Problem(field: "weight", message: "must be a number above 0 and at most \(Int(maxWeight))"))
            }
        }
        guard problems.count == before, let source, let target, let type, let resolved = explicit ?? typeWeight else { return nil }
        return Relation(from: source, to: target, type: type, weight: resolved)
    }
}
