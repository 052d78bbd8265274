import Dispatch
import EventFormats
import EventStore
import Locking
import Synchronization

/// The `EventStore` on PostgreSQL: several processes (API replicas, trainers, `import`) share one database,
/// each keeping the in-memory id dictionaries, histories and relations the SQLite store keeps.
///
/// **Threads.** As `SQLiteEventStore`: one writer connection owned by a private serial writer queue runs
/// every write and the change feed (checked in debug builds); reads of ids, histories, counts and snapshots
/// come from memory under the index's reader-writer lock; the online figures, the dashboard's reads and
/// exports borrow a connection from a small pool (`Configuration.pool`) on the caller's thread.
///
/// **Group commit.** `append(_:completion:)` queues the request; the writer takes everything pending (up to
/// `maxEventsPerTransaction` events) into one transaction under the database-wide write lock (see
/// `PostgresWriter`), stores the events with one `COPY`, commits, applies them to memory and only then calls
/// the completions: a success means committed, and this process's next read sees the events.
///
/// **Idempotency.** An event whose `id` is stored — by any process — or appears earlier in the same
/// transaction is a duplicate, exactly as in SQLite (`AppendResult.duplicates`).
///
/// **The change feed.** Every `feedInterval` (100 ms by default) the writer queue reads what other processes
/// committed since its cursor (`events.seq` and `changes.seq`, one gap-free sequence, see
/// `PostgresWriter+Feed.swift`) in one snapshot: new names, events, and the changes that are not events —
/// catalogue records, relations, purges and erasures — each applied in its place among the events. It tells the
/// commit observers of the events (`GroupCommit.requests` 0) and the record observers of the records
/// (`observeRecordChanges`); each write transaction catches up first as well. So another process excludes an
/// event, drops an erased user or hides a deleted item within a poll of its commit.
package final class PostgresEventStore: EventStore, @unchecked Sendable {
    // Safe to share: `writer` is used only on `queue`; `index` and `relationIndex` guard themselves; `pending`
    // is guarded by `pendingLock`; `transactions` is atomic; `commitObservers` and `recordObservers` are `Lock`s;
    // `feed` is set in `init` and cancelled on `queue`; `pool` is `Sendable`.

    private struct PendingAppend: Sendable {
        let events: [Event]
        let completion: @Sendable (Result<AppendResult, EventStoreError>) -> Void
    }

    private struct PendingQueue {
        var requests: [PendingAppend] = []
        var lists: [ServedList] = []
        var drainScheduled = false
        var closed = false
    }

    /// Hands one append's result from the writer queue to the waiting thread.
    private final class Outcome: @unchecked Sendable {
        // Safe to share: `result` is written once before `done` is signalled and read only after waiting on it.
        private var result: Result<AppendResult, EventStoreError>?
        private let done = DispatchSemaphore(value: 0)

        func deliver(_ result: Result<AppendResult, EventStoreError>) {
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
    let index: InteractionIndex
    let relationIndex: RelationIndex
    let writer: PostgresWriter
    /// Connections for the reads that go to the database.
    let pool: PostgresPool
    /// Reclaims the rows an erasure deleted, after it commits.
    let vacuum: PostgresVacuum
    /// The database's size as last read, and when (`storedBytes`).
    let sizeReading = Lock<(bytes: Int?, at: ContinuousClock.Instant?)>((nil, nil))
    let queue: DispatchQueue
    private let pendingLock = ReadWriteLock()
    private var pending = PendingQueue()
    private let transactions = Atomic<Int>(0)
    private let commitObservers: Lock<[@Sendable (GroupCommit) -> Void]>
    private let recordObservers: Lock<[@Sendable (RecordChanges) -> Void]>
    private let feed: any DispatchSourceTimer
    /// The writer's `unreachableSince`, copied after every feed poll and write for readers on other threads.
    private let reachability = Lock<Double?>(nil)

    /// Connects, creates or migrates the schema, loads the in-memory state and starts the change feed.
    package init(configuration: Configuration) throws(EventStoreError) {
        self.configuration = configuration
        let queue = DispatchQueue(label: "recsmith.postgres.writer", qos: .userInitiated)
        let index = InteractionIndex(writerQueue: queue)
        let relationIndex = RelationIndex(writerQueue: queue)
        self.queue = queue
        self.index = index
        self.relationIndex = relationIndex
        pool = PostgresPool(settings: configuration.pool)
        vacuum = PostgresVacuum(target: configuration.target)
        let observers = Lock<[@Sendable (GroupCommit) -> Void]>([])
        commitObservers = observers
        let recordObservers = Lock<[@Sendable (RecordChanges) -> Void]>([])
        self.recordObservers = recordObservers
        let opened = queue.sync {
            Result { () throws(EventStoreError) in
                try PostgresWriter(configuration: configuration, index: index, relations: relationIndex, queue: queue) { events in
                    // Another process's commits, now applied here: told like a commit of this one's, with no requests.
                    let commit = GroupCommit(requests: 0, events: events, duration: .zero, succeeded: true)
                    for observer in observers.withLock({ $0 }) { observer(commit) }
                } recordsApplied: { records in
                    for observer in recordObservers.withLock({ $0 }) { observer(records) }
                }
            }
        }
        writer = try opened.get()
        feed = DispatchSource.makeTimerSource(queue: queue)
        let interval = configuration.feedInterval
        let nanoseconds = Int(interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000)
        feed.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds),
                      leeway: .nanoseconds(nanoseconds / 10))
        feed.setEventHandler { [weak self] in self?.pollFeed() }
        feed.resume()
    }

    deinit {
        feed.cancel()
    }

    // MARK: Writing

    package func append(
        _ events: [Event], completion: @escaping @Sendable (Result<AppendResult, EventStoreError>) -> Void
    ) {
        let request = PendingAppend(events: events, completion: completion)
        let schedule = withPending { state -> Bool? in
            if state.closed { return nil }
            state.requests.append(request)
            defer { state.drainScheduled = true }
            return !state.drainScheduled
        }
        switch schedule {
        case nil: completion(.failure(.closed))
        case true?: queue.async { self.drainScheduledBatch() }
        case false?: break
        }
    }

    package func remember(_ lists: [ServedList]) {
        guard !lists.isEmpty else { return }
        let schedule = withPending { state -> Bool in
            if state.closed { return false }
            state.lists.append(contentsOf: lists)
            defer { state.drainScheduled = true }
            return !state.drainScheduled
        }
        if schedule { queue.async { self.drainScheduledBatch() } }
    }

    package func append(_ events: [Event]) throws(EventStoreError) -> AppendResult {
        dispatchPrecondition(condition: .notOnQueue(queue))
        let outcome = Outcome()
        append(events) { result in outcome.deliver(result) }
        return try outcome.wait().get()
    }

    /// Stores a large batch in a transaction of its own: the batch's event ids go to a temporary table by
    /// `COPY` to find the stored ones, then the events go in by one `COPY`. All or nothing.
    ///
    /// Not `INSERT … ON CONFLICT DO NOTHING` from a staging table: an id is claimed only by a stored event, so
    /// the duplicates must be known before indices are handed out; under the write lock nobody else can store
    /// an event meanwhile, so the lookup is exact and the rows go straight into `events`.
    package func appendBulk(_ events: [Event]) throws(EventStoreError) -> AppendResult {
        dispatchPrecondition(condition: .notOnQueue(queue))
        let result = queue.sync { () -> Result<AppendResult, EventStoreError> in
            Result { () throws(EventStoreError) in
                guard !events.isEmpty else { return AppendResult(accepted: 0, duplicates: 0) }
                let results = try writer.write([events], now: EventValidator.currentTime(), bulk: true)
                transactions.add(1, ordering: .relaxed)
                return results[0]
            }
        }
        return try result.get()
    }

    /// Commits what is queued, stops the change feed and closes the connections. Reads keep answering from
    /// memory; later appends fail with `closed`. Calling it again does nothing.
    package func close() {
        dispatchPrecondition(condition: .notOnQueue(queue))
        withPending { $0.closed = true }
        queue.sync {
            while commitNextBatch() {}
            feed.cancel()
            writer.close()
        }
        pool.close()
    }

    package func observeCommits(_ observer: @escaping @Sendable (GroupCommit) -> Void) {
        commitObservers.withLock { $0.append(observer) }
    }

    package func observeRecordChanges(_ observer: @escaping @Sendable (RecordChanges) -> Void) {
        recordObservers.withLock { $0.append(observer) }
    }

    /// Transactions committed since the store was opened (group commits and bulk appends).
    package var committedTransactionCount: Int { transactions.load(ordering: .relaxed) }

    // MARK: Group commit and the feed (writer queue)

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
        if more { queue.async { self.drainScheduledBatch() } }
    }

    /// Takes pending requests up to the transaction limit and commits them; false if none were pending.
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
                let results = try writer.write(requests.map(\.events), lists: lists, now: EventValidator.currentTime())
                transactions.add(1, ordering: .relaxed)
                return results
            }
            let duration = ContinuousClock.now - start
            var succeeded = false
            if case .success = outcome { succeeded = true }
            notify(GroupCommit(requests: requests.count, events: requests.reduce(0) { $0 + $1.events.count },
                               duration: duration, succeeded: succeeded))
        }
        noteReachability()
        switch outcome {
        case .success(let results):
            for (request, result) in zip(requests, results) { request.completion(.success(result)) }
        case .failure(let error):
            for request in requests { request.completion(.failure(error)) }
        }
        return true
    }

    /// One poll of the change feed; a failure (the database unreachable) is retried at the next tick, the writer
    /// reconnecting with backoff.
    private func pollFeed() {
        queue.assertIsCurrent()
        try? writer.pollFeed()
        noteReachability()
    }

    /// One poll of the change feed on the writer queue, after what is queued there, waited for.
    package func catchUp() throws(EventStoreError) {
        try onWriter { () throws(EventStoreError) in
            defer { noteReachability() }
            try writer.pollFeed()
        }
    }

    private func noteReachability() {
        let since = writer.unreachableSince
        reachability.withLock { $0 = since }
    }

    package var unreachableSince: Double? { reachability.withLock { $0 } }

    private func notify(_ commit: GroupCommit) {
        let observers = commitObservers.withLock { $0 }
        for observer in observers { observer(commit) }
    }

    /// Runs `body` on the writer queue after what is queued there and waits for it.
    func onWriter<Value>(_ body: () throws(EventStoreError) -> Value) throws(EventStoreError) -> Value {
        dispatchPrecondition(condition: .notOnQueue(queue))
        let result = queue.sync { Result { () throws(EventStoreError) in try body() } }
        return try result.get()
    }

    /// Borrows a pooled connection for a read. While the writer finds the database unreachable (it retries every
    /// feed poll, backing off up to `PostgresWriter.maxBackoff`) the read fails at once with a connection error
    /// instead of waiting out a connect timeout per request: the dashboard's reads then answer 503 at once.
    func withReadConnection<Value>(_ body: (PostgresConnection) throws(PostgresError) -> Value) throws(EventStoreError) -> Value {
        if let since = unreachableSince {
            throw .postgres(PostgresError(
                kind: .connection, sqlState: nil,
                message: "\(configuration.target.redacted) has been unreachable since \(RFC3339.format(since)); reconnecting",
                statement: nil))
        }
        do throws(PostgresError) {
            return try pool.withConnection(body)
        } catch {
            throw .postgres(error)
        }
    }

    // MARK: Reading (any thread, from memory)

    package func userIndex(_ id: String) -> Int32? { index.userIndex(id) }
    package func itemIndex(_ id: String) -> Int32? { index.itemIndex(id) }
    package func userID(at index: Int32) -> String? { self.index.userID(at: index) }
    package func itemID(at index: Int32) -> String? { self.index.itemID(at: index) }
    package var userCount: Int { index.userCount }
    package var itemCount: Int { index.itemCount }
    package var eventCount: Int { index.eventCount }
    package func history(ofUser user: Int32) -> (items: [Int32], weights: [Float]) { index.history(ofUser: user) }

    package func timedHistory(ofUser user: Int32) -> (items: [Int32], weights: [Float], lastSeen: [Double]) {
        index.timedHistory(ofUser: user)
    }

    package func eventCount(ofItem item: Int32) -> Int { index.eventCount(ofItem: item) }
    package func eventCount(ofUser user: Int32) -> Int { index.eventCount(ofUser: user) }
    package func historyRevision(ofUser user: Int32) -> Int { index.historyRevision(ofUser: user) }
    package func hasSeen(user: Int32, item: Int32) -> Bool { index.hasSeen(user: user, item: item) }
    package func interactionSnapshot() -> InteractionSnapshot { index.snapshot() }
    package func liveItemWeights() -> [Float] { index.itemWeightTotals() }

    // MARK: Relations (from memory)

    package var relationCount: Int { relationIndex.count }

    package func relations(ofItem item: Int32, direction: RelationDirection) -> [StoredRelation] {
        relationIndex.relations(of: item, direction: direction)
    }

    package func relationSnapshot() -> RelationSnapshot { relationIndex.snapshot(itemCount: index.itemCount) }

    package func exportRelations(_ body: (Relation) throws -> Void) throws {
        let all = relationIndex.all().sorted { ($0.from, $0.to, $0.type) < ($1.from, $1.to, $1.type) }
        for relation in all {
            guard let from = itemID(at: relation.from), let to = itemID(at: relation.to) else { continue }
            try body(Relation(from: from, to: to, type: relation.type, weight: relation.weight))
        }
    }
}
