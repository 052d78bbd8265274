internal import CSQLite

/// Served lists, attribution and the online counts, written inside the writer's transactions.
///
/// Used only on the store's writer queue, by `StoreWriter` (which checks the queue). A list is remembered once
/// (ids are unique; a list flushed twice is stored once) and counted in `online_lists` under the minute it was
/// served; an attributed event is counted in `online_events` under its list's minute, so a window's CTR divides
/// the attributed lists of the lists served in it by those lists, whenever the events came.
final class OnlineLedger {
    private let connection: SQLiteConnection
    private let conversionTypes: Set<String>
    private let insertList: SQLiteStatement
    private let countList: SQLiteStatement
    private let selectList: SQLiteStatement
    private let markList: SQLiteStatement
    private let countAttributedList: SQLiteStatement
    private let insertAttribution: SQLiteStatement
    private let countEvent: SQLiteStatement
    private let forgetLists: SQLiteStatement

    init(connection: SQLiteConnection, conversionTypes: Set<String>) throws(EventStoreError) {
        self.connection = connection
        self.conversionTypes = conversionTypes
        insertList = try connection.prepare("""
            INSERT INTO served_lists (id, served_at, expires_at, user, model, version, experiment, variant, items, weight)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (id) DO NOTHING
            """, persistent: true)
        countList = try connection.prepare("""
            INSERT INTO online_lists (minute, experiment, variant, model, lists, weighted, attributed_lists, converted_lists)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0)
            ON CONFLICT (minute, experiment, variant, model)
            DO UPDATE SET lists = lists + excluded.lists, weighted = weighted + excluded.weighted
            """, persistent: true)
        selectList = try connection.prepare("""
            SELECT served_at, expires_at, experiment, variant, model, items, attributed, converted FROM served_lists WHERE id = ?1
            """, persistent: true)
        markList = try connection.prepare(
            "UPDATE served_lists SET attributed = attributed + 1, converted = converted + ?2 WHERE id = ?1", persistent: true)
        countAttributedList = try connection.prepare("""
            UPDATE online_lists SET attributed_lists = attributed_lists + ?5, converted_lists = converted_lists + ?6
            WHERE minute = ?1 AND experiment = ?2 AND variant = ?3 AND model = ?4
            """, persistent: true)
        insertAttribution = try connection.prepare("""
            INSERT INTO attributions (event, list, served_at, experiment, variant, model, position)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """, persistent: true)
        countEvent = try connection.prepare("""
            INSERT INTO online_events (minute, experiment, variant, model, type, position, events)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (minute, experiment, variant, model, type, position) DO UPDATE SET events = events + excluded.events
            """, persistent: true)
        forgetLists = try connection.prepare("DELETE FROM served_lists WHERE expires_at <= ?1", persistent: true)
    }

    /// The lists of one minute, experiment, variant and model, counted with one statement per transaction.
    private struct ListGroup: Hashable {
        let minute: Int64
        let experiment: String
        let variant: String
        let model: String

        /// Binds the group to parameters 1–4 (minute, experiment, variant, model) of an `online_lists` or
        /// `online_events` statement.
        func bind(to statement: SQLiteStatement) {
            statement.bind(minute, at: 1)
            statement.bind(experiment, at: 2)
            statement.bind(variant, at: 3)
            statement.bind(model, at: 4)
        }
    }

    /// Attributed (or, with empty names and position -1, unattributed) events of one kind, counted likewise.
    private struct EventGroup: Hashable {
        let list: ListGroup
        let type: String
        let position: Int
    }

    /// The transaction's attributed events and newly attributed or converted lists, written by `writeCounts()`.
    private var eventCounts: [EventGroup: Int64] = [:]
    private var listCounts: [ListGroup: (attributed: Int64, converted: Int64)] = [:]

    /// Remembers `lists` and counts them; an item without an index is stored as -1 (no event can name it).
    func remember(_ lists: [ServedList], itemIndex: (String) -> Int32?) throws(EventStoreError) {
        var groups: [ListGroup: (lists: Int64, weighted: Int64)] = [:]
        var packed: [UInt8] = []
        for list in lists {
            packed.removeAll(keepingCapacity: true)
            for item in list.items {
                let index = UInt32(bitPattern: itemIndex(item) ?? -1)
                withUnsafeBytes(of: index.littleEndian) { packed.append(contentsOf: $0) }
            }
            insertList.bind(list.id, at: 1)
            insertList.bind(list.servedAt, at: 2)
            insertList.bind(list.expiresAt, at: 3)
            insertList.bind(list.user, at: 4)
            insertList.bind(list.model, at: 5)
            insertList.bind(list.version, at: 6)
            insertList.bind(list.experiment, at: 7)
            insertList.bind(list.variant, at: 8)
            insertList.bind(blob: packed, at: 9)
            insertList.bind(Int64(list.weight), at: 10)
            try insertList.run()
            guard connection.changes == 1 else { continue }
            let group = ListGroup(minute: OnlineCounts.minute(of: list.servedAt), experiment: list.experiment, variant: list.variant,
                                  model: list.model)
            groups[group, default: (0, 0)].lists += 1
            groups[group, default: (0, 0)].weighted += Int64(list.weight)
        }
        for (group, counts) in groups {
            group.bind(to: countList)
            countList.bind(counts.lists, at: 5)
            countList.bind(counts.weighted, at: 6)
            try countList.run()
        }
    }

