import ArgumentParser
import Catalogue
import Dispatch
import EventFormats
import EventStore
import Foundation
import PostgresStore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `recsmith import`: bulk-loads a CSV or JSONL file into the store through the API's validation.
///
/// Events are validated and stored in batches of `--batch-size`; the first invalid batch stops the
/// import with every bad line listed, and nothing from that batch is stored (earlier batches are).
/// SIGTERM or SIGINT stops it between batches: the batch being committed is finished, the output says how many
/// events are stored and through which line, and the exit status is 128 + the signal's number.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load events from FILE.csv (user,item,timestamp[,weight][,type]) or FILE.jsonl, records with --items/--users, "
            + "or item relations with --relations."
    )

    @Option(help: "SQLite store path.") var db: String = "./var/recsmith.sqlite"
    @Option(help: StoreOption.help) var store: String?
    @Option(help: "Events (or records) per transaction.") var batchSize: Int = 100_000
    @Option(help: "Load item records from this .jsonl or .csv (item,categories,labels_json,text,hidden,published_at,expires_at).")
    var items: String?
    @Option(help: "Load user records from this .jsonl or .csv (user,labels_json).") var users: String?
    @Option(help: ArgumentHelp("Load item relations from this .csv (from,to,type[,weight]) or .jsonl; types weigh as "
                               + "bought_together 1.2, also_bought 1, also_viewed 0.5 unless a row gives its weight."))
    var relations: String?
    @Argument(help: "A .csv or .jsonl/.ndjson file of events.") var file: String?

    func validate() throws {
        let sources = [file, items, users, relations].compactMap { $0 }.count
        guard sources == 1 else { throw ValidationError("give one of: an events FILE, --items FILE, --users FILE, --relations FILE") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
    }

    func run() throws {
        let store: any EventStore
        let lock: StoreLock?
        switch try StoreOption(db: db, store: self.store) {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            // A running server would never see these writes (its index is built at open): one writer per store.
            lock = try StoreLock(databasePath: path)
            store = try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(path: path))
        case .postgres(let target):
            // Shared: running servers apply what this import commits through their change feed. Batches go in by COPY.
            lock = nil
            store = try PostgresEventStore(configuration: PostgresEventStore.Configuration(target: target))
        }
        defer {
            store.close()
            lock?.release()
        }
        if let items { return try RecordImport(store: store, batchSize: batchSize).run(path: items, kind: .items) }
        if let users { return try RecordImport(store: store, batchSize: batchSize).run(path: users, kind: .users) }
        if let relations {
            return try RelationImport(store: store, batchSize: batchSize, types: .standard).run(path: relations)
        }
        try importEvents(from: file!, into: store)
    }

    private func importEvents(from file: String, into store: any EventStore) throws {
        var validation = EventValidator.Configuration()
        validation.maxBatchSize = batchSize
        let validator = EventValidator(configuration: validation)
        let progress = ProgressReporter(totalBytes: Self.regularFileSize(file))
        let committer = BatchCommitter(store: store)
        let interruption = Interruption()
        var read = 0
        var lastSubmittedLine = 0

        // Parsing and validating the next batch overlaps with committing the previous one.
        func commit(_ inputs: [EventInput], lines: [Int], bytesRead: Int) throws {
            guard !inputs.isEmpty else { return }
            if let signal = interruption.signal {
                let stored = try committer.finish()
                printError("import stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM"): \(stored.accepted) events stored "
                    + "(\(stored.duplicates) duplicates) through line \(lastSubmittedLine); nothing after it was imported")
                throw ExitCode(128 + signal)
            }
            let events: [Event]
            do {
                events = try validator.validate(inputs)
            } catch {
                if case .invalidEvents(let issues) = error {
                    for issue in issues.prefix(20) { printError("line \(lines[issue.index]): \(issue.field) \(issue.message)") }
                    if issues.count > 20 { printError("… and \(issues.count - 20) more") }
                }
                let stored = try committer.finish().accepted
                throw ImportFailure(message: "invalid events; stored \(stored) events from earlier batches")
            }
            try committer.submit(events)
            lastSubmittedLine = lines.last ?? lastSubmittedLine
            read += inputs.count
            progress.update(events: read, bytesRead: bytesRead)
        }

        func importJSONLines() throws {
            guard let handle = FileHandle(forReadingAtPath: file) else { throw ImportFailure(message: "cannot open \(file)") }
            defer { try? handle.close() }
            let decoder = EventBodyDecoder(configuration: .init(maxEvents: Int.max))
            var pending: [UInt8] = []
            var firstLine = 1
            var bytesRead = 0
            var inputs: [EventInput] = []
            var lines: [Int] = []
            func flushLines(_ block: ArraySlice<UInt8>) throws {
                for line in block.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                    defer { firstLine += 1 }
                    bytesRead += line.count + 1
                    if line.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) { continue }
                    do {
                        inputs.append(try decoder.decodeEvent(line))
                    } catch {
                        let stored = try committer.finish().accepted
                        throw ImportFailure(message: "line \(firstLine): \(error.message); stored \(stored) events from earlier batches")
                    }
                    lines.append(firstLine)
                    if inputs.count == batchSize {
                        try commit(inputs, lines: lines, bytesRead: bytesRead)
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
            try commit(inputs, lines: lines, bytesRead: bytesRead)
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
                                         timestamp: .seconds(row.timestamp), weight: row.weight, id: row.id,
                                         recommendationID: row.recommendationID))
                lines.append(row.line)
                if inputs.count == batchSize {
                    try commit(inputs, lines: lines, bytesRead: reader.bytesConsumed)
                    inputs.removeAll(keepingCapacity: true)
                    lines.removeAll(keepingCapacity: true)
                }
            }
            try commit(inputs, lines: lines, bytesRead: reader.bytesConsumed)
        }

        let totals = try committer.finish()
        progress.finish(events: read)
        let seconds = progress.elapsed
        print("read \(read) events: \(totals.accepted) stored, \(totals.duplicates) duplicates, "
            + "in \(String(format: "%.2f", seconds)) s (\(Int(Double(read) / max(seconds, 1e-9))) events/s)")
    }

    /// The size of `path` when it is a regular file (a pipe or device has none to measure progress against).
    private static func regularFileSize(_ path: String) -> Int? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              attributes[.type] as? FileAttributeType == .typeRegular
        else { return nil }
        return (attributes[.size] as? NSNumber)?.intValue
    }
}

