/// A streaming RFC 4180 CSV reader: reads its input in fixed-size chunks, so files of any size are read in
/// constant memory (one chunk plus the longest record).
///
/// Handles quoted fields with `""` escapes and embedded line breaks, LF / CRLF / CR line ends, a leading
/// UTF-8 byte-order mark (dropped), and completely blank lines (skipped). It does not check that records
/// have equal field counts; ``EventCSVReader`` does that against the header.
///
/// ```swift
/// let reader = try CSVReader(path: "events.csv")
/// while let record = try reader.next() {
///     print(record.line, record.fields)
/// }
/// ```
package final class CSVReader {
    /// Bytes read from the file per system call unless told otherwise (1 MiB).
    package static let defaultChunkSize = 1 << 20
    /// Longest record accepted unless told otherwise (1 MiB); it bounds memory when a quote never closes.
    package static let defaultMaxRecordLength = 1 << 20

    private var source: ByteSource
    private let chunkSize: Int
    private var buffer: [UInt8] = []
    private var position = 0
    /// Bytes of the input that came before `buffer`.
    private var bytesBeforeBuffer = 0
    private var exhausted = false
    private var checkedByteOrderMark = false
    private var parser: CSVParser

    /// Opens the file at `path` for streaming.
    /// - Parameters:
    ///   - chunkSize: bytes read per system call.
    ///   - maxRecordLength: longest record, in bytes of field content, before ``CSVError/recordTooLong(line:limit:)``.
    package convenience init(
        path: String,
        chunkSize: Int = CSVReader.defaultChunkSize,
        maxRecordLength: Int = CSVReader.defaultMaxRecordLength
    ) throws(CSVError) {
        self.init(source: try ByteSource.openFile(path: path), chunkSize: chunkSize, maxRecordLength: maxRecordLength)
    }

    /// Reads CSV from bytes already in memory, `chunkSize` bytes at a time (small chunks are useful in tests).
    package convenience init(
        bytes: [UInt8],
        chunkSize: Int = CSVReader.defaultChunkSize,
        maxRecordLength: Int = CSVReader.defaultMaxRecordLength
    ) {
        self.init(source: .memory(bytes: bytes, offset: 0), chunkSize: chunkSize, maxRecordLength: maxRecordLength)
    }

    private init(source: ByteSource, chunkSize: Int, maxRecordLength: Int) {
        precondition(chunkSize > 0, "chunkSize must be positive")
        self.source = source
        self.chunkSize = chunkSize
        self.parser = CSVParser(maxRecordLength: maxRecordLength)
    }

    deinit {
        source.close()
    }

    /// Bytes of the input parsed so far (the byte-order mark included): after `next()` returns a record,
    /// the offset just past it. Compared with the file's size, it tells how far a read has got.
    package var bytesConsumed: Int { bytesBeforeBuffer + position }

    /// The next record, or nil at the end of the input.
    package func next() throws(CSVError) -> CSVRecord? {
        if !checkedByteOrderMark {
            try skipByteOrderMark()
        }
        parser.startRecord()
        while true {
            if position == buffer.count {
                if exhausted {
                    return try parser.finish() == .record ? currentRecord() : nil
                }
                try refill()
                continue
            }
            let outcome = try buffer.withUnsafeBufferPointer { (input) throws(CSVError) in
                try parser.parse(input, position: &position)
            }
            if outcome == .record {
                return currentRecord()
            }
        }
    }

    private func currentRecord() -> CSVRecord {
        CSVRecord(line: parser.recordLine, storage: parser.storage, ends: parser.ends)
    }

    private func refill() throws(CSVError) {
        bytesBeforeBuffer += buffer.count
        buffer.removeAll(keepingCapacity: true)
        position = 0
        if try source.read(into: &buffer, count: chunkSize) == 0 {
            exhausted = true
        }
    }

    /// Drops a UTF-8 BOM (EF BB BF) at the very start, reading as many chunks as needed to see three bytes.
    private func skipByteOrderMark() throws(CSVError) {
        checkedByteOrderMark = true
        while buffer.count < 3, !exhausted {
            if try source.read(into: &buffer, count: chunkSize) == 0 {
                exhausted = true
            }
        }
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
            position = 3
        }
    }
}
