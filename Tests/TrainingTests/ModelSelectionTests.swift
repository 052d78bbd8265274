import Catalogue
import EventStore
import Foundation
import LinearAlgebra
import Logging
import Models
import Serving
import SyntheticData
import Testing
@testable import Training

/// `serving.model = auto`: the held-out events of a pass and the model they choose.
@Suite(.serialized)
struct ModelSelectionTests {
    /// Three users; times make the latest pair of each clear (user 2 has one pair and cannot be sampled).
    private func tinyData() throws -> TrainingData {
        let matrix = try CSRMatrix(rowCount: 3, columnCount: 4, rowOffsets: [0, 3, 5, 6],
                                   columns: [0, 1, 3, 1, 2, 0], values: [1, 1, 1, 1, 1, 1])
        return TrainingData(interactions: matrix, lastSeen: [10, 30, 20, 5, 4, 1])
    }

    @Test func holdsOutTheLatestItemOfEverySampledUserWithTwoItems() throws {
        let holdout = try #require(Holdout(of: try tinyData(), selection: ModelSelection(sampleUsers: 10)))
        #expect(holdout.users == [0, 1])
        #expect(holdout.items == [1, 1])
        let matrix = holdout.training.interactions
        #expect(Array(matrix.columns[matrix.entryRange(ofRow: 0)]) == [0, 3])
        #expect(Array(matrix.columns[matrix.entryRange(ofRow: 1)]) == [2])
        #expect(Array(matrix.columns[matrix.entryRange(ofRow: 2)]) == [0])
        #expect(holdout.training.lastSeen == [10, 20, 4, 1])
    }

    @Test func samplesAFixedNumberOfUsersReproducibly() throws {
        let events = SyntheticEvents(userCount: 500, itemCount: 200, eventCount: 10_000, seed: 4).events()
        let data = try Self.trainingData(events)
        let first = try #require(Holdout(of: data, selection: ModelSelection(sampleUsers: 50, seed: 3)))
        let again = try #require(Holdout(of: data, selection: ModelSelection(sampleUsers: 50, seed: 3)))
        let other = try #require(Holdout(of: data, selection: ModelSelection(sampleUsers: 50, seed: 4)))
        #expect(first.users.count == 50 && first.users == again.users && first.users != other.users)
        #expect(first.training.interactions.nonzeroCount == data.interactions.nonzeroCount - 50)
        #expect(Holdout(of: try CSRMatrix(rowCount: 1, columnCount: 1, rowOffsets: [0, 1], columns: [0], values: [1])
            .asTrainingData(), selection: ModelSelection()) == nil, "no user with two items: nothing to hold out")
    }

    /// Clustered tastes (SyntheticEvents plants them): item-kNN is clearly right, popularity is not, whichever
    /// the configuration lists first.
    @Test func choosesThePlantedBestModelAndServesItByDefault() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-select-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteEventStore(path: directory.appendingPathComponent("store.sqlite").path)
        defer { store.close() }
        _ = try store.append(SyntheticEvents(userCount: 400, itemCount: 300, eventCount: 12_000, seed: 7).events().map {
            Event(user: "u\($0.user)", item: "i\($0.item)", weight: $0.weight, timestamp: $0.timestamp)
        })
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        for refit in [true, false] {
            let registry = ModelRegistry()
            let trainer = Trainer(
                store: store, registry: registry,
                settings: TrainerSettings(models: [.popular, .itemknn], modelDirectory: directory.appendingPathComponent("models-\(refit)").path,
                                          selection: ModelSelection(sampleUsers: 300, refit: refit)),
                observer: .silent, logger: logger)
            defer { trainer.stop() }
            #expect(trainer.trainNow().status == .succeeded)
            let set = try #require(registry.snapshot)
            #expect(set.defaultModel == .itemknn)
            let popular = try #require(set.model(.popular)?.evaluation)
            let itemKNN = try #require(set.model(.itemknn)?.evaluation)
            #expect(itemKNN.ndcg > 1.5 * popular.ndcg, "itemknn \(itemKNN.ndcg) vs popular \(popular.ndcg)")
            #expect(itemKNN.users == 300 && itemKNN.k == 10 && itemKNN.coverage > popular.coverage)
            let phases = trainer.job("job-1")?.durations.map(\.phase) ?? []
            #expect(phases.contains("holdout itemknn") && phases.contains("evaluate"))
            #expect(phases.contains("itemknn") == refit, "the models are fitted again on every event only with refit")

            let persisted = SnapshotPersistence(directory: directory.appendingPathComponent("models-\(refit)").path).load().set
            #expect(persisted?.defaultModel == .itemknn && persisted?.model(.itemknn)?.evaluation == itemKNN)

            let serving = Serving(store: store, catalogue: Catalogue(), registry: registry, preference: [.popular, .itemknn])
            #expect(try serving.recommend(user: "u1", count: 5, model: nil, excluding: []).model == .itemknn)
        }
    }

    private static func trainingData(_ events: [SyntheticEvents.Event]) throws -> TrainingData {
        var builder: [Int: [Int: (Float, Double)]] = [:]
        for event in events {
            let previous = builder[event.user]?[event.item] ?? (0, 0)
            builder[event.user, default: [:]][event.item] = (previous.0 + event.weight, max(previous.1, event.timestamp))
        }
        let users = (builder.keys.max() ?? -1) + 1
        var rowOffsets = [0]
        var columns: [Int32] = []
        var values: [Float] = []
        var lastSeen: [Double] = []
        for user in 0..<users {
            for (item, entry) in (builder[user] ?? [:]).sorted(by: { $0.key < $1.key }) {
                columns.append(Int32(item))
                values.append(entry.0)
                lastSeen.append(entry.1)
            }
            rowOffsets.append(columns.count)
        }
        let items = Int((columns.max() ?? -1) + 1)
        return TrainingData(interactions: try CSRMatrix(rowCount: users, columnCount: items, rowOffsets: rowOffsets,
                                                        columns: columns, values: values), lastSeen: lastSeen)
    }
}

extension CSRMatrix {
    fileprivate func asTrainingData() -> TrainingData {
        TrainingData(interactions: self, lastSeen: [Double](repeating: 0, count: nonzeroCount))
    }
}
