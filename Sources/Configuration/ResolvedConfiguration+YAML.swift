import EventFormats
import EventStore
import Observability

extension ResolvedConfiguration {
    /// The effective configuration as a YAML file that `--config` accepts, each line commented with its
    /// origin. Secrets are never shown: file-held ones show the file's path, direct ones a masked note.
    package func yaml() -> String {
        var lines = ["# recsmith effective configuration: key: value  # where it came from"]
        var section = ""
        for setting in ServiceConfiguration.settings {
            let parts = setting.key.split(separator: ".", maxSplits: 1).map(String.init)
            let name: String
            if parts.count == 2 {
                if parts[0] != section {
                    section = parts[0]
                    lines.append("\(section):")
                }
                name = "  " + parts[1]
            } else {
                name = parts[0]
            }
            let origin = origins[setting.key] ?? "default"
            let value = setting.show(configuration)
            if value.isEmpty || value.hasPrefix("(") {
                let note = value.isEmpty ? "unset" : String(value.dropFirst().dropLast())
                lines.append("# \(name.trimmingCharacters(in: " ")): \(note)  # \(origin)")
            } else {
                lines.append("\(name): \(Self.scalar(value))  # \(origin)")
            }
        }
        lines.append("event_types:  # \(origins["event_types"] ?? "default")")
        for (type, rule) in configuration.validation.typeWeights.rules.sorted(by: { $0.key < $1.key }) {
            switch rule {
            case .fixed(let weight): lines.append("  \(Self.scalar(type)): \(PlainNumber.text(Double(weight)))")
            case .value: lines.append("  \(Self.scalar(type)): value")
            }
        }
        lines.append("relation_types:  # \(origins["relation_types"] ?? "default")")
        for (type, weight) in configuration.relationTypes.weights.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(Self.scalar(type)): \(PlainNumber.text(Double(weight)))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `text` as a YAML scalar: plain when it holds only safe characters, else double-quoted. (Values are read
    /// back as text, so a plain `true` or `10` is the same value as a quoted one.)
    static func scalar(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._/,-".unicodeScalars.contains(scalar)
        }
        return plain && !text.isEmpty && !text.hasPrefix("-") ? text : text.doubleQuoted
    }
}

extension ServiceConfiguration {
    /// Every key with its environment variable, default and meaning, as a Markdown table (for the README
    /// and `recsmith config keys`).
    package static func keyTable() -> String {
        var lines = ["| key | environment | default | meaning |", "|---|---|---|---|"]
        for setting in settings {
            let shown = setting.defaultText ?? setting.documentedDefault.map { "`\($0)`" } ?? "—"
            lines.append("| `\(setting.key)` | `\(setting.environmentName)` | \(shown) | \(setting.summary) |")
        }
        lines.append("| `event_types` | — (file only) | view 1, click 1, cart 2, purchase 3, rating = its value | "
                     + "mapping of event type to weight (a positive number or `value`) |")
        lines.append("| `relation_types` | — (file only) | bought_together 1.2, also_bought 1, also_viewed 0.5 | "
                     + "mapping of relation type to the weight it gives an item pair (a positive number) |")
        return lines.joined(separator: "\n") + "\n"
    }
}
