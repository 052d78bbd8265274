import Dispatch
import EventFormats
import EventStore
import Foundation
import Locking
import Logging
import Models
import Serving
import SyntheticData
import Testing
@testable import Training

@Suite(.serialized)
struct TrainerTests {
    @Test func failingModelLeavesPreviousSnapshotServing() throws {
        let fixture = try TrainerFixture()
        defer { fixture.close() }
        let store = fixture.store
        struct ForcedFailure: Error {}
        let failing = Lock(false)
        let registry = ModelRegistry()
        let trainer = Trainer(
            store: store, registry: registry,
            settings: TrainerSettings(models: [.popular], modelDirectory: fixture.modelDirectory),
            observer: .silent, logger: quietLogger,
            afterFit: { model in
                if failing.withLock({ $0 }) { throw ForcedFailure() }
                return model
            })
        defer { trainer.stop() }
        _ = try store.append(SyntheticEvents(userCount: 60, itemCount: 150, eventCount: 2000, seed: 5).events().map {
            Event(user: "u\($0.user)", item: "i\($0.item)", weight: $0.weight, timestamp: $0.timestamp)
        })
        #expect(trainer.trainNow().status == .succeeded)
        let version = registry.snapshot?.version
        failing.withLock { $0 = true }
        let failed = trainer.trainNow()
        #expect(failed.status == .failed)
        #expect(registry.snapshot?.version == version)
        #expect(trainer.lastError != nil)
        failing.withLock { $0 = false }
        #expect(trainer.trainNow().status == .succeeded)
        #expect(registry.snapshot?.version != version)
        #expect(trainer.lastError == nil)
    }

    @Test func skipsTheContentModelWhileTheStoreHasNoItemRecords() throws {
        let fixture = try TrainerFixture()
        defer { fixture.close() }
        let store = fixture.store
        _ = try store.append(SyntheticEvents(userCount: 30, itemCount: 50, eventCount: 500, seed: 2).events().map {
            Event(user: "u\($0.user)", item: "i\($0.item)", weight: $0.weight, timestamp: $0.timestamp)
        })
        func trainer(_ models: [ModelKind], _ registry: ModelRegistry) -> Trainer {
            Trainer(store: store, registry: registry,
                    settings: TrainerSettings(models: models, modelDirectory: fixture.modelDirectory),
                    logger: quietLogger)
        }
        let registry = ModelRegistry()
        let withPopular = trainer([.content, .popular], registry)
        defer { withPopular.stop() }
        #expect(withPopular.trainNow().status == .succeeded)
        #expect(registry.snapshot?.models.map(\.kind) == [.popular])

        let alone = ModelRegistry()
        let contentOnly = trainer([.content], alone)
        defer { contentOnly.stop() }
        let skipped = contentOnly.trainNow()
        #expect(skipped.status == .skipped)
        #expect(skipped.error?.contains("item records") == true)
        #expect(alone.snapshot == nil)
    }

    @Test func skipsMFWithoutRatingsAndTrainsItOnTheLatestRatingOfEachPair() throws {
        let fixture = try TrainerFixture()
        defer { fixture.close() }
        let store = fixture.store
        _ = try store.append([Event(user: "u1", item: "a", timestamp: 1), Event(user: "u2", item: "b", timestamp: 1)])
        let registry = ModelRegistry()
        var parameters = ModelParameters()
        parameters.mf.factors = 2
        let trainer = fixture.trainer([.mf, .popular], parameters: parameters, registry: registry)
        defer { trainer.stop() }
        #expect(trainer.trainNow().status == .succeeded)
        #expect(registry.snapshot?.models.map(\.kind) == [.popular])

        // u1 re-rates a (5 then 1, by time); views stay out: the ratings are 1 and 3, μ = 2.
        _ = try store.append(TrainerFixture.reratings)
        #expect(trainer.trainNow().status == .succeeded)
        let mf = try #require(registry.snapshot?.model(.mf)?.model as? MF)
        #expect(mf.globalMean == 2 && mf.ratingRange == 1...3)
        #expect(mf.itemRatingCounts == [2, 0] && mf.userRatingCounts == [1, 1])
    }
}

