import Testing
@testable import Evaluation

/// The per-fold fingerprints of `--task rating`, against values computed independently with Python's hashlib
/// (`h64` for the folds, `sorted` over UTF-8 bytes for the order).
struct RatingSetFingerprintsTests {
    @Test func foldFingerprintsHashEachFoldsPairsInByteOrder() {
        // "B" sorts before "a", and precomposed "é" (C3 A9) after "e" + U+0301 (65 CC 81): byte order, not String <.
        let set = RatingSet(
            users: ["b", "a", "\u{E9}", "e\u{301}", "B", "a"], items: ["x", "y", "x", "x", "z", "x"],
            ratings: [1, 2, 3, 4, 5, 1])
        let fingerprints = set.foldFingerprints(assignments: RatingFold.assignments(set, folds: 2), folds: 2)
        let four = "b320e87beec7013cbf1c9973612830524e5436867c4132257f9129abc2ba836b"
        let two = "59df4f3afc7b6a2310832eea3ad92ada73c83915f88fba0b3b7e40fac6c5850c"
        #expect(fingerprints == [SplitFingerprints(train: two, test: four), SplitFingerprints(train: four, test: two)])
    }
}
