import EventStore
import PostgresStore
import TestSupport
import Testing

/// After an erasure commits, the tables it deleted from are vacuumed beside the requests; the store's size is the
/// database's.
@Suite(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct PostgresVacuumTests {
    @Test func anErasureIsFollowedByAVacuumThatLeavesNoDeadEventRows() throws {
        let shared = try SharedDatabase()
        let store = try shared.open()
        defer { store.close() }
        _ = try store.append((0..<200).map { view("alice", "item\($0 % 20)", id: "a\($0)") } + [view("bob", "item1")])
        #expect(store.vacuumOutcome.runs == 0)
        #expect(try store.eraseUser("alice") == 200)
        #expect(waitUntil(.seconds(30)) { store.vacuumOutcome.runs >= 1 } != nil)
        #expect(store.vacuumOutcome.failure == nil)
        let stats = try shared.database.execute(
            "SELECT vacuum_count > 0, n_dead_tup FROM pg_stat_user_tables WHERE relname = 'events'")
        #expect(stats.first?.first == "t" && stats.first?.last == "0", "\(stats)")
        #expect(try store.eraseUser("nobody") == nil)
        #expect(store.vacuumOutcome.runs == 1, "an unknown user deletes no rows and asks for no vacuum")
    }

    @Test func theStoreSizeIsTheDatabasesSize() throws {
        let shared = try SharedDatabase()
        let store = try shared.open()
        defer { store.close() }
        let bytes = try #require(store.storedBytes)
        let database = try shared.database.execute("SELECT pg_database_size(current_database())")
        #expect(bytes > 1_000_000 && String(bytes) == database.first?.first, "read from the server")
    }
}
