import Catalogue
import Training
@testable import Serving
import Observability
import Configuration
import EventStore
import Foundation
import LinearAlgebra
import Locking
import Models
import NearestNeighbors
import Testing
@testable import Service

@Suite(.serialized)
struct ServingTests {
    @Test func excludesSeenItemsIncludingFreshEvents() throws {
        let (data, service, serving) = try trainedService(models: [.itemknn, .popular])
        defer {
            service.shutdown()
            data.cleanUp()
        }
        let seen = Set(service.store.history(ofUser: service.store.userIndex("u3")!).items.map { service.store.itemID(at: $0)! })
        let first = try serving.recommend(user: "u3", count: 10, model: nil, excluding: [])
        #expect(first.model == .itemknn)
        #expect(seen.isDisjoint(with: first.items.map(\.id)))
        let top = try #require(first.items.first?.id)
        _ = try service.store.append([Event(user: "u3", item: top, weight: 1, timestamp: 1_700_000_000)])
        let second = try serving.recommend(user: "u3", count: 10, model: nil, excluding: [])
        #expect(!second.items.map(\.id).contains(top))
        let excluded = try serving.recommend(user: "u3", count: 10, model: nil, excluding: [second.items[0].id])
        #expect(!excluded.items.map(\.id).contains(second.items[0].id))
    }

