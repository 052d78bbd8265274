import EventFormats
import Filtering
import JSON

/// Turns JSON objects into item and user records, collecting every field problem rather than stopping at the
/// first, so one `400` names them all.
///
/// Accepted fields of an item: `categories` (array of ids), `labels` (object), `text`, `hidden`, `published_at`,
/// `expires_at` (RFC 3339 or unix seconds; `null` for none). `item` (the id; required in batches, and when
/// present in a single record it must name the same item) and `events` (read-only, as `GET` returns it) are
/// allowed so a record read with `GET` can be sent back as is. Any other field is refused: it is most often a typo.
package struct RecordDecoder: Sendable {
    package let limits: RecordLimits

    package init(limits: RecordLimits = RecordLimits()) {
        self.limits = limits
    }

    /// The item record in `json`; `expectedID` is the id from the path (nil in a batch, where `item` is required).
    /// Returns the id and the record.
    package func itemRecord(
        _ json: JSONValue, index: Int? = nil, expectedID: String? = nil
    ) throws(RecordError) -> (id: String, record: ItemRecord) {
        var issues: [RecordIssue] = []
        let result = decodeItem(json, index: index, expectedID: expectedID, issues: &issues)
        guard issues.isEmpty, let result else { throw .invalidRecords(issues) }
        return result
    }

    /// Every record of a batch (each with an `item` field), or every problem of every record.
    package func itemRecords(_ values: [JSONValue]) throws(RecordError) -> [(id: String, record: ItemRecord)] {
        guard values.count <= limits.maxBatchSize else { throw .batchTooLarge(count: values.count, limit: limits.maxBatchSize) }
        var issues: [RecordIssue] = []
        var records: [(id: String, record: ItemRecord)] = []
        records.reserveCapacity(values.count)
        for (index, value) in values.enumerated() {
            if let record = decodeItem(value, index: index, expectedID: nil, issues: &issues) { records.append(record) }
        }
        guard issues.isEmpty else { throw .invalidRecords(issues) }
        return records
    }

    /// The user record in `json` (`labels`, plus `user` and `events` as for items).
    package func userRecord(_ json: JSONValue, index: Int? = nil, expectedID: String? = nil) throws(RecordError) -> (id: String, record: UserRecord) {
        var issues: [RecordIssue] = []
        var record = UserRecord()
        var id = expectedID
        guard case .object(let members) = json else {
            throw .invalidRecords([RecordIssue(index: index, field: "record", message: "must be a JSON object")])
        }
        for (key, value) in members {
            switch key {
            case "user": id = decodeID(value, field: "user", expected: expectedID, index: index, issues: &issues)
            case "labels": record.labels = decodeLabels(value, index: index, issues: &issues)
            case "events": break
            default: issues.append(RecordIssue(index: index, field: key, message: Self.unknownUserField))
            }
        }
        if id == nil, issues.isEmpty { issues.append(RecordIssue(index: index, field: "user", message: "is required")) }
        guard issues.isEmpty, let id else { throw .invalidRecords(issues) }
        return (id, record)
    }

    /// Checks a JSON Merge Patch (RFC 7396) of the item record `expectedID` by itself: the problems it has whatever
    /// record it is applied to. Beyond what applying it to an empty record shows, a member set to `null` (which a
    /// merge drops) must still name a field of a record, or a valid label name (`{"hiden": null}` is a typo), and
    /// a patch names at most `maxLabels` labels, removals included.
    package func checkItemPatch(_ patch: JSONValue, expectedID: String) throws(RecordError) {
        var issues = removalIssues(of: patch, fields: Self.itemFields, unknownField: Self.unknownItemField)
        do { _ = try itemRecord(ItemRecord().json.merging(patch: patch), expectedID: expectedID) } catch {
            if case .invalidRecords(let found) = error { issues += found }
        }
        guard issues.isEmpty else { throw .invalidRecords(issues) }
    }

    /// ``checkItemPatch(_:expectedID:)`` for a user record.
    package func checkUserPatch(_ patch: JSONValue, expectedID: String) throws(RecordError) {
        var issues = removalIssues(of: patch, fields: Self.userFields, unknownField: Self.unknownUserField)
        do { _ = try userRecord(UserRecord().json.merging(patch: patch), expectedID: expectedID) } catch {
            if case .invalidRecords(let found) = error { issues += found }
        }
        guard issues.isEmpty else { throw .invalidRecords(issues) }
    }

    private static let itemFields: Set<String> = ["item", "categories", "labels", "text", "hidden", "published_at", "expires_at", "events"]
    private static let userFields: Set<String> = ["user", "labels", "events"]
    private static let unknownItemField = "unknown field; an item record has categories, labels, text, hidden, published_at, expires_at"
    private static let unknownUserField = "unknown field; a user record has labels"

    /// The problems of a patch that merging drops: a `null` member naming no field, a `null` label with a name that
    /// breaks the rule, more than `maxLabels` labels counting the `null` ones.
    private func removalIssues(of patch: JSONValue, fields: Set<String>, unknownField: String) -> [RecordIssue] {
        guard case .object(let members) = patch else { return [] }
        var issues: [RecordIssue] = []
        for (key, value) in members {
            if value == .null, !fields.contains(key) { issues.append(RecordIssue(index: nil, field: key, message: unknownField)) }
            guard key == "labels", case .object(let labels) = value else { continue }
            if labels.count > limits.maxLabels {
                issues.append(RecordIssue(index: nil, field: "labels", message: "a patch names more than \(limits.maxLabels) labels"))
            }
            for (name, label) in labels where label == .null && !LabelNameRule.isValid(name) {
                issues.append(RecordIssue(index: nil, field: "labels.\(name)", message: "label names are \(LabelNameRule.summary)"))
            }
        }
        return issues
    }

    // MARK: - Fields

    private func decodeItem(
        _ json: JSONValue, index: Int?, expectedID: String?, issues: inout [RecordIssue]
    ) -> (id: String, record: ItemRecord)? {
        guard case .object(let members) = json else {
            issues.append(RecordIssue(index: index, field: "record", message: "must be a JSON object"))
            return nil
        }
        let before = issues.count
        var record = ItemRecord()
        var id = expectedID
        for (key, value) in members {
            switch key {
            case "item": id = decodeID(value, field: "item", expected: expectedID, index: index, issues: &issues)
            case "categories": record.categories = decodeCategories(value, index: index, issues: &issues)
            case "labels": record.labels = decodeLabels(value, index: index, issues: &issues)
            case "text":
                if case .string(let text) = value {
                    if text.utf8.count > limits.maxTextBytes {
                        issues.append(RecordIssue(index: index, field: "text", message: "longer than \(limits.maxTextBytes) bytes"))
                    }
                    record.text = text
                } else if value != .null {
                    issues.append(RecordIssue(index: index, field: "text", message: "must be a string"))
                }
            case "hidden":
                if case .bool(let hidden) = value { record.hidden = hidden } else if value != .null {
                    issues.append(RecordIssue(index: index, field: "hidden", message: "must be true or false"))
                }
            case "published_at": record.publishedAt = decodeTime(value, field: key, index: index, issues: &issues)
            case "expires_at": record.expiresAt = decodeTime(value, field: key, index: index, issues: &issues)
            case "events": break
            default:
                issues.append(RecordIssue(index: index, field: key, message: Self.unknownItemField))
            }
        }
        if id == nil, issues.count == before { issues.append(RecordIssue(index: index, field: "item", message: "is required")) }
        guard issues.count == before, let id else { return nil }
        return (id, record)
    }

    private func decodeID(_ value: JSONValue, field: String, expected: String?, index: Int?, issues: inout [RecordIssue]) -> String? {
        guard case .string(let id) = value else {
            issues.append(RecordIssue(index: index, field: field, message: "must be a string"))
            return nil
        }
        if let violation = IdentifierRule.violation(of: id, maxBytes: 256) {
            issues.append(RecordIssue(index: index, field: field, message: IdentifierRule.message(violation)))
            return nil
        }
        if let expected, expected != id {
            issues.append(RecordIssue(index: index, field: field, message: "names another \(field) than the path"))
            return nil
        }
        return id
    }

    private func decodeCategories(_ value: JSONValue, index: Int?, issues: inout [RecordIssue]) -> [String] {
        if value == .null { return [] }
        guard case .array(let elements) = value else {
            issues.append(RecordIssue(index: index, field: "categories", message: "must be an array of strings"))
            return []
        }
        guard elements.count <= limits.maxCategories else {
            issues.append(RecordIssue(index: index, field: "categories", message: "more than \(limits.maxCategories) categories"))
            return []
        }
        var categories: [String] = []
        for (position, element) in elements.enumerated() {
            let field = "categories[\(position)]"
            guard case .string(let category) = element else {
                issues.append(RecordIssue(index: index, field: field, message: "must be a string"))
                continue
            }
            if let violation = IdentifierRule.violation(of: category, maxBytes: limits.maxCategoryBytes) {
                issues.append(RecordIssue(index: index, field: field, message: IdentifierRule.message(violation)))
            } else if !categories.contains(where: { ExactID($0) == ExactID(category) }) {
                categories.append(category)
            }
        }
        return categories
    }

    private func decodeLabels(_ value: JSONValue, index: Int?, issues: inout [RecordIssue]) -> [String: LabelValue] {
        if value == .null { return [:] }
        guard case .object(let members) = value else {
            issues.append(RecordIssue(index: index, field: "labels", message: "must be an object"))
            return [:]
        }
        guard members.count <= limits.maxLabels else {
            issues.append(RecordIssue(index: index, field: "labels", message: "more than \(limits.maxLabels) labels"))
            return [:]
        }
        var labels: [String: LabelValue] = [:]
        for (name, value) in members {
            let field = "labels.\(name)"
            guard LabelNameRule.isValid(name) else {
                issues.append(RecordIssue(index: index, field: field, message: "label names are \(LabelNameRule.summary)"))
                continue
            }
            if let label = decodeLabelValue(value, field: field, index: index, issues: &issues) { labels[name] = label }
        }
        return labels
    }

    private func decodeLabelValue(_ value: JSONValue, field: String, index: Int?, issues: inout [RecordIssue]) -> LabelValue? {
        switch value {
        case .string(let text):
            guard text.utf8.count <= limits.maxLabelValueBytes else {
                issues.append(RecordIssue(index: index, field: field, message: "longer than \(limits.maxLabelValueBytes) bytes"))
                return nil
            }
            return .string(text)
        case .integer(let number): return .number(Double(number))
        case .number(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .array(let elements):
            guard elements.count <= limits.maxLabelArrayCount else {
                issues.append(RecordIssue(index: index, field: field, message: "more than \(limits.maxLabelArrayCount) elements"))
                return nil
            }
            var strings: [String] = []
            for element in elements {
                guard case .string(let text) = element, text.utf8.count <= limits.maxLabelValueBytes else {
                    issues.append(RecordIssue(
                        index: index, field: field,
                        message: "an array label holds strings of at most \(limits.maxLabelValueBytes) bytes"))
                    return nil
                }
                strings.append(text)
            }
            return .strings(strings)
        case .null:
            issues.append(RecordIssue(index: index, field: field, message: "is null; leave the label out (or PATCH it with null to remove it)"))
            return nil
        case .object:
            issues.append(RecordIssue(index: index, field: field, message: "must be a string, number, boolean or array of strings"))
            return nil
        }
    }

    private func decodeTime(_ value: JSONValue, field: String, index: Int?, issues: inout [RecordIssue]) -> Double? {
        let seconds: Double?
        switch value {
        case .null: return nil
        case .string(let text): seconds = parseTimestamp(text)
        case .integer(let number): seconds = Double(number)
        case .number(let number): seconds = number
        default: seconds = nil
        }
        guard let seconds, seconds.isFinite, seconds >= earliestTimestamp, seconds <= latestTimestamp else {
            issues.append(RecordIssue(index: index, field: field, message: "must be an RFC 3339 date-time or unix seconds"))
            return nil
        }
        return seconds
    }
}
