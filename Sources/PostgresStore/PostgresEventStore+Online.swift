import EventStore

/// The online loop's reads, on a pooled connection so ingest goes on meanwhile.
extension PostgresEventStore {
    package func onlineCounts(servedFrom start: Double, to end: Double) throws(EventStoreError) -> OnlineCounts {
        let (first, last) = (OnlineCounts.minute(of: start), OnlineCounts.minute(of: end))
        return try withReadConnection { connection throws(PostgresError) in
            var groups: [String: OnlineCounts.Group] = [:]
            func key(_ experiment: String, _ variant: String, _ model: String) -> String {
                [experiment, variant, model].joined(separator: "\u{1F}")
            }
            let lists = try connection.run(PostgresStatement("online_list_counts", """
                SELECT experiment, variant, model, sum(lists), sum(weighted), sum(attributed_lists), sum(converted_lists)
                FROM online_lists WHERE minute BETWEEN $1 AND $2 GROUP BY 1, 2, 3
                """), [.int(first), .int(last)])
            for row in 0..<lists.rowCount {
                let (experiment, variant, model) = (lists.text(row, 0), lists.text(row, 1), lists.text(row, 2))
                groups[key(experiment, variant, model)] = OnlineCounts.Group(
                    experiment: experiment, variant: variant, model: model, lists: Int(lists.int64(row, 3)),
                    servedLists: Int(lists.int64(row, 4)), attributedLists: Int(lists.int64(row, 5)),
                    convertedLists: Int(lists.int64(row, 6)))
            }
            var unattributed: [String: Int] = [:]
            let events = try connection.run(PostgresStatement("online_event_counts", """
                SELECT experiment, variant, model, type, position, sum(events)
                FROM online_events WHERE minute BETWEEN $1 AND $2 GROUP BY 1, 2, 3, 4, 5
                """), [.int(first), .int(last)])
            for row in 0..<events.rowCount {
                let (experiment, variant, model, type) = (events.text(row, 0), events.text(row, 1), events.text(row, 2), events.text(row, 3))
                let (position, count) = (Int(events.int64(row, 4)), Int(events.int64(row, 5)))
                guard position >= 0 else {
                    unattributed[type, default: 0] += count
                    continue
                }
                let groupKey = key(experiment, variant, model)
                var group = groups[groupKey] ?? OnlineCounts.Group(experiment: experiment, variant: variant, model: model)
                group.events[type, default: 0] += count
                if group.positions.count <= position {
                    group.positions += Array(repeating: 0, count: position + 1 - group.positions.count)
                }
                group.positions[position] += count
                groups[groupKey] = group
            }
            let ordered = groups.values.sorted { ($0.experiment, $0.variant, $0.model) < ($1.experiment, $1.variant, $1.model) }
            return OnlineCounts(groups: ordered, unattributed: unattributed)
        }
    }

    package func experimentHours(_ experiment: String, servedFrom start: Double, to end: Double) throws(EventStoreError) -> [ExperimentHour] {
        try withReadConnection { connection throws(PostgresError) in
            let rows = try connection.run(PostgresStatement("experiment_hours", """
                SELECT minute / 60, variant, sum(lists), sum(attributed_lists), sum(converted_lists) FROM online_lists
                WHERE experiment = $1 AND minute BETWEEN $2 AND $3 GROUP BY 1, 2 ORDER BY 1, 2
                """), [.text(experiment), .int(OnlineCounts.minute(of: start)), .int(OnlineCounts.minute(of: end))])
            return (0..<rows.rowCount).map { row in
                ExperimentHour(
                    hour: rows.int64(row, 0), variant: rows.text(row, 1), lists: Int(rows.int64(row, 2)),
                    attributedLists: Int(rows.int64(row, 3)), convertedLists: Int(rows.int64(row, 4)))
            }
        }
    }

    package func attributedEvents(since start: Double) throws(EventStoreError) -> [AttributedEvent] {
        try withReadConnection { connection throws(PostgresError) in
            let rows = try connection.run(PostgresStatement("attributed_events", """
                SELECT users.external, items.external, events.type, events.ts, attributions.served_at, attributions.model,
                       attributions.experiment, attributions.variant, attributions.position
                FROM attributions JOIN events ON events.seq = attributions.event
                JOIN users ON users.id = events.user_id JOIN items ON items.id = events.item_id
                WHERE events.ts >= $1 ORDER BY events.ts, events.seq
                """), [.double(start)])
            return (0..<rows.rowCount).map { row in
                AttributedEvent(
                    user: rows.text(row, 0), item: rows.text(row, 1), type: rows.text(row, 2), timestamp: rows.double(row, 3),
                    servedAt: rows.double(row, 4), model: rows.text(row, 5), experiment: rows.text(row, 6),
                    variant: rows.text(row, 7), position: Int(rows.int64(row, 8)))
            }
        }
    }

    package func latestAttributedEventTime() throws(EventStoreError) -> Double? {
        try withReadConnection { connection throws(PostgresError) in
            let row = try connection.run(PostgresStatement(
                "latest_attributed", "SELECT max(events.ts) FROM attributions JOIN events ON events.seq = attributions.event"))
            return row.isNull(0, 0) ? nil : row.double(0, 0)
        }
    }
}