    @Test func fallsBackToPopularForUnknownUsers() throws {
        let (data, service, serving) = try trainedService(models: [.itemknn, .popular])
        defer {
            service.shutdown()
            data.cleanUp()
        }
        let answer = try serving.recommend(user: "stranger", count: 5, model: nil, excluding: [])
        #expect(answer.model == .popular)
        #expect(answer.items.count == 5)
        #expect(zip(answer.items, answer.items.dropFirst()).allSatisfy { $0.score >= $1.score })
        #expect(throws: Serving.Failure.unknownModel("als")) {
            try serving.recommend(user: "u1", count: 5, model: .als, excluding: [])
        }
        #expect(throws: Serving.Failure.unknownItem("nope")) { try serving.similar(to: "nope", count: 5, model: nil) }
    }

    @Test(arguments: [ModelKind.random, .softmax])
    func samplingModelsAnswerEveryUserWithAFreshDrawPerRequest(kind: ModelKind) throws {
        let (data, service, serving) = try trainedService(models: [kind, .popular])
        defer {
            service.shutdown()
            data.cleanUp()
        }
        let seen = Set(service.store.history(ofUser: service.store.userIndex("u3")!).items.map { service.store.itemID(at: $0)! })
        let draws = try (0..<5).map { _ in try serving.recommend(user: "u3", count: 10, model: nil, excluding: []) }
        #expect(draws.allSatisfy { $0.model == kind && $0.items.count == 10 })
        #expect(draws.allSatisfy { seen.isDisjoint(with: $0.items.map(\.id)) })
        #expect(Set(draws.map { $0.items.map(\.id) }).count > 1, "every request draws anew")
        // Not personal: a user without history gets a draw too, not a fallback.
        #expect(try serving.recommend(user: "stranger", count: 5, model: nil, excluding: []).model == kind)
    }

    @Test func knownUserWithFreshEventsIsScoredFromAFoldInOfTheCurrentHistory() throws {
        let (data, service, serving) = try trainedService(models: [.als, .popular])
        defer {
            service.shutdown()
            data.cleanUp()
        }
        let als = try #require(service.registry.snapshot?.model(.als)?.model as? ALS)
        let user = try #require(service.store.userIndex("u1"))
        let trained = try serving.recommend(user: "u1", count: 10, model: nil, excluding: [])
        #expect(trained.model == .als)
        #expect(serving.foldIns.count == 0, "an unchanged history uses the trained factor")

        let unseen = (0..<150).map { "i\($0)" }.filter { item in
            service.store.itemIndex(item).map { !service.store.hasSeen(user: user, item: $0) } ?? false
        }
        _ = try service.store.append(unseen.prefix(6).map { Event(user: "u1", item: $0, type: "purchase", weight: 3, timestamp: 1_700_000_000) })
        let fresh = try serving.recommend(user: "u1", count: 10, model: nil, excluding: [])
        #expect(fresh.model == .als)
        #expect(serving.foldIns.count == 1)
        let history = service.store.history(ofUser: user)
        let expected = Models.recommend(als, for: UserQuery(user: nil, history: history.items, weights: history.weights), count: 10)
        #expect(fresh.items.map(\.id) == expected.compactMap { service.store.itemID(at: $0.item) })
        #expect(fresh.items.map(\.score) == expected.map(\.score))

        _ = try serving.recommend(user: "u1", count: 5, model: nil, excluding: [])
        #expect(serving.foldIns.count == 1, "the same revision reuses the cached factor")
    }

    @Test func servesEASEAndSVDWhenConfigured_EASEOnlyFromItsCoveredItems() throws {
        let (data, service, serving) = try trainedService(models: [.ease, .svd, .popular]) { configuration in
            configuration.modelParameters.ease.maxItems = 40
            configuration.modelParameters.svd.factors = 8
        }
        defer {
            service.shutdown()
            data.cleanUp()
        }
        let ease = try #require(service.registry.snapshot?.model(.ease)?.model as? EASE)
        #expect(ease.rankedItemCount == 40 && ease.itemCount > 40)
        let covered = Set(ease.coveredItems.compactMap { service.store.itemID(at: $0) })

        let answer = try serving.recommend(user: "u3", count: 10, model: nil, excluding: [])
        #expect(answer.model == .ease && answer.items.count == 10)
        #expect(answer.items.allSatisfy { covered.contains($0.id) })
        #expect(try serving.recommend(user: "u3", count: 10, model: .svd, excluding: []).model == .svd)
        // A user the pass never saw: EASE scores their history, SVD projects it.
        _ = try service.store.append([Event(user: "newcomer", item: ease.coveredItems.first.flatMap { service.store.itemID(at: $0) }!,
                                            weight: 1, timestamp: 1_700_000_000)])
        #expect(try serving.recommend(user: "newcomer", count: 5, model: .ease, excluding: []).items.count == 5)
        #expect(try serving.recommend(user: "newcomer", count: 5, model: .svd, excluding: []).items.count == 5)
        let item = try #require(answer.items.first?.id)
        #expect(try serving.similar(to: item, count: 5, model: .svd).items.count == 5)
        #expect(try serving.similar(to: item, count: 5, model: .ease).items.allSatisfy { covered.contains($0.id) })
    }

    @Test func servesMarkovFromTheLatestEventAndTheAutoencoderToANewcomer() throws {
        let (data, service, serving) = try trainedService(models: [.markov, .autoencoder, .popular]) { configuration in
            configuration.modelParameters.markov.window = 1
            configuration.modelParameters.autoencoder.hidden = 16
            configuration.modelParameters.autoencoder.epochs = 5
        }
        defer {
            service.shutdown()
            data.cleanUp()
        }
        let markov = try #require(service.registry.snapshot?.model(.markov)?.model as? Markov)
        // An event after the pass: markov answers from it at once, with what people took after that item.
        let latest = try #require((0..<Int32(markov.itemCount)).first { markov.transitions.nonzeroCount(ofRow: Int($0)) >= 3 })
        let latestID = try #require(service.store.itemID(at: latest))
        _ = try service.store.append([Event(user: "u3", item: latestID, weight: 1, timestamp: 2_000_000_000)])
        let answer = try serving.recommend(user: "u3", count: 3, model: nil, excluding: [])
        let seen = Set(service.store.timedHistory(ofUser: try #require(service.store.userIndex("u3"))).items)
        let next = try #require(markov.similarItems(to: latest, count: 100)).filter { !seen.contains($0.item) }.prefix(3)
        #expect(answer.model == .markov && answer.items.map(\.id) == next.compactMap { service.store.itemID(at: $0.item) })
        #expect(try serving.similar(to: latestID, count: 3, model: .markov).items.map(\.id)
                    == markov.similarItems(to: latest, count: 3)!.compactMap { service.store.itemID(at: $0.item) })
        // A user the pass never saw: the autoencoder encodes their history.
        _ = try service.store.append([Event(user: "newcomer", item: latestID, weight: 1, timestamp: 2_000_000_001)])
        let newcomer = try serving.recommend(user: "newcomer", count: 5, model: .autoencoder, excluding: [])
        #expect(newcomer.model == .autoencoder && newcomer.items.count == 5 && !newcomer.items.contains { $0.id == latestID })
        #expect(try serving.similar(to: latestID, count: 4, model: .autoencoder).items.count == 4)
    }

    @Test func servesSequenceFromTheLiveHistoryInTimeOrder() throws {
        let (data, service, serving) = try trainedService(models: [.sequence, .popular]) { configuration in
            configuration.modelParameters.sequence.hidden = 8
            configuration.modelParameters.sequence.epochs = 2
        }
        defer {
            service.shutdown()
            data.cleanUp()
        }
        let model = try #require(service.registry.snapshot?.model(.sequence)?.model as? SequenceGRU)
        // An event after the pass on the item of index 0: only the times make it the latest item the GRU reads (the
        // store lists a history in index order).
        let first = try #require(service.store.itemID(at: 0))
        _ = try service.store.append([Event(user: "u3", item: first, weight: 1, timestamp: 2_000_000_000)])
        let user = try #require(service.store.userIndex("u3"))
        let history = service.store.timedHistory(ofUser: user)
        let query = UserQuery(user: user, history: history.items, weights: history.weights, lastSeen: history.lastSeen)
        #expect(model.latestItems(of: query).last == 0)
        let expected = recommend(model, for: query, count: 5, excluding: [], allowed: nil)
        let answer = try serving.recommend(user: "u3", count: 5, model: nil, excluding: [])
        #expect(answer.model == .sequence && answer.items.map(\.id) == expected.compactMap { service.store.itemID(at: $0.item) })
        // A user the pass never saw is read the same way; similar items are what comes after the one item.
        _ = try service.store.append([Event(user: "newcomer", item: first, weight: 1, timestamp: 2_000_000_001)])
        #expect(try serving.recommend(user: "newcomer", count: 5, model: .sequence, excluding: []).items.count == 5)
        #expect(try serving.similar(to: first, count: 3, model: .sequence).items.map(\.id)
                    == model.similarItems(to: 0, count: 3)!.compactMap { service.store.itemID(at: $0.item) })
    }

    @Test func answersSimilarItemsFromTheConfiguredModelFirst() throws {
        let (data, service, _) = try trainedService(models: [.als, .itemknn, .popular])
        defer {
            service.shutdown()
            data.cleanUp()
        }
        let byDefault = Serving(store: service.store, catalogue: Catalogue(), registry: service.registry, preference: [.als])
        #expect(try byDefault.similar(to: "i1", count: 5, model: nil).model == .itemknn)
        let preferringALS = Serving(store: service.store, catalogue: Catalogue(), registry: service.registry, preference: [.als], similarItems: .als)
        #expect(try preferringALS.similar(to: "i1", count: 5, model: nil).model == .als)
        let preferringBPR = Serving(store: service.store, catalogue: Catalogue(), registry: service.registry, preference: [.als], similarItems: .bpr)
        #expect(try preferringBPR.similar(to: "i1", count: 5, model: nil).model == .itemknn, "an untrained choice falls back")
    }

    @Test func answersFromLivePopularityBeforeTheFirstPass() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        let service = try RecsmithService(configuration: data.configuration(models: [.als, .popular]), logger: quietLogger)
        defer { service.shutdown() }
        let serving = Serving(store: service.store, catalogue: Catalogue(), registry: service.registry, preference: [.als, .popular])
        _ = try service.store.append([
            Event(user: "a", item: "hit", weight: 1, timestamp: 1_700_000_000),
            Event(user: "b", item: "hit", weight: 1, timestamp: 1_700_000_000),
            Event(user: "b", item: "heavy", weight: 5, timestamp: 1_700_000_000),
            Event(user: "c", item: "once", weight: 1, timestamp: 1_700_000_000),
        ])
        let stranger = try serving.recommend(user: "new", count: 10, model: nil, excluding: [])
        #expect(stranger.model == .popular)
        #expect(stranger.version == Serving.liveVersion)
        #expect(stranger.items.map(\.id) == ["heavy", "hit", "once"])
        #expect(stranger.items.map(\.score) == [5, 2, 1])
        let known = try serving.recommend(user: "b", count: 10, model: nil, excluding: ["once"])
        #expect(known.items.isEmpty, "seen and excluded items leave the live answer too")
        _ = try service.store.append([Event(user: "d", item: "once", weight: 9, timestamp: 1_700_000_000)])
        #expect(try serving.recommend(user: "new", count: 1, model: .popular, excluding: []).items.map(\.id) == ["once"],
                "every commit moves live popularity")
        #expect(throws: Serving.Failure.noModels) { try serving.recommend(user: "new", count: 5, model: .als, excluding: []) }
    }

    @Test func answersNothingBeforeTheFirstPass() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        let service = try RecsmithService(configuration: data.configuration(models: [.popular]), logger: quietLogger)
        defer { service.shutdown() }
        let serving = Serving(store: service.store, catalogue: Catalogue(), registry: service.registry, preference: [.popular])
        #expect(throws: Serving.Failure.noModels) { try serving.recommend(user: "u1", count: 5, model: nil, excluding: []) }
        #expect(service.trainer.trainNow().status == .skipped)
    }
}

