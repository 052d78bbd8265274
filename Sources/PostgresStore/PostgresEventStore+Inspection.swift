import EventStore
import Locking

/// Reads for the admin dashboard, on a pooled connection so ingest goes on meanwhile.
extension PostgresEventStore {
    package func eventActivity(hours: ClosedRange<Int64>) throws(EventStoreError) -> EventActivity {
        try withReadConnection { connection throws(PostgresError) in
            var hourly = [Int](repeating: 0, count: Int(hours.upperBound - hours.lowerBound) + 1)
            let perHour = try connection.run(PostgresStatement(
                "activity_per_hour", "SELECT hour, sum(events) FROM event_activity WHERE hour BETWEEN $1 AND $2 GROUP BY hour"),
                [.int(hours.lowerBound), .int(hours.upperBound)])
            for row in 0..<perHour.rowCount {
                hourly[Int(perHour.int64(row, 0) - hours.lowerBound)] = Int(perHour.int64(row, 1))
            }
            let perType = try connection.run(PostgresStatement(
                "activity_per_type", "SELECT type, sum(events) AS total FROM event_activity GROUP BY type ORDER BY total DESC, type"))
            let types = (0..<perType.rowCount).map { (type: perType.text($0, 0), events: Int(perType.int64($0, 1))) }
            let latest = try connection.run(PostgresStatement("activity_latest", "SELECT max(hour) FROM event_activity"))
            return EventActivity(hours: hours, hourly: hourly, types: types, latestHour: latest.isNull(0, 0) ? nil : latest.int64(0, 0))
        }
    }

    /// Reads the user's events newest first, at most `limit` (the count is known in memory); the events table has
    /// no index by user, as in SQLite, so this scans it.
    package func latestEvents(ofUser user: Int32, limit: Int) throws(EventStoreError) -> [StoredEvent] {
        let wanted = min(limit, eventCount(ofUser: user))
        guard wanted > 0 else { return [] }
        return try withReadConnection { connection throws(PostgresError) in
            let rows = try connection.run(PostgresStatement(
                "latest_events", "SELECT item_id - 1, type, weight, ts FROM events WHERE user_id = $1 ORDER BY seq DESC LIMIT $2"),
                [.int(Int64(user) + 1), .int(wanted)])
            return (0..<rows.rowCount).map { row in
                StoredEvent(item: Int32(rows.int64(row, 0)), type: rows.text(row, 1), weight: Float(rows.double(row, 2)),
                            timestamp: rows.double(row, 3))
            }
        }
    }

    /// Events carry no index by item: this scans the events table.
    package func eventsPerDay(ofItem item: Int32) throws(EventStoreError) -> [(day: Int64, events: Int)] {
        guard eventCount(ofItem: item) > 0 else { return [] }
        return try withReadConnection { connection throws(PostgresError) in
            let rows = try connection.run(PostgresStatement("events_per_day", """
                SELECT trunc(ts / 86400)::bigint AS day, count(*) FROM events WHERE item_id = $1 GROUP BY day ORDER BY day
                """), [.int(Int64(item) + 1)])
            return (0..<rows.rowCount).map { (day: rows.int64($0, 0), events: Int(rows.int64($0, 1))) }
        }
    }
}

extension PostgresEventStore {
    /// How long a read of the database's size is reused: `pg_database_size` walks the database's files.
    static let sizeReadingLifetime: Duration = .seconds(10)

    /// `pg_database_size` of the store's database, read at most every `sizeReadingLifetime`; while the database
    /// is unreachable the last reading (nil before the first), so a metrics scrape never waits on a connection.
    package var storedBytes: Int? {
        let now = ContinuousClock.now
        let last = sizeReading.withLock { $0 }
        if let at = last.at, now - at < Self.sizeReadingLifetime { return last.bytes }
        guard unreachableSince == nil else { return last.bytes }
        let bytes = try? withReadConnection { connection throws(PostgresError) in
            Int(try connection.run(PostgresStatement("database_size", "SELECT pg_database_size(current_database())")).int64(0, 0))
        }
        sizeReading.withLock { $0 = (bytes ?? last.bytes, now) }
        return bytes ?? last.bytes
    }
}
