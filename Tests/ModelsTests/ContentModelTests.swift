import Foundation
import LinearAlgebra
@testable import Models
import Testing

struct ContentModelTests {
    /// Training data with `items` items, no events, and these documents.
    private func catalogue(_ documents: [ItemDocument?], items: Int = 0) throws -> TrainingData {
        let empty = try makeBinaryData(users: 0, items: items, [])
        return TrainingData(interactions: empty.interactions, lastSeen: [], itemDocuments: documents)
    }

    /// The item's current vector by term text.
    private func weights(_ model: ContentModel, _ item: Int32) -> [String: Float] {
        let vector = model.vector(of: item)
        let vocabulary = model.index.vocabulary + model.overlay.addedTerms
        return Dictionary(uniqueKeysWithValues: zip(vector.terms.map { vocabulary[Int($0)].description }, vector.weights))
    }

    private func expectClose(_ actual: [String: Float], _ expected: [String: Double], _ comment: Comment? = nil) {
        #expect(Set(actual.keys) == Set(expected.keys), comment)
        for (term, value) in expected {
            #expect(isClose(Double(actual[term] ?? .nan), value, relativeTolerance: 1e-6), "\(term) \(comment?.rawValue ?? "")")
        }
    }

    /// Scales `raw` to unit length.
    private func unit(_ raw: [String: Double]) -> [String: Double] {
        let norm = raw.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return raw.mapValues { $0 / norm }
    }

    private let fruit: [ItemDocument?] = [
        ItemDocument(text: "Apple apple banana"), ItemDocument(text: "banana cherry"), ItemDocument(text: "cherry"),
    ]

    @Test func weighsTermsBySublinearTFIDFAndNormalises() throws {
        let model = try ContentModel.fit(try catalogue(fruit))
        // N = 3; df: apple 1, banana 2, cherry 2; idf = ln((1 + N) / (1 + df)) + 1.
        let idfApple = log(4.0 / 2) + 1, idfCommon = log(4.0 / 3) + 1
        expectClose(weights(model, 0), unit(["apple": (1 + log(2.0)) * idfApple, "banana": idfCommon]))
        expectClose(weights(model, 1), unit(["banana": idfCommon, "cherry": idfCommon]))
        expectClose(weights(model, 2), ["cherry": 1])
    }

    @Test func weighsTermsByBM25() throws {
        let model = try ContentModel.fit(try catalogue(fruit), parameters: ContentParameters(weighting: .bm25))
        // Lengths 3, 2, 1 (avgdl 2); idf = ln(1 + (N − df + 0.5) / (df + 0.5)).
        func bm25(_ count: Double, length: Double, df: Double) -> Double {
            let idf = log(1 + (3 - df + 0.5) / (df + 0.5))
            return idf * count * 2.2 / (count + 1.2 * (0.25 + 0.75 * length / 2))
        }
        expectClose(weights(model, 0), unit(["apple": bm25(2, length: 3, df: 1), "banana": bm25(1, length: 3, df: 2)]))
        expectClose(weights(model, 1), unit(["banana": bm25(1, length: 2, df: 2), "cherry": bm25(1, length: 2, df: 2)]))
    }

    @Test func multipliesEachKindByItsWeight() throws {
        let documents: [ItemDocument?] = [
            ItemDocument(categories: ["shoes"], labels: [.init(name: "brand", value: "acme")], text: "boots"),
            ItemDocument(categories: ["hats"], labels: [.init(name: "brand", value: "zeta")], text: "caps"),
        ]
        let parameters = ContentParameters(categoryWeight: 2, labelWeight: 0, textWeight: 1)
        let model = try ContentModel.fit(try catalogue(documents), parameters: parameters)
        // Every term has df 1, so only the multipliers differ; labels are left out entirely.
        expectClose(weights(model, 0), unit(["category:shoes": 2, "boots": 1]))
        #expect(!model.index.vocabulary.contains { $0.kind == .label })
    }

    /// Items 0: {a}, 1: {a, b}, 2: {b}, 3: {c} as categories; equal idf for a and b, so vectors are simple.
    private let letters: [ItemDocument?] = [
        ItemDocument(categories: ["a"]), ItemDocument(categories: ["a", "b"]), ItemDocument(categories: ["b"]),
        ItemDocument(categories: ["c"]),
    ]

    @Test func scoresTheCosineToTheWeightedProfile() throws {
        let model = try ContentModel.fit(try catalogue(letters))
        // History {0}: profile a; cos(1) = 1/√2, items 2 and 3 share nothing with it.
        let one = try #require(allScores(model, UserQuery(user: nil, history: [0], weights: [1])))
        #expect(isClose(Double(one[1]), 0.5.squareRoot()))
        #expect(one[2] == -.infinity && one[3] == -.infinity)
        // History {0: weight 2, 2: weight 1}: profile (2a + b)/√5; cos(1) = (2 + 1)/√2/√5 = 3/√10.
        let mixed = try #require(allScores(model, UserQuery(user: nil, history: [0, 2], weights: [2, 1])))
        #expect(isClose(Double(mixed[1]), 3 / 10.0.squareRoot()))
        #expect(recommend(model, for: UserQuery(user: nil, history: [0, 2], weights: [2, 1]), count: 5).map(\.item) == [1])
        // A history without documents cannot be answered.
        #expect(allScores(model, UserQuery(user: nil, history: [7], weights: [1])) == nil)
    }

