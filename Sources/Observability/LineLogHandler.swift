#if canImport(Glibc)
import Glibc
#endif
import JSON
import Locking
import Logging

/// Writes one line per log event to standard error, as logfmt (`ts=… level=… msg="…" key=value…`) or as
/// one JSON object (`{"ts":…,"level":…,"logger":…,"msg":…,"key":"value"}`). Lines from all threads are
/// written whole, never interleaved.
package struct LineLogHandler: LogHandler {
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    private let label: String
    private let format: LogFormat
    /// Serialises writes to standard error, so concurrent lines never interleave; holds the buffer each line is
    /// encoded into.
    private static let output = Lock([UInt8]())

    /// Creates a handler for the logger `label`.
    package init(label: String, format: LogFormat = .logfmt) {
        self.label = label
        self.format = format
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let fields = [("ts", Self.timestamp()), ("level", "\(event.level)"), ("logger", label), ("msg", event.message.description)]
            + merged.keys.sorted().map { ($0, merged[$0]!.description) }
        let line = Self.line(fields, format: format)
        Self.output.withLock { bytes in
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: line.utf8)
            _ = write(2, bytes, bytes.count)
        }
    }

    /// One formatted line, newline included.
    static func line(_ fields: [(key: String, value: String)], format: LogFormat) -> String {
        switch format {
        case .logfmt:
            return fields.map { "\($0.key)=\(logfmtValue($0.value))" }.joined(separator: " ") + "\n"
        case .json:
            var writer = JSONWriter()
            writer.beginObject()
            for field in fields {
                writer.key(field.key)
                writer.string(field.value)
            }
            writer.endObject()
            return String(decoding: writer.bytes, as: UTF8.self) + "\n"
        }
    }

    private static func logfmtValue(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0.value < 0x7F }
        return plain ? value : value.doubleQuoted
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}

/// How log lines are written.
package enum LogFormat: String, CaseIterable, Sendable {
    /// `ts=… level=… msg="…" key=value`.
    case logfmt
    /// One JSON object per line.
    case json
}
