import EventStore
import Models
import OnlineLoop
import Testing

/// Which model answers a request that names none: the running experiment's variant, else the latest stopped
/// experiment's winner, else nothing (the service's default).
struct ExperimentsTests {
    private static func experiment(_ name: String, start: Double? = nil, end: Double? = nil) throws -> Experiment {
        try Experiment(name: name, variants: [
            .init(name: "control", model: .popular, weight: 1), .init(name: "personal", model: .als, weight: 1),
        ], start: start, end: end)
    }

    @Test func assignsUsersOnlyWhileAnExperimentRuns() throws {
        let experiments = Experiments([try Self.experiment("home", start: 100, end: 200)])
        #expect(experiments.assignment(user: "u1", at: 50) == nil)
        let running = try #require(experiments.assignment(user: "u1", at: 150))
        #expect(running.experiment == "home" && ["control", "personal"].contains(running.variant))
        #expect(experiments.assignment(user: "u1", at: 250) == nil)
        #expect(Experiments([]).assignment(user: "u1", at: 150) == nil)
    }

    @Test func theFirstRunningExperimentAssigns() throws {
        let experiments = Experiments([try Self.experiment("first", end: 100), try Self.experiment("second")])
        #expect(experiments.assignment(user: "u", at: 50)?.experiment == "first")
        #expect(experiments.assignment(user: "u", at: 150)?.experiment == "second")
    }

    @Test func aStoppedExperimentsWinnerAnswersEveryone() throws {
        let experiments = Experiments([try Self.experiment("home")])
        let outcome = try experiments.stopping("home", winner: "personal", at: 10)
        #expect(experiments.assignment(user: "u", at: 20)?.experiment == "home", "not in force until recorded")
        experiments.record(outcome)
        for user in ["a", "b", "c", "d"] {
            #expect(experiments.assignment(user: user, at: 20) == Experiments.Assignment(experiment: "", variant: "", model: .als, filter: nil))
        }
        #expect(throws: ExperimentError.unknownVariant(experiment: "home", variant: "nobody")) {
            try experiments.stopping("home", winner: "nobody", at: 30)
        }
        #expect(throws: ExperimentError.unknownExperiment("away")) { try experiments.stopping("away", winner: "control", at: 30) }
    }

    @Test func aStoredOutcomeOfAnUnconfiguredExperimentIsIgnored() throws {
        let experiments = Experiments([try Self.experiment("home")], outcomes: [ExperimentOutcome(name: "gone", winner: "x", stoppedAt: 1)])
        #expect(experiments.assignment(user: "u", at: 5)?.experiment == "home")
        let latest = Experiments([try Self.experiment("a"), try Self.experiment("b")], outcomes: [
            ExperimentOutcome(name: "a", winner: "control", stoppedAt: 1), ExperimentOutcome(name: "b", winner: "personal", stoppedAt: 2),
        ])
        #expect(latest.assignment(user: "u", at: 5)?.model == .als, "the latest stop wins")
    }
}
