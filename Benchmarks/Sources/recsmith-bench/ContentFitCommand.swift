import ArgumentParser
import Foundation
import LinearAlgebra
import Models
import SyntheticData

/// `recsmith-bench content-fit`: the content model on a synthetic catalogue: a full fit, an update of a few
/// items (`ContentModel.updating`) and one user's scoring.
///
/// Documents are the synthetic catalogue's records (categories, brand, price, colors, text); `--texts` joins
/// that many items' texts into each document, to vary the terms per item.
struct ContentFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "content-fit", abstract: "Content model: full fit, small update and one user's scores.")

    @Option(help: "Items of the catalogue.") var items: Int = 100_000
    @Option(help: "Texts of catalogue items joined into each document.") var texts: Int = 1
    @Option(help: "Timed fits.") var iterations: Int = 5
    @Option(help: "Items changed by each timed update.") var changes: Int = 10
    @Option(help: "Seed of the catalogue.") var seed: UInt64 = 1

    func validate() throws {
        guard items > 0, texts > 0, iterations > 0, changes > 0 else { throw ValidationError("every count must be positive") }
    }

    func run() throws {
        let records = SyntheticCatalogue(userCount: 1, itemCount: items, eventCount: 0, seed: seed).items()
        let documents: [ItemDocument?] = records.map { record in
            let text = (0..<texts).map { records[(record.index + $0 * 7_919) % items].text }.joined(separator: " ")
            return ItemDocument(
                categories: record.categories,
                labels: [.init(name: "brand", value: record.brand), .init(name: "price", value: "\(record.price)")]
                    + record.colors.map { .init(name: "colors", value: $0) },
                text: text)
        }
        let empty = try CSRMatrix(rowCount: 0, columnCount: 0, rowOffsets: [0], columns: [], values: [])
        let data = TrainingData(interactions: empty, lastSeen: [], itemDocuments: documents)
        var fits = Samples()
        var model = try ContentModel.fit(data)
        for _ in 0..<iterations { model = try fits.time { try ContentModel.fit(data) } }
        var updates = Samples()
        var scoring = Samples()
        var scores = [Float](repeating: 0, count: model.itemCount)
        let query = UserQuery(user: nil, history: (0..<50).map { Int32($0 * 37 % items) }, weights: [Float](repeating: 1, count: 50))
        for iteration in 0..<iterations {
            let changed = (0..<changes).map { offset -> (item: Int32, document: ItemDocument?) in
                let item = (iteration * changes + offset) * 104_729 % items
                return (Int32(item), documents[(item + 1) % items])
            }
            let updated = updates.time { model.updating(changed) }
            _ = scores.withUnsafeMutableBufferPointer { buffer in scoring.time { updated.score(query, into: buffer) } }
        }
        var tokens = 0
        for document in documents.compactMap({ $0 }) {
            tokens += document.categories.count + document.labels.count
                + document.text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).count
        }
        let milliseconds = { (value: Double) in String(format: "%.2f", value * 1e3) }
        print(
            "content-fit items=\(items) tokens_per_item=\(String(format: "%.1f", Double(tokens) / Double(items)))",
            "fit_median_ms=\(milliseconds(fits.median)) update_\(changes)_median_ms=\(milliseconds(updates.median))",
            "score_50_item_history_median_ms=\(milliseconds(scoring.median)) threads=\(processorCount)")
    }
}
