import ArgumentParser
import EventStore

/// `recsmith backup`: a consistent copy of the store through SQLite's online backup API, safe while the server runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store to OUT with SQLite's online backup (the server may keep running)."
    )

    @Option(help: "SQLite store path.") var db: String = "./var/recsmith.sqlite"
    @Argument(help: "Where to write the copy (replaced if present).") var out: String

    func run() throws {
        let store = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: db, readOnly: true))
        defer { store.close() }
        try store.backup(to: out)
        // Counted in the copy: it is the store as the backup finished, with the events committed since `store` opened.
        let copy = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: out, readOnly: true))
        defer { copy.close() }
        print("backed up \(copy.eventCount) events to \(out)")
    }
}
