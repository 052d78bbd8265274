import ArgumentParser
import EventStore
import Foundation
import PostgresStore

/// Where a command that takes `--db PATH` finds the store: `--store sqlite:PATH` (the same as `--db PATH`) or
/// `--store postgresql://…`, else `RECSMITH_STORE`, else `--db`.
enum StoreOption {
    /// An SQLite file.
    case sqlite(path: String)
    /// A PostgreSQL database.
    case postgres(PostgresTarget)

    /// The store `store` (or `RECSMITH_STORE`) names, else the SQLite file at `db`.
    init(db: String, store: String?) throws {
        guard let text = store ?? ProcessInfo.processInfo.environment["RECSMITH_STORE"].flatMap({ $0.isEmpty ? nil : $0 }) else {
            self = .sqlite(path: db)
            return
        }
        if let target = PostgresTarget(url: text) {
            self = .postgres(target)
        } else if text.hasPrefix("sqlite:"), text.count > "sqlite:".count {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            throw ValidationError("--store needs sqlite:PATH or postgresql://…, not '\(text)'")
        }
    }

    /// The store opened for reading (an SQLite file read-only).
    func openForReading() throws -> any EventStore {
        switch self {
        case .sqlite(let path): try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: path, readOnly: true))
        case .postgres(let target): try PostgresEventStore(configuration: PostgresEventStore.Configuration(target: target))
        }
    }

    /// The help of `--store`.
    static let help = ArgumentHelp(
        "The store: sqlite:PATH (as --db PATH) or postgresql://user@host:5432/db (RECSMITH_STORE).", valueName: "url")
}
