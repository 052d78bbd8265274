import Locking
import PostgresStore
import Serving
import Training

/// Model sets through PostgreSQL: the elected trainer writes each set to `models_dir` as an SQLite deployment
/// does, then copies those files into the database (`PostgresSnapshots.publish`); every other process downloads
/// a newer version into its own `models_dir` and loads it from there, the same path a restart takes.
///
/// Each process needs a `models_dir` of its own: a download replaces the files there.
struct DatabaseSnapshotStore: SnapshotStore {
    // Safe to share: `versions` is a `Lock`; the rest is immutable.

    /// The files in `models_dir`.
    let files: SnapshotPersistence
    /// The sets in the database.
    let database: PostgresSnapshots
    /// The version this process published or loaded last (0: none); held while publishing, so the listener never
    /// downloads the set this process is writing.
    private let versions = Lock<Int64>(0)

    init(directory: String, target: PostgresTarget) {
        files = SnapshotPersistence(directory: directory)
        database = PostgresSnapshots(target: target)
    }

    /// The version this process serves from the database (0: none).
    var currentVersion: Int64 { versions.withLock { $0 } }

    func save(_ set: ModelSet) throws {
        let names = try files.write(set)
        let directory = files.directory
        try versions.withLock { current in
            current = try database.publish(pass: set.pass, createdAt: set.trainedAt,
                                           files: names.map { (name: $0, path: directory + "/" + $0) })
        }
    }

    /// The newest set in the database, downloaded into `models_dir`; the files there when the database cannot be
    /// read (a restart while PostgreSQL is away still serves).
    func load() -> (set: ModelSet?, warnings: [String]) {
        let newest: Int64
        do {
            newest = try database.newestVersion()
        } catch {
            let (set, warnings) = files.load()
            return (set, warnings + ["cannot read the model sets in the database (\(error)); serving the files in \(files.directory)"])
        }
        guard newest > 0 else { return files.load() }
        return fetch(newest)
    }

    /// Downloads `version` (unless this process published or loaded it, or a newer one) and loads it; nil when
    /// there was nothing new or the download failed (in `warnings`).
    func fetch(_ version: Int64) -> (set: ModelSet?, warnings: [String]) {
        versions.withLock { current in
            guard version > current else { return (nil, []) }
            do {
                // Chunks go to the files as they arrive; a download that fails leaves the files being served as they were.
                let installation = try SnapshotInstallation(into: files)
                try database.download(version: version, into: installation)
                try installation.commit()
            } catch {
                return (nil, ["cannot download model set version \(version): \(error)"])
            }
            let loaded = files.load()
            if loaded.set != nil { current = version }
            return loaded
        }
    }
}
