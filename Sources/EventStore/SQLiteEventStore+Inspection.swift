/// Reads for the admin dashboard, each through a separate read-only connection so ingest goes on meanwhile.
extension SQLiteEventStore {
    package func eventActivity(hours: ClosedRange<Int64>) throws(EventStoreError) -> EventActivity {
        let connection = try SQLiteConnection(path: configuration.path, readOnly: true)
        defer { connection.close() }
        var hourly = [Int](repeating: 0, count: Int(hours.upperBound - hours.lowerBound) + 1)
        let perHour = try connection.prepare(
            "SELECT hour, sum(events) FROM event_activity WHERE hour BETWEEN ?1 AND ?2 GROUP BY hour")
        perHour.bind(hours.lowerBound, at: 1)
        perHour.bind(hours.upperBound, at: 2)
        while try perHour.step() {
            hourly[Int(perHour.int64(at: 0) - hours.lowerBound)] = Int(perHour.int64(at: 1))
        }
        var types: [(type: String, events: Int)] = []
        let perType = try connection.prepare(
            "SELECT type, sum(events) AS total FROM event_activity GROUP BY type ORDER BY total DESC, type")
        while try perType.step() { types.append((perType.text(at: 0), Int(perType.int64(at: 1)))) }
        let latest = try connection.prepare("SELECT max(hour) FROM event_activity")
        let latestHour = try latest.step() && !latest.isNull(at: 0) ? latest.int64(at: 0) : nil
        latest.reset()
        return EventActivity(hours: hours, hourly: hourly, types: types, latestHour: latestHour)
    }

    /// Reads the log newest first and stops at `limit` or at the user's last event (the count is known in
    /// memory), so an active user's read is short; a user whose events are all old scans most of the table.
    package func latestEvents(ofUser user: Int32, limit: Int) throws(EventStoreError) -> [StoredEvent] {
        let wanted = min(limit, eventCount(ofUser: user))
        guard wanted > 0 else { return [] }
        let connection = try SQLiteConnection(path: configuration.path, readOnly: true)
        defer { connection.close() }
        let rows = try connection.prepare(
            "SELECT item - 1, type, weight, timestamp FROM events WHERE user = ?1 ORDER BY seq DESC LIMIT ?2")
        rows.bind(Int64(user) + 1, at: 1)
        rows.bind(Int64(wanted), at: 2)
        var events: [StoredEvent] = []
        while try rows.step() {
            events.append(StoredEvent(
                item: Int32(rows.int64(at: 0)), type: rows.text(at: 1), weight: Float(rows.double(at: 2)),
                timestamp: rows.double(at: 3)))
        }
        return events
    }

    /// Events carry no index by item: this scans the events table (tens of milliseconds per million events).
    package func eventsPerDay(ofItem item: Int32) throws(EventStoreError) -> [(day: Int64, events: Int)] {
        guard eventCount(ofItem: item) > 0 else { return [] }
        let connection = try SQLiteConnection(path: configuration.path, readOnly: true)
        defer { connection.close() }
        let rows = try connection.prepare(
            "SELECT CAST(timestamp / 86400 AS INTEGER) AS day, count(*) FROM events WHERE item = ?1 GROUP BY day ORDER BY day")
        rows.bind(Int64(item) + 1, at: 1)
        var days: [(day: Int64, events: Int)] = []
        while try rows.step() { days.append((rows.int64(at: 0), Int(rows.int64(at: 1)))) }
        return days
    }
}
