/// The columns of an event CSV file, found by name: case-insensitive, surrounding whitespace ignored.
/// `user`, `item` and `timestamp` are required, `weight`, `type`, `id` and `recommendation_id` optional, any other
/// column ignored.
package struct EventCSVHeader: Sendable, Equatable {
    /// The header fields as written (after BOM removal).
    package let names: [String]
    /// Index of the `user` column.
    package let user: Int
    /// Index of the `item` column.
    package let item: Int
    /// Index of the `timestamp` column.
    package let timestamp: Int
    /// Index of the `weight` column, if present.
    package let weight: Int?
    /// Index of the `type` column, if present.
    package let type: Int?
    /// Index of the `id` (idempotency key) column, if present.
    package let id: Int?
    /// Index of the `recommendation_id` column, if present.
    package let recommendationID: Int?

    /// Finds the columns in a header record.
    package init(names: [String]) throws(EventCSVError) {
        var found: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            let key = Self.normalized(name)
            guard ["user", "item", "timestamp", "weight", "type", "id", "recommendation_id"].contains(key) else { continue }
            guard found[key] == nil else { throw .duplicateColumn(name: key) }
            found[key] = index
        }
        func required(_ key: String) throws(EventCSVError) -> Int {
            guard let index = found[key] else { throw .missingColumn(name: key, header: names) }
            return index
        }
        self.names = names
        self.user = try required("user")
        self.item = try required("item")
        self.timestamp = try required("timestamp")
        self.weight = found["weight"]
        self.type = found["type"]
        self.id = found["id"]
        self.recommendationID = found["recommendation_id"]
    }

    /// ASCII-lowercased with surrounding ASCII whitespace removed.
    static func normalized(_ name: String) -> String {
        var bytes = Array(name.utf8)
        while let last = bytes.last, isASCIIWhitespace(last) { bytes.removeLast() }
        let start = bytes.firstIndex { !isASCIIWhitespace($0) } ?? bytes.endIndex
        return String(decoding: bytes[start...].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
