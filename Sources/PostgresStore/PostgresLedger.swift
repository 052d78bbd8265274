import EventStore

/// Served lists, attribution and the online counts inside one writer transaction, as `OnlineLedger` does for
/// SQLite: a list is remembered once and counted in `online_lists` under the minute it was served; an attributed
/// event is counted in `online_events` under its list's minute; an unattributed one under the minute of `now`
/// with empty names and position -1.
///
/// Lists an append names are read once per transaction and their attribution state is kept here, so events of
/// one transaction see each other's marks as the SQLite ledger's row-by-row updates do; everything is written
/// by `writeCounts()`, one statement per table. Used only on the writer queue, inside `PostgresWriter.locked`.
struct PostgresLedger {
    /// A remembered list as read from `served_lists`, with this transaction's marks.
    private struct ListState {
        let servedAt: Double
        let expiresAt: Double
        let experiment: String
        let variant: String
        let model: String
        let items: [Int32]
        var attributed: Bool
        var converted: Bool
        var newAttributions = 0
        var newConversions = 0
    }

    /// The lists of one minute, experiment, variant and model.
    private struct ListGroup: Hashable {
        let minute: Int64
        let experiment: String
        let variant: String
        let model: String
    }

    /// Attributed (or, with empty names and position -1, unattributed) events of one kind.
    private struct EventGroup: Hashable {
        let list: ListGroup
        let type: String
        let position: Int
    }

    private let connection: PostgresConnection
    private let conversionTypes: Set<String>
    /// Lists read in this transaction; nil for an id no list has.
    private var lists: [String: ListState?] = [:]
    private var eventCounts: [EventGroup: Int64] = [:]
    private var listCounts: [ListGroup: (attributed: Int64, converted: Int64)] = [:]
    private var attributions: (events: [Int64], lists: [String?], servedAt: [Double], experiments: [String?], variants: [String?],
                               models: [String?], positions: [Int]) = ([], [], [], [], [], [], [])

    static let insertLists = PostgresStatement("insert_lists", """
        INSERT INTO served_lists (id, served_at, expires_at, user_name, model, version, experiment, variant, items, weight)
        SELECT id, served_at, expires_at, user_name, model, version, experiment, variant, items::integer[], weight
        FROM unnest($1::text[], $2::float8[], $3::float8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                    $10::integer[]) AS l(id, served_at, expires_at, user_name, model, version, experiment, variant, items, weight)
        ON CONFLICT (id) DO NOTHING RETURNING id
        """)
    static let countLists = PostgresStatement("count_lists", """
        INSERT INTO online_lists (minute, experiment, variant, model, lists, weighted, attributed_lists, converted_lists)
        SELECT minute, experiment, variant, model, lists, weighted, 0, 0
        FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
             AS c(minute, experiment, variant, model, lists, weighted)
        ON CONFLICT (minute, experiment, variant, model)
        DO UPDATE SET lists = online_lists.lists + excluded.lists, weighted = online_lists.weighted + excluded.weighted
        """)
    static let selectLists = PostgresStatement("select_lists", """
        SELECT id, served_at, expires_at, experiment, variant, model, items::text, attributed, converted
        FROM served_lists WHERE id = ANY($1::text[])
        """)
    static let markLists = PostgresStatement("mark_lists", """
        UPDATE served_lists SET attributed = served_lists.attributed + m.attributed, converted = served_lists.converted + m.converted
        FROM unnest($1::text[], $2::integer[], $3::integer[]) AS m(id, attributed, converted) WHERE served_lists.id = m.id
        """)
    static let countAttributedLists = PostgresStatement("count_attributed_lists", """
        UPDATE online_lists SET attributed_lists = online_lists.attributed_lists + c.attributed,
                                converted_lists = online_lists.converted_lists + c.converted
        FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
             AS c(minute, experiment, variant, model, attributed, converted)
        WHERE online_lists.minute = c.minute AND online_lists.experiment = c.experiment AND online_lists.variant = c.variant
          AND online_lists.model = c.model
        """)
    static let insertAttributions = PostgresStatement("insert_attributions", """
        INSERT INTO attributions (event, list, served_at, experiment, variant, model, position)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::float8[], $4::text[], $5::text[], $6::text[], $7::integer[])
        """)
    static let countEvents = PostgresStatement("count_events", """
        INSERT INTO online_events (minute, experiment, variant, model, type, position, events)
        SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::bigint[])
        ON CONFLICT (minute, experiment, variant, model, type, position)
        DO UPDATE SET events = online_events.events + excluded.events
        """)
    static let forgetLists = PostgresStatement("forget_lists", "DELETE FROM served_lists WHERE expires_at <= $1")

