import Serving

/// Where a trainer's model sets go after a pass, and where a process finds the newest one at start: files in
/// `models_dir` (`SnapshotPersistence`, the SQLite deployment) or the shared database, through which the elected
/// trainer hands its sets to every process (`Service`'s `DatabaseSnapshotStore`).
package protocol SnapshotStore: Sendable {
    /// Keeps `set` so that `load` (here or in another process) finds it.
    func save(_ set: ModelSet) throws

    /// The newest kept set, if any, with what went wrong loading parts of it.
    func load() -> (set: ModelSet?, warnings: [String])
}