extension TrainerTests {
    @Test func mlpWithTheRatingObjectiveTrainsOnTheLatestRatingsWithoutMF() throws {
        let fixture = try TrainerFixture()
        defer { fixture.close() }
        let store = fixture.store
        _ = try store.append([Event(user: "u1", item: "a", timestamp: 1), Event(user: "u2", item: "b", timestamp: 1)])
        let registry = ModelRegistry()
        var parameters = ModelParameters()
        parameters.mlp.objective = .rating
        parameters.mlp.epochs = 2
        let trainer = fixture.trainer([.mlp, .popular], parameters: parameters, registry: registry)
        defer { trainer.stop() }
        #expect(trainer.trainNow().status == .succeeded)
        #expect(registry.snapshot?.models.map(\.kind) == [.popular], "no ratings yet: mlp is skipped")

        _ = try store.append(TrainerFixture.reratings)
        #expect(trainer.trainNow().status == .succeeded)
        let mlp = try #require(registry.snapshot?.model(.mlp)?.model as? MLP)
        #expect(mlp.objective == .rating && mlp.offset == 2 && mlp.ratingRange == 1...3)
        #expect(mlp.itemCounts == [2, 0] && mlp.userCounts == [1, 1])
    }
}

extension TrainerTests {
    @Test func storeWithRelationsButNoEventsTrainsPairMFAndSaysWhyTheOthersWereSkipped() throws {
        let fixture = try TrainerFixture()
        defer { fixture.close() }
        let store = fixture.store
        var parameters = ModelParameters()
        parameters.pairMF.factors = 4
        parameters.pairMF.epochs = 2
        let messages = Lock<[(message: String, metadata: Logger.Metadata)]>([])
        let registry = ModelRegistry()
        let trainer = Trainer(
            store: store, registry: registry,
            settings: TrainerSettings(models: [.als, .pairmf, .popular], parameters: parameters,
                                      modelDirectory: fixture.modelDirectory),
            logger: Logger(label: "test") { _ in CapturingLogHandler(messages: messages) })
        defer { trainer.stop() }
        #expect(trainer.trainNow().error == "the store has no events yet", "an empty store has nothing to train")

        _ = try store.writeRelations((0..<6).map { Relation(from: "i\($0)", to: "i\(($0 + 1) % 6)", type: "also_bought", weight: 1) })
        let job = trainer.trainNow()
        #expect(job.status == .succeeded, "\(job.error ?? "")")
        #expect(registry.snapshot?.models.map(\.kind) == [.pairmf])
        let expected = [Trainer.SkippedModel(model: .als, reason: "the store has no events for it"),
                        Trainer.SkippedModel(model: .popular, reason: "the store has no events for it")]
        #expect(job.skippedModels == expected)
        #expect(trainer.skippedModels == expected)
        let notices = messages.withLock { $0 }.filter { $0.message == "model skipped: the store has no events for it" }
        #expect(notices.map { $0.metadata["model"]?.description } == ["als", "popular"])
    }
}

/// Keeps every message logged through it, for tests that check what a pass says.
private struct CapturingLogHandler: LogHandler {
    let messages: Lock<[(message: String, metadata: Logger.Metadata)]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        messages.withLock { $0.append((event.message.description, event.metadata ?? [:])) }
    }
}

extension TrainerTests {
    @Test func logsThatEASERanksOnlyItsMostInteractedItems() throws {
        let fixture = try TrainerFixture()
        defer { fixture.close() }
        let store = fixture.store
        _ = try store.append(SyntheticEvents(userCount: 30, itemCount: 50, eventCount: 500, seed: 2).events().map {
            Event(user: "u\($0.user)", item: "i\($0.item)", weight: $0.weight, timestamp: $0.timestamp)
        })
        let messages = Lock<[(message: String, metadata: Logger.Metadata)]>([])
        var parameters = ModelParameters()
        parameters.ease.maxItems = 20
        let trainer = Trainer(
            store: store, registry: ModelRegistry(),
            settings: TrainerSettings(models: [.ease, .popular], parameters: parameters,
                                      modelDirectory: fixture.modelDirectory),
            logger: Logger(label: "test") { _ in CapturingLogHandler(messages: messages) })
        defer { trainer.stop() }
        #expect(trainer.trainNow().status == .succeeded)
        let capped = messages.withLock { $0 }.filter { $0.message.contains("most-interacted") }
        #expect(capped.count == 1)
        #expect(capped.first?.metadata["model"] == "ease" && capped.first?.metadata["ranked_items"] == "20")
        #expect(capped.first?.metadata["limit"] == "ease.max_items")
    }