    /// Attributes the event just stored as `seq` (its item has index `item`) to the list it names, if that list
    /// is remembered at `now` and holds the item; otherwise counts it as unattributed and returns nil.
    func attribute(_ event: Event, listID: String, seq: Int64, item: Int32, now: Double) throws(EventStoreError) -> Attribution? {
        selectList.bind(listID, at: 1)
        guard try selectList.step() else { return countUnattributed(event, now: now) }
        let servedAt = selectList.double(at: 0)
        let expiresAt = selectList.double(at: 1)
        let experiment = selectList.text(at: 2)
        let variant = selectList.text(at: 3)
        let model = selectList.text(at: 4)
        let position = selectList.withBlob(at: 5) { bytes -> Int? in
            let target = UInt32(bitPattern: item).littleEndian
            for offset in stride(from: 0, to: bytes.count - 3, by: 4)
            where bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self) == target {
                return offset / 4
            }
            return nil
        }
        let wasAttributed = selectList.int64(at: 6) > 0
        let wasConverted = selectList.int64(at: 7) > 0
        selectList.reset()
        guard expiresAt > now, let position else { return countUnattributed(event, now: now) }

        let isConversion = conversionTypes.contains(event.type)
        markList.bind(listID, at: 1)
        markList.bind(Int64(isConversion ? 1 : 0), at: 2)
        try markList.run()
        let group = ListGroup(minute: OnlineCounts.minute(of: servedAt), experiment: experiment, variant: variant, model: model)
        if !wasAttributed || (isConversion && !wasConverted) {
            listCounts[group, default: (0, 0)].attributed += wasAttributed ? 0 : 1
            listCounts[group, default: (0, 0)].converted += isConversion && !wasConverted ? 1 : 0
        }
        insertAttribution.bind(seq, at: 1)
        insertAttribution.bind(listID, at: 2)
        insertAttribution.bind(servedAt, at: 3)
        insertAttribution.bind(experiment, at: 4)
        insertAttribution.bind(variant, at: 5)
        insertAttribution.bind(model, at: 6)
        insertAttribution.bind(Int64(position), at: 7)
        try insertAttribution.run()
        eventCounts[EventGroup(list: group, type: event.type, position: position), default: 0] += 1
        return Attribution(model: model, experiment: experiment, variant: variant, type: event.type, position: position)
    }

    /// Forgets the lists whose retention ended by `now`; their counts stay. Returns how many went.
    func forget(before now: Double) throws(EventStoreError) -> Int {
        forgetLists.bind(now, at: 1)
        try forgetLists.run()
        return Int(connection.changes)
    }

    /// Starts a transaction's counts afresh (a rolled-back transaction's are dropped with it).
    func beginTransaction() {
        eventCounts.removeAll(keepingCapacity: true)
        listCounts.removeAll(keepingCapacity: true)
    }

    /// Writes the counts of the transaction's attributions, one statement per kind; run before its commit.
    func writeCounts() throws(EventStoreError) {
        for (group, counts) in listCounts {
            group.bind(to: countAttributedList)
            countAttributedList.bind(counts.attributed, at: 5)
            countAttributedList.bind(counts.converted, at: 6)
            try countAttributedList.run()
        }
        for (group, events) in eventCounts {
            group.list.bind(to: countEvent)
            countEvent.bind(group.type, at: 5)
            countEvent.bind(Int64(group.position), at: 6)
            countEvent.bind(events, at: 7)
            try countEvent.run()
        }
        beginTransaction()
    }

    private func countUnattributed(_ event: Event, now: Double) -> Attribution? {
        let group = ListGroup(minute: OnlineCounts.minute(of: now), experiment: "", variant: "", model: "")
        eventCounts[EventGroup(list: group, type: event.type, position: -1), default: 0] += 1
        return nil
    }
}
