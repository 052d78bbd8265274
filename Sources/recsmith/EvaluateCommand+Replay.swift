import ArgumentParser
import Evaluation
import EventStore
import Foundation
import JSON
import Replay

extension EvaluateCommand {
    /// `--replay DAYS`: the store's attributed events against the candidates; the table on stdout (or the JSON with
    /// `--json -`), `--json OUT` also written; exit 1 when the store has nothing to replay.
    func runReplay() throws {
        let options = try makeReplayOptions()
        let progress: @Sendable (String) -> Void = { line in
            FileHandle.standardError.write(Data("[evaluate] \(line)\n".utf8))
        }
        do {
            let records = try items.map { path throws(EvaluationError) in try ItemRecords.load(path: path) }
            let store = try StoreOption(db: db ?? Self.defaultStore, store: self.store).openForReading()
            defer { store.close() }
            let report = try Replay(options: options, itemRecords: records, progress: progress).run(on: store)
            let json = report.json.serialized() + "\n"
            if jsonPath == "-" {
                print(json, terminator: "")
                return
            }
            print(report.text, terminator: "")
            if let jsonPath { try write(json, to: jsonPath) }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The store `--replay` reads when neither `--db` nor `--store` (nor `RECSMITH_STORE`) is given, as `serve` and `export` default to.
    static let defaultStore = "./var/recsmith.sqlite"

    /// The flags of `--replay`, or a `ValidationError` naming the bad or misplaced flag.
    func makeReplayOptions() throws -> ReplayOptions {
        guard try evaluationTask() == .ranking else { throw ValidationError("--replay replays rankings: it takes no --task \(task)") }
        guard data == nil, relations == nil else {
            throw ValidationError("--replay reads the store given by --db or --store, not --data or --relations")
        }
        guard split == nil, seeds == nil, !curve, grid.isEmpty, htmlPath == nil, dumpSplit == nil, assignments.isEmpty else {
            throw ValidationError("--replay takes --db or --store, --models, --items, --k, --factors, --seed, --min-weight and --json only")
        }
        _ = try StoreOption(db: db ?? Self.defaultStore, store: store)
        let factors = factors ?? 64
        guard factors > 0 else { throw ValidationError("--factors must be positive, got \(factors)") }
        try checkMinWeight()
        let ks = try parsedCutoffs()
        var options = ReplayOptions(days: replay ?? 0)
        if !ks.isEmpty { options.ks = ks }
        options.models = try rankingModels()
        options.factors = factors
        options.seed = seed ?? options.seed
        options.minWeight = minWeight
        do {
            try options.validate()
        } catch {
            throw ValidationError("\(error)")
        }
        return options
    }
}
