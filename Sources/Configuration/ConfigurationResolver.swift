import EventFormats
import EventStore
import Models
import OnlineLoop
import Foundation
import Yams

/// The effective configuration and where each key's value came from.
package struct ResolvedConfiguration: Sendable {
    /// The merged configuration.
    package var configuration: ServiceConfiguration
    /// Key → origin (`default` is implied for keys not listed): a file path, a variable name or a flag.
    package var origins: [String: String]
    /// Things worth a warning line that are not errors (an unknown `RECSMITH_*` variable).
    package var warnings: [String]
}

/// Builds the configuration from defaults, then a YAML file, then `RECSMITH_*` variables, then flags; each
/// later source overrides the earlier ones key by key. Unknown keys and invalid values are errors naming the
/// key and its source.
package enum ConfigurationResolver {
    /// Variables read that are not keys: secrets given directly and the file's path.
    package static let extraVariables = ["RECSMITH_ADMIN_TOKEN", "RECSMITH_API_KEY", "RECSMITH_CONFIG"]

    /// Resolves the configuration.
    /// - Parameters:
    ///   - file: path of the YAML configuration file, if any.
    ///   - environment: the process environment; only `RECSMITH_*` names are read.
    ///   - flags: key → value from the command line, in the order given, each with the flag that set it.
    package static func resolve(file: String?, environment: [String: String],
                               flags: [(key: String, value: String, flag: String)]) throws(ConfigurationError) -> ResolvedConfiguration {
        var resolved = ResolvedConfiguration(configuration: ServiceConfiguration(), origins: [:], warnings: [])
        let settings = ServiceConfiguration.settings
        if let file { try applyFile(at: file, to: &resolved) }

        let settingsByVariable = Dictionary(uniqueKeysWithValues: settings.map { ($0.environmentName, $0) })
        for (name, value) in environment.sorted(by: { $0.key < $1.key }) where name.hasPrefix("RECSMITH_") {
            if let setting = settingsByVariable[name] {
                try setting.apply(value, to: &resolved.configuration, source: name)
                resolved.origins[setting.key] = name
            } else if !extraVariables.contains(name) {
                resolved.warnings.append("ignoring \(name): not a configuration key")
            }
        }
        try applyDirectSecret("RECSMITH_ADMIN_TOKEN", key: "admin_token_file", environment: environment, to: &resolved) {
            $0.adminToken = $1
            $0.adminTokenFile = nil
        }
        try applyDirectSecret("RECSMITH_API_KEY", key: "api_key_file", environment: environment, to: &resolved) {
            $0.apiKey = $1
            $0.apiKeyFile = nil
        }

        for flag in flags {
            guard let setting = ServiceConfiguration.setting(named: flag.key) else {
                throw .invalid("\(flag.flag): unknown key \(flag.key)")
            }
            try setting.apply(flag.value, to: &resolved.configuration, source: flag.flag)
            resolved.origins[setting.key] = flag.flag
        }
        try checkTLSFiles(resolved)
        try checkRole(resolved)
        try checkExperiments(resolved)
        return resolved
    }

    /// HTTPS needs both of its files: one alone is refused rather than silently serving plain HTTP.
    private static func checkTLSFiles(_ resolved: ResolvedConfiguration) throws(ConfigurationError) {
        let (given, missing): (String, String)
        switch (resolved.configuration.tlsCertificatePath, resolved.configuration.tlsKeyPath) {
        case (.some, nil): (given, missing) = ("tls_cert", "tls_key")
        case (nil, .some): (given, missing) = ("tls_key", "tls_cert")
        default: return
        }
        let origin = resolved.origins[given] ?? "default"
        throw .invalid("\(origin): \(given) is set but \(missing) is not; HTTPS needs both the certificate chain "
                             + "(--tls-cert) and its private key (--tls-key)")
    }

    /// Split roles share their store and their model sets through PostgreSQL; an SQLite file has one process.
    private static func checkRole(_ resolved: ResolvedConfiguration) throws(ConfigurationError) {
        let configuration = resolved.configuration
        guard configuration.role != .all, configuration.postgresStore == nil else { return }
        let origin = resolved.origins["role"] ?? "default"
        throw .invalid("\(origin): role \(configuration.role.rawValue) needs a PostgreSQL store (--store postgresql://…); "
                       + "an SQLite store is served and trained by one process, role all")
    }

    /// An experiment's variants must name models the server serves.
    private static func checkExperiments(_ resolved: ResolvedConfiguration) throws(ConfigurationError) {
        let configuration = resolved.configuration
        for experiment in configuration.experiments {
            for variant in experiment.variants where !configuration.models.contains(variant.model) {
                let origin = resolved.origins["experiments"] ?? "default"
                throw .invalid("\(origin): experiment \(experiment.name)'s variant \(variant.name) uses model \(variant.model.rawValue), "
                               + "which is not in models (\(configuration.models.map(\.rawValue).joined(separator: ",")))")
            }
        }
    }

    /// A secret given directly in the environment counts unless its `_FILE` key was set by a variable too.
    private static func applyDirectSecret(_ name: String, key: String, environment: [String: String],
                                          to resolved: inout ResolvedConfiguration,
                                          _ assign: (inout ServiceConfiguration, AdminToken) -> Void) throws(ConfigurationError) {
        guard let text = environment[name], environment[name + "_FILE"] == nil else { return }
        guard let token = AdminToken(text) else { throw .invalid("\(name) is empty") }
        assign(&resolved.configuration, token)
        resolved.origins[key] = name
    }

    // MARK: - The file

    private static let sections: Set<String> = Set(ServiceConfiguration.settings.compactMap { setting in
        setting.key.firstIndex(of: ".").map { String(setting.key[..<$0]) }
    })

    private static func applyFile(at path: String, to resolved: inout ResolvedConfiguration) throws(ConfigurationError) {
        let text: String
        do {
            text = try readTextFile(path)
        } catch {
            throw .invalid("cannot read configuration file \(path): \(error)")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw .invalid("\(path) is not valid YAML: \(error)")
        }
        guard let root else { return }
        guard let mapping = root.mapping else { throw .invalid("\(path): the top level must be a mapping of keys to values") }
        try apply(mapping, prefix: "", file: path, to: &resolved)
    }

    private static func apply(_ mapping: Node.Mapping, prefix: String, file: String,
                              to resolved: inout ResolvedConfiguration) throws(ConfigurationError) {
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else { throw .invalid("\(file): a key under '\(prefix)' is not text") }
            let key = prefix + name
            if prefix.isEmpty, sections.contains(name) {
                guard let nested = value.mapping else { throw .invalid("\(file): \(key) must be a mapping of keys to values") }
                try apply(nested, prefix: key + ".", file: file, to: &resolved)
            } else if prefix.isEmpty, key == "event_types" {
                resolved.configuration.validation.typeWeights = try eventTypes(value, file: file)
                resolved.origins[key] = file
            } else if prefix.isEmpty, key == "experiments" {
                do {
                    resolved.configuration.experiments = try ExperimentsParser.parse(value)
                } catch {
                    throw .invalid("\(file): \(error.description)")
                }
                resolved.origins[key] = file
            } else if prefix.isEmpty, key == "relation_types" {
                resolved.configuration.relationTypes = try relationTypes(value, file: file)
                resolved.origins[key] = file
            } else if let setting = ServiceConfiguration.setting(named: key) {
                guard let scalar = value.scalar else { throw .invalid("\(file): \(key) must be a single value, not a list or mapping") }
                try setting.apply(scalar.string, to: &resolved.configuration, source: file)
                resolved.origins[key] = file
            } else {
                throw .invalid("\(file): unknown key \(key)")
            }
        }
    }

    private static func relationTypes(_ node: Node, file: String) throws(ConfigurationError) -> RelationTypeWeights {
        guard let mapping = node.mapping, !mapping.isEmpty else {
            throw .invalid("\(file): relation_types must be a mapping of relation type to weight (a positive number)")
        }
        var weights: [String: Float] = [:]
        for (name, weight) in mapping {
            guard let type = name.scalar?.string, IdentifierRule.violation(of: type, maxBytes: 64) == nil else {
                throw .invalid("\(file): a relation type name is not a valid id of at most 64 bytes")
            }
            guard let text = weight.scalar?.string, let number = Float(text), number.isFinite, number > 0 else {
                throw .invalid("\(file): relation_types.\(type) must be a positive number")
            }
            weights[type] = number
        }
        return RelationTypeWeights(weights: weights)
    }

    private static func eventTypes(_ node: Node, file: String) throws(ConfigurationError) -> EventTypeWeights {
        guard let mapping = node.mapping, !mapping.isEmpty else {
            throw .invalid("\(file): event_types must be a mapping of type name to weight (a positive number or 'value')")
        }
        var rules: [String: EventTypeWeights.Rule] = [:]
        for (name, weight) in mapping {
            guard let type = name.scalar?.string, !type.isEmpty else { throw .invalid("\(file): an event type name is not text") }
            guard let text = weight.scalar?.string else { throw .invalid("\(file): event_types.\(type) must be a number or 'value'") }
            if text == "value" {
                rules[type] = .value
            } else if let number = Float(text), number.isFinite, number > 0 {
                rules[type] = .fixed(number)
            } else {
                throw .invalid("\(file): event_types.\(type) must be a positive number or 'value', not '\(text)'")
            }
        }
        return EventTypeWeights(rules: rules)
    }
}
