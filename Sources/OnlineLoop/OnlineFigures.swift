import EventStore
import OnlineStatistics

/// The online figures of a window: CTR (attributed lists over lists) and conversion rate (converted lists over
/// lists) with Wilson 95% intervals, attributed events by type and position, per model and per experiment variant.
package struct OnlineFigures: Sendable {
    /// The figures of one model, or of one (experiment, variant, model).
    package struct Row: Sendable, Equatable {
        /// The experiment (empty in the per-model rows and outside experiments).
        package var experiment: String
        /// The variant (empty likewise).
        package var variant: String
        /// The model that ranked the lists.
        package var model: String
        /// Lists remembered: CTR's denominator.
        package var lists: Int
        /// Lists served, estimated from the sampling weights (equal to `lists` without sampling).
        package var servedLists: Int
        /// Attributed lists over lists.
        package var clickThrough: ProportionEstimate
        /// Converted lists over lists.
        package var conversion: ProportionEstimate
        /// Attributed events by type.
        package var events: [String: Int]
        /// Attributed events by 0-based position.
        package var positions: [Int]

        /// Attributed events of every type.
        package var eventsAttributed: Int { events.values.reduce(0, +) }

        /// Attributed events per list served, of every type.
        package var eventsPerList: Double { lists == 0 ? 0 : Double(eventsAttributed) / Double(lists) }

        init(_ group: OnlineCounts.Group) {
            experiment = group.experiment
            variant = group.variant
            model = group.model
            lists = group.lists
            servedLists = group.servedLists
            clickThrough = ProportionEstimate(successes: group.attributedLists, trials: group.lists)
            conversion = ProportionEstimate(successes: group.convertedLists, trials: group.lists)
            events = group.events
            positions = group.positions
        }
    }

    /// One row per model, over every experiment and variant.
    package let models: [Row]
    /// One row per (experiment, variant, model) of lists served under an experiment.
    package let variants: [Row]
    /// Events that named a list but were not attributed, by type.
    package let unattributed: [String: Int]

    /// The figures of `counts`.
    package init(_ counts: OnlineCounts) {
        var byModel: [String: OnlineCounts.Group] = [:]
        for group in counts.groups {
            var total = byModel[group.model] ?? OnlineCounts.Group(experiment: "", variant: "", model: group.model)
            total.lists += group.lists
            total.servedLists += group.servedLists
            total.attributedLists += group.attributedLists
            total.convertedLists += group.convertedLists
            total.events.merge(group.events, uniquingKeysWith: +)
            total.positions = Self.sum(total.positions, group.positions)
            byModel[group.model] = total
        }
        models = byModel.values.sorted { $0.model < $1.model }.map(Row.init)
        variants = counts.groups.filter { !$0.variant.isEmpty }.map(Row.init)
        unattributed = counts.unattributed
    }

    static func sum(_ a: [Int], _ b: [Int]) -> [Int] {
        (0..<max(a.count, b.count)).map { (a.indices.contains($0) ? a[$0] : 0) + (b.indices.contains($0) ? b[$0] : 0) }
    }
}
