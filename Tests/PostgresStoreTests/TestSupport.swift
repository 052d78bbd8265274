#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import EventStore
import PostgresStore
import TestSupport

/// A fresh database and the configuration of stores on it.
struct SharedDatabase {
    let database: PostgresTestDatabase
    let target: PostgresTarget

    init() throws {
        database = try PostgresTestDatabase()
        target = PostgresTarget(url: database.url)!
    }

    /// A store on the database: one "process".
    func open() throws -> PostgresEventStore {
        try PostgresEventStore(configuration: PostgresEventStore.Configuration(target: target))
    }
}

/// Waits up to `limit` for `condition`, checking every 5 ms; returns the time it took, nil when it never held.
func waitUntil(_ limit: Duration, _ condition: () -> Bool) -> Duration? {
    let clock = ContinuousClock()
    let start = clock.now
    while clock.now - start < limit {
        if condition() { return clock.now - start }
        usleep(5_000)
    }
    return condition() ? clock.now - start : nil
}

func view(_ user: String, _ item: String, id: String? = nil, weight: Float = 1) -> Event {
    Event(user: user, item: item, weight: weight, timestamp: 1_700_000_000, id: id)
}
