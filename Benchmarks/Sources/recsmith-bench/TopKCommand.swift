import ArgumentParser
import Foundation
import LinearAlgebra
import Models
import SyntheticData

/// `recsmith-bench topk`: the serving path for one user, timed call by call.
///
/// Trains ALS (service defaults) on seeded synthetic events, then times `Models.recommend` — what
/// `Serving.recommend` calls for a known user: one sgemv over the item factors, the user's history
/// masked, a bounded top-k selection — for users taken in a fixed scattered order.
struct TopKCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topk", abstract: "Median and p99 of one user's top-k (ALS sgemv + seen exclusion + selection).")

    @Option(help: "Users of the synthetic data.") var users: Int = 20_000
    @Option(help: "Items of the synthetic data (the catalogue scored per call).") var items: Int = 10_000
    @Option(help: "Events of the synthetic data.") var events: Int = 1_000_000
    @Option(help: "ALS latent factors.") var factors: Int = 64
    @Option(name: .customLong("k"), help: "Items returned per call.") var count: Int = 10
    @Option(help: "Timed calls (after as many warm-up calls as there are users, at most 2,000).")
    var iterations: Int = 20_000
    @Option(help: "Seed of the data and of ALS.") var seed: UInt64 = 1

    func validate() throws {
        guard users > 0, items > 0, events > 0, factors > 0, count > 0, iterations > 0 else {
            throw ValidationError("every count must be positive")
        }
    }

    func run() throws {
        let data = try SyntheticTrainingData.make(users: users, items: items, events: events, seed: seed)
        let model = try ALS.fit(data, parameters: ALSParameters(factors: factors), seed: seed)
        let matrix = data.interactions
        let queries = (0..<matrix.rowCount).filter { matrix.nonzeroCount(ofRow: $0) > 0 }.map { user in
            let entries = matrix.entryRange(ofRow: user)
            return UserQuery(
                user: Int32(user), history: Array(matrix.columns[entries]), weights: Array(matrix.values[entries]))
        }
        guard !queries.isEmpty else { throw ValidationError("the synthetic data has no user with events") }
        // A prime stride visits every user in a scattered order, so no call finds the last one's rows cached.
        let stride = 7_919
        var position = 0
        var returned = 0
        for _ in 0..<min(2_000, queries.count) {
            returned += Models.recommend(model, for: queries[position], count: count).count
            position = (position + stride) % queries.count
        }
        var total = Samples()
        var scoring = Samples()
        var scores = [Float](repeating: 0, count: model.itemCount)
        for _ in 0..<iterations {
            let query = queries[position]
            returned += total.time { Models.recommend(model, for: query, count: count) }.count
            _ = scores.withUnsafeMutableBufferPointer { buffer in scoring.time { model.score(query, into: buffer) } }
            position = (position + stride) % queries.count
        }
        guard returned > 0 else { throw ValidationError("no call returned an item") }
        let microseconds = { (value: Double) in String(format: "%.2f", value * 1e6) }
        print(
            "topk items=\(model.itemCount) factors=\(factors) k=\(count) users=\(queries.count)",
            "history_mean=\(String(format: "%.1f", Double(matrix.nonzeroCount) / Double(queries.count)))",
            "iterations=\(iterations) median_us=\(microseconds(total.median)) p99_us=\(microseconds(total.quantile(0.99)))",
            "sgemv_median_us=\(microseconds(scoring.median)) blas_core=\(BLAS.coreName)")
    }
}
