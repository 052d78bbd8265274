#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CSQLite

extension StoreWriter {
    /// Copies the database to `path` with the online backup API, `backupPagesPerStep` pages at a time, calling
    /// `between` after each step (the store serves pending writes there; SQLite carries writes made through
    /// this connection into the copy). A read-only store copies in one step instead: the writer is another
    /// connection, and SQLite restarts a step-wise copy whenever another connection commits, so under steady
    /// ingest it would never finish. One step holds a single read transaction, which WAL lets writers pass
    /// (the WAL grows meanwhile, as checkpoints cannot pass the reader).
    /// The copy is written beside `path` and renamed into place when complete.
    func backup(to path: String, between: () -> Void) throws(EventStoreError) {
        queue.assertIsCurrent()
        guard isOpen else { throw .closed }
        let partialPath = path + ".partial"
        unlink(partialPath)
        do throws(EventStoreError) {
            let destination = try SQLiteConnection(path: partialPath, readOnly: false)
            guard let backup = sqlite3_backup_init(destination.handle, "main", connection.handle, "main") else {
                throw destination.error(sqlite3_errcode(destination.handle), sql: nil)
            }
            let pagesPerStep = configuration.readOnly ? -1 : Int32(clamping: configuration.backupPagesPerStep)
            var code: Int32
            var busyWaits = 0
            repeat {
                code = sqlite3_backup_step(backup, pagesPerStep)
                if code == SQLITE_OK {
                    between()
                } else if code == SQLITE_BUSY || code == SQLITE_LOCKED {
                    busyWaits += 1
                    sqlite3_sleep(1)
                }
            } while code == SQLITE_OK || ((code == SQLITE_BUSY || code == SQLITE_LOCKED)
                && busyWaits < configuration.busyTimeoutMilliseconds)
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
