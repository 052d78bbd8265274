import Catalogue
import Configuration
import EventStore
import Foundation
import JSON
import PostgresStore
import SyntheticData

/// `recsmith serve --playground`: a generated shop written into an empty store before the service opens it, and
/// the commands to try once the first training pass has published its models.
struct Playground {
    let shop: PlaygroundShop

    /// The throwaway directory the playground's store goes in when no `--db` or `--store` names one.
    static func makeDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("recsmith-playground-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw PlaygroundError(message: "cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }

    /// Writes the shop's item records and events into the store `configuration` names (its SQLite file, under the
    /// file's lock, or its PostgreSQL database) when it holds no events, through the same validation as `recsmith
    /// import`; false (nothing written) when the store already had events.
    func fill(_ configuration: ServiceConfiguration) throws -> Bool {
        if let target = configuration.postgresStore {
            let store = try PostgresEventStore(configuration: configuration.postgresConfiguration(target))
            defer { store.close() }
            return try fill(store, limits: configuration.recordLimits)
        }
        let databasePath = configuration.databasePath
        let directory = (databasePath as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let lock = try StoreLock(databasePath: databasePath)
        let store = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: databasePath))
        defer {
            store.close()
            lock.release()
        }
        return try fill(store, limits: configuration.recordLimits)
    }

    private func fill(_ store: any EventStore, limits: RecordLimits) throws -> Bool {
        guard store.eventCount == 0 else { return false }
        let decoder = RecordDecoder(limits: limits)
        let lines = shop.itemRecordLines()
        for start in stride(from: 0, to: lines.count, by: limits.maxBatchSize) {
            let values = try lines[start..<min(lines.count, start + limits.maxBatchSize)].map { try JSONValue.parse($0) }
            let records = try decoder.itemRecords(values)
            _ = try store.writeItems(records.map { ItemWrite(item: $0.id, action: .put(record: $0.record.json.serialized(indent: 0))) })
        }
        let events = shop.events()
        for start in stride(from: 0, to: events.count, by: 10_000) {
            _ = try store.appendBulk(events[start..<min(events.count, start + 10_000)].map {
                Event(user: $0.user, item: $0.item, type: $0.type, weight: $0.weight, timestamp: $0.timestamp)
            })
        }
        return true
    }

    /// What the playground prints once its models are trained: the data, the token's file and commands to try.
    func guide(base: String, tokenFile: String?, storePath: String, throwaway: Bool, filled: Bool) -> String {
        let example = shop.example()
        let catalogue = shop.catalogue
        let percent = Int((example.share * 100).rounded())
        var lines: [String] = []
        if filled {
            lines.append("playground: \(catalogue.userCount) users, \(catalogue.itemCount) items in \(catalogue.categoryCount) "
                + "categories, \(catalogue.eventCount) events (purchase, cart, view) over the last \(shop.days) days")
        } else {
            lines.append("playground: the store already had events, so none were generated")
        }
        lines.append("store: \(storePath)" + (throwaway ? " (throwaway: delete its directory when done)" : ""))
        if let tokenFile { lines.append("admin token: \(tokenFile)") }
        lines += [
            "",
            "Try (the models are trained):",
            "",
            "  # \(percent)% of \(example.user)'s events are in \"\(example.favouriteCategory)\": the list leans there",
            "  curl -s '\(base)/users/\(example.user)/recommendations?k=5'",
            "",
            "  # items like \(example.item), the top seller of \"\(example.favouriteCategory)\" (bought by the same people)",
            "  curl -s '\(base)/items/\(example.item)/similar?k=5'",
            "",
            "  # \(example.user)'s list, only brand \(example.brand) under 50",
            "  curl -sG '\(base)/users/\(example.user)/recommendations' --data-urlencode k=5 \\",
            "    --data-urlencode 'filter=labels.brand = \"\(example.brand)\" AND labels.price < 50'",
            "",
            "  # the item records and what each model learned",
            "  curl -s '\(base)/items/\(example.item)'",
            "  curl -s '\(base)/models'",
            "",
            "Look: \(base)/dashboard (sign in with the admin token in the file above) and \(base)/docs (the API reference).",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The playground could not be set up.
struct PlaygroundError: Error, CustomStringConvertible {
    let message: String
    var description: String { "playground: \(message)" }
}
