import Models

extension ServiceConfiguration {
    /// Parses `30s`, `10m`, `1h`, `250ms` or `0` (none).
    package static func parseInterval(_ text: String) throws(ConfigurationError) -> Duration? {
        if text == "0" { return nil }
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let value = Double(text.dropLast(unit.suffix.count)), value > 0, value.isFinite else { break }
            return .milliseconds(Int64(value * unit.seconds * 1000))
        }
        throw .invalid("invalid interval '\(text)'; use e.g. 30s, 10m, 1h or 0")
    }

    /// Parses a comma-separated model list (`pop` is accepted for `popular`).
    package static func parseModels(_ text: String) throws(ConfigurationError) -> [ModelKind] {
        var kinds: [ModelKind] = []
        for name in text.split(separator: ",").map({ $0.trimmingCharacters(in: " \t") }) where !name.isEmpty {
            guard let kind = ModelKind(rawValue: name == "pop" ? "popular" : name) else {
                throw .invalid("unknown model '\(name)'; use \(ModelKind.allCases.map(\.rawValue).joined(separator: ","))")
            }
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        guard !kinds.isEmpty else { throw .invalid("--models needs at least one model") }
        return kinds
    }
}
