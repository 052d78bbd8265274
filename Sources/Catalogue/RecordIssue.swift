/// One problem with one field of a record in a request or file: where, and what is wrong.
package struct RecordIssue: Sendable, Equatable, CustomStringConvertible {
    /// The record's position in its batch, nil for a single record.
    package let index: Int?
    /// The field, as a path: `labels.price`, `categories[2]`, `item`.
    package let field: String
    /// What is wrong, in words.
    package let message: String

    package init(index: Int?, field: String, message: String) {
        self.index = index
        self.field = field
        self.message = message
    }

    package var description: String {
        (index.map { "record \($0): " } ?? "") + "\(field): \(message)"
    }
}

/// Why records were refused; nothing of the batch is stored.
package enum RecordError: Error, Sendable, Equatable {
    /// Field problems, every one of them.
    case invalidRecords([RecordIssue])
    /// More records than `RecordLimits.maxBatchSize`.
    case batchTooLarge(count: Int, limit: Int)
}
