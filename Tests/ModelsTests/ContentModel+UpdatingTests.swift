import LinearAlgebra
@testable import Models
import Testing

struct ContentModelUpdatingTests {
    private let documents: [ItemDocument?] = [
        ItemDocument(categories: ["shoes"], labels: [.init(name: "brand", value: "acme")], text: "red running shoes"),
        ItemDocument(categories: ["shoes"], labels: [.init(name: "brand", value: "zeta")], text: "blue trail shoes"),
        ItemDocument(categories: ["hats"], labels: [.init(name: "brand", value: "acme")], text: "red wool hat"),
        ItemDocument(categories: ["hats"], text: "summer straw hat"),
        nil,
    ]

    private func fit(_ documents: [ItemDocument?], _ parameters: ContentParameters) throws -> ContentModel {
        let events = try makeBinaryData(users: 2, items: 4, [(0, 0), (1, 2)])
        return try ContentModel.fit(
            TrainingData(interactions: events.interactions, lastSeen: events.lastSeen, itemDocuments: documents),
            parameters: parameters)
    }

    private func weights(_ model: ContentModel, _ item: Int32) -> [String: Float] {
        let vector = model.vector(of: item)
        let vocabulary = model.index.vocabulary + model.overlay.addedTerms
        return Dictionary(uniqueKeysWithValues: zip(vector.terms.map { vocabulary[Int($0)].description }, vector.weights))
    }

    @Test(arguments: ContentParameters.Weighting.allCases)
    func changedItemsGetTheVectorsOfAFullFit(weighting: ContentParameters.Weighting) throws {
        let parameters = ContentParameters(weighting: weighting)
        let base = try fit(documents, parameters)
        let changes: [(item: Int32, document: ItemDocument?)] = [
            (1, ItemDocument(categories: ["hats"], text: "blue wool hat hat")),  // known terms only
            (4, ItemDocument(categories: ["socks"], text: "red woolly socks")),  // new terms, an item without one before
            (6, ItemDocument(categories: ["shoes"], text: "red shoes")),         // past the fitted items
            (3, nil),
        ]
        let updated = base.updating(changes)
        var after = documents + [nil, nil]
        for (item, document) in changes { after[Int(item)] = document }
        let refitted = try fit(after, parameters)
        #expect(updated.itemCount == 7 && refitted.itemCount == 7)
        for (item, _) in changes {
            let expected = weights(refitted, item), actual = weights(updated, item)
            #expect(Set(actual.keys) == Set(expected.keys), "item \(item)")
            for (term, value) in expected {
                #expect(isClose(Double(actual[term] ?? .nan), Double(value), relativeTolerance: 1e-6), "item \(item) \(term)")
            }
        }
        // Unchanged items keep their fitted vectors.
        #expect(weights(updated, 0) == weights(base, 0))
    }

    @Test func removedItemsAreNeverReturned() throws {
        let updated = try fit(documents, ContentParameters()).updating([(2, nil)])
        let query = UserQuery(user: nil, history: [0], weights: [1])
        #expect(!recommend(updated, for: query, count: 10).contains { $0.item == 2 })
        #expect(try #require(allScores(updated, query))[2] == -.infinity)
        #expect(updated.similarItems(to: 2, count: 5) == [])
        #expect(!(updated.similarItems(to: 3, count: 5) ?? []).contains { $0.item == 2 })
        // A removed history item no longer shapes the profile.
        #expect(allScores(updated, UserQuery(user: nil, history: [2], weights: [1])) == nil)
    }

    @Test func updatedItemsAreScoredByTheirNewDocuments() throws {
        let base = try fit(documents, ContentParameters())
        // Item 3 (a straw hat) becomes a pair of running shoes: now the nearest to item 0.
        let updated = base.updating([(3, ItemDocument(categories: ["shoes"], labels: [.init(name: "brand", value: "acme")],
                                                      text: "red running shoes"))])
        // Its vector is weighted with the current statistics, item 0's with the fit's: nearly, not exactly, equal.
        let nearest = try #require(updated.similarItems(to: 0, count: 1)?.first)
        #expect(nearest.item == 3 && nearest.score > 0.95)
        #expect(base.similarItems(to: 0, count: 1)?.first?.item == 1)
    }

    @Test func sharesTheFittedIndex() throws {
        let base = try fit(documents, ContentParameters())
        let updated = base.updating([(0, ItemDocument(text: "anything new"))])
        let baseStorage = base.index.postings.values.withUnsafeBufferPointer { $0.baseAddress }
        let updatedStorage = updated.index.postings.values.withUnsafeBufferPointer { $0.baseAddress }
        #expect(baseStorage == updatedStorage)
        #expect(updated.overlay.vectors.count == 1 && base.overlay.vectors.isEmpty)
    }
}
