import EventFormats
import Dispatch
import Locking
import Synchronization

/// The `EventStore` of one process: an SQLite file (WAL) with its in-memory id dictionaries and interaction
/// aggregates.
///
/// **Threads.** One SQLite connection is owned by a private serial writer queue; every database operation,
/// opening included, runs there, and debug builds check that it does (`DispatchQueue.assertIsCurrent()` in
/// `StoreWriter`, in `InteractionIndex`'s writer-queue-only members and in the group commit). Reads
/// (`userIndex`, `history`, `interactionSnapshot`, …) are answered from memory under a reader-writer lock
/// and never touch SQLite, so request threads can call them freely.
///
/// **Group commit.** `append(_:completion:)` queues a request and returns. The writer takes everything
/// pending (up to `maxEventsPerTransaction` events) into one transaction, commits it, updates the in-memory
/// state, and only then calls each request's completion — so a success means the events are durable and the
/// next read sees them. While one transaction commits, new requests gather for the next, so many concurrent
/// requests share one fsync. If a transaction fails, every request in it fails, nothing of it is visible,
/// and the store goes on with the next transaction.
///
/// **Idempotency.** An event whose `id` is already stored (or appears earlier in the same transaction) is a
/// duplicate: it is counted in `AppendResult.duplicates` and not stored.
///
/// **Ids.** Users and items get dense `Int32` indices in order of first appearance (`0, 1, 2, …`). They are
/// stored, stable across restarts, and never reused.
///
/// **One writer process.** The in-memory state mirrors the file, so only one process may write a store at a
/// time; others may open it with `readOnly` (reads, backups) and see the state as of their open.
package final class SQLiteEventStore: EventStore, @unchecked Sendable {
    /// A file is never unreachable.
    package var unreachableSince: Double? { nil }
    /// Nothing to catch up with: every write to this file goes through this process.
    package func catchUp() {}

    // Safe to share: `writer` is used only on `queue` (checked in debug builds); `index` guards itself with a
    // reader-writer lock; `pending` is guarded by `pendingLock`; `transactions` is atomic; `commitObservers` is a
    // `Lock`.

    private struct PendingAppend: Sendable {
        let events: [Event]
        let completion: @Sendable (Result<AppendResult, EventStoreError>) -> Void
    }

    private struct PendingQueue {
        var requests: [PendingAppend] = []
        /// Served lists to remember in the next transaction, before its events.
        var lists: [ServedList] = []
        /// True while a drain block is scheduled or running on the writer queue.
        var drainScheduled = false
        var closed = false
    }

    private enum Admission {
        case rejected, queued, scheduled
    }

    /// Hands one append's result from the writer queue to the thread waiting for it.
    private final class Outcome: @unchecked Sendable {
        // Safe to share: `result` is written once before `done` is signalled and read only after waiting on it.
        private var result: Result<AppendResult, EventStoreError>?
        private let done = DispatchSemaphore(value: 0)

        func deliver(_ result: Result<AppendResult, EventStoreError>) {
            assert(self.result == nil, "an append's result is delivered once")
            self.result = result
            done.signal()
        }

        func wait() -> Result<AppendResult, EventStoreError> {
            done.wait()
            return result!
        }
    }

    /// The settings the store was opened with.
    package let configuration: Configuration
    /// The in-memory ids, histories and ratings (its own lock; the writer queue alone changes it).
    let index: InteractionIndex
    private let relationIndex: RelationIndex
    let writer: StoreWriter
    private let queue: DispatchQueue
    // A pthread lock, so ThreadSanitizer can see the synchronisation (see `Lock`).
    private let pendingLock = ReadWriteLock()
    private var pending = PendingQueue()
    private let transactions = Atomic<Int>(0)
    private let commitObservers = Lock<[@Sendable (GroupCommit) -> Void]>([])

    /// Opens (creating and migrating if needed) the store and rebuilds the in-memory state from it.
    package init(configuration: Configuration) throws(EventStoreError) {
        self.configuration = configuration
        let queue = DispatchQueue(label: "recsmith.eventstore.writer", qos: .userInitiated)
        let index = InteractionIndex(writerQueue: queue)
        let relationIndex = RelationIndex(writerQueue: queue)
        self.queue = queue
        self.index = index
        self.relationIndex = relationIndex
        // On the writer queue like every later database operation (`sync` runs it on this very thread).
        let opened = queue.sync {
            Result { () throws(EventStoreError) in 
                try StoreWriter(configuration: configuration, index: index, relations: relationIndex, queue: queue)
            }
        }
        writer = try opened.get()
    }

    /// Opens the store at `path` with default settings.
    package convenience init(path: String) throws(EventStoreError) {
        try self.init(configuration: Configuration(path: path))
    }

    // MARK: Writing

    /// Queues events for the next group commit and returns at once.
    ///
    /// `completion` runs on the writer queue after the transaction holding these events has committed (or
    /// failed); it must be quick and must not call the store's synchronous methods. An empty batch succeeds
    /// with zero counts. After `close()` the completion gets `.closed`.
    package func append(
        _ events: [Event], completion: @escaping @Sendable (Result<AppendResult, EventStoreError>) -> Void
    ) {
        let request = PendingAppend(events: events, completion: completion)
        let admission = withPending { state -> Admission in
            if state.closed { return .rejected }
            state.requests.append(request)
            if state.drainScheduled { return .queued }
            state.drainScheduled = true
            return .scheduled
        }
        switch admission {
        case .rejected: completion(.failure(.closed))
        case .scheduled: queue.async { self.drainScheduledBatch() }
        case .queued: break
        }
    }

    /// Queues served lists for the next group commit and returns at once; they are written before the events of
    /// any append queued after this call, so an event naming one of them can be attributed. A failed transaction
    /// loses them (the commit observers hear of it).
    package func remember(_ lists: [ServedList]) {
        guard !lists.isEmpty else { return }
        let admission = withPending { state -> Admission in
            if state.closed { return .rejected }
            state.lists.append(contentsOf: lists)
            if state.drainScheduled { return .queued }
            state.drainScheduled = true
            return .scheduled
        }
        if admission == .scheduled { queue.async { self.drainScheduledBatch() } }
    }

    /// Appends through the group commit and waits for the commit. Blocks the calling thread: do not call it
    /// from the writer queue (a completion) or from Swift concurrency's cooperative threads.
    package func append(_ events: [Event]) throws(EventStoreError) -> AppendResult {
        dispatchPrecondition(condition: .notOnQueue(queue))
        let outcome = Outcome()
        append(events) { result in outcome.deliver(result) }
        return try outcome.wait().get()
    }

    /// Stores a large batch (typically 100k–1M events from an import) in one transaction of its own,
    /// outside the group-commit queue, and waits for it. All or nothing, like `append`.
    package func appendBulk(_ events: [Event]) throws(EventStoreError) -> AppendResult {
        dispatchPrecondition(condition: .notOnQueue(queue))
        let result = queue.sync { () -> Result<AppendResult, EventStoreError> in
            Result { () throws(EventStoreError) in
                guard !events.isEmpty else { return AppendResult(accepted: 0, duplicates: 0) }
                let results = try writer.write([events], into: index, now: EventValidator.currentTime())
                transactions.add(1, ordering: .relaxed)
                return results[0]
            }
        }
        return try result.get()
    }

    /// Writes a consistent copy of the database to `path` (replacing any file there) while the store keeps
    /// accepting events; pending appends are committed between backup steps. The copy is built at
    /// `path + ".partial"` and renamed into place, so `path` never holds a half-written file. Blocks until done.
    package func backup(to path: String) throws(EventStoreError) {
        dispatchPrecondition(condition: .notOnQueue(queue))
        let result = queue.sync { () -> Result<Void, EventStoreError> in
            Result { () throws(EventStoreError) in
                try writer.backup(to: path) { commitNextBatch() }
            }
        }
        try result.get()
    }

    /// Commits every queued request, then closes the database. Later appends and backups fail with `closed`;
    /// reads keep answering from memory. Calling it again does nothing. Blocks until done, so it must not be
    /// called from an append completion.
    package func close() {
        dispatchPrecondition(condition: .notOnQueue(queue))
        withPending { $0.closed = true }
        queue.sync {
            while commitNextBatch() {}
            writer.close()
        }
    }

    /// Calls `observer` on the writer queue after every group-commit transaction, committed or failed; it must
    /// be quick and must not call the store's synchronous methods.
    package func observeCommits(_ observer: @escaping @Sendable (GroupCommit) -> Void) {
        commitObservers.withLock { $0.append(observer) }
    }

    /// Transactions committed since the store was opened (group commits and bulk appends).
    package var committedTransactionCount: Int { transactions.load(ordering: .relaxed) }

    // MARK: Group commit (writer queue)

    private func withPending<Result>(_ body: (inout PendingQueue) -> Result) -> Result {
        pendingLock.withWriteLock { body(&pending) }
    }

    private func drainScheduledBatch() {
        queue.assertIsCurrent()
        commitNextBatch()
        let more = withPending { state -> Bool in
            if state.requests.isEmpty && state.lists.isEmpty {
                state.drainScheduled = false
                return false
            }
            return true
        }
        // Yield the queue between transactions so synchronous work (bulk, backup, close) is not starved.
        if more { queue.async { self.drainScheduledBatch() } }
    }

    /// Takes pending requests up to the transaction limit and commits them; returns false if none were pending.
    @discardableResult
    private func commitNextBatch() -> Bool {
        queue.assertIsCurrent()
        let limit = configuration.maxEventsPerTransaction
        let (requests, lists) = withPending { state -> ([PendingAppend], [ServedList]) in
            var taken = 0
            var events = 0
            while taken < state.requests.count, taken == 0 || events + state.requests[taken].events.count <= limit {
                events += state.requests[taken].events.count
                taken += 1
            }
            let batch = Array(state.requests[..<taken])
            state.requests.removeFirst(taken)
            let lists = state.lists
            state.lists.removeAll()
            return (batch, lists)
        }
        guard !requests.isEmpty || !lists.isEmpty else { return false }
        let outcome: Result<[AppendResult], EventStoreError>
        if lists.isEmpty && requests.allSatisfy({ $0.events.isEmpty }) {
            outcome = .success(requests.map { _ in AppendResult(accepted: 0, duplicates: 0) })
        } else {
            let start = ContinuousClock.now
            outcome = Result { () throws(EventStoreError) in
                let results = try writer.write(requests.map(\.events), lists: lists, into: index, now: EventValidator.currentTime())
                transactions.add(1, ordering: .relaxed)
                return results
            }
            let observers = commitObservers.withLock { $0 }
            if !observers.isEmpty {
                var succeeded = false
                if case .success = outcome { succeeded = true }
                let commit = GroupCommit(requests: requests.count, events: requests.reduce(0) { $0 + $1.events.count },
                                         duration: ContinuousClock.now - start, succeeded: succeeded)
                for observer in observers { observer(commit) }
            }
        }
        switch outcome {
        case .success(let results):
            for (request, result) in zip(requests, results) { request.completion(.success(result)) }
        case .failure(let error):
            for request in requests { request.completion(.failure(error)) }
        }
        return true
    }

    // MARK: Records

    package func writeItems(_ writes: [ItemWrite]) throws(EventStoreError) -> [ItemWriteOutcome] {
        try onWriter { () throws(EventStoreError) in try writer.write(writes, into: index) }
    }

    package func writeUserRecords(_ records: [(user: String, record: String?)]) throws(EventStoreError) -> [Int32] {
        try onWriter { () throws(EventStoreError) in try writer.writeUserRecords(records, into: index) }
    }

    package func eraseUser(_ id: String) throws(EventStoreError) -> Int? {
        try onWriter { () throws(EventStoreError) in try writer.erase(user: id, from: index) }
    }

    package func storedRecords() throws(EventStoreError) -> StoredRecords {
        try onWriter { () throws(EventStoreError) in try writer.records() }
    }

    /// Never calls `observer`: the file's lock keeps every other writer out (`StoreLock`).
    package func observeRecordChanges(_ observer: @escaping @Sendable (RecordChanges) -> Void) {}

    // MARK: Relations

    package func writeRelations(_ relations: [Relation]) throws(EventStoreError) -> RelationWriteResult {
        try onWriter { () throws(EventStoreError) in try writer.write(relations, into: index) }
    }

    package var relationCount: Int { relationIndex.count }

    package func relations(ofItem item: Int32, direction: RelationDirection) -> [StoredRelation] {
        relationIndex.relations(of: item, direction: direction)
    }

    package func relationSnapshot() -> RelationSnapshot {
        relationIndex.snapshot(itemCount: index.itemCount)
    }

    package func exportRelations(_ body: (Relation) throws -> Void) throws {
        let all = relationIndex.all().sorted { ($0.from, $0.to, $0.type) < ($1.from, $1.to, $1.type) }
        for relation in all {
            guard let from = itemID(at: relation.from), let to = itemID(at: relation.to) else { continue }
            try body(Relation(from: from, to: to, type: relation.type, weight: relation.weight))
        }
    }

    /// Runs `body` on the writer queue after what is queued there and waits for it.
    func onWriter<Value>(_ body: () throws(EventStoreError) -> Value) throws(EventStoreError) -> Value {
        dispatchPrecondition(condition: .notOnQueue(queue))
        let result = queue.sync { Result { () throws(EventStoreError) in try body() } }
        return try result.get()
    }

    // MARK: Reading (any thread, from memory)

    /// Dense index of a user, or nil if the user has no stored event.
    package func userIndex(_ id: String) -> Int32? { index.userIndex(id) }

    /// Dense index of an item, or nil if the item has no stored event.
    package func itemIndex(_ id: String) -> Int32? { index.itemIndex(id) }

    /// External id of the user at a dense index, or nil when out of range.
    package func userID(at index: Int32) -> String? { self.index.userID(at: index) }

    /// External id of the item at a dense index, or nil when out of range.
    package func itemID(at index: Int32) -> String? { self.index.itemID(at: index) }

    /// Number of distinct users with stored events.
    package var userCount: Int { index.userCount }

    /// Number of distinct items with stored events.
    package var itemCount: Int { index.itemCount }

    /// Number of stored events (duplicates excluded).
    package var eventCount: Int { index.eventCount }

    /// The items a user has interacted with, ascending, with the summed weight of each; empty for an
    /// unknown index.
    package func history(ofUser user: Int32) -> (items: [Int32], weights: [Float]) { index.history(ofUser: user) }

    package func timedHistory(ofUser user: Int32) -> (items: [Int32], weights: [Float], lastSeen: [Double]) {
        index.timedHistory(ofUser: user)
    }

    package func eventCount(ofItem item: Int32) -> Int { index.eventCount(ofItem: item) }

    package func eventCount(ofUser user: Int32) -> Int { index.eventCount(ofUser: user) }

    /// A number that changes whenever `user` gets a new event (0 for a user without events); lets a cache of
    /// answers for the user tell that its entry is stale.
    package func historyRevision(ofUser user: Int32) -> Int { index.historyRevision(ofUser: user) }

    /// True when the user has at least one stored event on the item.
    package func hasSeen(user: Int32, item: Int32) -> Bool { index.hasSeen(user: user, item: item) }

    /// Copies every (user, item) aggregate into flat arrays sorted by user, then item, for training.
    package func interactionSnapshot() -> InteractionSnapshot { index.snapshot() }

    /// Every item's summed event weight, by item index: popularity as of the last commit, kept by ingest.
    package func liveItemWeights() -> [Float] { index.itemWeightTotals() }
}
