/// Why the event store could not open or do what was asked. Each case says what a user or operator needs.
package enum EventStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file could not be opened or created (missing directory, permissions, …).
    case cannotOpen(path: String, SQLiteFailure)
    /// The file exists but is not an SQLite database.
    case notADatabase(path: String)
    /// The file is an SQLite database that some other program owns.
    case foreignDatabase(path: String, detail: String)
    /// The database was written by a newer Recsmith; this build will not touch it.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The schema needs migrating but the store was opened read-only.
    case needsMigration(path: String, found: Int, required: Int)
    /// The data in the file breaks an invariant the store relies on (e.g. ids that are not dense).
    case inconsistentData(path: String, detail: String)
    /// The disk, or the configured page limit, is full (`SQLITE_FULL`).
    case diskFull(SQLiteFailure)
    /// The database cannot be written (`SQLITE_READONLY`): read-only open, file permissions, or a read-only medium.
    case readOnly(SQLiteFailure)
    /// Another connection held a lock past the busy timeout (`SQLITE_BUSY`, `SQLITE_LOCKED`).
    case busy(SQLiteFailure)
    /// The operating system reported an I/O error (`SQLITE_IOERR`).
    case io(SQLiteFailure)
    /// A constraint was violated (`SQLITE_CONSTRAINT`); with validated events this points at a bug.
    case constraint(SQLiteFailure)
    /// The database file is damaged (`SQLITE_CORRUPT`).
    case corrupt(SQLiteFailure)
    /// Any other SQLite failure.
    case sqlite(SQLiteFailure)
    /// A PostgreSQL store's call failed (connection, statement, `COPY`, pool).
    case postgres(PostgresError)
    /// More distinct users or items than a dense `Int32` index can hold.
    case capacityExceeded(String)
    /// The store was closed.
    case closed

    /// Maps a failed SQLite call to the matching case.
    static func from(_ failure: SQLiteFailure, path: String) -> EventStoreError {
        switch failure.code {
        case 13: .diskFull(failure)
        case 8: .readOnly(failure)
        case 5, 6: .busy(failure)
        case 10: .io(failure)
        case 19: .constraint(failure)
        case 11: .corrupt(failure)
        case 26: .notADatabase(path: path)
        default: .sqlite(failure)
        }
    }

    /// True when the same request may succeed later without anyone changing the setup: a lock that was
    /// held too long, or a disk that was full. Map these to 503 and the others to 500.
    package var isTransient: Bool {
        switch self {
        case .busy, .diskFull: true
        case .postgres(let error): error.isTransient
        default: false
        }
    }

    /// A stable snake_case code for logs and API error bodies.
    package var code: String {
        switch self {
        case .cannotOpen: "store_cannot_open"
        case .notADatabase: "store_not_a_database"
        case .foreignDatabase: "store_foreign_database"
        case .newerSchema: "store_newer_schema"
        case .needsMigration: "store_needs_migration"
        case .inconsistentData: "store_inconsistent"
        case .diskFull: "store_disk_full"
        case .readOnly: "store_read_only"
        case .busy: "store_busy"
        case .io: "store_io_error"
        case .constraint: "store_constraint"
        case .corrupt: "store_corrupt"
        case .sqlite: "store_error"
        case .postgres(let error): error.kind == .connection || error.kind == .poolTimeout ? "store_unreachable" : "store_error"
        case .capacityExceeded: "store_capacity_exceeded"
        case .closed: "store_closed"
        }
    }

    /// The SQLite details, when the error came from an SQLite call.
    package var failure: SQLiteFailure? {
        switch self {
        case .cannotOpen(_, let failure), .diskFull(let failure), .readOnly(let failure), .busy(let failure),
            .io(let failure), .constraint(let failure), .corrupt(let failure), .sqlite(let failure):
            failure
        default:
            nil
        }
    }

    /// A message for operators.
    package var description: String {
        switch self {
        case .cannotOpen(let path, let failure): "cannot open event store at \(path): \(failure)"
        case .notADatabase(let path): "\(path) is not an SQLite database"
        case .foreignDatabase(let path, let detail): "\(path) is not a Recsmith event store: \(detail)"
        case .newerSchema(let path, let found, let supported):
            "\(path) has schema version \(found), newer than the \(supported) this build supports; upgrade Recsmith"
        case .needsMigration(let path, let found, let required):
            "\(path) has schema version \(found) and needs migrating to \(required), but was opened read-only"
        case .inconsistentData(let path, let detail): "event store \(path) is inconsistent: \(detail)"
        case .diskFull(let failure): "event store is full: \(failure)"
        case .readOnly(let failure): "event store is read-only: \(failure)"
        case .busy(let failure): "event store is locked by another connection: \(failure)"
        case .io(let failure): "event store I/O error: \(failure)"
        case .constraint(let failure): "event store constraint violated: \(failure)"
        case .corrupt(let failure): "event store file is corrupt: \(failure)"
        case .sqlite(let failure): "event store error: \(failure)"
        case .postgres(let error): "event store error: \(error)"
        case .capacityExceeded(let detail): "event store capacity exceeded: \(detail)"
        case .closed: "event store is closed"
        }
    }
}
