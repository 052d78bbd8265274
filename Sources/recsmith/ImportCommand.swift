import ArgumentParser
import EventFormats
import EventStore
import Foundation

/// `recsmith import`: bulk-loads a CSV or JSONL file into the store through the API's validation.
///
/// Events are validated and stored in batches of `--batch-size`; the first invalid batch stops the
/// import with every bad line listed, and nothing from that batch is stored (earlier batches are).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load events from FILE.csv (user,item,timestamp[,weight][,type]) or FILE.jsonl."
    )

    @Option(help: "SQLite store path.") var db: String = "./var/recsmith.sqlite"
    @Option(help: "Events per transaction.") var batchSize: Int = 100_000
    @Argument(help: "A .csv or .jsonl/.ndjson file.") var file: String

    func run() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        let directory = (db as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let store = try EventStore(configuration: EventStore.Configuration(path: db))
        defer { store.close() }
        var validation = EventValidator.Configuration()
        validation.maxBatchSize = batchSize
        let validator = EventValidator(configuration: validation)
        var totals = (read: 0, accepted: 0, duplicates: 0)
        let started = Date()

        func commit(_ inputs: [EventInput], lines: [Int]) throws {
            guard !inputs.isEmpty else { return }
            let events: [Event]
            do {
                events = try validator.validate(inputs)
            } catch {
                if case .invalidEvents(let issues) = error {
                    for issue in issues.prefix(20) { printError("line \(lines[issue.index]): \(issue.field) \(issue.message)") }
                    if issues.count > 20 { printError("… and \(issues.count - 20) more") }
                }
                throw ImportFailure(message: "invalid events; stored \(totals.accepted) events from earlier batches")
            }
            let result = try store.appendBulk(events)
            totals.read += inputs.count
            totals.accepted += result.accepted
            totals.duplicates += result.duplicates
        }

        func importJSONLines() throws {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw ImportFailure(message: "cannot open \(file)") }
            defer { try? handle.close() }
            let decoder = EventBodyDecoder(configuration: .init(maxEvents: Int.max))
            var pending: [UInt8] = []
            var firstLine = 1
            var inputs: [EventInput] = []
            var lines: [Int] = []
            func flushLines(_ block: ArraySlice<UInt8>) throws {
                for line in block.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                    defer { firstLine += 1 }
                    if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                    do {
                        inputs.append(try decoder.decodeEvent(line))
                    } catch {
                        throw ImportFailure(message: "line \(firstLine): \(error.message); stored \(totals.accepted) events from earlier batches")
                    }
                    lines.append(firstLine)
                    if inputs.count == batchSize {
                        try commit(inputs, lines: lines)
                        inputs.removeAll(keepingCapacity: true)
                        lines.removeAll(keepingCapacity: true)
                    }
                }
            }
            while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
                pending.append(contentsOf: chunk)
                guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
                try flushLines(pending[..<lastNewline])
                pending.removeSubrange(...lastNewline)
            }
            if !pending.isEmpty { try flushLines(pending[...]) }
            try commit(inputs, lines: lines)
        }

        let lower = file.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") || lower.hasSuffix(".json") {
            try importJSONLines()
        } else {
            let reader = try EventCSVReader(path: file)
            var inputs: [EventInput] = []
            var lines: [Int] = []
            inputs.reserveCapacity(batchSize)
            while let row = try reader.next() {
                inputs.append(EventInput(user: row.user, item: row.item, type: row.type,
                                         timestamp: .seconds(row.timestamp), weight: row.weight, id: row.id))
                lines.append(row.line)
                if inputs.count == batchSize {
                    try commit(inputs, lines: lines)
                    inputs.removeAll(keepingCapacity: true)
                    lines.removeAll(keepingCapacity: true)
                }
            }
            try commit(inputs, lines: lines)
        }

        let seconds = Date().timeIntervalSince(started)
        print("read \(totals.read) events: \(totals.accepted) stored, \(totals.duplicates) duplicates, "
            + "in \(String(format: "%.2f", seconds)) s (\(Int(Double(totals.read) / max(seconds, 1e-9))) events/s)")
    }
}

/// An import that stopped; the message says where and what was already stored.
struct ImportFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
