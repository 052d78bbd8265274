import Dispatch
import LinearAlgebra
import Locking
import NearestNeighbors
import Testing

struct HNSWIndexSearchTests {
    @Test(arguments: VectorMetric.allCases)
    func recallAgainstBruteForceIsHighAtAWideSearch(metric: VectorMetric) throws {
        let dimension = 12
        let vectors = clusteredVectors(count: 2_000, dimension: dimension, seed: 1)
        let index = try buildIndex(vectors, dimension: dimension, metric: metric, parameters: smallParameters())
        let queries = clusteredVectors(count: 40, dimension: dimension, seed: 2)
        var total = 0.0
        for query in 0..<40 {
            let vector = row(queries, query, dimension: dimension)
            let found = index.search(vector, count: 10, width: 200)
            #expect(found.method == .graph)
            total += recall(found.items, bruteForce(vectors, dimension: dimension, query: vector, metric: metric, count: 10))
        }
        #expect(total / 40 >= 0.98)
    }

    @Test(arguments: VectorMetric.allCases)
    func scoresAreTheMetricsValues(metric: VectorMetric) throws {
        let dimension = 8
        let vectors = clusteredVectors(count: 500, dimension: dimension, seed: 3)
        let index = try buildIndex(vectors, dimension: dimension, metric: metric, parameters: smallParameters(searchWidth: 20))
        let query = row(clusteredVectors(count: 1, dimension: dimension, seed: 4), 0, dimension: dimension)
        let exact = bruteForce(vectors, dimension: dimension, query: query, metric: metric, count: 500)
        let scoreOf = Dictionary(uniqueKeysWithValues: exact.map { ($0.index, $0.score) })
        let found = index.search(query, count: 10)
        #expect(found.items.count == 10)
        for item in found.items { #expect(isClose(item.score, scoreOf[item.index]!)) }
        #expect(zip(found.items, found.items.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test(arguments: VectorMetric.allCases)
    func anIndexOfAtMostTheWidthAnswersExactly(metric: VectorMetric) throws {
        let dimension = 6
        let vectors = clusteredVectors(count: 60, dimension: dimension, clusters: 3, seed: 5)
        let index = try buildIndex(vectors, dimension: dimension, metric: metric, parameters: smallParameters(searchWidth: 60))
        for query in 0..<10 {
            let vector = row(clusteredVectors(count: 10, dimension: dimension, seed: 6), query, dimension: dimension)
            let found = index.search(vector, count: 7) { $0 % 3 != 0 }
            let exact = bruteForce(vectors, dimension: dimension, query: vector, metric: metric, count: 7) { $0 % 3 != 0 }
            #expect(found.method == .exhaustive)
            #expect(found.items.map(\.index) == exact.map(\.index))
            for (item, reference) in zip(found.items, exact) { #expect(isClose(item.score, reference.score)) }
        }
    }

    @Test func eachItemFindsItselfFirstUnderCosine() throws {
        let dimension = 10
        let vectors = clusteredVectors(count: 1_000, dimension: dimension, seed: 7)
        let index = try buildIndex(vectors, dimension: dimension, metric: .cosine, parameters: smallParameters())
        var found = 0
        for item in stride(from: 0, to: 1_000, by: 7) {
            let first = index.search(row(vectors, item, dimension: dimension), count: 1).items.first
            if first?.index == Int32(item) { found += 1 }
        }
        #expect(found == (1_000 + 6) / 7)
    }

    @Test func aPredicateThatPassesEnoughGivesExactlyKPassingItemsFromTheGraph() throws {
        let dimension = 8
        let vectors = clusteredVectors(count: 3_000, dimension: dimension, seed: 8)
        let index = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: smallParameters())
        let seen = Set((0..<3_000).filter { $0 % 4 == 1 }.map { Int32($0) })
        for query in 0..<20 {
            let vector = row(clusteredVectors(count: 20, dimension: dimension, seed: 9), query, dimension: dimension)
            let found = index.search(vector, count: 10) { !seen.contains($0) }
            #expect(found.method == .graph)
            #expect(found.items.count == 10)
            #expect(found.items.allSatisfy { !seen.contains($0.index) })
        }
    }

    @Test func fallsBackToAnExactScanWhenFewItemsPass() throws {
        let dimension = 4
        let vectors = clusteredVectors(count: 10_000, dimension: dimension, seed: 10)
        let parameters = HNSWParameters(neighbours: 4, constructionWidth: 16, searchWidth: 20, fallbackFraction: 0.1, headCount: 0, seed: 1)
        let index = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: parameters)
        let passing: Set<Int32> = [17, 4_242, 9_999]
        let query = row(vectors, 123, dimension: dimension)
        let found = index.search(query, count: 10) { passing.contains($0) }
        #expect(found.fellBack)
        #expect(found.items.map(\.index) == bruteForce(vectors, dimension: dimension, query: query, metric: .innerProduct, count: 10) { passing.contains($0) }.map(\.index))
        #expect(found.items.count == 3)
        // The share of passing items stops the walk long before it has scored a tenth of the items.
        #expect(found.evaluations < 500)
        let none = index.search(query, count: 10) { _ in false }
        #expect(none.fellBack && none.items.isEmpty)
    }

    @Test func aWiderSearchOrMoreItemsWantedWidensTheWalk() throws {
        let dimension = 8
        let vectors = clusteredVectors(count: 2_000, dimension: dimension, seed: 11)
        let index = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: smallParameters(searchWidth: 10))
        let query = row(clusteredVectors(count: 1, dimension: dimension, seed: 12), 0, dimension: dimension)
        let narrow = index.search(query, count: 5)
        let wide = index.search(query, count: 5, width: 100)
        let many = index.search(query, count: 60)
        #expect(narrow.evaluations < wide.evaluations)
        #expect(many.items.count == 60)
        #expect(narrow.method == .graph && wide.method == .graph && many.method == .graph)
    }

    @Test func nothingIsWantedOrNothingIsIndexed() throws {
        let index = try buildIndex([Float](), dimension: 3, metric: .cosine)
        #expect(index.count == 0)
        #expect(index.search([1, 2, 3], count: 5).items.isEmpty)
        let one = try buildIndex([Float]([1, 0, 0]), dimension: 3, metric: .cosine)
        #expect(one.search([1, 2, 3], count: 0).items.isEmpty)
        #expect(one.search([1, 2, 3], count: 5).items.map(\.index) == [0])
    }

    @Test func concurrentSearchesOnOneIndexGiveTheSequentialAnswers() throws {
        let dimension = 8
        let vectors = clusteredVectors(count: 1_500, dimension: dimension, seed: 13)
        let index = try buildIndex(vectors, dimension: dimension, metric: .innerProduct, parameters: smallParameters(searchWidth: 30))
        let queries = clusteredVectors(count: 64, dimension: dimension, seed: 14)
        let expected = (0..<64).map { index.search(row(queries, $0, dimension: dimension), count: 10) { $0 % 5 != 0 } }
        let answers = Lock<[NeighbourSearch?]>(Array(repeating: nil, count: 64))
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for round in 0..<3 {
                for query in stride(from: thread, to: 64, by: 4) {
                    let found = index.search(row(queries, query, dimension: dimension), count: 10) { $0 % 5 != 0 }
                    if round == 2 { answers.withLock { $0[query] = found } }
                }
            }
        }
        #expect(answers.withLock { $0 } == expected)
    }
}
