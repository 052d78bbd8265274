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

    /// Strong-generalization case at the default shares, worked with a Python reference of §9's rule (h64 below
    /// from `hashlib.sha256`). Training users (h64(user) mod 10000 < 7000): u1 4042, u4 309, u5 6896, u7 532.
    /// Test candidates: u2 8255, u3 7348, u6 7125, e 9442, u8 7292 (one pair: neither train nor test).
    /// - u2, 5 pairs ordered by h64(u2, item): i4 i3 i1 i2 | i5 (ceil(0.8 · 5) = 4 input); its duplicate i1 keeps t=30.
    /// - u3, 2 pairs: i9 | i1 (ceil(1.6) = 2, capped at 1); i9 is not in the catalogue: a test user with no input.
    /// - u6, 3 pairs: i9 i6 | i2 (ceil(2.4) = 3, capped at 2); i9 dropped from the input.
    /// - e, 2 pairs: i1 | i7; i7 is not in the catalogue, so e has no target and is dropped with its input.
    static let strongGeneralization = interactions([
        ("u1", "i1", 1), ("u1", "i2", 2), ("u1", "i3", 3), ("u4", "i2", 4), ("u4", "i4", 5),
        ("u5", "i3", 6), ("u5", "i5", 7), ("u5", "i1", 8), ("u7", "i6", 9),
        ("u2", "i1", 10), ("u2", "i2", 11), ("u2", "i3", 12), ("u2", "i4", 13), ("u2", "i5", 14), ("u2", "i1", 30),
        ("u3", "i1", 15), ("u3", "i9", 16), ("u6", "i2", 17), ("u6", "i6", 18), ("u6", "i9", 19),
        ("u8", "i1", 20), ("e", "i1", 21), ("e", "i7", 22),
    ])

    /// Every input pair of a strong-generalization split as "user item".
    static func inputPairs(_ split: EvaluationSplit) -> [String] {
        guard let heldOut = split.heldOut else { return [] }
        return heldOut.ids.indices.flatMap { row in
            heldOut.input.entryRange(ofRow: row).map { "\(heldOut.ids[row]) \(split.itemIDs[Int(heldOut.input.columns[$0])])" }
        }
    }

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
                "\(split.testUserID(atTestUser: position)) \(split.itemIDs[Int($0)])"
            }
        }
    }
}
