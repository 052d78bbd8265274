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
        // Counted in the copy: it is the store as the backup finished.
        let events = try SQLiteEventStore.backup(storeAt: db, to: out)
        print("backed up \(events) events to \(out)")
    }
}
