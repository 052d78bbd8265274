import Dispatch
import EventStore
import Foundation
import LinearAlgebra
import Locking
import Logging
import Models
import NearestNeighbors
import Serving

/// Refits the configured models from the store, one pass at a time, and publishes each new set.
///
/// Passes are serialised on their own queue and run on `BackgroundWorkers` threads, whose lower
/// scheduling priority keeps serving ahead of training. A pass requested while one is queued or running
/// joins it. A failed pass leaves the previous set serving and records the error.
///
/// Passes start by themselves: the first one shortly after a store without models gets its first events
/// (`firstPassDelay`, so a burst of batches is one pass), then every `TrainerSettings.retrainInterval`, or sooner
/// once the store grew by `TrainerSettings.growth` since the last pass. `stop()` cancels a pass in progress at its next
/// iteration and waits for it, so nothing trains once the store closes.
package final class Trainer: Sendable {
    /// The state of one training pass, as `POST /retrain` and `/models` report it.
    package struct Job: Sendable {
        package enum Status: String, Sendable {
            case queued, running, succeeded, failed, skipped
        }

        package let id: String
        package var status: Status
        /// Seconds per phase, in order: `read` (snapshot of the store), `relations` (when the store has any), `matrix` (CSR build), one entry per
        /// model fitted, `persist` (snapshot files written).
        package var durations: [(phase: String, seconds: Double)] = []
        /// What went wrong, for `failed` and `skipped`.
        package var error: String?
        /// Unix seconds when the pass started running and when it ended.
        package var startedAt: Double?
        package var finishedAt: Double?
        /// The version of the model set a succeeded pass published.
        package var version: String?
        /// Held-out metrics of each model the pass evaluated (with `selection`), in training order.
        package var evaluations: [(model: ModelKind, metrics: HeldOutMetrics)] = []
        /// Configured models the pass did not fit, each with the reason (no events, no ratings, no relations, …).
        package var skippedModels: [SkippedModel] = []
    }

    /// A configured model a pass did not fit, and why.
    package struct SkippedModel: Sendable, Equatable {
        package let model: ModelKind
        /// Why, as a user reads it: what the store lacks for this model.
        package let reason: String
    }

    private struct State {
        var nextJob = 1
        var pass = 0
        var active: Job?
        /// A pass asked for while `active` ran (it had read the store already): it starts when `active` ends.
        var following: Job?
        var finished: [Job] = []
        var lastError: String?
        /// The models the last published pass skipped.
        var skippedModels: [SkippedModel] = []
        var eventsAtLastPass = -1
        /// Relations stored when the last pass ended (a store with relations and no events trains pair MF alone).
        var relationsAtLastPass = 0
        /// Set by `stop()`: no pass starts after it.
        var stopped = false

        /// Appends a finished job to the history, which keeps the last `Trainer.finishedJobLimit`.
        mutating func keepFinished(_ job: Job) {
            finished.append(job)
            if finished.count > Trainer.finishedJobLimit { finished.removeFirst() }
        }
    }

    /// How many finished jobs `job(_:)` and `recentJobs` remember.
    static let finishedJobLimit = 50

    /// Models that train on something other than events (pair MF on relations): a store with no events but
    /// relations still gets a pass for them.
    static let trainsWithoutEvents: Set<ModelKind> = [.pairmf]

    /// How long after the first events of a store without models its first pass starts: events arriving
    /// meanwhile join that pass. Until it ends, live popularity answers.
    static let firstPassDelay: Duration = .milliseconds(300)

    private let store: any EventStore
    private let registry: ModelRegistry
    private let settings: TrainerSettings
    private let snapshots: any SnapshotStore
    /// Whether this process may train now (with PostgreSQL: it is the elected trainer); a standby queues nothing.
    private let isActive: @Sendable () -> Bool
    private let observer: TrainerObserver
    private let logger: Logger
    private let queue = DispatchQueue(label: "recsmith.trainer", qos: .utility)
    private let state = Lock(State())
    private let scheduling = Lock((running: false, lastScheduled: ContinuousClock.now, firstPassPending: false))
    /// Set by `stop()`; every fit of a pass checks it between iterations.
    private let cancellation = TrainingCancellation()
    /// Test hook: when set, runs on every model after fitting and may replace it (e.g. to force a failure).
    let afterFit: (@Sendable (any Recommender) throws -> any Recommender)?

    /// Creates a trainer that publishes into `registry` and keeps each set in `snapshots` (default: files in
    /// `settings.modelDirectory`); it trains only while `isActive` says so.
    package convenience init(store: any EventStore, registry: ModelRegistry, settings: TrainerSettings,
                            snapshots: (any SnapshotStore)? = nil, isActive: @escaping @Sendable () -> Bool = { true },
                            observer: TrainerObserver = .silent, logger: Logger) {
        self.init(store: store, registry: registry, settings: settings, snapshots: snapshots, isActive: isActive,
                  observer: observer, logger: logger, afterFit: nil)
    }

    /// The designated initialiser, with the test hook `afterFit`.
    init(store: any EventStore, registry: ModelRegistry, settings: TrainerSettings, snapshots: (any SnapshotStore)? = nil,
         isActive: @escaping @Sendable () -> Bool = { true }, observer: TrainerObserver, logger: Logger,
         afterFit: (@Sendable (any Recommender) throws -> any Recommender)?) {
        self.store = store
        self.registry = registry
        self.settings = settings
        self.snapshots = snapshots ?? SnapshotPersistence(directory: settings.modelDirectory)
        self.isActive = isActive
        self.observer = observer
        self.logger = logger
        self.afterFit = afterFit
        store.observeCommits { [weak self] commit in
            if commit.succeeded { self?.eventsCommitted() }
        }
        if let loaded = registry.snapshot {
            state.withLock {
                $0.pass = loaded.pass
                $0.eventsAtLastPass = loaded.models.first?.events ?? -1
            }
        }
    }

    /// The error of the last failed pass, cleared by the next successful one.
    package var lastError: String? { state.withLock { $0.lastError } }

    /// The configured models the last published pass did not fit, with the reasons (`GET /models`).
    package var skippedModels: [SkippedModel] { state.withLock { $0.skippedModels } }

    /// Queues a pass, or returns one that will do: the pass already queued, or the one running — unless
    /// `seeingEverythingStored` (`POST /retrain`: train on what is stored now) and that pass has read the store
    /// already; then a pass that starts when it ends (one at most, shared by every such request).
    @discardableResult
    package func requestPass(seeingEverythingStored: Bool = false) -> Job {
        let active = isActive()
        let (job, isNew) = state.withLock { state -> (Job, Bool) in
            // A pass refused at once is still a job with an id of its own: kept among the finished ones, so
            // `GET /retrain/{job}` answers the id it was given.
            if state.stopped || !active {
                var job = Job(id: "job-\(state.nextJob)", status: .skipped,
                              error: state.stopped ? "the service is shutting down" : "standby: another trainer is active")
                state.nextJob += 1
                job.finishedAt = Date().timeIntervalSince1970
                state.keepFinished(job)
                return (job, false)
            }
            if let following = state.following { return (following, false) }
            if let active = state.active {
                guard seeingEverythingStored && active.status != .queued else { return (active, false) }
                let job = Job(id: "job-\(state.nextJob)", status: .queued)
                state.nextJob += 1
                state.following = job
                return (job, true)
            }
            let job = Job(id: "job-\(state.nextJob)", status: .queued)
            state.nextJob += 1
            state.active = job
            return (job, true)
        }
        // The pass itself runs on the background workers, below serving's priority (see BackgroundWorkers); `queue`
        // is serial, so a following pass starts once the active one has ended.
        if isNew { queue.async { BackgroundWorkers.shared.run { self.runPass(jobID: job.id) } } }
        return job
    }

    /// Takes `set`, which another process trained and this one now serves, as the last pass: the next pass here
    /// numbers after it, and the schedule counts new events from it.
    package func adopt(_ set: ModelSet) {
        state.withLock { state in
            guard set.pass > state.pass else { return }
            state.pass = set.pass
            state.eventsAtLastPass = set.models.first?.events ?? state.eventsAtLastPass
        }
    }

    /// The state of a job by id, if it is active, following or among the recent ones.
    package func job(_ id: String) -> Job? {
        state.withLock { state in
            if state.active?.id == id { return state.active }
            if state.following?.id == id { return state.following }
            return state.finished.last { $0.id == id }
        }
    }

    /// The last finished passes (at most `finishedJobLimit`), oldest first, and those queued or running, in the
    /// order they run.
    package var recentJobs: (finished: [Job], pending: [Job]) {
        state.withLock { ($0.finished, [$0.active, $0.following].compactMap { $0 }) }
    }

    /// Starts the schedule: a pass shortly after a store without models gets events, one every
    /// `retrainInterval`, and one whenever the store grew by `retrainGrowth` since the last pass.
    package func startSchedule() {
        scheduling.withLock {
            $0.running = true
            $0.lastScheduled = .now
        }
        scheduleCheck()
    }

    /// Stops the schedule, cancels a pass in progress at its next iteration and waits until it has ended.
    /// No pass starts afterwards. Call it before closing the store.
    package func stop() {
        scheduling.withLock { $0.running = false }
        state.withLock { $0.stopped = true }
        cancellation.cancel()
        // Passes run from `queue` (which waits for the background workers), so this returns after the last one.
        queue.sync {}
    }

    /// Told of every successful commit of the store: a store without models gets its first pass
    /// `firstPassDelay` later (once, however many commits arrive meanwhile). Thread-safe, and cheap: its caller,
    /// the store's commit observer, runs on the store's writer queue.
    func eventsCommitted() {
        guard registry.snapshot == nil else { return }
        let schedule = scheduling.withLock { schedule -> Bool in
            guard schedule.running, !schedule.firstPassPending else { return false }
            schedule.firstPassPending = true
            return true
        }
        guard schedule else { return }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + Self.firstPassDelay.seconds) { [weak self] in
            guard let self else { return }
            scheduling.withLock { $0.firstPassPending = false }
            // A standby's skipped job would only crowd the history: the schedule asks nothing of it.
            if registry.snapshot == nil, isActive() { requestPass() }
        }
    }

    private func scheduleCheck() {
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .seconds(2)) { [weak self] in
            guard let self, scheduling.withLock({ $0.running }) else { return }
            checkSchedule()
            scheduleCheck()
        }
    }

    private func checkSchedule() {
        let events = store.eventCount, relations = store.relationCount
        let (eventsAtLastPass, relationsAtLastPass, idle) = state.withLock {
            ($0.eventsAtLastPass, $0.relationsAtLastPass, $0.active == nil)
        }
        guard idle, isActive() else { return }
        // A catalogue with a product graph and no events yet: pair MF can train on the relations alone.
        if events == 0 && registry.snapshot == nil && settings.models.contains(.pairmf) && relations > 0
            && relations != relationsAtLastPass {
            requestPass()
            return
        }
        guard events > 0 else { return }
        if registry.snapshot == nil && events != eventsAtLastPass {
            requestPass()
            return
        }
        guard let interval = settings.retrainInterval else { return }
        let newEvents = events - max(eventsAtLastPass, 0)
        guard newEvents >= settings.minNewEvents else { return }
        let grown = settings.growth > 0 && eventsAtLastPass > 0 && Double(newEvents) >= settings.growth * Double(eventsAtLastPass)
        let due = scheduling.withLock { schedule -> Bool in
            guard grown || ContinuousClock.now - schedule.lastScheduled >= interval else { return false }
            schedule.lastScheduled = .now
            return true
        }
        if due { requestPass() }
    }

    /// Runs one pass and waits for it; returns how it ended.
    package func trainNow() -> Job {
        let job = requestPass()
        queue.sync {}
        return self.job(job.id) ?? job
    }

    private func runPass(jobID: String) {
        guard begin(jobID) else { return }
        let started = ContinuousClock.now
        // The snapshot's arrays become the matrix's (copy-on-write, not copied); the snapshot itself is gone once
        // the matrix exists, so a pass holds one copy of the events plus what each model builds from it.
        let read = timed(jobID, "read") {
            // Everything other processes committed until now is read too (PostgreSQL: one poll of the change feed,
            // which otherwise runs every 100 ms): a POST /retrain right after an event was accepted elsewhere sees it.
            do {
                try store.catchUp()
            } catch {
                logger.warning("training on the events in memory: the store's change feed cannot be read",
                               metadata: ["job": "\(jobID)", "error": "\(error)"])
            }
            return store.interactionSnapshot()
        }
        let snapshot = (count: read.count, userCount: read.userCount, itemCount: read.itemCount,
                        eventCount: read.eventCount, userRevisions: read.userRevisions)
        let relationsOnly = snapshot.count == 0 && store.relationCount > 0
            && settings.models.contains { Self.trainsWithoutEvents.contains($0) }
        guard snapshot.count > 0 || relationsOnly else {
            finish(jobID, status: .skipped, error: "the store has no events yet", eventCount: snapshot.eventCount)
            return
        }
        do {
            let readsRatings = settings.models.contains(.mf)
                || (settings.models.contains(.mlp) && settings.parameters.mlp.objective == .rating)
            let ratings = try readsRatings
                ? timed(jobID, "ratings") { try store.latestRatings(types: settings.parameters.mf.explicitTypes, user: nil) }
                : nil
            let relations = settings.models.contains(.pairmf) && store.relationCount > 0
                ? timed(jobID, "relations") { store.relationSnapshot() } : nil
            let data = try timed(jobID, "matrix") { [read = consume read] in
                try Self.trainingData(from: read, ratings: ratings, relations: relations)
            }
            var choice: (defaultModel: ModelKind?, evaluations: [ModelKind: HeldOutMetrics], models: [TrainedModel]) = (nil, [:], [])
            if let selection = settings.selection {
                choice = try selectModel(jobID, data: data, selection: selection, snapshot: snapshot)
            }
            var trained = choice.models
            if trained.isEmpty {
                trained = try fitModels(jobID, on: data, phasePrefix: "", snapshot: snapshot, indexes: true)
                // The held-out fits' figures describe these refits (same models, a few events more).
                for index in trained.indices { trained[index].evaluation = choice.evaluations[trained[index].kind] }
            }
            guard !trained.isEmpty else {
                let reason = "no configured model can train without item records, explicit ratings or relations (\(settings.models.map(\.rawValue).joined(separator: ",")))"
                logger.warning("training pass skipped", metadata: ["job": "\(jobID)", "reason": "\(reason)"])
                finish(jobID, status: .skipped, error: reason, eventCount: snapshot.eventCount)
                return
            }
            let skipped = job(jobID)?.skippedModels ?? []
            let pass = state.withLock { state -> Int in
                state.pass += 1
                state.skippedModels = skipped
                return state.pass
            }
            let set = ModelSet(pass: pass, trainedAt: Date().timeIntervalSince1970, models: trained,
                               defaultModel: choice.defaultModel, trainedRevisions: snapshot.userRevisions)
            registry.publish(set)
            observer.published(set)
            update(jobID) { job in
                job.version = set.version
                job.evaluations = trained.compactMap { model in model.evaluation.map { (model.kind, $0) } }
            }
            logger.info("training pass published", metadata: [
                "job": "\(jobID)", "version": "\(set.version)", "pairs": "\(snapshot.count)",
                "seconds": "\((ContinuousClock.now - started).seconds)",
            ])
            timed(jobID, "persist") {
                do {
                    try snapshots.save(set)
                } catch {
                    logger.error("cannot persist model snapshot", metadata: ["error": "\(error)"])
                }
            }
            finish(jobID, status: .succeeded, error: nil, eventCount: snapshot.eventCount)
        } catch ModelError.cancelled {
            logger.info("training pass cancelled: the service is stopping", metadata: ["job": "\(jobID)"])
            finish(jobID, status: .skipped, error: "cancelled: the service is stopping", eventCount: snapshot.eventCount)
        } catch {
            logger.error("training pass failed; previous models keep serving", metadata: ["job": "\(jobID)", "error": "\(error)"])
            observer.failed()
            finish(jobID, status: .failed, error: "\(error)", eventCount: snapshot.eventCount)
        }
    }

    /// Fits every configured model on `data`, each a phase named `phasePrefix` + its name, and — with `indexes` —
    /// builds the HNSW index `settings.indexing` asks for (a phase `index <name>`), and for a model whose similar
    /// items are cosines of its item vectors a cosine index over them too (`similarity index <name>`). Models that need events, item
    /// records, ratings or relations the store lacks are skipped with a notice and recorded on the job.
    private func fitModels(
        _ jobID: String, on data: TrainingData, phasePrefix: String,
        snapshot: (count: Int, userCount: Int, itemCount: Int, eventCount: Int, userRevisions: [Int]), indexes: Bool
    ) throws -> [TrainedModel] {
        var trained: [TrainedModel] = []
        let itemsWithEvents = data.interactions.columnNonzeroCounts().count { $0 > 0 }
        func skip(_ kind: ModelKind, _ reason: String) {
            logger.notice("model skipped: \(reason)", metadata: ["job": "\(jobID)", "model": "\(kind.rawValue)"])
            update(jobID) { job in
                if !job.skippedModels.contains(where: { $0.model == kind }) {
                    job.skippedModels.append(SkippedModel(model: kind, reason: reason))
                }
            }
        }
        for kind in settings.models {
            if data.interactions.nonzeroCount == 0 && !Self.trainsWithoutEvents.contains(kind) {
                skip(kind, "the store has no events for it")
                continue
            }
            let fitStart = ContinuousClock.now
            let model: any Recommender
            do {
                model = try timed(jobID, phasePrefix + kind.rawValue) {
                    let fitted = try ModelTrainer.fit(kind, on: data, parameters: settings.parameters, seed: settings.seed,
                                                      cancellation: cancellation)
                    return try afterFit?(fitted) ?? fitted
                }
            } catch ModelError.missingItemDocuments {
                skip(kind, "the store has no item records for it")
                continue
            } catch ModelError.missingRatings {
                skip(kind, "the store has no explicit ratings for it (events of type \(settings.parameters.mf.explicitTypes.joined(separator: ", ")))")
                continue
            } catch ModelError.missingRelations {
                skip(kind, "the store has no relations for it (POST /relations)")
                continue
            }
            let seconds = (ContinuousClock.now - fitStart).seconds
            if model.rankedItemCount < itemsWithEvents && kind != .mf && kind != .mlp {  // mf and mlp rank the items they trained on, by design
                // EASE's dense item × item matrix covers only the most-interacted items (ease.max_items).
                logger.notice("model ranks only its most-interacted items; the others are never recommended by it", metadata: [
                    "job": "\(jobID)", "model": "\(kind.rawValue)", "ranked_items": "\(model.rankedItemCount)",
                    "items_with_events": "\(itemsWithEvents)", "limit": "\(kind.rawValue).max_items",
                ])
            }
            var index: HNSWIndex?, similarityIndex: HNSWIndex?
            if indexes, let scoring = model as? any InnerProductScoring, settings.indexing.indexes(kind, itemCount: model.itemCount) {
                index = try timed(jobID, phasePrefix + "index " + kind.rawValue) {
                    try HNSWIndex.build(scoring.itemFactors, metric: .innerProduct, parameters: settings.indexing.parameters)
                }
                if let similarity = model as? any CosineItemSimilarity {
                    similarityIndex = try timed(jobID, phasePrefix + "similarity index " + kind.rawValue) {
                        try HNSWIndex.build(similarity.similarityVectors, columns: similarity.similarityDimensions, metric: .cosine,
                                            parameters: settings.indexing.parameters)
                    }
                }
            }
            trained.append(TrainedModel(model: model, trainingSeconds: seconds, users: snapshot.userCount,
                                        items: snapshot.itemCount, events: snapshot.eventCount, index: index,
                                        similarityIndex: similarityIndex))
        }
        return trained
    }

    /// `serving.model = auto`: fits every model without each sampled user's latest event, ranks the models by
    /// NDCG on those events, and returns the winner with the held-out models when they are to serve as they are
    /// (`refit` off) — else no models, and the caller fits them on everything.
    private func selectModel(
        _ jobID: String, data: TrainingData, selection: ModelSelection,
        snapshot: (count: Int, userCount: Int, itemCount: Int, eventCount: Int, userRevisions: [Int])
    ) throws -> (defaultModel: ModelKind?, evaluations: [ModelKind: HeldOutMetrics], models: [TrainedModel]) {
        guard let holdout = timed(jobID, "holdout", { Holdout(of: data, selection: selection) }) else {
            logger.notice("no model chosen: no user has two items yet", metadata: ["job": "\(jobID)"])
            return (nil, [:], [])
        }
        // Held-out models that go on serving (without `refit`) get their indexes too.
        var models = try fitModels(jobID, on: holdout.training, phasePrefix: "holdout ", snapshot: snapshot,
                                   indexes: !selection.refit)
        timed(jobID, "evaluate") {
            for index in models.indices { models[index].evaluation = holdout.evaluate(models[index].model, k: selection.k) }
        }
        // The best NDCG; ties go to the model configured first.
        var best: TrainedModel?
        for model in models where best == nil || model.evaluation!.ndcg > best!.evaluation!.ndcg { best = model }
        logger.info("model chosen on held-out events", metadata: [
            "job": "\(jobID)", "model": "\(best?.kind.rawValue ?? "none")", "users": "\(holdout.users.count)",
            "ndcg": "\(models.map { "\($0.kind.rawValue)=\($0.evaluation!.ndcg)" }.joined(separator: ","))",
        ])
        let evaluations = Dictionary(models.map { ($0.kind, $0.evaluation!) }, uniquingKeysWith: { first, _ in first })
        // With `refit`, only the figures are kept: the serving models are fitted on every event next.
        return (best?.kind, evaluations, selection.refit ? [] : models)
    }

    /// Runs one phase of a pass and records its duration on the job.
    private func timed<Result>(_ jobID: String, _ phase: String, _ work: () throws -> Result) rethrows -> Result {
        let start = ContinuousClock.now
        let result = try work()
        let seconds = (ContinuousClock.now - start).seconds
        update(jobID) { $0.durations.append((phase, seconds)) }
        observer.phaseEnded(phase, seconds)
        return result
    }

    /// The user × item matrix of the snapshot (already sorted and aggregated by the store), with the explicit
    /// ratings (for `mf`) and the relations (for `pairmf`) beside it when read. Item documents are not in the store
    /// yet, so the content model is skipped.
    static func trainingData(
        from snapshot: InteractionSnapshot, ratings: RatingSnapshot? = nil, relations: RelationSnapshot? = nil
    ) throws -> TrainingData {
        var rowOffsets = [Int](repeating: 0, count: snapshot.userCount + 1)
        for user in snapshot.users { rowOffsets[Int(user) + 1] += 1 }
        for row in 0..<snapshot.userCount { rowOffsets[row + 1] += rowOffsets[row] }
        let matrix = try CSRMatrix(rowCount: snapshot.userCount, columnCount: snapshot.itemCount,
                                   rowOffsets: rowOffsets, columns: snapshot.items, values: snapshot.weights)
        return TrainingData(
            interactions: matrix, lastSeen: snapshot.lastSeen, itemDocuments: nil,
            ratings: try ratings.map { try ratingMatrix($0, userCount: snapshot.userCount, itemCount: snapshot.itemCount) },
            relations: relations.map { ItemPairs(itemCount: $0.itemCount, first: $0.from, second: $0.to, weights: $0.weights) })
    }

    /// The ratings as a users × items matrix with the interaction matrix's shape; ratings of users or items that
    /// arrived after the interaction snapshot was taken are left to the next pass.
    static func ratingMatrix(_ ratings: RatingSnapshot, userCount: Int, itemCount: Int) throws -> CSRMatrix {
        let kept = ratings.users.indices.filter { Int(ratings.users[$0]) < userCount && Int(ratings.items[$0]) < itemCount }
        return try CSRMatrix(
            rowCount: userCount, columnCount: itemCount, rows: kept.map { ratings.users[$0] },
            columns: kept.map { ratings.items[$0] }, values: kept.map { ratings.values[$0] })
    }

    /// Makes `jobID` the active pass (a following one becomes active once the previous has ended) and marks it
    /// running; false when the service stopped meanwhile (the pass is then recorded as skipped).
    private func begin(_ jobID: String) -> Bool {
        let stopped = state.withLock { state -> Bool in
            if state.active == nil, state.following?.id == jobID {
                state.active = state.following
                state.following = nil
            }
            guard state.active?.id == jobID else { return true }
            state.active!.status = .running
            state.active!.startedAt = Date().timeIntervalSince1970
            return state.stopped
        }
        if stopped { finish(jobID, status: .skipped, error: "the service is shutting down", eventCount: store.eventCount) }
        return !stopped
    }

    private func update(_ jobID: String, _ change: (inout Job) -> Void) {
        state.withLock { state in
            if state.active?.id == jobID { change(&state.active!) }
        }
    }

    private func finish(_ jobID: String, status: Job.Status, error: String?, eventCount: Int) {
        let relationCount = store.relationCount
        state.withLock { state in
            guard var job = state.active, job.id == jobID else { return }
            job.status = status
            job.error = error
            job.finishedAt = Date().timeIntervalSince1970
            state.active = nil
            state.keepFinished(job)
            state.eventsAtLastPass = eventCount
            state.relationsAtLastPass = relationCount
            switch status {
            case .succeeded: state.lastError = nil
            case .failed: state.lastError = error
            case .queued, .running, .skipped: break
            }
        }
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    package var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
