import LinearAlgebra
import NearestNeighbors
import Testing

/// The head of an inner-product index: its longest vectors, scanned exactly before the graph.
struct NormHeadTests {
    private let dimension = 8

    /// Clustered vectors of which every 50th is stretched 20 times, as popular items' factors are longer.
    private func vectorsWithLongOnes() -> [Float] {
        var vectors = clusteredVectors(count: 3_000, dimension: dimension, seed: 41)
        for item in stride(from: 0, to: 3_000, by: 50) {
            for column in 0..<dimension { vectors[item * dimension + column] *= 20 }
        }
        return vectors
    }

    @Test func theLongestVectorsAnswerExactlyWhenTheirNormsProveNoOtherItemCanBeatThem() throws {
        let vectors = vectorsWithLongOnes()
        let index = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: smallParameters(headCount: 64))
        #expect(index.parameters.headCount == 64)
        let queries = clusteredVectors(count: 20, dimension: dimension, seed: 42)
        var bounded = 0
        for query in 0..<20 {
            let vector = row(queries, query, dimension: dimension)
            let passes: (Int32) -> Bool = { $0 % 100 != 0 }  // half the long items are excluded, like seen ones
            let found = index.search(vector, count: 5, where: passes)
            let exact = bruteForce(vectors, dimension: dimension, query: vector, metric: .innerProduct, count: 5, where: passes)
            if found.method == .bounded {
                bounded += 1
                #expect(found.items.map(\.index) == exact.map(\.index))
                for (item, reference) in zip(found.items, exact) { #expect(isClose(item.score, reference.score)) }
                #expect(found.evaluations <= 64)
            }
        }
        #expect(bounded >= 15, "the 60 long items outscore the rest for most queries")
    }

    @Test func withoutAProofTheGraphsItemsJoinTheHeadsOnceEach() throws {
        // Unit vectors: no norm bound can prove anything, so every search walks the graph too.
        var vectors = clusteredVectors(count: 2_000, dimension: dimension, seed: 43)
        for item in 0..<2_000 {
            let range = item * dimension..<(item + 1) * dimension
            let norm = vectors[range].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for position in range { vectors[position] /= norm }
        }
        let index = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: smallParameters(headCount: 300))
        let queries = clusteredVectors(count: 30, dimension: dimension, seed: 44)
        var total = 0.0
        for query in 0..<30 {
            let vector = row(queries, query, dimension: dimension)
            let found = index.search(vector, count: 10, width: 100)
            #expect(found.method == .graph)
            #expect(Set(found.items.map(\.index)).count == found.items.count)
            #expect(zip(found.items, found.items.dropFirst()).allSatisfy { $0.score >= $1.score })
            total += recall(found.items, bruteForce(vectors, dimension: dimension, query: vector, metric: .innerProduct, count: 10))
        }
        #expect(total / 30 >= 0.98)
    }

    @Test func aCosineIndexOrAHeadOfZeroKeepsNoHeadAndAHeadIsAtMostTheItems() throws {
        let vectors = clusteredVectors(count: 500, dimension: dimension, seed: 45)
        let cosine = try buildIndex(vectors, dimension: dimension, metric: .cosine, parameters: smallParameters(headCount: 64))
        #expect(cosine.parameters.headCount == 0)
        let none = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: smallParameters(headCount: 0))
        let whole = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: smallParameters(headCount: 5_000))
        #expect(whole.parameters.headCount == 500)
        // The whole catalogue in the head: every answer is exact, by the bound (0 for the items after the last).
        let query = row(clusteredVectors(count: 1, dimension: dimension, seed: 46), 0, dimension: dimension)
        let found = whole.search(query, count: 10)
        #expect(found.method == .bounded)
        #expect(found.items.map(\.index) == bruteForce(vectors, dimension: dimension, query: query, metric: .innerProduct, count: 10).map(\.index))
        #expect(none.search(query, count: 10).method == .graph)
        // Ids, norms (and one more) and vectors of the 500 items, each section padded to 64 bytes.
        let headBytes = 500 * (4 + 4 + dimension * 4) + 4
        #expect((headBytes..<(headBytes + 3 * 64)).contains(whole.byteCount - none.byteCount))
    }
}
