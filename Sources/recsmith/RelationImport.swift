import Catalogue
import EventFormats
import EventStore
import Foundation
import JSON

/// `recsmith import --relations`: relations from CSV (`from,to,type[,weight]`) or JSON Lines (one
/// `{"from", "to", "type", "weight"}` per line), checked as `POST /relations` checks them and stored in batches.
/// The first bad line stops the import with its problem; earlier batches stay stored (relations are idempotent,
/// so the fixed file can simply be imported again).
struct RelationImport {
    let store: any EventStore
    let batchSize: Int
    let types: RelationTypeWeights

    func run(path: String) throws {
        var batch: [Relation] = []
        var result = RelationWriteResult(accepted: 0, unchanged: 0)
        func flush() throws {
            guard !batch.isEmpty else { return }
            let written = try store.writeRelations(batch)
            result.accepted += written.accepted
            result.unchanged += written.unchanged
            batch.removeAll(keepingCapacity: true)
        }
        func add(_ relation: Relation) throws {
            batch.append(relation)
            if batch.count == batchSize { try flush() }
        }
        do {
            if path.lowercased().hasSuffix(".csv") {
                let reader = try RelationCSVReader(path: path, types: types)
                while let (_, relation) = try reader.next() { try add(relation) }
            } else {
                try readJSONLines(path: path, add: add)
            }
        } catch let failure as RelationCSVReader.Failure {
            try flush()
            throw ImportFailure(message: "\(failure); stored \(result.accepted) relations from earlier lines")
        } catch let failure as CSVError {
            throw ImportFailure(message: "\(failure); stored \(result.accepted) relations from earlier lines")
        }
        try flush()
        print("stored \(result.accepted) relations (\(result.unchanged) unchanged)")
    }

    /// Reads one relation per non-blank line through the API's decoder; a bad line throws with its number.
    private func readJSONLines(path: String, add: (Relation) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ImportFailure(message: "cannot open \(path)") }
        defer { try? handle.close() }
        let decoder = RelationDecoder(types: types, maxBatchSize: 1)
        var pending: [UInt8] = []
        var line = 0
        func consume(_ text: ArraySlice<UInt8>) throws {
            line += 1
            guard !text.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { return }
            do {
                try add(try decoder.relations([try JSONValue.parse(text, maxDepth: 8)])[0])
            } catch let error as RecordError {
                guard case .invalidRecords(let issues) = error else { throw error }
                throw RelationCSVReader.Failure(line: line, message: issues.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
            } catch let error as JSONParseError {
                throw RelationCSVReader.Failure(line: line, message: "not valid JSON: \(error)")
            }
        }
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty {
            pending.append(contentsOf: chunk)
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            for text in pending[..<lastNewline].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
                try consume(text)
            }
            pending.removeSubrange(...lastNewline)
        }
        if !pending.isEmpty { try consume(pending[...]) }
    }
}
