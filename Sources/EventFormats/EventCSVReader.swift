/// Streams the rows of an event CSV file (`user,item,timestamp[,weight][,type]`, columns found by name),
/// validating each: equal field counts, non-empty ids, a parseable timestamp not before ``earliestTimestamp``, a
/// finite weight.
///
/// Used by `recsmith import` and `recsmith evaluate`. Ids are taken verbatim (no trimming or case folding).
///
/// ```swift
/// let reader = try EventCSVReader(path: "events.csv")
/// while let row = try reader.next() { … }
/// ```
package final class EventCSVReader {
    /// The header's columns.
    package let header: EventCSVHeader
    private let reader: CSVReader

    /// Opens `path` and reads its header.
    package convenience init(path: String, chunkSize: Int = CSVReader.defaultChunkSize) throws(EventCSVError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(path: path, chunkSize: chunkSize)
        } catch {
            throw .csv(error)
        }
        try self.init(reader: reader)
    }

    /// Reads CSV held in memory (an upload, a test fixture) and its header.
    package convenience init(bytes: [UInt8], chunkSize: Int = CSVReader.defaultChunkSize) throws(EventCSVError) {
        try self.init(reader: CSVReader(bytes: bytes, chunkSize: chunkSize))
    }

    /// Wraps a CSV reader positioned at the header line and reads the header.
    package init(reader: CSVReader) throws(EventCSVError) {
        guard let first = try Self.nextRecord(reader) else { throw .missingHeader }
        self.header = try EventCSVHeader(names: first.fields)
        self.reader = reader
    }

    /// Bytes of the file parsed so far, header included (see ``CSVReader/bytesConsumed``).
    package var bytesConsumed: Int { reader.bytesConsumed }

    /// The next row, or nil at the end of the file.
    package func next() throws(EventCSVError) -> EventRow? {
        guard let record = try Self.nextRecord(reader) else { return nil }
        guard record.count == header.names.count else {
            throw .fieldCountMismatch(line: record.line, expected: header.names.count, found: record.count)
        }
        let user = try identifier(record, header.user, "user")
        let item = try identifier(record, header.item, "item")
        let timestamp = record.withUTF8(at: header.timestamp) { parseTimestamp(utf8: $0) }
        guard let timestamp else {
            throw .invalidTimestamp(line: record.line, text: record[header.timestamp])
        }
        guard timestamp >= earliestTimestamp else {
            throw .timestampTooEarly(line: record.line, text: record[header.timestamp])
        }
        var weight: Double?
        if let column = header.weight {
            weight = try parseWeight(record, column)
        }
        let type = try optionalText(record, header.type, name: "type")
        let id = try optionalText(record, header.id, name: "id")
        let recommendationID = try optionalText(record, header.recommendationID, name: "recommendation_id")
        return EventRow(user: user, item: item, timestamp: timestamp, weight: weight, type: type, id: id,
                        recommendationID: recommendationID, line: record.line)
    }

    /// The text of an optional column; nil when the column is absent or the field empty.
    private func optionalText(_ record: CSVRecord, _ column: Int?, name: String) throws(EventCSVError) -> String? {
        guard let column, record.withUTF8(at: column, { !$0.isEmpty }) else { return nil }
        guard let text = record.validatedString(at: column) else { throw .invalidUTF8(line: record.line, column: name) }
        return text
    }

    private static func nextRecord(_ reader: CSVReader) throws(EventCSVError) -> CSVRecord? {
        do {
            return try reader.next()
        } catch {
            throw .csv(error)
        }
    }

    private func identifier(_ record: CSVRecord, _ column: Int, _ name: String) throws(EventCSVError) -> String {
        guard let text = record.validatedString(at: column) else {
            throw .invalidUTF8(line: record.line, column: name)
        }
        guard !text.isEmpty else { throw .emptyField(line: record.line, column: name) }
        return text
    }

    /// Empty (or all-whitespace) → nil; otherwise a finite float64.
    private func parseWeight(_ record: CSVRecord, _ column: Int) throws(EventCSVError) -> Double? {
        let parsed: Double?? = record.withUTF8(at: column) { bytes in
            let start = bytes.firstIndex { !isASCIIWhitespace($0) } ?? bytes.endIndex
            let end = bytes[start...].lastIndex { !isASCIIWhitespace($0) }.map { $0 + 1 } ?? start
            guard start < end else { return .some(nil) }
            let trimmed = UnsafeBufferPointer(rebasing: bytes[start..<end])
            let value = DecimalSeconds.parse(trimmed) ?? Double(String(decoding: trimmed, as: UTF8.self))
            guard let value, value.isFinite else { return nil }
            return .some(value)
        }
        guard let parsed else { throw .invalidWeight(line: record.line, text: record[column]) }
        return parsed
    }
}
