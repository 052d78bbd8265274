import Foundation
import LinearAlgebra
import Models
import Testing
import TestSupport

/// The MovieLens sample (`events.csv`, found by `MovieLensFiles`) as binary training data (ids densified in byte
/// order); tests that use it are enabled only when ``path`` is not nil.
enum MovieLens {
    static let path = MovieLensFiles.path("events.csv")

    static func load() throws -> TrainingData {
        let text = try String(contentsOfFile: try #require(path), encoding: .utf8)
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
