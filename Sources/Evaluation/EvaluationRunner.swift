import EventFormats
import LinearAlgebra
import Models

/// Runs the `recsmith-eval` protocol (docs/EVALUATION.md): load, split, optionally grid-search on a validation
/// split carved from train, then fit every requested model on train (once per seed with `--seeds`, scoring each
/// epoch with `--curve`) and score every test user.
package struct EvaluationRunner: Sendable {
    /// The run's settings.
    package let options: EvaluationOptions
    /// Receives one human-readable line per step.
    let progress: @Sendable (String) -> Void

    /// A runner; `progress` receives one human-readable line per step (the CLI prints them on stderr).
    package init(options: EvaluationOptions, progress: @escaping @Sendable (String) -> Void = { _ in }) {
        self.options = options
        self.progress = progress
    }

    /// Evaluates the event file at `path`, with the item records at `itemsPath` for models that read them;
    /// writes the split's pairs to `dumpDirectory` when given.
    package func run(
        path: String, itemsPath: String? = nil, dumpDirectory: String? = nil
    ) throws(EvaluationError) -> EvaluationReport {
        try options.requireItemRecords(available: itemsPath != nil)
        progress("reading \(path)")
        let interactions = try InteractionSet.load(path: path, minWeight: options.minWeight)
        progress("\(interactions.pairCount) pairs, \(interactions.userIDs.count) users, \(interactions.itemIDs.count) items")
        var records: ItemRecords?
        if let itemsPath {
            progress("reading \(itemsPath)")
            records = try ItemRecords.load(path: itemsPath)
            progress("\(records?.documents.count ?? 0) item records")
        }
        return try run(on: interactions, items: records, dumpDirectory: dumpDirectory)
    }

    /// Evaluates pairs already loaded, with item records for the models that read them.
    package func run(
        on interactions: InteractionSet, items: ItemRecords? = nil, dumpDirectory: String? = nil
    ) throws(EvaluationError) -> EvaluationReport {
        try options.requireItemRecords(available: items != nil)
        let ks = try options.validatedCutoffs()
        let split = try EvaluationSplit(interactions, kind: options.split)
        let summary = SplitSummary(split)
        progress(
            "split \(options.split): \(summary.trainPairs) train pairs, \(summary.testUsers) test users, "
                + "\(summary.testPairs) test pairs")
        if let dumpDirectory {
            try split.writePairs(toDirectory: dumpDirectory)
            progress("wrote \(dumpDirectory)/train.csv and test.csv")
        }
        guard !split.testUsers.isEmpty else { throw .noTestUsers(split: options.split.name) }

        var parameters = ModelParameters.evaluation(factors: options.factors)
        for setting in options.settings {
            for value in setting.values { setting.parameter.apply(value, to: &parameters) }
        }
        var searches: [GridSearchResult] = []
        let searched = options.models.filter { model in options.grid.contains { $0.model == model } }
        if !searched.isEmpty {
            let search = GridSearch(runner: self, ks: ks)
            let validation = try EvaluationSplit(split.trainInteractions(), kind: options.split.validationKind)
            guard !validation.testUsers.isEmpty else { throw .noTestUsers(split: "validation " + options.split.name) }
            let validationSummary = SplitSummary(validation)
            progress(
                "validation split: \(validationSummary.trainPairs) train pairs, \(validationSummary.testUsers) test users")
            let validationDocuments = items?.aligned(to: validation.itemIDs)
            for model in searched {
                let result = try search.run(
                    model, axes: options.grid.filter { $0.model == model }, base: parameters, validation: validation,
                    itemDocuments: validationDocuments, validationSummary: validationSummary)
                searches.append(result.report)
                parameters = result.bestParameters
            }
        }

        let documents = items?.aligned(to: split.itemIDs)
        if let documents {
            progress("\(documents.count { $0 != nil }) of \(documents.count) catalogue items have a record")
        }
        var results: [ModelResult] = []
        for model in options.models {
            guard model.isSeeded && !options.seeds.isEmpty else {
                results.append(try evaluate(
                    model, parameters: parameters, on: split, itemDocuments: documents, ks: ks, curve: options.curve))
                continue
            }
            var runs: [ModelResult] = []
            for seed in options.seeds {
                progress("\(model.rawValue): seed \(seed)")
                runs.append(try evaluate(
                    model, parameters: parameters, on: split, itemDocuments: documents, ks: ks, seed: seed,
                    curve: options.curve))
            }
            results.append(.aggregating(runs))
        }
        return EvaluationReport(
            split: summary, ks: ks, seed: options.seed, models: results, grid: searches, seeds: options.seeds,
            protocolName: options.usesVersion2 ? EvaluationReport.version2 : EvaluationReport.version1)
    }

    /// Fits `model` on the split's train matrix (with `itemDocuments`, aligned to the split's catalogue, for
    /// the models that read them) with `seed` (default: the options' seed) and scores every test user at
    /// `N = max(ks)`. With `curve`, an iterative model is also scored after every epoch (NDCG at the smallest
    /// cut-off), and the time that takes is left out of `fit_s`.
    package func evaluate(
        _ model: EvaluatedModel, parameters: ModelParameters, on split: EvaluationSplit,
        itemDocuments: [ItemDocument?]? = nil, ks: [Int], seed: UInt64? = nil, curve: Bool = false
    ) throws(EvaluationError) -> ModelResult {
        if model.needsItemDocuments && itemDocuments == nil { throw .itemRecordsRequired(model: model.rawValue) }
        let seed = seed ?? options.seed
        let training = TrainingData(
            interactions: split.training.interactions, lastSeen: split.training.lastSeen, itemDocuments: itemDocuments)
        let queries = Self.queries(for: split, seed: seed)
        let count = ks.max() ?? 0
        let clock = ContinuousClock()
        var points: [CurvePoint] = []
        var curveTime = Duration.zero
        var fitStart = clock.now
        let curveK = ks.first ?? count
        let observer: EpochObserver? = curve && model.isIterative ? { epoch, build in
            let began = clock.now
            let reached = began - fitStart - curveTime
            let snapshot = build()
            var accumulator = MetricsAccumulator(ks: [curveK], catalogueSize: split.itemIDs.count)
            for (position, list) in recommendBatch(snapshot, for: queries, count: curveK).enumerated() {
                accumulator.add(recommended: list.map(\.item), relevant: split.testItems(atTestUser: position))
            }
            let loss = (snapshot as? ALS)?.loss(on: training)
            points.append(CurvePoint(
                epoch: epoch, metric: accumulator.results()[0].ndcg, seconds: reached.seconds, loss: loss))
            curveTime += clock.now - began
        } : nil
        progress("fitting \(model.rawValue)")
        fitStart = clock.now
        let fitted = try Self.fit(model, on: training, parameters: parameters, seed: seed, observer: observer)
        let fitTime = clock.now - fitStart - curveTime
        var lists: [[ScoredItem]] = []
        // One batch for all test users; what they have seen is masked by the history (docs/EVALUATION.md §4).
        let recommendTime = clock.measure {
            lists = recommendBatch(fitted, for: queries, count: count)
        }
        var accumulator = MetricsAccumulator(
            ks: ks, catalogueSize: split.itemIDs.count, popularity: PopularityPercentiles(train: split.training.interactions))
        for (position, list) in lists.enumerated() {
            accumulator.add(recommended: list.map(\.item), relevant: split.testItems(atTestUser: position))
        }
        let result = ModelResult(
            model: model.rawValue, parameters: model.reportedParameters(parameters),
            fitSeconds: fitTime.seconds, recommendSeconds: recommendTime.seconds, metrics: accumulator.results(),
            foldIn: split.heldOut == nil ? nil : model.foldIn, curveMetric: observer == nil ? nil : "ndcg@\(curveK)",
            curve: points, seed: seed)
        if let first = result.metrics.first {
            progress(
                "\(model.rawValue): fit \(Leaderboard.seconds(result.fitSeconds)) s, recommend "
                    + "\(Leaderboard.seconds(result.recommendSeconds)) s, ndcg@\(first.k) \(Leaderboard.format(first.ndcg))")
        }
        return result
    }

    /// Fits `model` on `training` (whose item documents the models that read them need) with `seed`; a failure
    /// becomes `fitFailed` with the model's name.
    package static func fit(
        _ model: EvaluatedModel, on training: TrainingData, parameters: ModelParameters, seed: UInt64,
        observer: EpochObserver? = nil
    ) throws(EvaluationError) -> any Recommender {
        do {
            return try ModelTrainer.fit(model.kind, on: training, parameters: parameters, seed: seed, observer: observer)
        } catch {
            throw .fitFailed(model: model.rawValue, reason: "\(error)")
        }
    }

    /// One query per test user: their seen items (train row, or a held-out user's input) with those pairs'
    /// times, the newest time of any train or input pair as the content model's `t_ref`, and a seed for the
    /// sampling models drawn from `seed` on a stream named by the user's position, so a run is reproducible.
    static func queries(for split: EvaluationSplit, seed: UInt64) -> [UserQuery] {
        let reference = max(split.training.lastSeen.max() ?? -.infinity, split.heldOut?.inputTimes.max() ?? -.infinity)
        return split.testUsers.indices.map { position in
            query(
                user: split.trainRow(atTestUser: position), seen: split.seenItems(atTestUser: position),
                referenceTime: reference.isFinite ? reference : nil, seed: seed, stream: UInt64(position))
        }
    }

    /// The query of `user` (a train row; nil for a user the model never saw) who has `seen` these items at these
    /// times, each with weight 1 and masked when scored, asked at `referenceTime`, with a sampling seed drawn
    /// from `seed` on `stream`.
    package static func query(
        user: Int32?, seen: (items: ArraySlice<Int32>, times: ArraySlice<Double>), referenceTime: Double?, seed: UInt64,
        stream: UInt64
    ) -> UserQuery {
        var generator = Xoshiro256StarStar(seed: seed, stream: stream)
        return UserQuery(
            user: user, history: Array(seen.items), weights: [Float](repeating: 1, count: seen.items.count),
            lastSeen: Array(seen.times), referenceTime: referenceTime, seed: generator.next())
    }
}

extension Duration {
    /// The duration in seconds, rounded to the microsecond (so it prints as a short decimal).
    var seconds: Double {
        let parts = components
        let microseconds = parts.seconds * 1_000_000 + parts.attoseconds / 1_000_000_000_000
        return Double(microseconds) / 1_000_000
    }
}