    init(connection: PostgresConnection, conversionTypes: Set<String>) {
        self.connection = connection
        self.conversionTypes = conversionTypes
    }

    /// Remembers `lists` and counts the new ones; an item without an index is stored as -1 (no event can name it).
    mutating func remember(_ lists: [ServedList], itemIndex: (String) -> Int32?) throws(EventStoreError) {
        let items = lists.map { list -> String? in
            "{" + list.items.map { String(itemIndex($0) ?? -1) }.joined(separator: ",") + "}"
        }
        let inserted = try run(Self.insertLists, [
            .array(lists.map { Optional($0.id) }), .array(lists.map(\.servedAt)), .array(lists.map(\.expiresAt)),
            .array(lists.map(\.user)), .array(lists.map { Optional($0.model) }), .array(lists.map { Optional($0.version) }),
            .array(lists.map { Optional($0.experiment) }), .array(lists.map { Optional($0.variant) }), .array(items),
            .array(lists.map(\.weight)),
        ])
        var new = Set<String>()
        for row in 0..<inserted.rowCount { new.insert(inserted.text(row, 0)) }
        var groups: [ListGroup: (lists: Int64, weighted: Int64)] = [:]
        for list in lists where new.remove(list.id) != nil {
            let group = ListGroup(minute: OnlineCounts.minute(of: list.servedAt), experiment: list.experiment, variant: list.variant,
                                  model: list.model)
            groups[group, default: (0, 0)].lists += 1
            groups[group, default: (0, 0)].weighted += Int64(list.weight)
        }
        guard !groups.isEmpty else { return }
        let keys = Array(groups.keys)
        try run(Self.countLists, Self.groupColumns(keys) + [
            .array(keys.map { groups[$0]!.lists }), .array(keys.map { groups[$0]!.weighted }),
        ])
    }

    /// Reads the lists `ids` name (once per transaction), so `attribute` needs no query of its own.
    mutating func load(_ ids: Set<String>) throws(EventStoreError) {
        let missing = ids.filter { lists[$0] == nil }
        guard !missing.isEmpty else { return }
        for id in missing { lists[id] = .some(nil) }
        let rows = try run(Self.selectLists, [.array(missing.map { Optional($0) })])
        for row in 0..<rows.rowCount {
            let text = rows.text(row, 6).dropFirst().dropLast()
            let items = text.split(separator: ",").map { Int32($0) ?? -1 }
            lists[rows.text(row, 0)] = ListState(
                servedAt: rows.double(row, 1), expiresAt: rows.double(row, 2), experiment: rows.text(row, 3),
                variant: rows.text(row, 4), model: rows.text(row, 5), items: items, attributed: rows.int64(row, 7) > 0,
                converted: rows.int64(row, 8) > 0)
        }
    }

