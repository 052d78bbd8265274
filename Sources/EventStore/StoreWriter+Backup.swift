#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CSQLite

extension StoreWriter {
    /// Copies the database to `path` with the online backup API, `backupPagesPerStep` pages at a time, calling
    /// `between` after each step (the store serves pending writes there; SQLite carries writes made through
    /// this connection into the copy). A read-only store copies in one step instead (see `SQLiteBackup`).
    func backup(to path: String, between: () -> Void) throws(EventStoreError) {
        queue.assertIsCurrent()
        guard isOpen else { throw .closed }
        try SQLiteBackup.copy(
            from: connection, to: path, pagesPerStep: configuration.readOnly ? nil : configuration.backupPagesPerStep,
            busyTimeoutMilliseconds: configuration.busyTimeoutMilliseconds, between: between)
    }
}

/// SQLite's online backup of one connection's database into a new file.
enum SQLiteBackup {
    /// Copies `source`'s database to `path`: written beside it and renamed into place when complete.
    /// `pagesPerStep` nil copies in one step: when the writer is another connection, SQLite restarts a step-wise
    /// copy whenever it commits, so under steady ingest that copy would never finish. One step holds a single read
    /// transaction, which WAL lets writers pass (the WAL grows meanwhile, as checkpoints cannot pass the reader).
    static func copy(
        from source: SQLiteConnection, to path: String, pagesPerStep: Int?, busyTimeoutMilliseconds: Int,
        between: () -> Void = {}
    ) throws(EventStoreError) {
        let partialPath = path + ".partial"
        unlink(partialPath)
        do throws(EventStoreError) {
            let destination = try SQLiteConnection(path: partialPath, readOnly: false)
            guard let backup = sqlite3_backup_init(destination.handle, "main", source.handle, "main") else {
                throw destination.error(sqlite3_errcode(destination.handle), sql: nil)
            }
            let step = pagesPerStep.map { Int32(clamping: $0) } ?? -1
            var code: Int32
            var busyWaits = 0
            repeat {
                code = sqlite3_backup_step(backup, step)
                if code == SQLITE_OK {
                    between()
                } else if code == SQLITE_BUSY || code == SQLITE_LOCKED {
                    busyWaits += 1
                    sqlite3_sleep(1)
                }
            } while code == SQLITE_OK || ((code == SQLITE_BUSY || code == SQLITE_LOCKED) && busyWaits < busyTimeoutMilliseconds)
            sqlite3_backup_finish(backup)
            guard code == SQLITE_DONE else {
                let failure = SQLiteFailure(
                    code: code & 0xFF, extendedCode: code, message: String(cString: sqlite3_errstr(code)), sql: nil)
                throw EventStoreError.from(failure, path: partialPath)
            }
            destination.close()
            guard rename(partialPath, path) == 0 else {
                throw .cannotOpen(
                    path: path,
                    SQLiteFailure(
                        code: SQLITE_CANTOPEN, extendedCode: SQLITE_CANTOPEN,
                        message: "rename from \(partialPath) failed: \(String(cString: strerror(errno)))", sql: nil))
            }
        } catch {
            unlink(partialPath)
            throw error
        }
    }
}

extension SQLiteEventStore {
    /// Copies the store at `source` to `path` without opening it as a store (no events are read into memory,
    /// so a server may keep writing it meanwhile, and a large store copies at disk speed); returns the number
    /// of events in the copy. A file that is not a Recsmith store is refused.
    package static func backup(storeAt source: String, to path: String, busyTimeoutMilliseconds: Int = 5_000) throws(EventStoreError) -> Int {
        let connection = try SQLiteConnection(path: source, readOnly: true)
        defer { connection.close() }
        sqlite3_busy_timeout(connection.handle, Int32(clamping: busyTimeoutMilliseconds))
        let applicationID = try connection.integer("PRAGMA application_id")
        guard applicationID == StoreSchema.applicationID else {
            throw .foreignDatabase(path: source, detail: "application_id is \(applicationID)")
        }
        try SQLiteBackup.copy(from: connection, to: path, pagesPerStep: nil, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        let copy = try SQLiteConnection(path: path, readOnly: true)
        defer { copy.close() }
        return Int(try copy.integer("SELECT count(*) FROM events"))
    }
}
