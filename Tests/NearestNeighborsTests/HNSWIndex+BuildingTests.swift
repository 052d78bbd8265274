import Foundation
import LinearAlgebra
import NearestNeighbors
import Testing

struct HNSWIndexBuildingTests {
    @Test func rejectsParametersOutsideTheirRanges() {
        let vectors: [Float] = [1, 2, 3, 4]
        func build(_ parameters: HNSWParameters) throws {
            _ = try buildIndex(vectors, dimension: 2, metric: .innerProduct, parameters: parameters)
        }
        #expect(throws: NearestNeighborsError.invalidParameter(name: "neighbours", value: "1", range: "2…512")) {
            try build(HNSWParameters(neighbours: 1))
        }
        #expect(throws: NearestNeighborsError.invalidParameter(name: "constructionWidth", value: "0", range: "1…100000")) {
            try build(HNSWParameters(constructionWidth: 0))
        }
        #expect(throws: NearestNeighborsError.invalidParameter(name: "searchWidth", value: "100001", range: "1…100000")) {
            try build(HNSWParameters(searchWidth: 100_001))
        }
        #expect(throws: NearestNeighborsError.invalidParameter(name: "fallbackFraction", value: "0.0", range: "(0, 1]")) {
            try build(HNSWParameters(fallbackFraction: 0))
        }
        #expect(throws: NearestNeighborsError.invalidParameter(name: "headCount", value: "-1", range: "0…1000000")) {
            try build(HNSWParameters(headCount: -1))
        }
    }

    @Test func rejectsVectorsThatDoNotFormRowsOrAreNotFinite() {
        let ten = [Float](repeating: 1, count: 10)
        #expect(throws: NearestNeighborsError.invalidShape(dimension: 3, actual: 10)) {
            try buildIndex(ten, dimension: 3, metric: .cosine)
        }
        #expect(throws: NearestNeighborsError.invalidShape(dimension: 0, actual: 10)) {
            try buildIndex(ten, dimension: 0, metric: .cosine)
        }
        var withNaN = ten
        withNaN[5] = .nan
        #expect(throws: NearestNeighborsError.nonFiniteVector(item: 2)) {
            try buildIndex(withNaN, dimension: 2, metric: .innerProduct)
        }
    }

    @Test func buildsOnOneThreadAreReproducibleFromTheSeed() throws {
        let dimension = 8
        let vectors = clusteredVectors(count: 600, dimension: dimension, seed: 31)
        func bytes(seed: UInt64) throws -> Data {
            let index = try buildIndex(vectors, dimension: dimension, metric: .innerProduct,
                parameters: smallParameters(seed: seed), maxWorkers: 1)
            return try withTemporaryFile { path in
                try index.save(to: path)
                return try Data(contentsOf: URL(fileURLWithPath: path))
            }
        }
        let first = try bytes(seed: 5)
        #expect(try bytes(seed: 5) == first)
        #expect(try bytes(seed: 6) != first)
    }

    @Test(arguments: VectorMetric.allCases)
    func aParallelBuildRecallsLikeAOneThreadBuild(metric: VectorMetric) throws {
        let dimension = 12
        let vectors = clusteredVectors(count: 2_000, dimension: dimension, seed: 1)
        let queries = clusteredVectors(count: 40, dimension: dimension, seed: 2)
        func meanRecall(workers: Int) throws -> Double {
            let index = try buildIndex(vectors, dimension: dimension, metric: metric, parameters: smallParameters(), maxWorkers: workers)
            let total = (0..<40).reduce(0.0) { total, query in
                let vector = row(queries, query, dimension: dimension)
                let exact = bruteForce(vectors, dimension: dimension, query: vector, metric: metric, count: 10)
                return total + recall(index.search(vector, count: 10, width: 200).items, exact)
            }
            return total / 40
        }
        let parallel = try meanRecall(workers: 2)
        #expect(parallel >= 0.95)
        #expect(parallel >= (try meanRecall(workers: 1)) - 0.03)
    }

    @Test func aMatrixBuildsTheIndexItsRowsBuild() throws {
        let dimension = 5
        let vectors = clusteredVectors(count: 300, dimension: dimension, seed: 32)
        let matrix = try DenseMatrix(rowCount: 300, columnCount: dimension, storage: vectors)
        let fromMatrix = try HNSWIndex.build(matrix, metric: .cosine, parameters: smallParameters(), maxWorkers: 1)
        let fromRows = try buildIndex(vectors, dimension: dimension, metric: .cosine, parameters: smallParameters(), maxWorkers: 1)
        let query = row(vectors, 7, dimension: dimension)
        #expect(fromMatrix.search(query, count: 10) == fromRows.search(query, count: 10))
    }

    @Test func leadingColumnsOfEachRowBuildTheIndexThoseColumnsBuild() throws {
        let dimension = 5, width = 7
        let vectors = clusteredVectors(count: 300, dimension: dimension, seed: 34)
        // Two trailing columns per row the index must not read: one huge, one not even finite.
        var rows = [Float]()
        for item in 0..<300 { rows += row(vectors, item, dimension: dimension) + [1e30, .nan] }
        let matrix = try DenseMatrix(rowCount: 300, columnCount: width, storage: rows)
        let fromLeading = try HNSWIndex.build(matrix, columns: dimension, metric: .cosine, parameters: smallParameters(), maxWorkers: 1)
        let fromRows = try buildIndex(vectors, dimension: dimension, metric: .cosine, parameters: smallParameters(), maxWorkers: 1)
        #expect(fromLeading.dimension == dimension)
        for item in [0, 7, 299] {
            let query = row(vectors, item, dimension: dimension)
            #expect(fromLeading.search(query, count: 10) == fromRows.search(query, count: 10))
            // The index holds each item's vector normalised.
            let held = fromLeading.withVector(of: Int32(item)) { Array($0) }
            let norm = query.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(zip(held, query).allSatisfy { isClose($0, $1 / norm) })
        }
        #expect(throws: NearestNeighborsError.invalidShape(dimension: 8, actual: 2_100)) {
            try HNSWIndex.build(matrix, columns: 8, metric: .cosine, parameters: smallParameters())
        }
    }

    @Test func reportsItsMemoryPerItem() throws {
        let dimension = 16
        let vectors = clusteredVectors(count: 1_000, dimension: dimension, seed: 33)
        let index = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: smallParameters())
        #expect(index.bytesPerItem == Double(index.byteCount) / 1_000)
        // A vector (64 bytes), a level and an upper-list start (5), a bottom-layer list of 2M = 16 links (68),
        // and about 1/(M − 1) upper-layer lists of M = 8 links (36 bytes each).
        let lowest: Double = 64 + 5 + 68
        #expect(index.bytesPerItem > lowest)
        #expect(index.bytesPerItem < lowest + 36 / 4 + 1)
    }
}
