import LinearAlgebra
import Testing
@testable import Models

/// Pair MF: training from pairs, scoring, similar items and archives.
struct PairMFTests {
    /// Two groups of four items, every pair inside a group related both ways; item 8 is in no pair.
    private static let data: TrainingData = {
        var first: [Int32] = [], second: [Int32] = []
        for group in 0..<2 {
            for i in 0..<4 { for j in 0..<4 where i != j { first.append(Int32(group * 4 + i)); second.append(Int32(group * 4 + j)) } }
        }
        let empty = try! CSRMatrix(rowCount: 0, columnCount: 0, rowOffsets: [0], columns: [], values: [])
        return TrainingData(interactions: empty, lastSeen: [],
                            relations: ItemPairs(itemCount: 9, first: first, second: second, weights: Array(repeating: 1, count: first.count)))
    }()

    private static func fitted(biases: Bool = true) throws -> PairMF {
        try PairMF.fit(data, parameters: PairMFParameters(factors: 8, epochs: 300, biases: biases, threads: 1), seed: 1)
    }

    @Test func similarItemsAreTheItemsOfTheSameGroup() throws {
        for biases in [true, false] {
            let model = try Self.fitted(biases: biases)
            #expect(model.itemCount == 9 && model.hasBiases == biases)
            let similar = try #require(model.similarItems(to: 0, count: 3))
            #expect(Set(similar.map(\.item)) == [1, 2, 3], "biases \(biases): \(similar)")
            #expect(similar.allSatisfy { $0.score > 0 && $0.score < 1 }, "scores are probabilities")
            #expect(zip(similar, similar.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first")
            #expect(model.similarItems(to: 8, count: 3) == [], "an item in no pair has no neighbours")
        }
    }

    @Test func aUserIsScoredFromTheirItemsNeighbourhood() throws {
        let model = try Self.fitted()
        var scores = [Float](repeating: 0, count: model.itemCount)
        let answered = scores.withUnsafeMutableBufferPointer { model.score(UserQuery(user: nil, history: [5], weights: [1]), into: $0) }
        #expect(answered)
        let best = (0..<8).filter { $0 != 5 }.max { scores[$0] < scores[$1] }!
        #expect((4..<8).contains(best) && scores[8] == -.infinity)
        let unknown = scores.withUnsafeMutableBufferPointer { model.score(UserQuery(user: nil, history: [8], weights: [1]), into: $0) }
        #expect(!unknown, "no history item with an embedding")
    }

    @Test func withoutRelationsTheFitSaysSo() {
        let empty = try! CSRMatrix(rowCount: 1, columnCount: 1, rowOffsets: [0, 1], columns: [0], values: [1])
        #expect(throws: ModelError.missingRelations(kind: .pairmf)) {
            try ModelTrainer.fit(.pairmf, on: TrainingData(interactions: empty, lastSeen: [0]), seed: 1)
        }
    }

    @Test func anArchiveRoundTripsTheEmbeddingsAndBiases() throws {
        let model = try Self.fitted()
        let decoded = try #require(try ModelArchive.decode(ModelArchive.encode(model)) as? PairMF)
        #expect(decoded.embeddings.storage == model.embeddings.storage && decoded.biases == model.biases)
        #expect(decoded.similarItems(to: 0, count: 3) == model.similarItems(to: 0, count: 3))
    }
}
