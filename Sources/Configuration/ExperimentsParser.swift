import EventFormats
import Filtering
import Models
import OnlineLoop
import Yams

/// Reads `experiments`: from the file a YAML sequence, from `RECSMITH_EXPERIMENTS` or `--set experiments=…` the
/// same sequence as YAML flow text (JSON is YAML too), and writes it back as flow text for `config print`.
///
/// ```yaml
/// experiments:
///   - name: homepage
///     start: 2026-12-01T00:00:00Z     # optional: RFC 3339 or unix seconds
///     end: 2026-12-31T00:00:00Z       # optional
///     variants:                       # the first is the control
///       - {name: control, model: popular, weight: 50}
///       - {name: personal, model: als, weight: 50, filter: 'NOT categories HAS "used"'}
/// ```
enum ExperimentsParser {
    /// The experiments of `text` (YAML or JSON); an empty text or `[]` is none.
    static func parse(text: String) throws(ExperimentError) -> [Experiment] {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw .invalid("experiments is not valid YAML or JSON: \(error)")
        }
        guard let node else { return [] }
        return try parse(node)
    }

    /// The experiments of a YAML node: a sequence of mappings (a scalar is read as flow text).
    static func parse(_ node: Node) throws(ExperimentError) -> [Experiment] {
        if let scalar = node.scalar { return try parse(text: scalar.string) }
        guard let sequence = node.sequence else { throw .invalid("experiments must be a list of experiments") }
        guard sequence.count <= 100 else { throw .invalid("at most 100 experiments") }
        var names: Set<String> = []
        var experiments: [Experiment] = []
        for element in sequence {
            let experiment = try experiment(element)
            guard names.insert(experiment.name).inserted else { throw .invalid("two experiments are named \(experiment.name)") }
            experiments.append(experiment)
        }
        return experiments
    }

    /// `experiments` as YAML flow text that `parse(text:)` reads back.
    static func text(_ experiments: [Experiment]) -> String {
        "[" + experiments.map { experiment in
            var fields = ["name: \(quoted(experiment.name))"]
            if let start = experiment.start { fields.append("start: \(RFC3339.format(start))") }
            if let end = experiment.end { fields.append("end: \(RFC3339.format(end))") }
            let variants = experiment.variants.map { variant in
                var parts = ["name: \(quoted(variant.name))", "model: \(variant.model.rawValue)",
                             "weight: \(PlainNumber.text(variant.weight))"]
                if let filter = variant.filter { parts.append("filter: \(quoted(filter.description))") }
                return "{" + parts.joined(separator: ", ") + "}"
            }
            fields.append("variants: [" + variants.joined(separator: ", ") + "]")
            return "{" + fields.joined(separator: ", ") + "}"
        }.joined(separator: ", ") + "]"
    }

    private static func quoted(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped += scalar.value < 0x20 ? "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2) : String(scalar)
            }
        }
        return escaped + "\""
    }

    private static func experiment(_ node: Node) throws(ExperimentError) -> Experiment {
        guard let mapping = node.mapping else { throw .invalid("each experiment must be a mapping with name and variants") }
        let fields = try Self.fields(mapping, allowed: ["name", "start", "end", "variants"], of: "an experiment")
        guard let name = fields["name"]?.scalar?.string else { throw .invalid("an experiment has no name") }
        guard let list = fields["variants"]?.sequence else { throw .invalid("experiment \(name) needs a list of variants") }
        var variants: [Experiment.Variant] = []
        for element in list { variants.append(try variant(element, of: name)) }
        return try Experiment(name: name, variants: variants, start: try time(fields["start"], "start", of: name),
                              end: try time(fields["end"], "end", of: name))
    }

    private static func variant(_ node: Node, of experiment: String) throws(ExperimentError) -> Experiment.Variant {
        guard let mapping = node.mapping else { throw .invalid("experiment \(experiment): each variant must be a mapping") }
        let fields = try Self.fields(mapping, allowed: ["name", "model", "weight", "filter"], of: "a variant of \(experiment)")
        guard let name = fields["name"]?.scalar?.string else { throw .invalid("experiment \(experiment): a variant has no name") }
        guard let modelName = fields["model"]?.scalar?.string,
              let model = ModelKind(rawValue: modelName == "pop" ? "popular" : modelName) else {
            throw .invalid("experiment \(experiment): variant \(name) needs a model, one of "
                           + ModelKind.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var weight = 1.0
        if let text = fields["weight"]?.scalar?.string {
            guard let value = Double(text) else { throw .invalid("experiment \(experiment): variant \(name)'s weight is not a number") }
            weight = value
        }
        var filter: FilterExpression?
        if let text = fields["filter"]?.scalar?.string {
            do {
                filter = try FilterParser.parse(text)
            } catch {
                throw .invalid("experiment \(experiment): variant \(name)'s filter: \(error.description)")
            }
        }
        return Experiment.Variant(name: name, model: model, filter: filter, weight: weight)
    }

    private static func fields(_ mapping: Node.Mapping, allowed: Set<String>, of what: String) throws(ExperimentError) -> [String: Node] {
        var fields: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string, allowed.contains(name) else {
                throw .invalid("unknown key \(key.scalar?.string ?? "?") in \(what); use \(allowed.sorted().joined(separator: ", "))")
            }
            fields[name] = value
        }
        return fields
    }

    private static func time(_ node: Node?, _ field: String, of experiment: String) throws(ExperimentError) -> Double? {
        guard let node else { return nil }
        guard let text = node.scalar?.string, let time = parseTimestamp(text) else {
            throw .invalid("experiment \(experiment): \(field) must be an RFC 3339 time or unix seconds")
        }
        return time
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
