import ArgumentParser
import Configuration
import Foundation
import Logging
import Observability
import Service

/// The options every command that reads the service configuration shares: the file, the store, the
/// models, logging, and `--set` for any other key. Precedence: defaults < file < `RECSMITH_*` < flags.
struct ConfigurationOptions: ParsableArguments {
    @Option(help: "YAML configuration file (RECSMITH_CONFIG); `recsmith config print` shows every key.") var config: String?
    @Option(help: .setting("db", valueName: "path")) var db: String?
    @Option(help: .setting("store", valueName: "url")) var store: String?
    @Option(help: .setting("models")) var models: String?
    @Option(help: .setting("log_level")) var logLevel: String?
    @Option(help: .setting("log_format")) var logFormat: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("Any configuration key, e.g. --set als.factors=128.", valueName: "key=value"))
    var assignments: [String] = []

    /// The flags given, as configuration keys, in precedence order (dedicated flags, then `--set`).
    func flags(adding dedicated: [(key: String, value: String?)] = []) throws -> [(key: String, value: String, flag: String)] {
        var flags: [(key: String, value: String, flag: String)] = []
        let own: [(key: String, value: String?)] = [("db", db), ("store", store), ("models", models), ("log_level", logLevel), ("log_format", logFormat)]
        for (key, value) in own + dedicated {
            if let value { flags.append((key, value, ServiceConfiguration.setting(named: key)?.flagName ?? "--\(key)")) }
        }
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("--set needs key=value, not '\(assignment)'")
            }
            flags.append((String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]), "--set"))
        }
        return flags
    }

    /// Resolves the configuration from the file, the environment and `flags`.
    func resolve(adding dedicated: [(key: String, value: String?)] = []) throws -> ResolvedConfiguration {
        let environment = ProcessInfo.processInfo.environment
        return try ConfigurationResolver.resolve(file: config ?? environment["RECSMITH_CONFIG"], environment: environment,
                                                 flags: flags(adding: dedicated))
    }
}

/// Installs the log handler of `configuration` and returns the root logger; logs the resolver's warnings.
func makeLogger(_ resolved: ResolvedConfiguration) -> Logger {
    let level = resolved.configuration.logLevel
    let format = resolved.configuration.logFormat
    LoggingSystem.bootstrap { label in
        var handler = LineLogHandler(label: label, format: format)
        handler.logLevel = level
        return handler
    }
    let logger = Logger(label: "recsmith")
    for warning in resolved.warnings { logger.warning("\(warning)") }
    return logger
}
