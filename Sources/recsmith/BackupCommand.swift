import ArgumentParser
import EventStore
import PostgresStore

/// `recsmith backup`: a consistent copy of the store through SQLite's online backup API, safe while the server runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store to OUT with SQLite's online backup (the server may keep running)."
    )

    @Option(help: "SQLite store path.") var db: String = "./var/recsmith.sqlite"
    @Option(help: StoreOption.help) var store: String?
    @Argument(help: "Where to write the copy (replaced if present).") var out: String

    func run() throws {
        if case .postgres(let target) = try StoreOption(db: db, store: store) {
            throw ValidationError("backup copies an SQLite store; back up \(target.redacted) with PostgreSQL's own tools: "
                + "pg_dump --format=custom --file=recsmith.dump \"$RECSMITH_STORE\" (pg_restore into an empty database "
                + "restores it), or your provider's backups and point-in-time recovery")
        }
        // Counted in the copy: it is the store as the backup finished.
        let events = try SQLiteEventStore.backup(storeAt: db, to: out)
        print("backed up \(events) events to \(out)")
    }
}
