import Dispatch
import EventStore
import Synchronization

/// Elects one active trainer among the processes of a database: whoever holds the session-level advisory lock
/// `PostgresSchema.trainerLock` leads.
///
/// The lock lives on a connection of its own (never a pooled one, whose session outlives its borrower): a
/// standby asks `pg_try_advisory_lock` every `retryInterval`; the leader checks the same connection as often. The
/// server releases the lock when the leader's session ends — the process died (kill -9 included) or its
/// connection broke — so a standby takes over within about one interval of the server noticing; TCP keepalives
/// on both ends (`PostgresKeepalives.session`) make the server notice a dead host within seconds too. A leader
/// whose connection breaks steps down at once: it cannot know whether the server still counts its session.
package final class PostgresLeaderElection: Sendable {
    // Safe to share: the connection is touched only on `queue`'s loop; `leading` and `stopped` are atomic.

    private let target: PostgresTarget
    private let retryInterval: Duration
    private let onChange: @Sendable (Bool) -> Void
    private let queue = DispatchQueue(label: "recsmith.postgres.leadership")
    private let leading = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)
    /// Signalled by `stop()` to end the wait between two attempts early.
    private let wake = DispatchSemaphore(value: 0)
    /// Signalled once the first attempt has ended, won or not.
    private let firstAttempt = DispatchSemaphore(value: 0)

    /// Starts campaigning and returns once the first attempt has ended (within the connect and statement
    /// timeouts), so a process that can lead at once leads before it serves: a lone server answers its first
    /// `POST /retrain` as the trainer, as on SQLite, instead of as a standby for a moment. `onChange` is told (on
    /// the election's thread) each time this process becomes or stops being the leader.
    package init(target: PostgresTarget, retryInterval: Duration = .seconds(2), onChange: @escaping @Sendable (Bool) -> Void) {
        self.target = target
        self.retryInterval = retryInterval
        self.onChange = onChange
        queue.async { self.campaign() }
        firstAttempt.wait()
    }

    /// Whether this process holds the trainer lock.
    package var isLeader: Bool { leading.load(ordering: .acquiring) }

    /// Stops campaigning and lets go of the lock (closing its session); returns once done.
    package func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        done.wait()
    }

    private func campaign() {
        var connection: PostgresConnection?
        var attempted = false
        while !stopped.load(ordering: .acquiring) {
            do throws(PostgresError) {
                if connection == nil || connection?.isUsable == false {
                    connection?.close()
                    connection = nil
                    connection = try PostgresConnection(
                        target: target, connectTimeout: .seconds(5), statementTimeout: .seconds(10), keepalives: .session)
                }
                if isLeader {
                    try connection!.run(PostgresSchema.ping)
                } else if try connection!.run(PostgresSchema.tryTrainerLock, [.int(PostgresSchema.trainerLock)]).bool(0, 0) {
                    change(to: true)
                }
            } catch {
                connection?.close()
                connection = nil
                change(to: false)
            }
            if !attempted {
                attempted = true
                firstAttempt.signal()
            }
            _ = wake.wait(timeout: .now() + retryInterval.seconds)
        }
        connection?.close()
        change(to: false)
        done.signal()
    }

    private func change(to leader: Bool) {
        guard leading.exchange(leader, ordering: .acquiringAndReleasing) != leader else { return }
        onChange(leader)
    }
}

extension Duration {
    /// The duration in seconds, as a Double (for Dispatch deadlines).
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
