import EventFormats
import Filtering
import Hashing
import Models

/// A named A/B experiment from the configuration: variants with traffic weights, running from `start` to `end`.
///
/// The first variant is the control. A user's variant is fixed by `h64(name, user)` (EVALUATION.md §9's hash),
/// read as a fraction of the total weight: the same on every restart and replica, and a user is in one variant.
package struct Experiment: Sendable, Equatable {
    /// One arm: the model (and optional filter) that answers the users assigned to it.
    package struct Variant: Sendable, Equatable {
        /// The variant's name, as answers and the admin API show it.
        package var name: String
        /// The model that ranks its users' recommendations.
        package var model: ModelKind
        /// A filter every answer of the variant passes (with the request's own, if any).
        package var filter: FilterExpression?
        /// Its share of traffic, relative to the other variants' weights.
        package var weight: Double

        /// Creates a variant.
        package init(name: String, model: ModelKind, filter: FilterExpression? = nil, weight: Double) {
            self.name = name
            self.model = model
            self.filter = filter
            self.weight = weight
        }
    }

    /// The experiment's name.
    package let name: String
    /// The variants, control first.
    package let variants: [Variant]
    /// When it starts assigning users (unix seconds); nil: from the start.
    package let start: Double?
    /// When it stops (unix seconds); nil: until stopped.
    package let end: Double?
    /// Each variant's upper bound on [0, 1), in order.
    private let bounds: [Double]

    /// Creates an experiment after checking it: a valid name, two or more variants with distinct valid names and
    /// positive finite weights, and `start` before `end`.
    package init(name: String, variants: [Variant], start: Double? = nil, end: Double? = nil) throws(ExperimentError) {
        if let violation = IdentifierRule.violation(of: name, maxBytes: 64) {
            throw .invalid("experiment name \(IdentifierRule.message(violation))")
        }
        guard variants.count >= 2 else { throw .invalid("experiment \(name) needs at least two variants") }
        guard variants.count <= 64 else { throw .invalid("experiment \(name) has more than 64 variants") }
        var names: Set<String> = []
        for variant in variants {
            if let violation = IdentifierRule.violation(of: variant.name, maxBytes: 64) {
                throw .invalid("experiment \(name): a variant name \(IdentifierRule.message(violation))")
            }
            guard names.insert(variant.name).inserted else { throw .invalid("experiment \(name) has two variants named \(variant.name)") }
            guard variant.weight.isFinite, variant.weight > 0 else {
                throw .invalid("experiment \(name): variant \(variant.name) needs a positive weight")
            }
        }
        if let start, let end, start >= end { throw .invalid("experiment \(name) ends before it starts") }
        self.name = name
        self.variants = variants
        self.start = start
        self.end = end
        let total = variants.reduce(0) { $0 + $1.weight }
        var cumulative = 0.0
        bounds = variants.map { variant in
            cumulative += variant.weight
            return cumulative / total
        }
    }

    /// The control variant (the first).
    package var control: Variant { variants[0] }

    /// The variant `user` is in.
    package func variant(for user: String) -> Variant {
        // The top 53 bits of the hash as a fraction in [0, 1).
        let fraction = Double(StableHash.h64(name, user) >> 11) / Double(1 << 53 as UInt64)
        let index = bounds.firstIndex { fraction < $0 } ?? variants.count - 1
        return variants[index]
    }

    /// True from `start` (inclusive) until `end` (exclusive).
    package func isRunning(at time: Double) -> Bool {
        (start.map { time >= $0 } ?? true) && (end.map { time < $0 } ?? true)
    }

    /// The named variant, if the experiment has it.
    package func variant(named name: String) -> Variant? {
        variants.first { $0.name == name }
    }
}

/// A configured experiment that cannot run, or a request about one that cannot be done.
package enum ExperimentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The experiment's configuration is invalid.
    case invalid(String)
    /// No configured experiment has this name.
    case unknownExperiment(String)
    /// The experiment has no variant of this name.
    case unknownVariant(experiment: String, variant: String)

    /// A message for people.
    package var description: String {
        switch self {
        case .invalid(let message): message
        case .unknownExperiment(let name): "no experiment named \(name) is configured"
        case let .unknownVariant(experiment, variant): "experiment \(experiment) has no variant named \(variant)"
        }
    }
}