@Suite(.serialized)
struct TrainerTests {
    @Test func requestsDuringAPassJoinIt() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        let service = try RecsmithService(configuration: data.configuration(models: [.popular, .itemknn]), logger: quietLogger)
        defer { service.shutdown() }
        _ = try service.store.append(syntheticEvents())
        let first = service.trainer.requestPass()
        let second = service.trainer.requestPass()
        #expect(first.id == second.id)
        _ = service.trainer.trainNow()
        #expect(service.trainer.job(first.id)?.status == .succeeded)
    }

    @Test func persistedSnapshotLoadsAtStartAndCorruptArchiveIsSkipped() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        let configuration = data.configuration(models: [.itemknn, .popular])
        var before: [String] = []
        do {
            let service = try RecsmithService(configuration: configuration, logger: quietLogger)
            _ = try service.store.append(syntheticEvents())
            #expect(service.trainer.trainNow().status == .succeeded)
            let serving = Serving(store: service.store, catalogue: Catalogue(), registry: service.registry, preference: configuration.models)
            before = try serving.recommend(user: "u4", count: 5, model: nil, excluding: []).items.map(\.id)
            service.shutdown()
        }
        do {
            let service = try RecsmithService(configuration: configuration, logger: quietLogger)
            defer { service.shutdown() }
            #expect(service.registry.snapshot?.models.count == 2)
            let serving = Serving(store: service.store, catalogue: Catalogue(), registry: service.registry, preference: configuration.models)
            #expect(try serving.recommend(user: "u4", count: 5, model: nil, excluding: []).items.map(\.id) == before)
        }
        let archives = try FileManager.default.contentsOfDirectory(atPath: configuration.modelDirectory).filter { $0.hasPrefix("itemknn") }
        let path = configuration.modelDirectory + "/" + archives[0]
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        let service = try RecsmithService(configuration: configuration, logger: quietLogger)
        defer { service.shutdown() }
        #expect(service.registry.snapshot?.models.map(\.kind) == [.popular])
    }
}