    @Test func aRetrainAskedForDuringAPassGetsAPassThatSeesTheNewEvents() throws {
        let fixture = try TrainerFixture()
        defer { fixture.close() }
        let store = fixture.store
        // The first fit waits until the test lets it go, so the pass is surely running with its read done.
        let fitting = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let first = Lock(true)
        let registry = ModelRegistry()
        let trainer = Trainer(
            store: store, registry: registry,
            settings: TrainerSettings(models: [.popular], modelDirectory: fixture.modelDirectory),
            observer: .silent, logger: quietLogger,
            afterFit: { model in
                if first.withLock({ value in defer { value = false }; return value }) {
                    fitting.signal()
                    release.wait()
                }
                return model
            })
        defer { trainer.stop() }
        _ = try store.append([Event(user: "a", item: "x", timestamp: 1_700_000_000)])
        let running = trainer.requestPass()
        fitting.wait()
        _ = try store.append([Event(user: "b", item: "y", timestamp: 1_700_000_001)])
        // The schedule's requests join the running pass; POST /retrain's gets one after it, shared by later ones.
        #expect(trainer.requestPass().id == running.id)
        let following = trainer.requestPass(seeingEverythingStored: true)
        #expect(following.id != running.id && following.status == .queued)
        #expect(trainer.requestPass(seeingEverythingStored: true).id == following.id)
        #expect(trainer.recentJobs.pending.map(\.id) == [running.id, following.id])
        release.signal()
        for _ in 0..<600 where trainer.job(following.id)?.status != .succeeded { usleep(10_000) }
        #expect(trainer.job(running.id)?.status == .succeeded)
        #expect(trainer.job(following.id)?.status == .succeeded)
        #expect(registry.snapshot?.models.first?.events == 2, "the following pass read both events")
        #expect(trainer.recentJobs.pending.isEmpty)
    }

    @Test func aStandbysSkippedJobKeepsItsIDAndIsRememberedLikeAFinishedPass() throws {
        let fixture = try TrainerFixture()
        defer { fixture.close() }
        let store = fixture.store
        _ = try store.append([Event(user: "a", item: "x", timestamp: 1_700_000_000)])
        let leads = Lock(false)
        let trainer = Trainer(
            store: store, registry: ModelRegistry(),
            settings: TrainerSettings(models: [.popular], modelDirectory: fixture.modelDirectory),
            isActive: { leads.withLock { $0 } }, logger: quietLogger)
        defer { trainer.stop() }
        let first = trainer.requestPass(seeingEverythingStored: true)
        let second = trainer.requestPass(seeingEverythingStored: true)
        #expect(first.status == .skipped && first.error == "standby: another trainer is active")
        #expect(first.id != second.id)
        #expect(trainer.job(first.id)?.status == .skipped)
        #expect(trainer.job(first.id)?.error == "standby: another trainer is active")
        #expect(trainer.job(first.id)?.finishedAt != nil)
        #expect(trainer.recentJobs.finished.map(\.id) == [first.id, second.id])
        #expect(trainer.recentJobs.pending.isEmpty)
        // Once it leads, its passes take new ids: the skipped jobs still answer as they were.
        leads.withLock { $0 = true }
        let pass = trainer.trainNow()
        #expect(pass.status == .succeeded)
        #expect(![first.id, second.id].contains(pass.id))
        #expect(trainer.job(first.id)?.status == .skipped)
        // The history is bounded as for every finished pass: the oldest go first.
        leads.withLock { $0 = false }
        for _ in 0..<Trainer.finishedJobLimit { trainer.requestPass() }
        #expect(trainer.recentJobs.finished.count == Trainer.finishedJobLimit)
        #expect(trainer.job(first.id) == nil)
        #expect(trainer.job(pass.id) == nil)
    }
}

/// A fresh SQLite store in a temporary directory for one test, with the directory its trainer keeps models in;
/// `close()` closes the store and removes the directory (stop the trainer first: declare its `defer` after).
private struct TrainerFixture {
    let directory: URL
    let store: SQLiteEventStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-trainer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try SQLiteEventStore(path: directory.appendingPathComponent("store.sqlite").path)
    }

    /// Where the trainer writes its model sets.
    var modelDirectory: String { directory.appendingPathComponent("models").path }

    /// Ratings where u1 re-rates a (5 then 1, by time) and u2 rates it 3: the latest ratings are 1 and 3, μ = 2.
    static let reratings = [
        Event(user: "u1", item: "a", type: "rating", weight: 1, timestamp: 20),
        Event(user: "u1", item: "a", type: "rating", weight: 5, timestamp: 10),
        Event(user: "u2", item: "a", type: "rating", weight: 3, timestamp: 10),
    ]

    /// A quiet trainer of `models` over the store, publishing into `registry`.
    func trainer(_ models: [ModelKind], parameters: ModelParameters, registry: ModelRegistry) -> Trainer {
        Trainer(store: store, registry: registry,
                settings: TrainerSettings(models: models, parameters: parameters, modelDirectory: modelDirectory),
                logger: quietLogger)
    }

    func close() {
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// A logger that says nothing a test does not ask to capture.
private let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()
