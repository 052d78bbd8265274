import Foundation
import Logging
import Models
import Service

/// A setting resolved from its flag, then `RECSMITH_<NAME>`, then its default.
func setting(_ flag: String?, environment name: String) -> String? {
    flag ?? ProcessInfo.processInfo.environment["RECSMITH_" + name]
}

/// Installs the logfmt handler at `level` and returns the root logger.
func makeLogger(level: String?) throws -> Logger {
    let levelName = level ?? "info"
    guard let parsed = Logger.Level(rawValue: levelName) else {
        throw ServiceError.configuration("invalid log level '\(levelName)'; use trace, debug, info, notice, warning, error or critical")
    }
    LoggingSystem.bootstrap { label in
        var handler = LogfmtLogHandler(label: label)
        handler.logLevel = parsed
        return handler
    }
    return Logger(label: "recsmith")
}
