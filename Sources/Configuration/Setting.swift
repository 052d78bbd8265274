import EventStore
import HTTPServer
import Models

/// One key of the configuration: its name in the YAML file, how a text value applies to a
/// `ServiceConfiguration`, and how the effective value is shown by `recsmith config print`.
///
/// The key `http.max_body_bytes` is `RECSMITH_HTTP_MAX_BODY_BYTES` in the environment and
/// `--set http.max_body_bytes=…` (or a dedicated flag such as `--port`) on the command line.
package struct Setting {
    /// Dotted name, as written in the file.
    package let key: String
    /// What the value means and its accepted form, for help texts and the README.
    package let summary: String
    /// Applies `text`; returns nil on success, else what a valid value looks like.
    let parse: (inout ServiceConfiguration, String) -> String?
    /// The effective value as YAML scalar text.
    let show: (ServiceConfiguration) -> String
    /// How the default is documented when it depends on the machine (nil: the default value itself).
    private(set) var defaultText: String?

    init(key: String, summary: String, parse: @escaping (inout ServiceConfiguration, String) -> String?,
         show: @escaping (ServiceConfiguration) -> String) {
        self.key = key
        self.summary = summary
        self.parse = parse
        self.show = show
    }

    /// This setting with its default documented as `text`.
    func documentingDefault(as text: String) -> Setting {
        var setting = self
        setting.defaultText = text
        return setting
    }

    /// The configuration every default is read from, made once.
    private static let defaults = ServiceConfiguration()

    /// The documented default: `defaultText`, else the default value (nil when there is none).
    package var documentedDefault: String? {
        if let defaultText { return defaultText }
        let value = show(Self.defaults)
        return value.isEmpty ? nil : value
    }

    /// The help of the command-line flag that sets this key: its summary, variable and default, so the flag,
    /// `recsmith config keys` and the README never disagree.
    package var flagHelp: String {
        summary + " (" + environmentName + (documentedDefault.map { "; default: \($0)" } ?? "") + ")"
    }

    /// The command-line flag that sets this key: `--` and the key with `_` and `.` as `-`.
    package var flagName: String {
        "--" + String(key.map { $0 == "_" || $0 == "." ? "-" : $0 })
    }

    /// The environment variable that sets this key.
    package var environmentName: String {
        "RECSMITH_" + String(key.uppercased().map { $0 == "." ? "_" : $0 })
    }

    /// Applies `text`, naming `source` (a file, a variable or a flag) when it is invalid.
    func apply(_ text: String, to configuration: inout ServiceConfiguration, source: String) throws(ConfigurationError) {
        if let expected = parse(&configuration, text) {
            throw .invalid("\(source): \(key) must be \(expected), not '\(text)'")
        }
    }
}

extension Setting {
    static func text(_ key: String, _ summary: String, _ path: WritableKeyPath<ServiceConfiguration, String>) -> Setting {
        Setting(key: key, summary: summary, parse: { configuration, text in
            guard !text.isEmpty else { return "a non-empty text" }
            configuration[keyPath: path] = text
            return nil
        }, show: { $0[keyPath: path] })
    }

    /// A file's path, unset until given (shown empty, documented as —).
    static func path(_ key: String, _ summary: String, _ path: WritableKeyPath<ServiceConfiguration, String?>) -> Setting {
        Setting(key: key, summary: summary, parse: { configuration, text in
            guard !text.isEmpty else { return "a non-empty path" }
            configuration[keyPath: path] = text
            return nil
        }, show: { $0[keyPath: path] ?? "" })
    }

    static func integer(_ key: String, _ summary: String, _ range: ClosedRange<Int>,
                        _ path: WritableKeyPath<ServiceConfiguration, Int>) -> Setting {
        Setting(key: key, summary: summary, parse: { configuration, text in
            guard let value = Int(text), range.contains(value) else {
                return "a whole number from \(range.lowerBound) to \(range.upperBound)"
            }
            configuration[keyPath: path] = value
            return nil
        }, show: { String($0[keyPath: path]) })
    }

    static func number<Value: BinaryFloatingPoint & LosslessStringConvertible>(
        _ key: String, _ summary: String, above minimum: Double, inclusive: Bool = false,
        _ path: WritableKeyPath<ServiceConfiguration, Value>
    ) -> Setting {
        Setting(key: key, summary: summary, parse: { configuration, text in
            guard let value = Double(text), value.isFinite, inclusive ? value >= minimum : value > minimum else {
                return "a number \(inclusive ? "of at least" : "above") \(PlainNumber.text(minimum))"
            }
            configuration[keyPath: path] = Value(value)
            return nil
        }, show: { configuration in
            let value = configuration[keyPath: path]
            return value == value.rounded() ? PlainNumber.text(Double(value)) : value.description
        })
    }

    static func flag(_ key: String, _ summary: String, _ path: WritableKeyPath<ServiceConfiguration, Bool>) -> Setting {
        Setting(key: key, summary: summary, parse: { configuration, text in
            switch text {
            case "true": configuration[keyPath: path] = true
            case "false": configuration[keyPath: path] = false
            default: return "true or false"
            }
            return nil
        }, show: { String($0[keyPath: path]) })
    }

    static func choice<Value: RawRepresentable & CaseIterable>(
        _ key: String, _ summary: String, _ path: WritableKeyPath<ServiceConfiguration, Value>
    ) -> Setting where Value.RawValue == String {
        Setting(key: key, summary: summary, parse: { configuration, text in
            guard let value = Value(rawValue: text) else {
                return "one of " + Value.allCases.map(\.rawValue).joined(separator: ", ")
            }
            configuration[keyPath: path] = value
            return nil
        }, show: { $0[keyPath: path].rawValue })
    }

    static func duration(_ key: String, _ summary: String, _ path: WritableKeyPath<ServiceConfiguration, Duration>) -> Setting {
        Setting(key: key, summary: summary, parse: { configuration, text in
            guard let value = try? ServiceConfiguration.parseInterval(text) else {
                return "a duration such as 500ms, 30s, 10m or 1h"
            }
            configuration[keyPath: path] = value
            return nil
        }, show: { DurationText.format($0[keyPath: path]) })
    }

    /// A secret read from a file: the file's path is shown, never the secret.
    static func secretFile(_ key: String, _ summary: String, _ path: WritableKeyPath<ServiceConfiguration, AdminToken?>,
                           file filePath: WritableKeyPath<ServiceConfiguration, String?>) -> Setting {
        Setting(key: key, summary: summary, parse: { configuration, text in
            guard let token = try? AdminToken.read(from: text) else { return "a readable file holding a non-empty secret" }
            configuration[keyPath: path] = token
            configuration[keyPath: filePath] = text
            return nil
        }, show: { configuration in
            configuration[keyPath: filePath] ?? (configuration[keyPath: path] == nil ? "" : "(none; set directly, masked)")
        })
    }
}

/// Numbers in configuration text: whole values without a fraction (`10`), others as Swift prints them.
enum PlainNumber {
    static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}

/// Durations in configuration text: the largest unit that divides them (`10m`, `30s`, `250ms`); `0` is zero.
enum DurationText {
    static func format(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds == 0 { return "0" }
        for (suffix, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000)] where milliseconds % size == 0 {
            return "\(milliseconds / size)\(suffix)"
        }
        return "\(milliseconds)ms"
    }
}
