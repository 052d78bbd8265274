/// One row of an event CSV file (`user,item,timestamp[,weight][,type][,id][,recommendation_id]`), validated and parsed.
package struct EventRow: Sendable, Equatable {
    /// The user id, verbatim (never trimmed or case-folded); never empty.
    package var user: String
    /// The item id, verbatim; never empty.
    package var item: String
    /// Unix seconds, from a plain decimal or an RFC 3339 date-time (see ``parseTimestamp(_:)``).
    package var timestamp: Double
    /// The `weight` field; nil when the file has no `weight` column or the field is empty.
    package var weight: Double?
    /// The `type` field; nil when the file has no `type` column or the field is empty.
    package var type: String?
    /// The `id` field (idempotency key); nil when the file has no `id` column or the field is empty.
    package var id: String?
    /// The `recommendation_id` field (the answer the event follows from); nil when absent or empty.
    package var recommendationID: String?
    /// The physical line (1-based, the header is line 1) on which the row starts.
    package var line: Int

    /// Creates a row.
    package init(
        user: String, item: String, timestamp: Double, weight: Double? = nil, type: String? = nil, id: String? = nil,
        recommendationID: String? = nil, line: Int
    ) {
        self.user = user
        self.item = item
        self.timestamp = timestamp
        self.weight = weight
        self.type = type
        self.id = id
        self.recommendationID = recommendationID
        self.line = line
    }
}
