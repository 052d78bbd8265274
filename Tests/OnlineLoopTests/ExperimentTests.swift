import Filtering
import Models
import OnlineLoop
import Testing

struct ExperimentTests {
    private static func homepage(weights: (Double, Double) = (50, 50)) throws -> Experiment {
        try Experiment(name: "homepage", variants: [
            .init(name: "control", model: .popular, weight: weights.0),
            .init(name: "personal", model: .als, weight: weights.1),
        ])
    }

    /// Fixed by EVALUATION.md §9's h64: `h64("homepage", user)`'s top 53 bits as a fraction of 1.
    @Test func assignsUsersByTheStableHash() throws {
        let experiment = try Self.homepage()
        // Python: (int.from_bytes(hashlib.sha256(b"homepage\x1fu1").digest()[:8], "big") >> 11) / 2**53 is 0.794 (u1),
        // 0.104 (u2), 0.833 (u3), 0.352 (u4); below 0.5 is control.
        #expect(experiment.variant(for: "u1").name == "personal")
        #expect(experiment.variant(for: "u2").name == "control")
        #expect(experiment.variant(for: "u3").name == "personal")
        #expect(experiment.variant(for: "u4").name == "control")
    }

    @Test func assignsTheSameVariantEveryTime() throws {
        let (first, second) = (try Self.homepage(), try Self.homepage())
        for user in (0..<1_000).map({ "user-\($0)" }) {
            #expect(first.variant(for: user) == second.variant(for: user))
        }
    }

    @Test func splitsTrafficByWeight() throws {
        let experiment = try Self.homepage(weights: (1, 3))
        let users = (0..<20_000).map { "user-\($0)" }
        let personal = users.filter { experiment.variant(for: $0).name == "personal" }.count
        #expect(abs(Double(personal) / Double(users.count) - 0.75) < 0.015)
    }

    @Test func refusesInvalidExperiments() {
        #expect(throws: ExperimentError.self) {
            try Experiment(name: "x", variants: [.init(name: "only", model: .als, weight: 1)])
        }
        #expect(throws: ExperimentError.self) {
            try Experiment(name: "x", variants: [.init(name: "a", model: .als, weight: 1), .init(name: "a", model: .popular, weight: 1)])
        }
        #expect(throws: ExperimentError.self) {
            try Experiment(name: "x", variants: [.init(name: "a", model: .als, weight: 0), .init(name: "b", model: .popular, weight: 1)])
        }
        #expect(throws: ExperimentError.self) {
            try Experiment(name: "", variants: [.init(name: "a", model: .als, weight: 1), .init(name: "b", model: .popular, weight: 1)])
        }
        #expect(throws: ExperimentError.self) {
            try Experiment(name: "x", variants: [.init(name: "a", model: .als, weight: 1), .init(name: "b", model: .popular, weight: 1)],
                           start: 10, end: 5)
        }
    }

    @Test func runsFromStartUntilEnd() throws {
        let experiment = try Experiment(name: "x", variants: [
            .init(name: "a", model: .als, weight: 1), .init(name: "b", model: .popular, weight: 1),
        ], start: 100, end: 200)
        #expect(!experiment.isRunning(at: 99.9))
        #expect(experiment.isRunning(at: 100))
        #expect(experiment.isRunning(at: 199.9))
        #expect(!experiment.isRunning(at: 200))
    }
}
