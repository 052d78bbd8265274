import EventFormats
import Foundation
import JSON

/// Reads item or user records from a file for `recsmith import --items/--users`, as the JSON objects the API
/// takes, so they go through the same `RecordDecoder`.
///
/// JSON Lines: one record per line, with its `item` (or `user`) field. CSV with a header: items
/// `item,categories,labels_json,text,hidden,published_at,expires_at` (categories `|`-separated, labels a JSON
/// object, hidden `true`/`false`, dates RFC 3339 or unix seconds; empty fields are absent), users
/// `user,labels_json`. Columns may come in any order; `item` (or `user`) is required, unknown columns are refused.
package final class RecordFileReader {
    /// Which records the file holds.
    package enum Kind: Sendable {
        case items, users

        var idColumn: String { self == .items ? "item" : "user" }
        var columns: Set<String> {
            self == .items ? ["item", "categories", "labels_json", "text", "hidden", "published_at", "expires_at"] : ["user", "labels_json"]
        }
    }

    /// Why a file could not be read; the line says where.
    package struct Failure: Error, CustomStringConvertible {
        package let line: Int
        package let message: String
        package var description: String { "line \(line): \(message)" }
    }

    private enum Source {
        case lines(FileHandle)
        case csv(CSVReader, header: [String])
    }

    private let kind: Kind
    private var source: Source
    private var pending: [UInt8] = []
    private var lineNumber = 0
    private var exhausted = false

    /// Opens `path`: `.csv` is CSV, anything else JSON Lines.
    package init(path: String, kind: Kind) throws {
        self.kind = kind
        if path.lowercased().hasSuffix(".csv") {
            let reader = try CSVReader(path: path)
            guard let header = try reader.next() else { throw Failure(line: 1, message: "the file is empty; it needs a header") }
            let names = header.fields
            guard names.contains(kind.idColumn) else { throw Failure(line: 1, message: "the header has no \(kind.idColumn) column") }
            if let unknown = names.first(where: { !kind.columns.contains($0) }) {
                throw Failure(line: 1, message: "unknown column \(unknown); columns are \(kind.columns.sorted().joined(separator: ","))")
            }
            source = .csv(reader, header: names)
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw Failure(line: 0, message: "cannot open \(path)") }
            source = .lines(handle)
        }
    }

    deinit {
        if case .lines(let handle) = source { try? handle.close() }
    }

    /// The next record as a JSON object with its line, or nil at the end.
    package func next() throws -> (line: Int, value: JSONValue)? {
        switch source {
        case .lines(let handle): return try nextLine(handle)
        case .csv(let reader, let header): return try nextRow(reader, header: header)
        }
    }

    private func nextLine(_ handle: FileHandle) throws -> (line: Int, value: JSONValue)? {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[..<newline]
                pending.removeSubrange(...newline)
                lineNumber += 1
                if let value = try parse(line) { return (lineNumber, value) }
                continue
            }
            if exhausted {
                guard !pending.isEmpty else { return nil }
                let line = pending[...]
                pending = []
                lineNumber += 1
                return try parse(line).map { (lineNumber, $0) }
            }
            if let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { pending.append(contentsOf: chunk) } else { exhausted = true }
        }
    }

    private func parse(_ line: ArraySlice<UInt8>) throws -> JSONValue? {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return nil }
        do {
            return try JSONValue.parse(line)
        } catch {
            throw Failure(line: lineNumber, message: "not valid JSON: \(error)")
        }
    }

    private func nextRow(_ reader: CSVReader, header: [String]) throws -> (line: Int, value: JSONValue)? {
        guard let row = try reader.next() else { return nil }
        guard row.count == header.count else {
            throw Failure(line: row.line, message: "\(row.count) fields where the header has \(header.count)")
        }
        var members: [(key: String, value: JSONValue)] = []
        for (index, column) in header.enumerated() {
            let field = row[index]
            if field.isEmpty { continue }
            switch column {
            case "categories": members.append(("categories", .array(field.split(separator: "|").map { .string(String($0)) })))
            case "labels_json":
                do { members.append(("labels", try JSONValue.parse(field))) } catch {
                    throw Failure(line: row.line, message: "labels_json is not valid JSON: \(error)")
                }
            case "hidden":
                guard field == "true" || field == "false" else { throw Failure(line: row.line, message: "hidden must be true or false") }
                members.append(("hidden", .bool(field == "true")))
            default: members.append((column, .string(field)))
            }
        }
        return (row.line, .object(members))
    }
}
