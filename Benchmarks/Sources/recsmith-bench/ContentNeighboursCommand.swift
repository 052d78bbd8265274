import ArgumentParser
import Evaluation
import EventFormats
import Foundation
import LinearAlgebra
import Models

/// `recsmith-bench content-neighbours`: how many of each item's content neighbours share a category with it.
///
/// Fits the content model on an items file (JSON Lines records, as `recsmith evaluate --items` reads them), then
/// for every item with a category takes its `--k` most similar items and counts those that share one of its
/// categories. On MovieLens (genres as categories, titles as text) the target is ≥ 80%.
struct ContentNeighboursCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content-neighbours", abstract: "Share of content neighbours sharing a category with their item.")

    @Option(help: "Item records (JSON Lines).") var items: String
    @Option(name: .customLong("k"), help: "Neighbours per item.") var count: Int = 10

    func run() throws {
        let records = try ItemRecords.load(path: items)
        let documents = records.documents.sorted { $0.key.text.utf8.lexicographicallyPrecedes($1.key.text.utf8) }.map(\.value)
        let empty = try CSRMatrix(rowCount: 0, columnCount: 0, rowOffsets: [0], columns: [], values: [])
        let model = try ContentModel.fit(TrainingData(interactions: empty, lastSeen: [], itemDocuments: documents))
        var neighbours = 0
        var sharing = 0
        var subjects = 0
        for (item, document) in documents.enumerated() where !document.categories.isEmpty {
            subjects += 1
            let categories = Set(document.categories)
            for similar in model.similarItems(to: Int32(item), count: count) ?? [] {
                neighbours += 1
                if !categories.isDisjoint(with: documents[Int(similar.item)].categories) { sharing += 1 }
            }
        }
        print("content-neighbours items=\(documents.count) subjects=\(subjects) k=\(count) neighbours=\(neighbours)",
              "sharing=\(sharing) share=\(String(format: "%.3f", Double(sharing) / Double(max(1, neighbours))))")
    }
}
