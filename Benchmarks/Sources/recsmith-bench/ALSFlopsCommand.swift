import ArgumentParser
import Evaluation
import EventFormats
import Foundation
import LinearAlgebra
import Models
import SyntheticData

/// `recsmith-bench als-flops`: achieved GFLOP/s of an ALS iteration against the sgemm rate, in one run.
///
/// The data are what `recsmith evaluate --split leave-last-out` fits on for `recsmith generate` with the
/// same flags (the models benchmark's "synthetic 3M"); ALS has `recsmith evaluate`'s parameters. An
/// iteration's time is `(fit with N iterations − fit with 0) / N`, so set-up and the random start drop out;
/// its flops are `ALSFlopCount`.
struct ALSFlopsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "als-flops", abstract: "Flops per ALS iteration, its measured rate, and the sgemm rate beside it.")

    @Option(help: "Users of the synthetic data.") var users: Int = 60_000
    @Option(help: "Items of the synthetic data.") var items: Int = 20_000
    @Option(help: "Events of the synthetic data.") var events: Int = 3_000_000
    @Option(help: "Seed of the data and of ALS.") var seed: UInt64 = 1
    @Option(help: "ALS latent factors.") var factors: Int = 64
    @Option(help: "ALS iterations per timed fit.") var iterations: Int = 15
    @Option(help: "Timed fit pairs per thread count (the median is reported).") var repetitions: Int = 3
    @Option(help: "Comma list of thread counts, for ALS and sgemm alike.") var threads: String = "1,2"
    @Option(help: "sgemm matrix size n.") var sgemmSize: Int = 2048

    func validate() throws {
        guard users > 0, items > 0, events > 0, factors > 0, iterations > 0, repetitions > 0, sgemmSize > 0 else {
            throw ValidationError("every count must be positive")
        }
        _ = try threadCounts(threads)
    }

    func run() throws {
        // The rows `recsmith generate` would write (line 1 is the header), read back as `evaluate` reads them.
        var rows: [EventRow] = []
        rows.reserveCapacity(events)
        var line = 1
        SyntheticEvents(userCount: users, itemCount: items, eventCount: events, seed: seed).forEach { event in
            line += 1
            rows.append(EventRow(
                user: "u\(event.user)", item: "i\(event.item)", timestamp: event.timestamp.rounded(.down),
                weight: Double(event.weight), line: line))
        }
        let split = try EvaluationSplit(InteractionSet(rows: rows), kind: .leaveLastOut)
        rows = []
        let data = split.training
        let matrix = data.interactions
        var parameters = ModelParameters.evaluation(factors: factors).als
        let flops = ALSFlopCount(interactions: matrix, factors: factors, cgSteps: parameters.cgSteps)
        print(
            "als-data train_pairs=\(matrix.nonzeroCount) users=\(matrix.rowCount) items=\(matrix.columnCount)",
            "factors=\(factors) cg_steps=\(parameters.cgSteps) flops_per_iteration=\(flops.total)",
            "gram=\(flops.gram) entries=\(flops.entries) rows=\(flops.rows)")
        for count in try threadCounts(threads) {
            parameters.threads = count
            var perIteration: [Double] = []
            for _ in 0..<repetitions {
                parameters.iterations = 0
                let setUp = try seconds { _ = try ALS.fit(data, parameters: parameters, seed: seed) }
                parameters.iterations = iterations
                let full = try seconds { _ = try ALS.fit(data, parameters: parameters, seed: seed) }
                perIteration.append(max(0, full - setUp) / Double(iterations))
            }
            let iteration = perIteration.sorted()[(perIteration.count - 1) / 2]
            let achieved = Double(flops.total) / iteration / 1e9
            let sgemm = SGEMMRate.measure(size: sgemmSize, threads: count, repetitions: 5)
            print(
                "als-flops threads=\(count) iterations=\(iterations) iteration_s=\(String(format: "%.4f", iteration))",
                "gflops=\(String(format: "%.1f", achieved)) sgemm_size=\(sgemmSize)",
                "sgemm_gflops=\(String(format: "%.1f", sgemm)) ratio=\(String(format: "%.3f", achieved / sgemm))")
        }
    }

    /// Wall seconds of `work`.
    private func seconds(_ work: () throws -> Void) throws -> Double {
        var samples = Samples()
        try samples.time(work)
        return samples.median
    }
}
