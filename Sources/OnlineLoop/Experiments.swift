import EventStore
import Filtering
import Locking
import Models

/// The configured experiments and the winners of stopped ones: which model (and filter) answers a request for
/// recommendations that names no model.
///
/// The first configured experiment that is running and not stopped assigns the user to a variant; with none
/// running, the winner of the most recently stopped configured experiment answers everyone (it became the
/// default); with no winner either, there is no assignment and the service's default model answers.
package final class Experiments: Sendable {
    /// How one request is answered.
    package struct Assignment: Sendable, Equatable {
        /// The experiment the user was assigned under; empty when a stopped experiment's winner answers.
        package var experiment: String
        /// The variant; empty when a stopped experiment's winner answers.
        package var variant: String
        /// The model that ranks the answer.
        package var model: ModelKind
        /// A filter the answer's items pass, besides the request's own.
        package var filter: FilterExpression?

        /// Creates an assignment.
        package init(experiment: String, variant: String, model: ModelKind, filter: FilterExpression?) {
            self.experiment = experiment
            self.variant = variant
            self.model = model
            self.filter = filter
        }
    }

    /// Every configured experiment, in configuration order.
    package let all: [Experiment]
    private let outcomes: Lock<[String: ExperimentOutcome]>

    /// The experiments `all`, with the outcomes of those already stopped (read from the store).
    package init(_ all: [Experiment], outcomes: [ExperimentOutcome] = []) {
        self.all = all
        self.outcomes = Lock(Dictionary(outcomes.map { ($0.name, $0) }, uniquingKeysWith: { $1 }))
    }

    /// How a request of `user` at `time` that names no model is answered; nil when no experiment applies.
    package func assignment(user: String, at time: Double) -> Assignment? {
        guard !all.isEmpty else { return nil }
        let stopped = outcomes.withLock { $0 }
        for experiment in all where stopped[experiment.name] == nil && experiment.isRunning(at: time) {
            let variant = experiment.variant(for: user)
            return Assignment(experiment: experiment.name, variant: variant.name, model: variant.model, filter: variant.filter)
        }
        let latest = all.compactMap { experiment in stopped[experiment.name].map { (experiment, $0) } }
            .max { $0.1.stoppedAt < $1.1.stoppedAt }
        guard let (experiment, outcome) = latest, let winner = experiment.variant(named: outcome.winner) else { return nil }
        return Assignment(experiment: "", variant: "", model: winner.model, filter: winner.filter)
    }

    /// The configured experiment called `name`.
    package func experiment(named name: String) throws(ExperimentError) -> Experiment {
        guard let experiment = all.first(where: { $0.name == name }) else { throw .unknownExperiment(name) }
        return experiment
    }

    /// The outcome of `name`, if it was stopped.
    package func outcome(of name: String) -> ExperimentOutcome? {
        outcomes.withLock { $0[name] }
    }

    /// The outcome of stopping `name` with `winner` (one of its variants) at `time`, checked but not yet in
    /// force: store it, then `record` it.
    package func stopping(_ name: String, winner: String, at time: Double) throws(ExperimentError) -> ExperimentOutcome {
        let experiment = try experiment(named: name)
        guard experiment.variant(named: winner) != nil else { throw .unknownVariant(experiment: name, variant: winner) }
        return ExperimentOutcome(name: name, winner: winner, stoppedAt: time)
    }

    /// Puts a stored outcome in force: its experiment assigns no one from now on, and its winner is the default.
    package func record(_ outcome: ExperimentOutcome) {
        outcomes.withLock { $0[outcome.name] = outcome }
    }
}