    @Test func decaysOldItemsByHalfLife() throws {
        let day = 86_400.0
        let model = try ContentModel.fit(try catalogue(letters), parameters: ContentParameters(halfLifeSeconds: day))
        // Item 0 (a) seen 3 days before t_ref, item 2 (b) 1 day before: weights 1/8 and 1/2, profile a + 4b.
        let query = UserQuery(
            user: nil, history: [0, 2], weights: [1, 1], lastSeen: [7 * day, 9 * day], referenceTime: 10 * day)
        let scores = try #require(allScores(model, query))
        #expect(isClose(Double(scores[1]), 5 / (2 * 17).squareRoot()))
        // The recent item outweighs the old one: b's neighbours beat a's. Without times both count the same.
        let similarToRecent = ItemDocument(categories: ["b", "c"]), similarToOld = ItemDocument(categories: ["a", "c"])
        let wider = try ContentModel.fit(
            try catalogue(letters + [similarToOld, similarToRecent]), parameters: ContentParameters(halfLifeSeconds: day))
        var timed = query
        timed.referenceTime = nil  // t_ref defaults to the newest time and cancels anyway
        #expect(recommend(wider, for: timed, count: 3).map(\.item) == [1, 5, 4])
        let untimed = try #require(allScores(wider, UserQuery(user: nil, history: [0, 2], weights: [1, 1])))
        #expect(untimed[4] == untimed[5])
        // Years of half-lives do not underflow the profile to nothing.
        let ancient = UserQuery(user: nil, history: [0], weights: [1], lastSeen: [0], referenceTime: 10_000 * day)
        #expect(allScores(model, ancient)?[1].isFinite == true)
    }

    @Test func scoresItemsWithoutEventsAndNeverItemsWithoutDocuments() throws {
        // Events only on items 0 and 1; item 3 has a document but no events, item 2 has events but no document.
        let events = try makeBinaryData(users: 2, items: 3, [(0, 0), (1, 1), (1, 2)])
        let documents: [ItemDocument?] = [
            ItemDocument(categories: ["a"]), ItemDocument(categories: ["b"]), nil, ItemDocument(categories: ["a"]),
        ]
        let model = try ModelTrainer.fit(
            .content, on: TrainingData(interactions: events.interactions, lastSeen: events.lastSeen, itemDocuments: documents),
            seed: 1)
        #expect(model.itemCount == 4 && model.userCount == 2)
        #expect(recommend(model, for: UserQuery(user: 0, history: [0], weights: [1]), count: 5).map(\.item) == [3])
        #expect(model.similarItems(to: 3, count: 5)?.map(\.item) == [0])
        #expect(model.similarItems(to: 2, count: 5) == [])
        #expect(try #require(allScores(model, UserQuery(user: 1, history: [1], weights: [1])))[2] == -.infinity)
    }

    @Test func needsDocumentsButNoEvents() throws {
        let empty = try makeBinaryData(users: 0, items: 0, [])
        #expect(throws: ModelError.missingItemDocuments(kind: .content)) {
            try ModelTrainer.fit(.content, on: empty, seed: 1)
        }
        #expect(throws: ModelError.self) { try ModelTrainer.fit(.content, on: try catalogue([nil, ItemDocument()]), seed: 1) }
        let model = try ModelTrainer.fit(.content, on: try catalogue(letters), seed: 1)
        #expect(model.itemCount == 4 && model.userCount == 0)
    }

    @Test func similarItemsRankByCosineAndHonourAllowed() throws {
        let model = try ContentModel.fit(try catalogue(letters))
        let similar = try #require(model.similarItems(to: 1, count: 5))
        #expect(similar.map(\.item) == [0, 2])  // equal cosines 1/√2: smaller index first; never 1 itself
        #expect(isClose(Double(similar[0].score), 0.5.squareRoot()))
        #expect(model.similarItems(to: 1, count: 5, allowed: BitSet(count: 4, indices: [2, 3]))?.map(\.item) == [2])
        #expect(model.similarItems(to: 9, count: 5) == [])
    }

    @Test func fitsTheSameModelOnAnyNumberOfThreads() throws {
        // Enough items for several tokenizing chunks, with words shared across them.
        let documents: [ItemDocument?] = (0..<5000).map { item in
            item % 11 == 0 ? nil : ItemDocument(
                categories: ["c\(item % 13)"], labels: [.init(name: "size", value: "\(item % 5)")],
                text: "word\(item % 97) word\(item % 31) item\(item) shared")
        }
        let one = try ContentModel.fit(try catalogue(documents), threads: 1)
        let two = try ContentModel.fit(try catalogue(documents), threads: 4)
        #expect(one.index.vocabulary == two.index.vocabulary)
        #expect(one.index.vectors == two.index.vectors)
        #expect(one.index.vectors.rowCount == 5000 && one.index.documentCount == 5000 - 455)
    }
}