extension TrainerTests {
    @Test func stopCancelsAPassInProgressAndNoPassStartsAfterIt() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        var configuration = data.configuration(models: [.als])
        configuration.modelParameters.als.iterations = 1000
        configuration.modelParameters.als.factors = 64
        let service = try RecsmithService(configuration: configuration, logger: quietLogger)
        _ = try service.store.append(syntheticEvents(users: 400, items: 600, count: 20_000))
        let job = service.trainer.requestPass()
        // Bounded: wait (at most 10 s) until the pass is fitting, so the stop lands inside the ALS sweeps.
        for _ in 0..<1000 where service.trainer.job(job.id)?.durations.contains(where: { $0.phase == "matrix" }) != true {
            usleep(10_000)
        }
        service.shutdown()
        let ended = try #require(service.trainer.job(job.id))
        #expect(ended.status == .skipped)
        #expect(ended.error?.contains("cancelled") == true)
        #expect(service.registry.snapshot == nil)
        #expect(service.trainer.requestPass().status == .skipped, "no pass starts once the trainer stopped")
    }

    @Test func firstCommitsStartOnePassWithoutWaitingForTheSchedule() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        let service = try RecsmithService(configuration: data.configuration(models: [.popular]), logger: quietLogger)
        defer { service.shutdown() }
        service.trainer.startSchedule()
        for batch in 0..<5 {
            _ = try service.store.append(syntheticEvents(count: 100, seed: UInt64(batch)))
        }
        // Bounded: the first pass starts `firstPassDelay` after the first commit; wait at most 10 s for it.
        for _ in 0..<1000 where service.registry.snapshot == nil { usleep(10_000) }
        #expect(service.registry.snapshot?.pass == 1, "a burst of commits is one first pass")
    }

    @Test func storeGrowthStartsAPassBeforeTheInterval() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        var configuration = data.configuration(models: [.popular])
        configuration.retrainInterval = .seconds(3600)
        configuration.retrainGrowth = 0.5
        let service = try RecsmithService(configuration: configuration, logger: quietLogger)
        defer { service.shutdown() }
        _ = try service.store.append(syntheticEvents(count: 2000, seed: 1))
        #expect(service.trainer.trainNow().status == .succeeded)
        service.trainer.startSchedule()
        _ = try service.store.append(syntheticEvents(count: 500, seed: 2).map {
            Event(user: "g" + $0.user, item: $0.item, type: $0.type, weight: $0.weight, timestamp: $0.timestamp)
        })
        // 25% growth: below the share, no pass (two schedule checks, 2 s apart).
        usleep(4_500_000)
        #expect(service.registry.snapshot?.pass == 1)
        _ = try service.store.append(syntheticEvents(count: 600, seed: 3).map {
            Event(user: "h" + $0.user, item: $0.item, type: $0.type, weight: $0.weight, timestamp: $0.timestamp)
        })
        // 55%: the next check (within 2 s) starts a pass; wait at most 10 s for it.
        for _ in 0..<1000 where service.registry.snapshot?.pass == 1 { usleep(10_000) }
        #expect(service.registry.snapshot?.pass == 2)
    }

    @Test func similarItemsComeFromTheIndexesAndAgreeWithScoringEveryItem() throws {
        let models: [ModelKind] = [.als, .bpr, .svd, .autoencoder, .sequence, .popular]
        let (data, service, _) = try trainedService(models: models) { configuration in
            configuration.indexing.mode = .hnsw
            configuration.modelParameters.autoencoder.epochs = 5
            configuration.modelParameters.sequence.epochs = 2
        }
        defer {
            service.shutdown()
            data.cleanUp()
        }
        let searches = Lock<[ModelKind: Int]>([:])
        let serving = Serving(store: service.store, catalogue: Catalogue(), registry: service.registry, preference: models,
                              observeIndexSearch: { kind, _ in searches.withLock { $0[kind, default: 0] += 1 } })
        let set = try #require(service.registry.snapshot)
        for kind in [ModelKind.als, .bpr, .svd, .autoencoder] {
            let trained = try #require(set.model(kind))
            #expect(trained.similarityIndex?.metric == .cosine, "\(kind) has a cosine index")
        }
        #expect(set.model(.sequence)?.similarityIndex == nil, "sequence's similar items search its inner-product index")
        // Answers are compared by score, as items may tie: a found item scoring at least the exact 10th is a hit.
        for kind in [ModelKind.als, .bpr, .svd, .autoencoder, .sequence] {
            let model = try #require(set.model(kind)?.model)
            var hits = 0, total = 0
            for item in stride(from: 0, to: 150, by: 15) {
                let id = try #require(service.store.itemID(at: Int32(item)))
                let fromIndex = try serving.similar(to: id, count: 10, model: kind).items
                let exact = try #require(model.similarItems(to: Int32(item), count: 10))
                #expect(!fromIndex.contains { $0.id == id }, "never the item itself")
                #expect(fromIndex.count == exact.count)
                let bar = exact.last?.score ?? 0
                hits += min(exact.count, fromIndex.count { $0.score >= bar - 1e-4 * max(1, abs(bar)) })
                total += exact.count
            }
            #expect(Double(hits) >= 0.9 * Double(total), "\(kind): \(hits) of \(total) as good as the exact answers")
            #expect(searches.withLock { $0[kind] ?? 0 } >= 10, "\(kind) searched its index")
        }
    }
}
