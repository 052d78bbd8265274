import Foundation
import Testing
import TestSupport

/// The store the end-to-end servers run on: the SQLite file `DIR/store.sqlite`, or, with
/// `RECSMITH_TEST_E2E_STORE=postgres`, a fresh database per data directory on the tests' PostgreSQL cluster
/// (`RECSMITH_TEST_POSTGRES_URL`), so that one suite checks the same HTTP behaviour on both (`make test` runs the
/// target once each way).
enum EndToEndStore {
    /// True in the PostgreSQL pass.
    static var isPostgres: Bool { ProcessInfo.processInfo.environment["RECSMITH_TEST_E2E_STORE"] == "postgres" }

    /// The trait of a test about SQLite itself (its file, its lock, its backup, a playground or replay it fills):
    /// it skips in the PostgreSQL pass, saying why.
    static func sqliteOnly(_ reason: String) -> ConditionTrait {
        .disabled(if: isPostgres, Comment(rawValue: "SQLite only, skipped with RECSMITH_TEST_E2E_STORE=postgres: \(reason)"))
    }

    /// The file in a data directory naming its database (name, then URL, one a line), so that a server restarted
    /// over the directory finds its data again.
    private static let marker = "store.postgresql"

    /// The `--store` URL of the data directory's database, created on first use.
    static func postgresURL(for directory: URL) throws -> String {
        let file = directory.appendingPathComponent(marker)
        if let lines = try? String(contentsOf: file, encoding: .utf8).split(separator: "\n"), lines.count == 2 {
            return String(lines[1])
        }
        let database = try PostgresTestDatabase.create()
        try "\(database.name)\n\(database.url)\n".write(to: file, atomically: true, encoding: .utf8)
        return database.url
    }

    /// Drops the data directory's database, if it has one (its servers' sessions are cut).
    static func dropDatabase(of directory: URL) {
        let file = directory.appendingPathComponent(marker)
        guard let name = try? String(contentsOf: file, encoding: .utf8).split(separator: "\n").first else { return }
        PostgresTestDatabase.drop(String(name))
    }
}
