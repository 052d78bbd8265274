import Catalogue
import EventStore
import JSON

/// `recsmith import --items/--users`: records from a file, validated as the API validates them, stored in
/// batches; the first invalid batch stops the import with its problems listed, and nothing of it is stored.
struct RecordImport {
    let store: any EventStore
    let batchSize: Int

    func run(path: String, kind: RecordFileReader.Kind) throws {
        let reader = try RecordFileReader(path: path, kind: kind)
        var limits = RecordLimits()
        limits.maxBatchSize = min(batchSize, limits.maxBatchSize)
        let decoder = RecordDecoder(limits: limits)
        var batch: [(line: Int, value: JSONValue)] = []
        var stored = 0
        func flush() throws {
            guard !batch.isEmpty else { return }
            defer { batch.removeAll(keepingCapacity: true) }
            do {
                switch kind {
                case .items:
                    let records = try decoder.itemRecords(batch.map(\.value))
                    _ = try store.writeItems(records.map { ItemWrite(item: $0.id, action: .put(record: $0.record.json.serialized(indent: 0))) })
                case .users:
                    var records: [(user: String, record: String?)] = []
                    var issues: [RecordIssue] = []
                    for (position, entry) in batch.enumerated() {
                        do {
                            let (id, record) = try decoder.userRecord(entry.value, index: position)
                            records.append((id, record.json.serialized(indent: 0)))
                        } catch {
                            if case .invalidRecords(let found) = error { issues += found }
                        }
                    }
                    guard issues.isEmpty else { throw RecordError.invalidRecords(issues) }
                    _ = try store.writeUserRecords(records)
                }
                stored += batch.count
            } catch let error as RecordError {
                if case .invalidRecords(let issues) = error {
                    for issue in issues.prefix(20) {
                        printError("line \(issue.index.map { batch[$0].line } ?? 0): \(issue.field) \(issue.message)")
                    }
                    if issues.count > 20 { printError("… and \(issues.count - 20) more") }
                }
                throw ImportFailure(message: "invalid records; stored \(stored) records from earlier batches")
            }
        }
        do {
            while let entry = try reader.next() {
                batch.append(entry)
                if batch.count == limits.maxBatchSize { try flush() }
            }
        } catch let failure as RecordFileReader.Failure {
            throw ImportFailure(message: "\(failure); stored \(stored) records from earlier batches")
        }
        try flush()
        print("stored \(stored) \(kind == .items ? "item" : "user") records")
    }
}
