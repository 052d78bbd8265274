import Configuration
import EventStore
import Locking
import Logging
import Observability
import PostgresStore
import Serving
import Training

/// How the processes on one PostgreSQL database work together: which one trains (`PostgresLeaderElection`, for
/// roles `all` and `trainer`) and how the others get its model sets (`PostgresSnapshotListener`, every role).
/// Nothing here runs with an SQLite store, where the one process trains and serves.
final class ClusterCoordination: Sendable {
    // Safe to share: `election` and `listener` are set in `start` and cleared in `stop`, under `parts`' lock.

    private struct Parts {
        var election: PostgresLeaderElection?
        var listener: PostgresSnapshotListener?
    }

    private let target: PostgresTarget
    private let role: ServiceRole
    private let snapshots: DatabaseSnapshotStore
    private let logger: Logger
    private let parts = Lock(Parts())
    /// Set by the election's callback before it acts on it (the election may win before `start` has returned).
    private let leading = Lock(false)

    init(target: PostgresTarget, role: ServiceRole, snapshots: DatabaseSnapshotStore, logger: Logger) {
        self.target = target
        self.role = role
        self.snapshots = snapshots
        self.logger = logger
    }

    /// Whether this process is the active trainer now (never for role `api`).
    var isLeader: Bool { leading.withLock { $0 } }

    /// Starts listening for model sets and, unless this process only serves, campaigning to train.
    /// - Parameters:
    ///   - loaded: publishes a set downloaded from the database (serving, the trainer's pass count, metrics).
    ///   - elected: called when this process becomes the active trainer.
    func start(loaded: @escaping @Sendable (ModelSet) -> Void, elected: @escaping @Sendable () -> Void) {
        let (snapshots, logger) = (snapshots, logger)
        let listener = PostgresSnapshotListener(target: target, known: snapshots.currentVersion) { version in
            let (set, warnings) = snapshots.fetch(version)
            for warning in warnings { logger.warning("\(warning)") }
            guard let set else { return snapshots.currentVersion >= version }
            logger.info("loaded the trainer's model set", metadata: ["version": "\(set.version)", "snapshot": "\(version)"])
            loaded(set)
            return true
        }
        var election: PostgresLeaderElection?
        if role != .api {
            election = PostgresLeaderElection(target: target) { [leading] leader in
                leading.withLock { $0 = leader }
                if leader {
                    logger.notice("elected the active trainer")
                    elected()
                } else {
                    logger.notice("no longer the active trainer (standby)")
                }
            }
        }
        parts.withLock { $0 = Parts(election: election, listener: listener) }
    }

    /// Stops campaigning (releasing the trainer lock) and listening.
    func stop() {
        let stopping = parts.withLock { parts in
            defer { parts = Parts() }
            return parts
        }
        stopping.election?.stop()
        stopping.listener?.stop()
    }
}
