import EventStore
import Filtering
import Foundation
import Models
import OnlineLoop
import Testing
@testable import Configuration

/// `experiments` from the file (a YAML list), the environment and flags (flow text), printed back by `config print`.
struct ExperimentsParserTests {
    private static let file = """
        models: als,popular
        experiments:
          - name: homepage
            start: 2026-12-01T00:00:00Z
            end: 1798761600
            variants:
              - {name: control, model: popular, weight: 50}
              - name: personal
                model: als
                weight: 50
                filter: 'NOT categories HAS "used"'
        online:
          retention: 2h
          conversion_types: purchase, cart
        """

    private static func resolve(file text: String? = nil, flags: [(key: String, value: String, flag: String)] = [],
                                environment: [String: String] = [:]) throws -> ResolvedConfiguration {
        var path: String?
        if let text {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-experiments-\(UUID().uuidString).yaml").path
            try text.write(toFile: path!, atomically: false, encoding: .utf8)
        }
        return try ConfigurationResolver.resolve(file: path, environment: environment, flags: flags)
    }

    @Test func readsExperimentsFromTheFile() throws {
        let configuration = try Self.resolve(file: Self.file).configuration
        let experiment = try #require(configuration.experiments.first)
        #expect(experiment.name == "homepage")
        #expect(experiment.start == 1_796_083_200)
        #expect(experiment.end == 1_798_761_600)
        #expect(experiment.variants.map(\.name) == ["control", "personal"])
        #expect(experiment.variants.map(\.model) == [.popular, .als])
        #expect(experiment.variants[1].filter?.description == #"NOT categories HAS "used""#)
        #expect(configuration.online.retention == .seconds(7200))
        #expect(configuration.online.conversionTypes == ["purchase", "cart"])
        #expect(configuration.storeConfiguration.conversionTypes == ["purchase", "cart"])
    }

    @Test func readsTheSameFromFlagsAndTheEnvironmentAsFlowText() throws {
        let text = #"[{name: homepage, variants: [{name: control, model: popular}, {name: personal, model: als, weight: 3}]}]"#
        let flagged = try Self.resolve(flags: [("models", "als,popular", "--models"), ("experiments", text, "--set")]).configuration
        #expect(flagged.experiments.map(\.name) == ["homepage"])
        #expect(flagged.experiments[0].variants.map(\.weight) == [1, 3])
        let json = #"[{"name": "homepage", "variants": [{"name": "a", "model": "als"}, {"name": "b", "model": "popular"}]}]"#
        let environment = try Self.resolve(environment: ["RECSMITH_EXPERIMENTS": json, "RECSMITH_MODELS": "als,popular"]).configuration
        #expect(environment.experiments[0].variants.map(\.name) == ["a", "b"])
    }

    @Test func printsExperimentsThatReadBackTheSame() throws {
        let resolved = try Self.resolve(file: Self.file)
        let printed = try Self.resolve(file: resolved.yaml())
        #expect(printed.configuration.experiments == resolved.configuration.experiments)
    }

    @Test(arguments: [
        ("[{name: x, variants: [{name: a, model: als}]}]", "at least two variants"),
        ("[{name: x, variants: [{name: a, model: magic}, {name: b, model: als}]}]", "needs a model"),
        ("[{name: x, variants: [{name: a, model: als, weight: -1}, {name: b, model: als}]}]", "positive weight"),
        ("[{name: x, variants: [{name: a, model: als, filter: 'labels.x ='}, {name: b, model: als}]}]", "filter"),
        ("[{name: x, colour: red, variants: []}]", "unknown key colour"),
        ("[{name: x, start: soon, variants: [{name: a, model: als}, {name: b, model: als}]}]", "RFC 3339"),
        ("[{name: x, variants: [{name: a, model: als}, {name: b, model: als}]}, {name: x, variants: [{name: a, model: als}, {name: b, model: als}]}]", "two experiments"),
        ("{name: x}", "a list of experiments"),
    ])
    func refusesInvalidExperimentsNamingTheProblem(text: String, expected: String) throws {
        do {
            _ = try Self.resolve(flags: [("experiments", text, "--set")])
            Issue.record("accepted \(text)")
        } catch let error as ConfigurationError {
            guard case .invalid(let message) = error else { return }
            #expect(message.contains(expected), "\(message)")
        }
    }

    @Test func refusesAVariantModelTheServerDoesNotServe() throws {
        let text = "[{name: x, variants: [{name: a, model: ease}, {name: b, model: als}]}]"
        #expect(throws: ConfigurationError.self) {
            try Self.resolve(flags: [("models", "als,popular", "--models"), ("experiments", text, "--set")])
        }
    }
}
