import EventFormats
import JSON

extension ItemRecord {
    /// The record as JSON in the public shape, fields in a fixed order, labels by name, dates in RFC 3339;
    /// empty and default fields included so a client sees the whole record.
    package var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("categories", .array(categories.map(JSONValue.string))),
            ("labels", labelsJSON(labels)),
            ("text", .string(text)),
            ("hidden", .bool(hidden)),
        ]
        members.append(("published_at", publishedAt.map { .string(formatTimestamp($0)) } ?? .null))
        members.append(("expires_at", expiresAt.map { .string(formatTimestamp($0)) } ?? .null))
        return .object(members)
    }
}

extension UserRecord {
    /// The record as JSON in the public shape.
    package var json: JSONValue { .object([("labels", labelsJSON(labels))]) }
}

extension LabelValue {
    /// The value as JSON.
    package var json: JSONValue {
        switch self {
        case .string(let text): .string(text)
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? .integer(Int(number)) : .number(number)
        case .bool(let flag): .bool(flag)
        case .strings(let strings): .array(strings.map(JSONValue.string))
        }
    }
}

private func labelsJSON(_ labels: [String: LabelValue]) -> JSONValue {
    .object(labels.keys.sorted().map { ($0, labels[$0]!.json) })
}

extension JSONValue {
    /// This value with `patch` applied as a JSON Merge Patch (RFC 7396): members of an object patch replace or,
    /// when `null`, remove the target's; any other patch replaces the target whole.
    package func merging(patch: JSONValue) -> JSONValue {
        guard case .object(let patchMembers) = patch else { return patch }
        var members: [(key: String, value: JSONValue)] = []
        if case .object(let targetMembers) = self { members = targetMembers }
        for (key, value) in patchMembers {
            let existing = members.firstIndex { $0.key == key }
            if value == .null {
                if let existing { members.remove(at: existing) }
            } else if let existing {
                members[existing].value = members[existing].value.merging(patch: value)
            } else {
                members.append((key, JSONValue.null.merging(patch: value)))
            }
        }
        return .object(members)
    }
}
