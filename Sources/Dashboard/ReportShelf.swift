import Foundation
import Locking
import Logging

/// The last evaluation report uploaded to the dashboard: its JSON text, kept in memory and, when there is a
/// directory, in `last-report.json` there (written to a temporary file, then renamed), so a restart shows it too.
final class ReportShelf: Sendable {
    private let file: String?
    private let logger: Logger
    private let stored: Lock<(json: [UInt8], uploadedAt: Double)?>

    init(directory: String?, logger: Logger) {
        self.logger = logger
        file = directory.map { ($0 as NSString).appendingPathComponent("last-report.json") }
        var loaded: (json: [UInt8], uploadedAt: Double)?
        if let file, let data = FileManager.default.contents(atPath: file) {
            let modified = (try? FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date) ?? nil
            loaded = (Array(data), modified?.timeIntervalSince1970 ?? 0)
        }
        stored = Lock(loaded)
    }

    /// The report's JSON and when it was uploaded, nil before the first upload.
    var last: (json: [UInt8], uploadedAt: Double)? { stored.withLock { $0 } }

    /// Keeps `json` (already decoded successfully) as the last report.
    func keep(_ json: [UInt8], at time: Double) {
        stored.withLock { $0 = (json, time) }
        guard let file else { return }
        let temporary = file + ".tmp"
        do {
            try Data(json).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, file) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            logger.warning("cannot keep the evaluation report on disk; it stays in memory", metadata: ["file": "\(file)", "error": "\(error)"])
        }
    }
}
