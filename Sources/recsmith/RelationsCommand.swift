import ArgumentParser
import Configuration
import EventFormats
import EventStore
import Foundation
import PostgresStore

/// `recsmith relations`: work on the item graph.
struct RelationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relations",
        abstract: "Work on item relations (the product graph).",
        subcommands: [DeriveRelationsCommand.self])
}

/// `recsmith relations derive`: `bought_together` relations from basket co-occurrence in an event log, for a store
/// (or a file) that has events but no product graph.
struct DeriveRelationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "derive",
        abstract: "Derive bought_together relations from items one user touched within --window of each other.",
        discussion: """
            Reads the events of --db or --store (or of --data FILE.csv) and writes one relation per item pair that at \
            least --min-users users touched within the window, from the smaller id to the larger: into the store, or as \
            CSV (from,to,type,weight) to --output. Each event pairs with at most --max-neighbours earlier events of its \
            user. Relations are idempotent, so deriving again adds only new pairs. A PostgreSQL store may be serving \
            meanwhile: its processes receive the new relations through their change feed.
            """)

    @Option(help: "SQLite store path: its events are read, and the relations stored in it unless --output is given.")
    var db: String?
    @Option(help: StoreOption.help) var store: String?
    @Option(help: ArgumentHelp("Read events from this CSV (user,item,timestamp[,weight][,type]) instead of a store.", valueName: "file"))
    var data: String?
    @Option(help: ArgumentHelp("Write the relations as CSV here instead of storing them.", valueName: "file"))
    var output: String?
    @Option(help: "Longest time between two events of one user that pair their items (30s, 10m, 1h, 1d).") var window: String = "1h"
    @Option(help: "Least number of users who must share a pair.") var minUsers: Int = 1
    @Option(help: "Earlier events each event pairs with, at most.") var maxNeighbours: Int = 50
    @Option(help: "Weight of each derived relation; default: bought_together's configured weight (1.2).") var weight: Double?

    func validate() throws {
        guard (db == nil && store == nil) != (data == nil) else {
            throw ValidationError("give --db or --store (a store) or --data (an events CSV), one of them")
        }
        guard data == nil || output != nil else { throw ValidationError("--data needs --output: there is no store to write to") }
        _ = try windowSeconds()
        guard minUsers >= 1 else { throw ValidationError("--min-users must be at least 1") }
        guard (1...10_000).contains(maxNeighbours) else { throw ValidationError("--max-neighbours must be from 1 to 10000") }
        if let weight, !(weight > 0 && weight <= Double(RelationRule.maxWeight)) {
            throw ValidationError("--weight must be above 0 and at most \(Int(RelationRule.maxWeight))")
        }
    }

    func run() throws {
        let derivation = BasketPairs(window: try windowSeconds(), minUsers: minUsers, maxNeighbours: maxNeighbours)
        let pairWeight = Float(weight ?? Double(RelationTypeWeights.standard.weight(of: "bought_together")!))
        var touches: [BasketPairs.Touch] = []
        if let data {
            let reader = try EventCSVReader(reader: try CSVReader(path: data))
            while let row = try reader.next() { touches.append(BasketPairs.Touch(user: row.user, item: row.item, timestamp: row.timestamp)) }
            try emit(derivation.pairs(touches), weight: pairWeight, store: nil)
            return
        }
        let path: String
        switch try StoreOption(db: db ?? "", store: store) {
        case .sqlite(let file): path = file
        case .postgres(let target):
            // Writers of a shared database take turns through its write lock: no need to have it to ourselves.
            let store = try PostgresEventStore(configuration: PostgresEventStore.Configuration(target: target))
            defer { store.close() }
            try store.exportEvents { event in touches.append(BasketPairs.Touch(user: event.user, item: event.item, timestamp: event.timestamp)) }
            return try emit(derivation.pairs(touches), weight: pairWeight, store: output == nil ? store : nil)
        }
        // Storing needs the store to ourselves; writing a file only reads it (safe beside a running server).
        let lock = output == nil ? try StoreLock(databasePath: path) : nil
        let store = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: path, readOnly: output != nil))
        defer {
            store.close()
            lock?.release()
        }
        try store.exportEvents { event in touches.append(BasketPairs.Touch(user: event.user, item: event.item, timestamp: event.timestamp)) }
        try emit(derivation.pairs(touches), weight: pairWeight, store: output == nil ? store : nil)
    }

    /// Stores the pairs (in batches of 10,000) or writes them to `--output`.
    private func emit(_ pairs: [(from: String, to: String, users: Int)], weight: Float, store: (any EventStore)?) throws {
        let relations = pairs.map { Relation(from: $0.from, to: $0.to, type: "bought_together", weight: weight) }
        if let store {
            var result = RelationWriteResult(accepted: 0, unchanged: 0)
            var start = 0
            while start < relations.count {
                let written = try store.writeRelations(Array(relations[start..<min(start + 10_000, relations.count)]))
                result.accepted += written.accepted
                result.unchanged += written.unchanged
                start += 10_000
            }
            print("derived \(relations.count) bought_together relations: \(result.accepted) stored, \(result.unchanged) already there")
            return
        }
        guard let output, FileManager.default.createFile(atPath: output, contents: nil), let handle = FileHandle(forWritingAtPath: output)
        else { throw ValidationError("cannot write \(output ?? "")") }
        defer { try? handle.close() }
        var buffer = "from,to,type,weight\n"
        let weightText = weight == weight.rounded() ? String(Int(weight)) : String(weight)
        for relation in relations {
            buffer += "\(csvField(relation.from)),\(csvField(relation.to)),bought_together,\(weightText)\n"
            if buffer.utf8.count >= 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer.utf8))
        print("derived \(relations.count) bought_together relations into \(output)")
    }

    private func windowSeconds() throws -> Double {
        guard let duration = try? ServiceConfiguration.parseInterval(window) else {
            throw ValidationError("--window must be a duration such as 30s, 10m, 1h or 1d, not \(window)")
        }
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
