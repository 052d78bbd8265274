import EventStore

/// What one look at the change feed found that other processes committed: names, events, and the changes that
/// are not events, each change at its place among the events, with the state the changes left (read in the
/// same snapshot as the rest). Made by `PostgresWriter.catchUp`, applied by `PostgresWriter.apply(_:)`.
///
/// **Why the order.** A purge or an erasure takes away what came before it and nothing after: an item purged
/// and then given new events keeps the new ones. So the events are cut at each change and applied around it.
/// Records and relations are read as they stand at the snapshot, so their changes need no order.
struct PostgresFeedRead {
    /// A change that is not an event, as the `changes` table records it (`kind`, `subject`: an index + 1).
    enum Change: Equatable {
        /// An item's record was put or deleted without purge.
        case itemRecord(Int32)
        /// An item was deleted with its events and relations.
        case itemPurge(Int32)
        /// A user's record was set or removed.
        case userRecord(Int32)
        /// A user was erased.
        case userErasure(Int32)
        /// Relations from an item were stored.
        case relations(Int32)

        /// The `changes.kind` of each case.
        static let itemRecordKind: Int64 = 1, itemPurgeKind: Int64 = 2, userRecordKind: Int64 = 3, userErasureKind: Int64 = 4,
                   relationsKind: Int64 = 5

        /// The change a row describes; nil for a kind this build does not know (a newer build wrote it).
        init?(kind: Int64, subject: Int64) {
            guard subject >= 1, subject <= Int64(Int32.max) else { return nil }
            let index = Int32(subject - 1)
            switch kind {
            case Self.itemRecordKind: self = .itemRecord(index)
            case Self.itemPurgeKind: self = .itemPurge(index)
            case Self.userRecordKind: self = .userRecord(index)
            case Self.userErasureKind: self = .userErasure(index)
            case Self.relationsKind: self = .relations(index)
            default: return nil
            }
        }

        /// The row's `kind` and `subject`.
        var row: (kind: Int64, subject: Int64) {
            switch self {
            case .itemRecord(let index): (Self.itemRecordKind, Int64(index) + 1)
            case .itemPurge(let index): (Self.itemPurgeKind, Int64(index) + 1)
            case .userRecord(let index): (Self.userRecordKind, Int64(index) + 1)
            case .userErasure(let index): (Self.userErasureKind, Int64(index) + 1)
            case .relations(let index): (Self.relationsKind, Int64(index) + 1)
            }
        }
    }

    /// The names, and the events before the first change.
    var head = IndexChanges()
    /// Each change, then the events after it up to the next change.
    var steps: [(change: Change, events: IndexChanges)] = []
    /// The newest feed position read (an event's or a change's).
    var seq: Int64
    /// Events read.
    var events = 0

    /// The records of the changed items and users as they stand.
    var records = RecordChanges()
    /// The relations from each item whose relations changed, as they stand.
    var relations: [(key: RelationIndex.Key, weight: Float)] = []
    /// The items and users whose event counts a purge or an erasure changed (this process cannot work them out:
    /// it keeps no per-pair counts), to be recounted.
    var recountItems = Set<Int32>()
    var recountUsers = Set<Int32>()
    /// Recounted event counts, as they stand at the read (0 when absent); nil when the read did not recount.
    var counts: (items: [(item: Int32, events: Int)], users: [(user: Int32, events: Int)])?
    /// The users whose history held each purged item when the feed read the purge.
    var purgedUsers: [Int32: [Int32]] = [:]

    /// Starts a read at the feed position `seq`.
    init(seq: Int64) {
        self.seq = seq
    }

    /// True when nothing new was found.
    var isEmpty: Bool { events == 0 && steps.isEmpty && head.newUsers.isEmpty && head.newItems.isEmpty && counts == nil }
}
