import ArgumentParser
import EventFormats
import EventStore
import Foundation
import PostgresStore
import JSON

/// `recsmith export`: writes every stored event out as CSV or JSON Lines, re-importable with `recsmith import`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write all events as CSV (user,item,timestamp,weight,type,id,recommendation_id) or JSON Lines, or the item or user records "
            + "as JSON Lines (--items, --users), or the item relations (--relations); safe while the server runs."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, jsonl
    }

    @Option(help: "SQLite store path.") var db: String = "./var/recsmith.sqlite"
    @Option(help: StoreOption.help) var store: String?
    @Option(help: "csv or jsonl.") var format: Format = .csv
    @Option(help: "Output file; standard output when absent.") var output: String?
    @Flag(help: "Write the item records (JSON Lines, as `import --items` reads them) instead of events.") var items = false
    @Flag(help: "Write the user records (JSON Lines) instead of events.") var users = false
    @Flag(help: "Write the item relations (CSV from,to,type,weight or JSON Lines, as `import --relations` reads them) instead of events.")
    var relations = false

    func validate() throws {
        guard [items, users, relations].filter({ $0 }).count <= 1 else { throw ValidationError("give one of --items, --users, --relations") }
    }

    func run() throws {
        let store = try StoreOption(db: db, store: self.store).openForReading()
        defer { store.close() }
        let path = output ?? "/dev/stdout"
        guard path == "/dev/stdout" || FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw ValidationError("cannot write \(path)") }
        defer { try? handle.close() }
        if items || users { return try exportRecords(of: store, to: handle) }
        if relations { return try exportRelations(of: store, to: handle) }
        var buffer = format == .csv ? "user,item,timestamp,weight,type,id,recommendation_id\n" : ""
        var count = 0
        try store.exportEvents { event in
            switch format {
            case .csv:
                buffer += [event.user, event.item, plain(event.timestamp), plain(Double(event.weight)), event.type, event.id ?? "",
                           event.recommendationID ?? ""]
                    .map(csvField).joined(separator: ",") + "\n"
            case .jsonl:
                buffer += jsonLine(event)
            }
            count += 1
            if buffer.utf8.count >= 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
        printError("exported \(count) events")
    }

    /// One JSON line per record: the id first, then the stored record's fields.
    private func exportRecords(of store: any EventStore, to handle: FileHandle) throws {
        let records = try store.storedRecords()
        var buffer = ""
        var count = 0
        func write(idKey: String, id: String?, json: String?) throws {
            guard let id, let json, case .object(let fields) = try JSONValue.parse(json) else { return }
            buffer += JSONValue.object([(idKey, .string(id))] + fields).serialized(indent: 0) + "\n"
            count += 1
            if buffer.utf8.count >= 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if items {
            for item in records.items { try write(idKey: "item", id: store.itemID(at: item.index), json: item.json) }
        } else {
            for user in records.users { try write(idKey: "user", id: store.userID(at: user.index), json: user.json) }
        }
        handle.write(Data(buffer.utf8))
        printError("exported \(count) \(items ? "item" : "user") records")
    }

    /// Every relation, CSV or JSON Lines, by (from, to, type) in index order.
    private func exportRelations(of store: any EventStore, to handle: FileHandle) throws {
        var buffer = format == .csv ? "from,to,type,weight\n" : ""
        var count = 0
        try store.exportRelations { relation in
            switch format {
            case .csv:
                buffer += [relation.from, relation.to, relation.type, plain(Double(relation.weight))].map(csvField).joined(separator: ",") + "\n"
            case .jsonl:
                buffer += JSONValue.object([("from", .string(relation.from)), ("to", .string(relation.to)), ("type", .string(relation.type)),
                                            ("weight", .number(Double(relation.weight)))]).serialized(indent: 0) + "\n"
            }
            count += 1
            if buffer.utf8.count >= 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
        printError("exported \(count) relations")
    }

    /// A number without a needless `.0`, as import reads it back.
    private func plain(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }


    private func jsonLine(_ event: Event) -> String {
        var object: [String: Any] = ["user": event.user, "item": event.item, "type": event.type,
                                     "timestamp": event.timestamp, "weight": Double(event.weight)]
        if let id = event.id { object["id"] = id }
        if let recommendationID = event.recommendationID { object["recommendation_id"] = recommendationID }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
