import ArgumentParser
import Evaluation
import Foundation
import JSON
import Models
import Reports

/// `recsmith evaluate`: offline evaluation per the `recsmith-eval` protocol (docs/EVALUATION.md; v2 for §9's
/// strong generalization, curves and seeds).
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate models offline (protocol recsmith-eval-v1, v2 with §9 features) and print a leaderboard.",
        discussion: """
            Splits the events into train and test pairs, fits each model on train and scores every test user's \
            top-N among the items they have not seen. Progress goes to stderr, the leaderboard to stdout.

            --replay DAYS --db STORE (or --store URL) replays a store's attributed events (events that echoed a recommendation_id) \
            of the last DAYS UTC days, ending with the day of the latest one: for each day every candidate is \
            fitted on the events stored before the day began, and an event is a hit when its item is in the \
            candidate's top-k for its user, items the user had before the day masked. Events whose item the user \
            already had (repeat) or whose user or item had no earlier event (cold) are counted, not scored. \
            Candidates are --models (default pop,itemknn,als,bpr,trending) plus every model that served a list, \
            whose share of the attributed events is shown beside. --json OUT writes {"replay": {days, first_day, \
            last_day, ks, seed, factors}, "events": {attributed, scored, repeat, cold}, "per_day": [{day, \
            attributed, scored, repeat, cold, train_pairs}], "models": [{model, served: {events, share} or null, \
            replayed, reason (when not replayed), scored, hits: [{k, hits, hit_rate}], by_served_model: [{model, \
            scored, hits}]}]}; --json - prints it instead of the table. No attributed events: exit 1.
            """)

    @Option(help: ArgumentHelp(
        "What to measure: ranking (top-N lists of held-out events, the default), rating (predicted ratings) or pairs "
            + "(held-out item relations, AUC-ROC; needs --relations).", valueName: "task"))
    var task: String = EvaluationTask.ranking.rawValue

    @Option(
        help: ArgumentHelp(
            "Replay the attributed events of the last DAYS UTC days (1…365) of --db against the candidates (see above).",
            valueName: "days"))
    var replay: Int?

    @Option(help: ArgumentHelp("The SQLite store --replay reads (default ./var/recsmith.sqlite).", valueName: "path"))
    var db: String?

    @Option(help: ArgumentHelp("The store --replay reads: sqlite:PATH or postgresql://user@host:5432/db (RECSMITH_STORE).",
                               valueName: "url"))
    var store: String?

    @Option(help: ArgumentHelp("Event CSV file with header user,item,timestamp[,weight][,type] (tasks ranking and rating).",
                               valueName: "file"))
    var data: String?

    @Option(help: ArgumentHelp("Relations CSV file with header from,to,type[,weight] (task pairs).", valueName: "file"))
    var relations: String?

    @Option(
        help: ArgumentHelp(
            "How to hold out test pairs: leave-last-out (the default), temporal or strong-generalization (ranking); "
                + "random (rating, the default).",
            valueName: "kind"))
    var split: String?

    @Option(help: "rating: number of folds; a pair's fold is h64(user, item) mod folds.")
    var folds: Int = 5

    @Option(name: .customLong("k"), help: "Cut-off; repeat or give a comma list (default 10,20).")
    var cutoffs: [String] = []

    @Option(
        help: """
            Comma list of models: pop, itemknn, als, bpr, trending, ease, svd, content (needs --items), random, softmax, \
            markov, autoencoder, sequence, mlp; \
            with --task rating: mf, mf-als, baseline (default all three), mlp; with --task pairs: pairmf, pairmf-nobias (default both).
            """)
    var models: String?

    @Option(
        help: ArgumentHelp(
            "Item records, one JSON object per line ({\"item\": …, \"categories\": […], \"labels\": {…}, \"text\": …}), for content.",
            valueName: "file"))
    var items: String?

    @Option(help: ArgumentHelp("Latent factors of ALS, BPR and SVD (default 64); of mf with --task rating (default 100); "
        + "pair MF's embedding dimension with --task pairs (default 64)."))
    var factors: Int?

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "rating: an mf or mlp configuration key, e.g. --set mf.als_iterations=4; ranking: a model's reported parameter, "
                + "e.g. --set autoencoder.full_softmax_items=0 (as --grid names it, one value); repeatable.",
            valueName: "key=value"))
    var assignments: [String] = []

    @Option(help: "Seed of every model's initialisation and sampling (default 1).")
    var seed: UInt64?

    @Option(
        help: ArgumentHelp(
            "Run every seeded model (als, bpr, svd, random, softmax, autoencoder, sequence, mlp) once per seed and report mean ± sd, e.g. 1-5 or 1,3,5.",
            valueName: "list"))
    var seeds: String?

    @Flag(help: "Score iterative models (als, bpr, autoencoder, sequence, mlp, mf, pairmf) on the test data after every epoch: learning curves.")
    var curve = false

    @Option(
        name: .customLong("json"),
        help: ArgumentHelp("Also write the result as JSON to this file; with --replay, - prints it instead of the tables.", valueName: "out"))
    var jsonPath: String?

    @Option(
        name: .customLong("html"),
        help: ArgumentHelp("Also write a self-contained HTML report with charts to this file.", valueName: "out"))
    var htmlPath: String?

    @Option(help: "Drop rows whose weight is below this value before anything else (default: keep all).")
    var minWeight: Double?

    @Option(help: "Share of pairs held out by the temporal split, in percent.")
    var testPercent: Int = SplitKind.defaultTemporalPercent

    @Option(help: "strong-generalization: share of users (by a hash of their id) whose pairs are all train.")
    var fracUsersTrain: Double = SplitKind.defaultUsersTrain

    @Option(help: "strong-generalization: share of a test user's pairs given to the models as input.")
    var fracInteractionsIn: Double = SplitKind.defaultInteractionsIn

    @Option(help: ArgumentHelp("Write the split's pairs to DIR/train.csv and DIR/test.csv.", valueName: "dir"))
    var dumpSplit: String?

    @Option(
        help: ArgumentHelp(
            """
            Search a hyper-parameter on a validation split carved from train, e.g. als.factors=32,64,128; \
            repeatable. The best setting (NDCG at the smallest k) is used for the final evaluation.
            """, valueName: "model.param=v1,v2"))
    var grid: [String] = []

    func validate() throws {
        if replay != nil {
            _ = try makeReplayOptions()
            return
        }
        guard db == nil, store == nil else { throw ValidationError("--db and --store belong to --replay; evaluate reads --data FILE.csv") }
        switch try evaluationTask() {
        case .ranking: _ = try makeOptions()
        case .rating: _ = try makeRatingEvaluation()
        case .pairs: _ = try makePairsEvaluation()
        }
    }

    func run() throws {
        if replay != nil { return try runReplay() }
        switch try evaluationTask() {
        case .ranking: break
        case .rating: return try runRating()
        case .pairs: return try runPairs()
        }
        let options = try makeOptions()
        let runner = EvaluationRunner(options: options) { line in
            FileHandle.standardError.write(Data("[evaluate] \(line)\n".utf8))
        }
        do {
            let report = try runner.run(path: data ?? "", itemsPath: items, dumpDirectory: dumpSplit)
            print(Leaderboard.render(report), terminator: "")
            if let jsonPath {
                try write(report.json.serialized() + "\n", to: jsonPath)
            }
            if let htmlPath {
                try write(EvaluationReportPage(report: report, context: reportContext).html, to: htmlPath)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// What the HTML report shows beside the results: this command line and the time now.
    var reportContext: EvaluationReportPage.Context {
        EvaluationReportPage.Context(commandLine: CommandLine.arguments, generated: Date().ISO8601Format())
    }

    /// Writes `text` to `path`, or throws `cannotWrite` with the reason.
    func write(_ text: String, to path: String) throws(EvaluationError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }

    /// The flags as evaluation options, or a `ValidationError` naming the bad flag.
    private func makeOptions() throws -> EvaluationOptions {
        guard (0...100).contains(testPercent) else {
            throw ValidationError("--test-percent must be between 0 and 100, got \(testPercent)")
        }
        guard fracUsersTrain >= 0 && fracUsersTrain <= 1 else {
            throw ValidationError("--frac-users-train must be between 0 and 1, got \(fracUsersTrain)")
        }
        guard fracInteractionsIn > 0 && fracInteractionsIn <= 1 else {
            throw ValidationError("--frac-interactions-in must be above 0 and at most 1, got \(fracInteractionsIn)")
        }
        guard data != nil else { throw ValidationError("--task \(task) needs --data FILE.csv") }
        guard relations == nil else { throw ValidationError("--relations belongs to --task pairs") }
        let split = split ?? "leave-last-out"
        guard
            let kind = SplitKind(
                name: split, percent: testPercent, usersTrain: fracUsersTrain, interactionsIn: fracInteractionsIn)
        else {
            throw ValidationError("--split must be leave-last-out, temporal or strong-generalization, got \"\(split)\"")
        }
        let factors = factors ?? 64
        if seed != nil && seeds != nil {
            throw ValidationError("--seed and --seeds exclude each other: --seeds runs every seed it lists")
        }
        let seedList = try seeds.map(Self.parseSeeds) ?? []
        let ks = try parsedCutoffs()
        guard factors > 0 else { throw ValidationError("--factors must be positive, got \(factors)") }
        try checkMinWeight()
        let modelList = try rankingModels() ?? EvaluatedModel.defaultList
        let axes: [GridAxis]
        var settings: [GridAxis] = []
        do {
            axes = try grid.map { spec throws(EvaluationError) in try GridAxis(parsing: spec) }
        } catch {
            throw ValidationError("\(error)")
        }
        for spec in assignments {
            do {
                settings.append(try GridAxis(parsing: spec))
            } catch .invalidGrid(_, let reason) {
                throw ValidationError("invalid --set \"\(spec)\": \(reason)")
            } catch {
                throw ValidationError("\(error)")
            }
        }
        if let stray = axes.first(where: { !modelList.contains($0.model) }) {
            throw ValidationError("--grid searches \(stray.model.rawValue), which --models does not evaluate")
        }
        if let stray = settings.first(where: { $0.values.count != 1 }) {
            throw ValidationError("--set gives \(stray.model.rawValue).\(stray.parameter.name) one value, not \(stray.values.count)")
        }
        var options = EvaluationOptions(
            split: kind, ks: ks.isEmpty ? [10, 20] : ks, models: modelList, factors: factors, seed: seed ?? 1,
            minWeight: minWeight, grid: axes, seeds: seedList, curve: curve)
        options.settings = settings
        return options
    }

    /// The `--k` cut-offs (repeated or comma lists), or a `ValidationError` for one that is not a positive integer.
    func parsedCutoffs() throws -> [Int] {
        var ks: [Int] = []
        for text in cutoffs.flatMap({ $0.split(separator: ",") }) {
            guard let k = Int(text.trimmingCharacters(in: .whitespaces)), k > 0 else {
                throw ValidationError("--k takes positive integers, got \"\(text)\"")
            }
            ks.append(k)
        }
        return ks
    }

    /// Throws a `ValidationError` when `--min-weight` is not finite.
    func checkMinWeight() throws {
        if let minWeight, !minWeight.isFinite {
            throw ValidationError("--min-weight must be a finite number")
        }
    }

    /// The `--models` of the ranking task (nil when not given), or a `ValidationError` for an unknown or empty list
    /// or for `content` without `--items`.
    func rankingModels() throws -> [EvaluatedModel]? {
        guard let models else { return nil }
        let list: [EvaluatedModel]
        do {
            list = try EvaluatedModel.parseList(models)
        } catch {
            throw ValidationError("\(error)")
        }
        guard !list.isEmpty else { throw ValidationError("--models names no model") }
        if items == nil, let model = list.first(where: \.needsItemDocuments) {
            throw ValidationError("--models \(model.rawValue) needs --items FILE.jsonl (item records with categories, labels, text)")
        }
        return list
    }

    /// Parses `--seeds`: comma-separated seeds and inclusive ranges (`1-5`, `1,3,5`, `1-3,10`), at most 1,000,
    /// each once, in the order given.
    static func parseSeeds(_ text: String) throws -> [UInt64] {
        var seeds: [UInt64] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                .map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            guard let low = bounds.first ?? nil, let high = bounds.last ?? nil, low <= high else {
                throw ValidationError("--seeds takes seeds and ranges such as 1-5 or 1,3,5, got \"\(part)\"")
            }
            guard high - low < 1_000, seeds.count + Int(high - low) < 1_000 else {
                throw ValidationError("--seeds lists more than 1000 seeds")
            }
            for seed in low...high where !seeds.contains(seed) { seeds.append(seed) }
        }
        return seeds
    }
}