/// Commits validated batches on a queue of its own, one at a time, while the caller parses the next one.
private final class BatchCommitter: @unchecked Sendable {
    // @unchecked Sendable: `totals` and `failure` are read and written only inside blocks on the serial `queue`
    // (there is no access outside one for a debug check to catch).
    private let store: any EventStore
    private let queue = DispatchQueue(label: "recsmith.import.commit")
    private let slot = DispatchSemaphore(value: 1)
    private var totals = AppendResult(accepted: 0, duplicates: 0)
    private var failure: EventStoreError?

    init(store: any EventStore) {
        self.store = store
    }

    /// Queues `events`, waiting while the previous batch is still being committed; rethrows an earlier failure.
    func submit(_ events: [Event]) throws {
        slot.wait()
        if let failure = queue.sync(execute: { failure }) {
            slot.signal()
            throw failure
        }
        queue.async { [self] in
            defer { slot.signal() }
            do throws(EventStoreError) {
                let result = try store.appendBulk(events)
                totals.accepted += result.accepted
                totals.duplicates += result.duplicates
            } catch {
                failure = error
            }
        }
    }

    /// Waits for the last batch; returns the totals or the first failure.
    func finish() throws -> AppendResult {
        try queue.sync { () throws -> AppendResult in
            if let failure { throw failure }
            return totals
        }
    }
}

/// Import progress on standard error: on a terminal, an `ImportProgress` bar redrawn in place (at most ten
/// times a second); otherwise a plain line at each tenth of the file (each million events when its size is unknown).
private final class ProgressReporter {
    private let started = ContinuousClock.now
    private let totalBytes: Int?
    private let isTerminal = isatty(2) == 1
    private var lastDrawn: Double?
    private var lastMilestone = 0
    private var bytesRead = 0

    init(totalBytes: Int?) {
        self.totalBytes = totalBytes
    }

    var elapsed: Double {
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    func update(events: Int, bytesRead: Int) {
        self.bytesRead = bytesRead
        let progress = ImportProgress(events: events, bytesRead: bytesRead, totalBytes: totalBytes, elapsedSeconds: elapsed)
        if isTerminal {
            if let lastDrawn, progress.elapsedSeconds - lastDrawn < 0.1 { return }
            draw(progress)
        } else if progress.milestone > lastMilestone {
            lastMilestone = progress.milestone
            printError(progress.plainLine)
        }
    }

    /// Draws the final state on a terminal and ends its line.
    func finish(events: Int) {
        guard isTerminal, lastDrawn != nil else { return }
        draw(ImportProgress(events: events, bytesRead: bytesRead, totalBytes: totalBytes, elapsedSeconds: elapsed))
        printError("")
    }

    private func draw(_ progress: ImportProgress) {
        lastDrawn = progress.elapsedSeconds
        // One column spare: a line filling the last column makes some terminals wrap before the next redraw.
        printError("\u{1B}[2K\r" + progress.bar(width: Self.terminalWidth() - 1), newline: false)
    }

    /// Columns of the terminal on standard error; 80 when it does not say.
    private static func terminalWidth() -> Int {
        var size = winsize()
        guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }
}

/// SIGTERM and SIGINT, caught for the import's lifetime so it can stop between batches.
private final class Interruption {
    private final class Received: Sendable {
        let number = Atomic<Int32>(0)
    }

    private let received = Received()
    private let sources: [any DispatchSourceSignal]

    init() {
        let received = received
        sources = [SIGTERM, SIGINT].map { number in
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { received.number.store(number, ordering: .relaxed) }
            source.resume()
            return source
        }
    }

    /// The signal received, if any.
    var signal: Int32? {
        let number = received.number.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }
}

/// An import that stopped; the message says where and what was already stored.
struct ImportFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

func printError(_ text: String, newline: Bool = true) {
    FileHandle.standardError.write(Data((newline ? text + "\n" : text).utf8))
}
