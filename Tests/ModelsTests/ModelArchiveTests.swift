import Foundation
import LinearAlgebra
@testable import Models
import Testing

struct ModelArchiveTests {
    private func trainedModels() throws -> [any Recommender] {
        let data = withRelations(try plantedData(users: 40, items: 30))
        var parameters = ModelParameters.evaluation(factors: 8)
        parameters.als.iterations = 3
        parameters.bpr.epochs = 3
        parameters.bpr.threads = 1
        parameters.pairMF.threads = 1
        parameters.pairMF.epochs = 5
        parameters.itemKNN.neighbors = 10
        parameters.autoencoder.epochs = 3
        parameters.autoencoder.hidden = 8
        parameters.sequence.epochs = 2
        parameters.sequence.hidden = 8
        parameters.mlp.epochs = 2
        parameters.mlp.hidden = 8
        return try ModelKind.allCases.map { kind throws(ModelError) in
            try ModelTrainer.fit(kind, on: data, parameters: parameters, seed: 1)
        }
    }

    private let queries = [
        UserQuery(user: 0, history: [0, 4], weights: [1, 1]),
        UserQuery(user: 7, history: [3], weights: [2]),
        UserQuery(user: nil, history: [1, 2, 5], weights: [1, 1, 1]),
    ]

    private func expectSameBehaviour(_ original: any Recommender, _ loaded: any Recommender) {
        #expect(loaded.kind == original.kind)
        #expect(loaded.userCount == original.userCount && loaded.itemCount == original.itemCount)
        for query in queries {
            #expect(allScores(loaded, query) == allScores(original, query), "\(original.kind) scores differ")
        }
        #expect(loaded.similarItems(to: 3, count: 5) == original.similarItems(to: 3, count: 5))
    }

    @Test func roundTripsEveryModelThroughBytes() throws {
        for model in try trainedModels() {
            let bytes = try ModelArchive.encode(model)
            expectSameBehaviour(model, try ModelArchive.decode(bytes))
        }
    }

    @Test func roundTripsEveryModelThroughFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-models-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for model in try trainedModels() {
            let path = directory.appendingPathComponent("\(model.kind.rawValue).model").path
            try ModelArchive.write(model, to: path)
            try ModelArchive.write(model, to: path)  // replacing an existing file works too
            expectSameBehaviour(model, try ModelArchive.read(from: path))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(leftovers.allSatisfy { !$0.contains(".tmp-") })
        #expect(throws: ModelArchiveError.self) { try ModelArchive.read(from: directory.appendingPathComponent("none").path) }
    }

    @Test func roundTripsAnUpdatedContentModelWithItsOverlayFoldedIn() throws {
        let fitted = try ContentModel.fit(try plantedData(users: 40, items: 30))
        let updated = fitted.updating([
            (2, ItemDocument(categories: ["group3"], text: "brand new words")), (5, nil),
            (31, ItemDocument(categories: ["group1"], labels: [.init(name: "brand", value: "acme")])),
        ])
        let loaded = try #require(try ModelArchive.decode(try ModelArchive.encode(updated)) as? ContentModel)
        expectSameBehaviour(updated, loaded)
        #expect(loaded.overlay.vectors.isEmpty && loaded.itemCount == 32)
        #expect(loaded.parameters == updated.parameters)
        for item in Int32(0)..<32 {
            let vocabulary = updated.index.vocabulary + updated.overlay.addedTerms
            let before = updated.vector(of: item), after = loaded.vector(of: item)
            #expect(before.terms.map { vocabulary[Int($0)] } == after.terms.map { loaded.index.vocabulary[Int($0)] })
            #expect(before.weights == after.weights)
        }
        // The loaded model keeps the statistics, so later updates agree with the unsaved model's.
        let change: [(item: Int32, document: ItemDocument?)] = [(7, ItemDocument(categories: ["group3"], text: "new words"))]
        #expect(loaded.updating(change).vector(of: 7).weights == updated.updating(change).vector(of: 7).weights)
        #expect(allScores(loaded.updating(change), queries[0]) == allScores(updated.updating(change), queries[0]))
    }

    @Test func truncatedArchivesThrow() throws {
        for model in try trainedModels() {
            let bytes = try ModelArchive.encode(model)
            let lengths = Array(0..<min(bytes.count, 64)) + Array(stride(from: 64, to: bytes.count, by: 61))
                + [bytes.count - 1]
            for length in lengths {
                #expect(throws: ModelArchiveError.self) { try ModelArchive.decode(Array(bytes.prefix(length))) }
            }
        }
    }

    @Test func corruptedArchivesThrow() throws {
        for model in try trainedModels() {
            let bytes = try ModelArchive.encode(model)
            for position in Array(0..<48) + Array(stride(from: 48, to: bytes.count, by: 53)) + [bytes.count - 1] {
                var corrupt = bytes
                corrupt[position] ^= 0x5A
                #expect(throws: ModelArchiveError.self) { try ModelArchive.decode(corrupt) }
            }
            #expect(throws: ModelArchiveError.self) { try ModelArchive.decode(bytes + [0]) }
        }
    }

    @Test func reportsMagicVersionAndChecksumProblemsByName() throws {
        let model = Popular(userCount: 1, itemScores: [1, 2])
        let bytes = try ModelArchive.encode(model)
        var wrongMagic = bytes
        wrongMagic[0] = UInt8(ascii: "X")
        #expect(throws: ModelArchiveError.badMagic) { try ModelArchive.decode(wrongMagic) }
        var wrongVersion = bytes
        wrongVersion[8] = 9
        #expect(throws: ModelArchiveError.unsupportedVersion(9)) { try ModelArchive.decode(wrongVersion) }
        var wrongPayload = bytes
        wrongPayload[41] ^= 1
        #expect {
            try ModelArchive.decode(wrongPayload)
        } throws: { error in
            if case .checksumMismatch = error as? ModelArchiveError { return true }
            return false
        }
        #expect(throws: ModelArchiveError.truncated(needed: 48, available: 10)) {
            try ModelArchive.decode(Array(bytes.prefix(10)))
        }
    }

    @Test func rejectsConsistentChecksumOverInconsistentPayload() throws {
        // A hand-made ItemKNN archive whose neighbour index is out of range, with a valid checksum.
        let model = ItemKNN(userCount: 1, itemCount: 2, neighborOffsets: [0, 1, 1], neighborItems: [7], neighborScores: [1])
        #expect(throws: ModelArchiveError.invalidPayload("neighbour index out of range 0..<2")) {
            try ModelArchive.decode(try ModelArchive.encode(model))
        }
    }
}
