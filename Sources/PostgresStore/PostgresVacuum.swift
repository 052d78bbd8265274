import Dispatch
import EventStore
import Locking

/// `VACUUM`s the tables an erasure deleted rows from, after the erasure committed, on a connection and a
/// thread of its own: the erased rows' dead versions become free space and leave the indexes, rather than
/// lingering until autovacuum's thresholds are met (by default a fifth of a table has to be dead).
///
/// Not on the request path: the erasure answers once committed, and a `VACUUM` of a large `events` table can
/// take minutes. Erasures meanwhile ask for one more run after the current one, not one each. Plain `VACUUM`
/// (no `FULL`: that would lock `events` against every write for the whole rewrite). What it cannot do is said
/// in the README: freed space keeps the bytes until it is reused, and the WAL holds the rows until it is
/// recycled.
final class PostgresVacuum: Sendable {
    private struct State {
        var running = false
        var again = false
        /// Runs finished, and the last one's failure (nil when it succeeded); the next erasure tries again.
        var runs = 0
        var failure: PostgresError?
    }

    private let target: PostgresTarget
    private let queue = DispatchQueue(label: "recsmith.postgres.vacuum", qos: .utility)
    private let state = Lock(State())

    /// The tables an erasure deletes from.
    static let statement = "VACUUM (ANALYZE) events, users, attributions, served_lists, event_activity"

    init(target: PostgresTarget) {
        self.target = target
    }

    /// Asks for a run: starts one, or one more after the current one.
    func request() {
        let start = state.withLock { state -> Bool in
            if state.running {
                state.again = true
                return false
            }
            state.running = true
            return true
        }
        if start { queue.async { self.run() } }
    }

    /// Runs finished so far, and the last one's failure.
    var outcome: (runs: Int, failure: PostgresError?) { state.withLock { ($0.runs, $0.failure) } }

    private func run() {
        while true {
            var failure: PostgresError?
            do throws(PostgresError) {
                let connection = try PostgresConnection(target: target, connectTimeout: .seconds(5), statementTimeout: nil)
                defer { connection.close() }
                try connection.execute(Self.statement)
            } catch {
                failure = error
            }
            let again = state.withLock { state -> Bool in
                state.runs += 1
                state.failure = failure
                defer { state.again = false }
                state.running = state.again
                return state.again
            }
            if !again { return }
        }
    }
}
