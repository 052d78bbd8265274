import Foundation
import Models
import Testing

struct ContentParametersTests {
    private let documents: [ItemDocument?] = [ItemDocument(categories: ["a"]), ItemDocument(text: "words here")]

    private func fit(_ parameters: ContentParameters) throws -> ContentModel {
        let events = try makeBinaryData(users: 1, items: 2, [(0, 0)])
        let data = TrainingData(interactions: events.interactions, lastSeen: events.lastSeen, itemDocuments: documents)
        return try ContentModel.fit(data, parameters: parameters)
    }

    @Test(arguments: [
        ContentParameters(halfLifeSeconds: 0), ContentParameters(halfLifeSeconds: .infinity),
        ContentParameters(categoryWeight: -1), ContentParameters(labelWeight: .nan),
        ContentParameters(categoryWeight: 0, labelWeight: 0, textWeight: 0),
    ])
    func rejectsOutOfRangeParameters(parameters: ContentParameters) {
        #expect(throws: ModelError.self) { try fit(parameters) }
    }

    @Test func acceptsAZeroKindWeightAndDecodesPartialInput() throws {
        _ = try fit(ContentParameters(categoryWeight: 0))
        let decoded = try JSONDecoder().decode(
            ContentParameters.self, from: Data(#"{"weighting": "bm25", "textWeight": 0.25}"#.utf8))
        #expect(decoded == ContentParameters(weighting: .bm25, textWeight: 0.25))
        #expect(try JSONDecoder().decode(ModelParameters.self, from: Data("{}".utf8)).content == ContentParameters())
    }
}
