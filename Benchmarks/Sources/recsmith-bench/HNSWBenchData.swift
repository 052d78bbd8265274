import ArgumentParser
import Foundation
import LinearAlgebra
import Models

/// The vectors `recsmith-bench hnsw` indexes and queries, with each query's seen items.
struct HNSWBenchData {
    /// What the item vectors are.
    enum Kind: String, ExpressibleByArgument, CaseIterable {
        /// ALS item factors trained on synthetic events; the queries are user factors, the seen items their histories.
        case als
        /// Random vectors around planted cluster centres; the queries are noisy centres.
        case clusters
    }

    /// `items × dimension`, row-major.
    var items: [Float]
    /// `queries × dimension`, row-major.
    var queries: [Float]
    /// Each query's seen items, sorted.
    var seen: [[Int32]]
    let dimension: Int
    /// A description for the table.
    var summary: String

    var itemCount: Int { items.count / dimension }
    var queryCount: Int { queries.count / dimension }

    /// ALS (64 factors, the service's other defaults) on `events` synthetic events over `users` × `items`; the
    /// queries are `queries` users with events, spread over all of them, their histories the seen items.
    static func als(items: Int, users: Int, events: Int, queries: Int, factors: Int, seed: UInt64) throws -> HNSWBenchData {
        let data = try SyntheticTrainingData.make(users: users, items: items, events: events, seed: seed)
        let model = try ALS.fit(data, parameters: ALSParameters(factors: factors), seed: seed)
        let matrix = data.interactions
        let active = (0..<matrix.rowCount).filter { matrix.nonzeroCount(ofRow: $0) > 0 }
        let chosen = (0..<min(queries, active.count)).map { active[$0 * active.count / min(queries, active.count)] }
        var queryVectors = [Float]()
        var seen = [[Int32]]()
        for user in chosen {
            model.userFactors.withRow(user) { queryVectors.append(contentsOf: $0) }
            seen.append(Array(matrix.columns[matrix.entryRange(ofRow: user)]).sorted())
        }
        return HNSWBenchData(
            items: model.itemFactors.storage, queries: queryVectors, seen: seen, dimension: factors,
            summary: "ALS item factors (\(factors) factors, service defaults) trained on \(events) synthetic events of \(users) users × \(items) items; queries: \(chosen.count) users' factors, seen items their histories (mean \(String(format: "%.1f", Double(seen.reduce(0) { $0 + $1.count }) / Double(max(1, seen.count)))))")
    }

    /// `items` vectors around 1,000 random centres (item = s·(centre + 0.7·noise), standard normal centre and
    /// noise, s log-normal with σ 0.3 so that norms spread as factor norms do); queries: a random centre plus
    /// standard normal noise; seen items: 25 random items and 25 of the query's exact top 100 (every fourth).
    static func clusters(items: Int, dimension: Int, queries: Int, seed: UInt64) -> HNSWBenchData {
        let centreCount = 1_000
        var generator = Xoshiro256StarStar(seed: seed)
        var centres = [Float](repeating: 0, count: centreCount * dimension)
        centres.withUnsafeMutableBufferPointer { generator.fillGaussian($0) }
        var vectors = [Float](repeating: 0, count: items * dimension)
        vectors.withUnsafeMutableBufferPointer { generator.fillGaussian($0) }
        let assignment = (0..<items).map { _ in generator.nextIndex(below: centreCount) }
        let scales = (0..<items).map { _ in exp(0.3 * generator.nextGaussian()) }
        vectors.withUnsafeMutableBufferPointer { output in
            centres.withUnsafeBufferPointer { centres in
                parallelFor(count: items, chunkSize: 4_096) { range, _ in
                    for item in range {
                        let centre = assignment[item] * dimension
                        for column in 0..<dimension {
                            let index = item * dimension + column
                            output[index] = scales[item] * (centres[centre + column] + 0.7 * output[index])
                        }
                    }
                }
            }
        }
        var queryVectors = [Float](repeating: 0, count: queries * dimension)
        queryVectors.withUnsafeMutableBufferPointer { generator.fillGaussian($0) }
        for query in 0..<queries {
            let centre = generator.nextIndex(below: centreCount) * dimension
            for column in 0..<dimension { queryVectors[query * dimension + column] += centres[centre + column] }
        }
        let randomSeen = (0..<queries).map { _ in (0..<25).map { _ in Int32(generator.nextIndex(below: items)) } }
        return HNSWBenchData(
            items: vectors, queries: queryVectors, seen: randomSeen, dimension: dimension,
            summary: "random vectors with planted clusters (\(centreCount) centres, \(dimension) dimensions, log-normal norms); queries: noisy centres, seen items 25 of each query's exact top 100 and 25 random items")
    }

    /// The same items as a similar-items task (cosine): every vector scaled to unit length (a zero vector stays
    /// zero), so the inner product the ground truth computes is the cosine; the queries are `queries` items with a
    /// vector, spread over all of them, each excluding itself (its "seen" item).
    func similarItems(queries: Int) -> HNSWBenchData {
        var items = self.items
        let count = itemCount
        var withVector: [Int] = []
        for item in 0..<count {
            let row = item * dimension
            let norm = (row..<row + dimension).reduce(Float(0)) { $0 + items[$1] * items[$1] }.squareRoot()
            guard norm > 0 else { continue }
            for index in row..<row + dimension { items[index] /= norm }
            withVector.append(item)
        }
        let chosen = (0..<min(queries, withVector.count)).map { withVector[$0 * withVector.count / min(queries, withVector.count)] }
        var queryVectors = [Float]()
        for item in chosen { queryVectors += items[item * dimension..<(item + 1) * dimension] }
        return HNSWBenchData(
            items: items, queries: queryVectors, seen: chosen.map { [Int32($0)] }, dimension: dimension,
            summary: summary.prefix { $0 != ";" } + "; cosine, queries: \(chosen.count) items' own vectors, each excluding itself")
    }

    /// Writes the items and the queries as raw little-endian float32 (`items.f32`, `queries.f32`) into `directory`.
    func write(to directory: URL) throws {
        try items.withUnsafeBytes { try Data($0).write(to: directory.appendingPathComponent("items.f32")) }
        try queries.withUnsafeBytes { try Data($0).write(to: directory.appendingPathComponent("queries.f32")) }
    }
}