    /// Attributes the event stored as `seq` (its item has index `item`) to the list it names, if that list is
    /// remembered at `now` and holds the item; otherwise counts it as unattributed and returns nil.
    mutating func attribute(_ event: Event, listID: String, seq: Int64, item: Int32, now: Double) throws(EventStoreError) -> Attribution? {
        try load([listID])
        guard var list = lists[listID] ?? nil, list.expiresAt > now, let position = list.items.firstIndex(of: item) else {
            let group = ListGroup(minute: OnlineCounts.minute(of: now), experiment: "", variant: "", model: "")
            eventCounts[EventGroup(list: group, type: event.type, position: -1), default: 0] += 1
            return nil
        }
        let isConversion = conversionTypes.contains(event.type)
        let group = ListGroup(minute: OnlineCounts.minute(of: list.servedAt), experiment: list.experiment, variant: list.variant,
                              model: list.model)
        if !list.attributed || (isConversion && !list.converted) {
            listCounts[group, default: (0, 0)].attributed += list.attributed ? 0 : 1
            listCounts[group, default: (0, 0)].converted += isConversion && !list.converted ? 1 : 0
        }
        list.attributed = true
        list.newAttributions += 1
        if isConversion {
            list.converted = true
            list.newConversions += 1
        }
        lists[listID] = list
        attributions.events.append(seq)
        attributions.lists.append(listID)
        attributions.servedAt.append(list.servedAt)
        attributions.experiments.append(list.experiment)
        attributions.variants.append(list.variant)
        attributions.models.append(list.model)
        attributions.positions.append(position)
        eventCounts[EventGroup(list: group, type: event.type, position: position), default: 0] += 1
        return Attribution(model: list.model, experiment: list.experiment, variant: list.variant, type: event.type, position: position)
    }

    /// Writes the marks, attributions and counts of the transaction; run before its commit.
    mutating func writeCounts() throws(EventStoreError) {
        let marked = lists.compactMap { id, state -> (String, ListState)? in
            guard let state, state.newAttributions > 0 else { return nil }
            return (id, state)
        }
        if !marked.isEmpty {
            try run(Self.markLists, [
                .array(marked.map { Optional($0.0) }), .array(marked.map { $0.1.newAttributions }),
                .array(marked.map { $0.1.newConversions }),
            ])
        }
        if !listCounts.isEmpty {
            let keys = Array(listCounts.keys)
            try run(Self.countAttributedLists, Self.groupColumns(keys) + [
                .array(keys.map { listCounts[$0]!.attributed }), .array(keys.map { listCounts[$0]!.converted }),
            ])
        }
        if !attributions.events.isEmpty {
            try run(Self.insertAttributions, [
                .array(attributions.events), .array(attributions.lists), .array(attributions.servedAt),
                .array(attributions.experiments), .array(attributions.variants), .array(attributions.models),
                .array(attributions.positions),
            ])
        }
        if !eventCounts.isEmpty {
            let keys = Array(eventCounts.keys)
            try run(Self.countEvents, Self.groupColumns(keys.map(\.list)) + [
                .array(keys.map { Optional($0.type) }), .array(keys.map(\.position)), .array(keys.map { eventCounts[$0]! }),
            ])
        }
    }

    /// Forgets the lists whose retention ended by `now`; their counts stay. Returns how many went.
    static func forget(before now: Double, on connection: PostgresConnection) throws(EventStoreError) -> Int {
        do throws(PostgresError) {
            return try connection.run(forgetLists, [.double(now)]).affectedRows
        } catch {
            throw .postgres(error)
        }
    }

    /// Parameters 1–4 (minute, experiment, variant, model) of a counting statement.
    private static func groupColumns(_ groups: [ListGroup]) -> [PostgresValue] {
        [.array(groups.map(\.minute)), .array(groups.map { Optional($0.experiment) }), .array(groups.map { Optional($0.variant) }),
         .array(groups.map { Optional($0.model) })]
    }

    @discardableResult
    private func run(_ statement: PostgresStatement, _ parameters: [PostgresValue]) throws(EventStoreError) -> PostgresResult {
        do throws(PostgresError) {
            return try connection.run(statement, parameters)
        } catch {
            throw .postgres(error)
        }
    }
}
