import EventFormats
import Testing
@testable import Evaluation

struct RelationSplitTests {
    /// Values computed independently with Python's hashlib over `<from>\t<to>\t<type>\n`, sorted by UTF-8 bytes.
    @Test func fingerprintsHashTrainAndHeldOutRelationsInByteOrder() {
        let split = RelationSplit([
            Relation(from: "b", to: "a", type: "also_bought", weight: 1),  // held out
            Relation(from: "b", to: "c", type: "also_bought", weight: 1),
            Relation(from: "b", to: "c", type: "also_viewed", weight: 0.5),
            Relation(from: "d", to: "b", type: "also_bought", weight: 1),
            Relation(from: "x", to: "y", type: "also_viewed", weight: 1),  // held out
            Relation(from: "\u{E9}", to: "a", type: "also_bought", weight: 1),
        ])
        #expect(split.heldOutCount == 2)
        #expect(split.fingerprints == SplitFingerprints(
            train: "a6b095105b67c81d65cd238bf6afedce74ab2abbd3ef9b86a19744c9f150e5b9",
            test: "4cc4ca0abd0504d20606a787c5851fa048abbd6ac9954eec2951f24711c07e6a"))
    }
}
