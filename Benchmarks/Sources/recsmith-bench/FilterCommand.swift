import ArgumentParser
import Catalogue
import Filtering
import Foundation
import LinearAlgebra
import Models

/// `recsmith-bench filter`: what a filter adds to one recommendation over a large catalogue.
///
/// Trains ALS on seeded synthetic events over `--items` items, gives every item a record (100 categories,
/// a brand of 50, a price), then times one user's top-k as `Serving.recommend` computes it — without a
/// restriction, and with each filter: the filter parsed, evaluated over the catalogue's columns into an item
/// mask (with visibility), and applied to the scores before the top-k cut. Both filters pass 1% of the items.
struct FilterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter", abstract: "Median and p99 of a top-k with and without a 1%-selective filter.")

    @Option(help: "Items (each with a record).") var items: Int = 100_000
    @Option(help: "Users of the synthetic data.") var users: Int = 20_000
    @Option(help: "Events of the synthetic data.") var events: Int = 1_000_000
    @Option(help: "Timed calls per variant.") var iterations: Int = 2_000
    @Option(help: "Seed of the data and of ALS.") var seed: UInt64 = 1

    static let filters = [#"categories HAS "c7""#, #"labels.price < 10 AND labels.brand != "b3""#]

    func run() throws {
        let data = try SyntheticTrainingData.make(users: users, items: items, events: events, seed: seed)
        let model = try ALS.fit(data, parameters: ALSParameters(factors: 64, iterations: 5), seed: seed)
        let catalogue = Catalogue()
        catalogue.apply((0..<items).map { index in
            var record = ItemRecord()
            record.categories = ["c\(index % 100)"]
            record.labels = ["brand": .string("b\(index % 50)"), "price": .number(Double(index % 1000))]
            return (Int32(index), .put(record))
        })
        let matrix = data.interactions
        let queries = (0..<matrix.rowCount).filter { matrix.nonzeroCount(ofRow: $0) > 0 }.map { user in
            let entries = matrix.entryRange(ofRow: user)
            return UserQuery(user: Int32(user), history: Array(matrix.columns[entries]), weights: Array(matrix.values[entries]))
        }
        var line = "filter items=\(items) factors=64 k=10 iterations=\(iterations)"
        var baseline = Samples()
        var position = 0
        var returned = 0
        for _ in 0..<iterations {
            let query = queries[position]
            returned += baseline.time {
                Models.recommend(model, for: query, count: 10, allowed: catalogue.allowedItems(count: items, at: 0))
            }.count
            position = (position + 7_919) % queries.count
        }
        line += " unfiltered_median_us=\(Self.micro(baseline.median)) unfiltered_p99_us=\(Self.micro(baseline.quantile(0.99)))"
        for (number, text) in Self.filters.enumerated() {
            var samples = Samples()
            var passing = 0
            for _ in 0..<iterations {
                let query = queries[position]
                let answer = try samples.time { () throws -> [ScoredItem] in
                    let allowed = catalogue.allowedItems(count: items, at: 0, filter: try FilterParser.parse(text))
                    passing = allowed?.cardinality ?? items
                    return Models.recommend(model, for: query, count: 10, allowed: allowed)
                }
                guard answer.count == 10 else { throw ValidationError("filter \(number + 1) gave \(answer.count) items, not 10") }
                position = (position + 7_919) % queries.count
            }
            line += " filter\(number + 1)_passing=\(passing) filter\(number + 1)_median_us=\(Self.micro(samples.median))"
                + " filter\(number + 1)_p99_us=\(Self.micro(samples.quantile(0.99)))"
                + " filter\(number + 1)_overhead_median_us=\(Self.micro(samples.median - baseline.median))"
        }
        guard returned > 0 else { throw ValidationError("no unfiltered call returned an item") }
        print(line)
    }

    private static func micro(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1e6) }
}
