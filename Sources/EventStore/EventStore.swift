import EventFormats

/// The event log and the in-memory view of it that serving and training read, whatever holds them.
///
/// Today one implementation, `SQLiteEventStore` (one process, one file); a shared database is a second one.
/// The contract, which every implementation keeps (`EventStoreContractTests` runs against each):
/// - **Durable before acknowledged.** An append's completion reports success only once its events are
///   committed; a batch is stored whole or not at all; an event whose `id` is already stored is a duplicate.
/// - **Ids.** Users and items get dense `Int32` indices in order of first appearance, never reused (not even
///   an erased user's); an index is claimed when an event or a catalogue record naming it is stored.
/// - **Records and erasure.** Record writes, deletions and erasures are transactions of their own, durable
///   when the call returns; an erased user's events, record and id leave the store's files.
/// - **Visible after the commit.** Reads (`history`, `hasSeen`, counts, snapshots) see an append's events
///   from the moment its completion runs, and commit observers are told after that.
/// - **Relations** are upserts by (from, to, type), durable when the call returns, purged with their item.
/// - **Reads never wait for writes or snapshots** longer than the merge of one committed transaction.
package protocol EventStore: AnyObject, Sendable {
    // MARK: Writing

    /// Queues events for the next commit and returns at once; `completion` runs after the transaction holding
    /// them has committed (or failed). After `close()` it gets `.closed`.
    func append(_ events: [Event], completion: @escaping @Sendable (Result<AppendResult, EventStoreError>) -> Void)
    /// Appends and waits for the commit (never from a completion).
    func append(_ events: [Event]) throws(EventStoreError) -> AppendResult
    /// Stores a large batch in a transaction of its own and waits for it; all or nothing.
    func appendBulk(_ events: [Event]) throws(EventStoreError) -> AppendResult
    /// Commits what is queued and closes; later appends fail with `.closed`, reads keep answering.
    func close()
    /// Calls `observer` after every commit attempt of queued appends (for metrics and the first training pass).
    func observeCommits(_ observer: @escaping @Sendable (GroupCommit) -> Void)

    /// Applies catalogue writes to items in one transaction and waits for it (never from a completion).
    func writeItems(_ writes: [ItemWrite]) throws(EventStoreError) -> [ItemWriteOutcome]
    /// Sets (nil: removes) users' records in one transaction and waits; returns each user's index (claimed if new).
    func writeUserRecords(_ records: [(user: String, record: String?)]) throws(EventStoreError) -> [Int32]
    /// Erases a user (events, record, id) and waits; the number of events deleted, nil for an unknown user.
    func eraseUser(_ id: String) throws(EventStoreError) -> Int?
    /// Every stored catalogue record, for building the in-memory catalogue at start.
    func storedRecords() throws(EventStoreError) -> StoredRecords
    /// Calls `observer` on the store's writer queue with the records other processes sharing the store committed
    /// (puts, deletions, purges, erasures), after the store applied the histories, counts and relations they
    /// changed to its own memory. A store only this process writes (SQLite) never calls it; a change this
    /// process made is never reported (its caller applied it).
    func observeRecordChanges(_ observer: @escaping @Sendable (RecordChanges) -> Void)

    // MARK: Relations

    /// Stores item–item relations in one transaction and waits (never from a completion): all or nothing, an
    /// existing (from, to, type) takes the new weight, an item named for the first time gets an index. A purge of
    /// an item (`writeItems` with `.delete(purge: true)`) deletes its relations.
    func writeRelations(_ relations: [Relation]) throws(EventStoreError) -> RelationWriteResult
    /// Relations stored.
    var relationCount: Int { get }
    /// The relations from or to an item, sorted by the other item's index, then type.
    func relations(ofItem item: Int32, direction: RelationDirection) -> [StoredRelation]
    /// Every relation as directed pairs with summed weights, for training.
    func relationSnapshot() -> RelationSnapshot
    /// Calls `body` with every stored relation, by (from, to, type) index order.
    func exportRelations(_ body: (Relation) throws -> Void) throws

    // MARK: Ids

    /// Dense index of a user, or nil if the user has no stored event.
    func userIndex(_ id: String) -> Int32?
    /// Dense index of an item, or nil if the item has no stored event.
    func itemIndex(_ id: String) -> Int32?
    /// The external id of a user index.
    func userID(at index: Int32) -> String?
    /// The external id of an item index.
    func itemID(at index: Int32) -> String?
    /// Users with an index (an event or a record; erased users keep theirs).
    var userCount: Int { get }
    /// Items with an index (an event or a record).
    var itemCount: Int { get }
    /// Stored events (duplicates excluded).
    var eventCount: Int { get }
    /// Bytes the store occupies: the SQLite database and write-ahead log files, or the PostgreSQL database
    /// (`pg_database_size`); nil when that cannot be read now.
    var storedBytes: Int? { get }

    /// Since when (unix seconds) the store's database has been unreachable — writes fail meanwhile, reads answer
    /// from memory; nil while it is reachable. Always nil for an SQLite file.
    var unreachableSince: Double? { get }
    /// Applies what other processes sharing the store committed before the call (one read of the change feed, as
    /// its poll does) and returns once memory holds it, so a read that must see "everything stored now" (a pass
    /// asked for by `POST /retrain`) does not depend on the poll's timing. A store only this process writes
    /// (SQLite) returns at once. Throws when the shared database cannot be read; memory stays as it was.
    func catchUp() throws(EventStoreError)

    // MARK: Reading

    /// The user's items with summed weights, sorted by item index.
    func history(ofUser user: Int32) -> (items: [Int32], weights: [Float])
    /// `history(ofUser:)` with each item's latest event time (unix seconds).
    func timedHistory(ofUser user: Int32) -> (items: [Int32], weights: [Float], lastSeen: [Double])
    /// Stored events on an item.
    func eventCount(ofItem item: Int32) -> Int
    /// Stored events of a user.
    func eventCount(ofUser user: Int32) -> Int
    /// A number that changes whenever `user` gets a new event (0 without events).
    func historyRevision(ofUser user: Int32) -> Int
    /// True when the user has at least one stored event on the item.
    func hasSeen(user: Int32, item: Int32) -> Bool
    /// Every (user, item) aggregate as flat arrays sorted by user, then item, for training.
    func interactionSnapshot() -> InteractionSnapshot
    /// The latest value of each (user, item) pair among events whose type is in `types` (explicit ratings), for
    /// every user or only `user`, sorted by user then item.
    func latestRatings(types: [String], user: Int32?) throws(EventStoreError) -> RatingSnapshot
    /// Every item's summed event weight, by item index: popularity as of the last commit.
    func liveItemWeights() -> [Float]
    /// Calls `body` with every stored event in the order they were stored.
    func exportEvents(_ body: (Event) throws -> Void) throws

    // MARK: Online loop

    /// Queues served lists for the next commit and returns at once; they are written before the events of any
    /// append queued after the call, so events that name them can be attributed (see `Event.recommendationID`).
    func remember(_ lists: [ServedList])
    /// Forgets the served lists whose retention ended by `now` (unix seconds) and waits; their counts stay.
    func forgetServedLists(before now: Double) throws(EventStoreError) -> Int
    /// Lists served from `start` to `end` (unix seconds, by the minute) and the events attributed to them, per
    /// experiment, variant and model, with the unattributed events of the window.
    func onlineCounts(servedFrom start: Double, to end: Double) throws(EventStoreError) -> OnlineCounts
    /// An experiment's lists per hour and variant, served from `start` to `end`, in hour order.
    func experimentHours(_ experiment: String, servedFrom start: Double, to end: Double) throws(EventStoreError) -> [ExperimentHour]
    /// Stored events attributed to a served list whose timestamp is at least `start`, in time order.
    func attributedEvents(since start: Double) throws(EventStoreError) -> [AttributedEvent]
    /// The timestamp of the latest stored attributed event; nil when no event has been attributed.
    func latestAttributedEventTime() throws(EventStoreError) -> Double?
    /// Experiments stopped with a winner, oldest first.
    func experimentOutcomes() throws(EventStoreError) -> [ExperimentOutcome]
    /// Records (or replaces) an experiment's winner and waits.
    func recordExperimentOutcome(_ outcome: ExperimentOutcome) throws(EventStoreError)

    // MARK: Inspecting (the admin dashboard)

    /// Stored events per hour of `hours` (unix seconds / 3600, truncated), events per type, and the latest hour
    /// with an event; kept by the writes themselves, so this never scans the events.
    func eventActivity(hours: ClosedRange<Int64>) throws(EventStoreError) -> EventActivity
    /// The user's latest `limit` events, newest first, as stored (not summed).
    func latestEvents(ofUser user: Int32, limit: Int) throws(EventStoreError) -> [StoredEvent]
    /// Stored events on the item per day of their timestamp (unix seconds / 86400, truncated), in day order.
    func eventsPerDay(ofItem item: Int32) throws(EventStoreError) -> [(day: Int64, events: Int)]
}

/// One group-commit transaction, as reported to an `EventStore`'s commit observer.
package struct GroupCommit: Sendable {
    /// Append requests the transaction held.
    package let requests: Int
    /// Events the transaction held (duplicates included).
    package let events: Int
    /// Time to write and commit (fsync included).
    package let duration: Duration
    /// False when the transaction failed and was rolled back.
    package let succeeded: Bool

    /// Describes a transaction.
    package init(requests: Int, events: Int, duration: Duration, succeeded: Bool) {
        self.requests = requests
        self.events = events
        self.duration = duration
        self.succeeded = succeeded
    }
}
