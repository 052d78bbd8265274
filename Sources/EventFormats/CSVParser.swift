/// The RFC 4180 state machine behind ``CSVReader``: it consumes bytes chunk by chunk, so a field, a quote
/// escape or a CRLF may be split anywhere between two chunks.
///
/// Line breaks are LF, CRLF or a lone CR. A quote inside an unquoted field is kept literally (as Python's
/// `csv` module does); text after a closing quote is an error. Lines that are completely empty are skipped.
struct CSVParser {
    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted
    }

    /// What one call to ``parse(_:position:)`` or ``finish()`` produced.
    enum Outcome: Equatable {
        /// The input ran out before the record ended.
        case needMore
        /// A record is complete in ``storage``/``ends``/``recordLine``; call ``startRecord()`` before parsing on.
        case record
        /// The input ended cleanly between records.
        case end
    }

    let maxRecordLength: Int
    private(set) var storage: [UInt8] = []
    private(set) var ends: [Int] = []
    /// The physical line the current record starts on.
    private(set) var recordLine = 1
    private var line = 1
    private var state = State.fieldStart
    private var recordStarted = false
    private var skipLineFeed = false

    init(maxRecordLength: Int) {
        self.maxRecordLength = maxRecordLength
    }

    /// Clears the finished record so the next one can be collected (keeps the buffers' capacity).
    mutating func startRecord() {
        storage.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        recordStarted = false
        state = .fieldStart
    }

    /// Consumes `input` from `position` until a record completes or the input is used up.
    mutating func parse(_ input: UnsafeBufferPointer<UInt8>, position: inout Int) throws(CSVError) -> Outcome {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lineFeed = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        while position < input.endIndex {
            let byte = input[position]
            position += 1
            if skipLineFeed {
                skipLineFeed = false
                if byte == lineFeed { continue }
            }
            switch state {
            case .fieldStart:
                if byte == lineFeed || byte == carriageReturn {
                    skipLineFeed = byte == carriageReturn
                    line += 1
                    if recordStarted { return try endRecord() }
                    continue  // a completely blank line
                }
                if !recordStarted {
                    recordStarted = true
                    recordLine = line
                }
                if byte == quote {
                    state = .quoted
                } else if byte == comma {
                    try endField()
                } else {
                    storage.append(byte)
                    state = .unquoted
                }
            case .unquoted:
                if byte == comma {
                    try endField()
                    state = .fieldStart
                } else if byte == lineFeed || byte == carriageReturn {
                    skipLineFeed = byte == carriageReturn
                    line += 1
                    return try endRecord()
                } else {
                    storage.append(byte)
                }
            case .quoted:
                if byte == quote {
                    state = .quoteInQuoted
                } else {
                    if byte == lineFeed { line += 1 }
                    storage.append(byte)
                }
            case .quoteInQuoted:
                if byte == quote {
                    storage.append(quote)
                    state = .quoted
                } else if byte == comma {
                    try endField()
                    state = .fieldStart
                } else if byte == lineFeed || byte == carriageReturn {
                    skipLineFeed = byte == carriageReturn
                    line += 1
                    return try endRecord()
                } else {
                    throw .textAfterClosingQuote(line: line)
                }
            }
        }
        try checkLength()
        return .needMore
    }

    /// Ends the input: returns the last record if one is open, else `.end`.
    mutating func finish() throws(CSVError) -> Outcome {
        switch state {
        case .quoted:
            throw .unterminatedQuote(line: recordLine)
        case .fieldStart where !recordStarted:
            return .end
        case .fieldStart, .unquoted, .quoteInQuoted:
            return try endRecord()
        }
    }

    private mutating func endField() throws(CSVError) {
        try checkLength()
        ends.append(storage.count)
    }

    private mutating func endRecord() throws(CSVError) -> Outcome {
        try endField()
        state = .fieldStart
        recordStarted = false
        return .record
    }

    private func checkLength() throws(CSVError) {
        if storage.count > maxRecordLength {
            throw .recordTooLong(line: recordLine, limit: maxRecordLength)
        }
    }
}
