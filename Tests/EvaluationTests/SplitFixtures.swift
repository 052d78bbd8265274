@testable import Evaluation
import EventFormats
import LinearAlgebra
import Models

/// Tiny hand-made data sets whose splits are worked out by hand in the tests.
enum SplitFixtures {
    static func interactions(_ triples: [(String, String, Double)]) -> InteractionSet {
        InteractionSet(rows: triples.map { EventRow(user: $0.0, item: $0.1, timestamp: $0.2, line: 0) })
    }

    /// Leave-last-out case: a tie on t broken by the largest item, a single-pair user, an item only in test,
    /// byte-order ids ("10" < "9") and a duplicate whose largest timestamp decides.
    static let leaveLastOut = interactions([
        ("9", "a", 1), ("9", "b", 5), ("9", "c", 5),  // tie at t=5: "c" > "b" is held out
        ("10", "a", 3), ("10", "d", 2), ("10", "a", 0),  // the duplicate keeps t=3, so "a" is last
        ("x", "b", 1),  // a single pair: all-train
        ("y", "a", 1), ("y", "z", 2),  // "z" occurs only in test: dropped
        ("w", "c", 1),  // puts "c" in train
    ])

    /// Temporal case, 10 pairs: at 30 % the cut falls inside the run at t=5.
    static let temporal = interactions([
        ("u1", "a", 1), ("u2", "b", 1), ("u1", "b", 2), ("u3", "a", 2), ("u2", "a", 3),
        ("u1", "c", 5), ("u2", "c", 5), ("u3", "b", 5),
        ("u4", "a", 6),  // unknown user in train: dropped
        ("u1", "d", 7),  // unknown item in train: dropped
    ])

    /// Every train pair as "user item".
    static func trainPairs(_ split: EvaluationSplit) -> [String] {
        let matrix = split.training.interactions
        return (0..<matrix.rowCount).flatMap { row in
            matrix.entryRange(ofRow: row).map { "\(split.userIDs[row]) \(split.itemIDs[Int(matrix.columns[$0])])" }
        }
    }

    /// Every test pair as "user item".
    static func testPairs(_ split: EvaluationSplit) -> [String] {
        split.testUsers.indices.flatMap { position in
            split.testItems(atTestUser: position).map {
                "\(split.userIDs[Int(split.testUsers[position])]) \(split.itemIDs[Int($0)])"
            }
        }
    }
}
