/// The online loop's reads, each through a separate read-only connection so ingest goes on meanwhile, and its
/// small writes on the writer queue.
extension SQLiteEventStore {
    package func onlineCounts(servedFrom start: Double, to end: Double) throws(EventStoreError) -> OnlineCounts {
        let connection = try SQLiteConnection(path: configuration.path, readOnly: true)
        defer { connection.close() }
        let (first, last) = (OnlineCounts.minute(of: start), OnlineCounts.minute(of: end))
        var groups: [String: OnlineCounts.Group] = [:]
        func key(_ experiment: String, _ variant: String, _ model: String) -> String {
            [experiment, variant, model].joined(separator: "\u{1F}")
        }
        let lists = try connection.prepare("""
            SELECT experiment, variant, model, sum(lists), sum(weighted), sum(attributed_lists), sum(converted_lists)
            FROM online_lists WHERE minute BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3
            """)
        lists.bind(first, at: 1)
        lists.bind(last, at: 2)
        while try lists.step() {
            let (experiment, variant, model) = (lists.text(at: 0), lists.text(at: 1), lists.text(at: 2))
            groups[key(experiment, variant, model)] = OnlineCounts.Group(
                experiment: experiment, variant: variant, model: model, lists: Int(lists.int64(at: 3)),
                servedLists: Int(lists.int64(at: 4)), attributedLists: Int(lists.int64(at: 5)),
                convertedLists: Int(lists.int64(at: 6)))
        }
        var unattributed: [String: Int] = [:]
        let events = try connection.prepare("""
            SELECT experiment, variant, model, type, position, sum(events)
            FROM online_events WHERE minute BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4, 5
            """)
        events.bind(first, at: 1)
        events.bind(last, at: 2)
        while try events.step() {
            let (experiment, variant, model, type) = (events.text(at: 0), events.text(at: 1), events.text(at: 2), events.text(at: 3))
            let (position, count) = (Int(events.int64(at: 4)), Int(events.int64(at: 5)))
            guard position >= 0 else {
                unattributed[type, default: 0] += count
                continue
            }
            let groupKey = key(experiment, variant, model)
            var group = groups[groupKey] ?? OnlineCounts.Group(experiment: experiment, variant: variant, model: model)
            group.events[type, default: 0] += count
            if group.positions.count <= position { group.positions += Array(repeating: 0, count: position + 1 - group.positions.count) }
            group.positions[position] += count
            groups[groupKey] = group
        }
        let ordered = groups.values.sorted { ($0.experiment, $0.variant, $0.model) < ($1.experiment, $1.variant, $1.model) }
        return OnlineCounts(groups: ordered, unattributed: unattributed)
    }

    package func experimentHours(_ experiment: String, servedFrom start: Double, to end: Double) throws(EventStoreError) -> [ExperimentHour] {
        let connection = try SQLiteConnection(path: configuration.path, readOnly: true)
        defer { connection.close() }
        let rows = try connection.prepare("""
            SELECT minute / 60, variant, sum(lists), sum(attributed_lists), sum(converted_lists) FROM online_lists
            WHERE experiment = ?1 AND minute BETWEEN ?2 AND ?3 GROUP BY 1, 2 ORDER BY 1, 2
            """)
        rows.bind(experiment, at: 1)
        rows.bind(OnlineCounts.minute(of: start), at: 2)
        rows.bind(OnlineCounts.minute(of: end), at: 3)
        var hours: [ExperimentHour] = []
        while try rows.step() {
            hours.append(ExperimentHour(
                hour: rows.int64(at: 0), variant: rows.text(at: 1), lists: Int(rows.int64(at: 2)),
                attributedLists: Int(rows.int64(at: 3)), convertedLists: Int(rows.int64(at: 4))))
        }
        return hours
    }

    package func attributedEvents(since start: Double) throws(EventStoreError) -> [AttributedEvent] {
        let connection = try SQLiteConnection(path: configuration.path, readOnly: true)
        defer { connection.close() }
        let rows = try connection.prepare("""
            SELECT users.external, items.external, events.type, events.timestamp, attributions.served_at, attributions.model,
                   attributions.experiment, attributions.variant, attributions.position
            FROM attributions JOIN events ON events.seq = attributions.event
            JOIN users ON users.id = events.user JOIN items ON items.id = events.item
            WHERE events.timestamp >= ?1 ORDER BY events.timestamp, events.seq
            """)
        rows.bind(start, at: 1)
        var events: [AttributedEvent] = []
        while try rows.step() {
            events.append(AttributedEvent(
                user: rows.text(at: 0), item: rows.text(at: 1), type: rows.text(at: 2), timestamp: rows.double(at: 3),
                servedAt: rows.double(at: 4), model: rows.text(at: 5), experiment: rows.text(at: 6), variant: rows.text(at: 7),
                position: Int(rows.int64(at: 8))))
        }
        return events
    }

    package func latestAttributedEventTime() throws(EventStoreError) -> Double? {
        let connection = try SQLiteConnection(path: configuration.path, readOnly: true)
        defer { connection.close() }
        let row = try connection.prepare("SELECT max(events.timestamp) FROM attributions JOIN events ON events.seq = attributions.event")
        guard try row.step(), !row.isNull(at: 0) else { return nil }
        return row.double(at: 0)
    }

    package func experimentOutcomes() throws(EventStoreError) -> [ExperimentOutcome] {
        try onWriter { () throws(EventStoreError) in
            let rows = try writer.connection.prepare("SELECT name, winner, stopped_at FROM experiment_outcomes ORDER BY stopped_at")
            var outcomes: [ExperimentOutcome] = []
            while try rows.step() {
                outcomes.append(ExperimentOutcome(name: rows.text(at: 0), winner: rows.text(at: 1), stoppedAt: rows.double(at: 2)))
            }
            return outcomes
        }
    }

    package func recordExperimentOutcome(_ outcome: ExperimentOutcome) throws(EventStoreError) {
        try onWriter { () throws(EventStoreError) in
            guard writer.isOpen else { throw .closed }
            let upsert = try writer.connection.prepare("""
                INSERT INTO experiment_outcomes (name, winner, stopped_at) VALUES (?1, ?2, ?3)
                ON CONFLICT (name) DO UPDATE SET winner = excluded.winner, stopped_at = excluded.stopped_at
                """)
            upsert.bind(outcome.name, at: 1)
            upsert.bind(outcome.winner, at: 2)
            upsert.bind(outcome.stoppedAt, at: 3)
            try upsert.run()
        }
    }

    package func forgetServedLists(before now: Double) throws(EventStoreError) -> Int {
        try onWriter { () throws(EventStoreError) in try writer.forgetServedLists(before: now) }
    }
}
