import ArgumentParser
import EventStore
import Foundation
import PostgresStore

/// `recsmith migrate --from sqlite:PATH --to postgresql://…`: moves a store from SQLite to PostgreSQL.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy an SQLite store into an empty PostgreSQL database (ids keep their numbers), then compare the counts.",
        discussion: """
            Events (with their ids, timestamps, weights and types), users and items with their records, relations, \
            the online loop's lists, attributions and counts, and experiment outcomes go over in one transaction \
            through COPY; model sets do not (copy models_dir beside the new processes, or let the first pass publish one). \
            The file is read in one snapshot, so a server may keep running on it, but what it stores after the \
            snapshot is not copied: stop writes first.
            """
    )

    @Option(help: ArgumentHelp("The SQLite store to read: sqlite:PATH (or a plain path).", valueName: "sqlite:path")) var from: String
    @Option(help: ArgumentHelp("The PostgreSQL database to fill: postgresql://user@host:5432/db.", valueName: "url")) var to: String
    @Flag(help: "Empty the database first when it holds a store already (its model sets too); stop the processes on it first.")
    var force = false

    func run() throws {
        let path = from.hasPrefix("sqlite:") ? String(from.dropFirst("sqlite:".count)) : from
        guard !path.isEmpty, !PostgresTarget.isPostgresURL(path) else { throw ValidationError("--from needs sqlite:PATH, not '\(from)'") }
        guard let target = PostgresTarget(url: to) else { throw ValidationError("--to needs postgresql://…, not '\(to)'") }
        let source = try SQLiteStoreReader(path: path)
        defer { source.close() }
        let counts = try PostgresMigration(target: target).run(from: source, force: force) { table, rows in
            printError("copied \(rows) rows of \(table)")
        }
        print("table".padding(toLength: 20, withPad: " ", startingAt: 0) + "   sqlite  postgresql")
        for count in counts {
            let source = String(count.source), copied = String(count.target)
            print(count.table.padding(toLength: 20, withPad: " ", startingAt: 0)
                  + String(repeating: " ", count: max(1, 9 - source.count)) + source
                  + String(repeating: " ", count: max(1, 12 - copied.count)) + copied)
        }
        print("migrated \(path) to \(target.redacted); every table's count matches")
    }
}
