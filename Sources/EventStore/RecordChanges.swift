/// Catalogue records another process committed to a shared store, as they stand after its transaction: what a
/// change feed hands to the process's in-memory catalogue (`EventStore.observeRecordChanges`).
package struct RecordChanges: Sendable {
    /// Items whose record was put, deleted or purged: the record now stored (nil when deleted).
    package var items: [StoredRecords.Item] = []
    /// Users whose record was set, removed or erased: the record now stored (nil when removed or erased).
    package var users: [(index: Int32, json: String?)] = []

    /// No changes.
    package init() {}

    /// True when nothing changed.
    package var isEmpty: Bool { items.isEmpty && users.isEmpty }
}
