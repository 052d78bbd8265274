import Foundation
import LinearAlgebra
import NearestNeighbors

/// `count × dimension` seeded vectors around `clusters` centres (standard normal centres plus 0.5·standard
/// normal noise). The centres depend only on `clusters` and `dimension`, so vectors of another seed (queries)
/// come from the same clusters as the items, as users' factors do.
func clusteredVectors(count: Int, dimension: Int, clusters: Int = 20, seed: UInt64) -> [Float] {
    var centreGenerator = Xoshiro256StarStar(seed: UInt64(clusters * 1_000 + dimension))
    let centres = (0..<(clusters * dimension)).map { _ in centreGenerator.nextGaussian() }
    var generator = Xoshiro256StarStar(seed: seed)
    var vectors = [Float]()
    vectors.reserveCapacity(count * dimension)
    for _ in 0..<count {
        let centre = generator.nextIndex(below: clusters) * dimension
        for column in 0..<dimension { vectors.append(centres[centre + column] + 0.5 * generator.nextGaussian()) }
    }
    return vectors
}

/// Row `row` of row-major `vectors`.
func row(_ vectors: [Float], _ row: Int, dimension: Int) -> [Float] {
    Array(vectors[row * dimension..<(row + 1) * dimension])
}

/// The exact top `k` of `query` among the rows `isAllowed` passes, best first, equal scores by smaller row.
func bruteForce(
    _ vectors: [Float], dimension: Int, query: [Float], metric: VectorMetric, count k: Int,
    where isAllowed: (Int32) -> Bool = { _ in true }
) -> [IndexedScore] {
    let count = vectors.count / dimension
    func norm(_ vector: ArraySlice<Float>) -> Float { vector.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    let queryNorm = norm(query[...])
    var scores = [Float](repeating: -.infinity, count: count)
    for item in 0..<count where isAllowed(Int32(item)) {
        let vector = vectors[item * dimension..<(item + 1) * dimension]
        var score: Float = 0
        for (a, b) in zip(query, vector) { score += a * b }
        if metric == .cosine {
            let scale = queryNorm * norm(vector)
            score = scale > 0 ? score / scale : 0
        }
        scores[item] = score
    }
    return scores.withUnsafeBufferPointer { TopK.select($0, count: k) }
}

/// The share of `exact`'s items that `found` holds.
func recall(_ found: [IndexedScore], _ exact: [IndexedScore]) -> Double {
    guard !exact.isEmpty else { return 1 }
    return Double(Set(found.map(\.index)).intersection(exact.map(\.index)).count) / Double(exact.count)
}

/// Whether `a` and `b` agree to a relative tolerance (absolute near zero).
func isClose(_ a: Float, _ b: Float, relativeTolerance: Float = 1e-4) -> Bool {
    abs(a - b) <= relativeTolerance * max(abs(a), abs(b), 1)
}

/// `HNSWIndex.build` over the rows of `vectors`, on one thread unless asked: a one-thread build is reproducible
/// from the seed, so a test that checks a particular search outcome cannot pass or fail with the scheduling of a
/// parallel build's workers (one that did: each item finding itself first, 142 of 143 under ThreadSanitizer).
func buildIndex(
    _ vectors: [Float], dimension: Int, metric: VectorMetric, parameters: HNSWParameters = HNSWParameters(),
    maxWorkers: Int = 1
) throws(NearestNeighborsError) -> HNSWIndex {
    try vectors.withUnsafeBufferPointer { buffer throws(NearestNeighborsError) in
        try HNSWIndex.build(vectors: buffer, dimension: dimension, metric: metric, parameters: parameters, maxWorkers: maxWorkers)
    }
}

/// Small, fast-to-build parameters for the debug-build tests; no head unless asked (the graph is what most
/// tests exercise, and a head of 2,048 would hold every item of their small sets).
func smallParameters(searchWidth: Int = 50, headCount: Int = 0, seed: UInt64 = 1) -> HNSWParameters {
    HNSWParameters(
        neighbours: 8, constructionWidth: 64, searchWidth: searchWidth, fallbackFraction: 0.1, headCount: headCount, seed: seed)
}

/// Runs `body` with the path of a file in a new temporary directory, which is removed afterwards (an index
/// mapped from the file stays readable: the mapping outlives the name).
func withTemporaryFile<Result>(_ body: (String) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-nn-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory.appendingPathComponent("index.hnsw").path)
}
