import Foundation
import LinearAlgebra
import Models

/// The shared MovieLens sample as binary training data (ids densified in byte order), or nil when the
/// file is absent so tests that use it skip.
enum MovieLens {
    static func load(filePath: String = #filePath) throws -> TrainingData? {
        // Tests/ModelsTests/MovieLens.swift → repository root → ../shared/data/…
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let path = root.appendingPathComponent("../shared/data/ml-latest-small/events.csv").standardized.path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        var rows = [(String, String, Double)]()
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 3, let time = Double(fields[2]) else { continue }
            rows.append((String(fields[0]), String(fields[1]), time))
        }
        func index(_ ids: [String]) -> [String: Int32] {
            let sorted = Set(ids).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            return Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Int32($0)) })
        }
        let users = index(rows.map(\.0)), items = index(rows.map(\.1))
        let built = try CSRMatrix.build(
            rowCount: users.count, columnCount: items.count, rows: rows.map { users[$0.0]! },
            columns: rows.map { items[$0.1]! }, values: [Float](repeating: 1, count: rows.count),
            maxReducing: rows.map(\.2))
        // Binary data: duplicates collapse to one pair of value 1.
        let binary = built.matrix.replacingValues([Float](repeating: 1, count: built.matrix.nonzeroCount))
        return TrainingData(interactions: binary, lastSeen: built.reduced)
    }
}
