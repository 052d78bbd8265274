@testable import Evaluation
import LinearAlgebra
import Models
import Testing

struct EvaluationSplitStrongGeneralizationTests {
    private func split() throws -> EvaluationSplit {
        try EvaluationSplit(SplitFixtures.strongGeneralization, kind: .strongGeneralization(usersTrain: 0.7, interactionsIn: 0.8))
    }

    @Test func dividesUsersAndTheirPairsByTheHashingRule() throws {
        let split = try split()
        #expect(SplitFixtures.trainPairs(split) == [
            "u1 i1", "u1 i2", "u1 i3", "u4 i2", "u4 i4", "u5 i1", "u5 i3", "u5 i5", "u7 i6",
        ])
        #expect(SplitFixtures.inputPairs(split) == ["u2 i1", "u2 i2", "u2 i3", "u2 i4", "u6 i6"])
        #expect(SplitFixtures.testPairs(split) == ["u2 i5", "u3 i1", "u6 i2"])
        #expect(split.userIDs == ["u1", "u4", "u5", "u7"])
        #expect(split.itemIDs == ["i1", "i2", "i3", "i4", "i5", "i6"])  // i7 and i9: no training user has them
    }

    @Test func heldOutUsersAreNotTrainRowsAndSeeTheirInput() throws {
        let split = try split()
        #expect(split.heldOut?.ids == ["u2", "u3", "u6"])
        #expect(split.testUsers == [0, 1, 2])
        #expect(split.trainRow(atTestUser: 0) == nil)
        #expect(split.testUserID(atTestUser: 2) == "u6")
        let u2 = split.seenItems(atTestUser: 0)
        #expect(Array(u2.items) == [0, 1, 2, 3] && Array(u2.times) == [30, 11, 12, 13])  // the duplicate's latest time
        #expect(split.seenItems(atTestUser: 1).items.isEmpty)  // u3's only input, i9, is outside the catalogue
        #expect(Array(split.testItems(atTestUser: 2)) == [1])
    }

    @Test func fingerprintsMatchThePythonReference() throws {
        let fingerprints = try split().fingerprints()
        #expect(fingerprints.train == "76bfcbaa17bf0c2e94a9a581dcbb8fd15acd3fbdbd6954ff4b86ca9859713e52")
        #expect(fingerprints.test == "8d14dd93029040f8c70d32113f46331987e62b4ede58003408b86f7cbf1b457e")
        #expect(fingerprints.input == "7de0750736760e294ccb477cfbe107b0ab39cbee755bb6d1fd73633c920a6807")
        let summary = SplitSummary(try split())
        #expect(summary.trainPairs == 9 && summary.testUsers == 3 && summary.testPairs == 3 && summary.inputPairs == 5)
    }

    @Test func sharesMoveTheCuts() throws {
        // Everyone trains at 1; nobody at 0, which leaves no catalogue and so no target to score.
        let all = try EvaluationSplit(SplitFixtures.strongGeneralization, kind: .strongGeneralization(usersTrain: 1, interactionsIn: 0.8))
        #expect(all.testUsers.isEmpty && all.trainPairCount == 22)
        let none = try EvaluationSplit(SplitFixtures.strongGeneralization, kind: .strongGeneralization(usersTrain: 0, interactionsIn: 0.8))
        #expect(none.trainPairCount == 0 && none.testUsers.isEmpty)
        // A small input share still gives every test user one input pair: ceil(0.1 · n) ≥ 1.
        let small = try EvaluationSplit(SplitFixtures.strongGeneralization, kind: .strongGeneralization(usersTrain: 0.7, interactionsIn: 0.1))
        #expect(SplitFixtures.inputPairs(small) == ["u2 i4"])  // u3's and u6's first pair is i9: dropped
        #expect(SplitFixtures.testPairs(small) == ["u2 i1", "u2 i2", "u2 i3", "u2 i5", "u3 i1", "u6 i2", "u6 i6"])
    }

    @Test func refusesSharesOutOfRange() {
        for kind in [SplitKind.strongGeneralization(usersTrain: 1.5, interactionsIn: 0.8),
                     .strongGeneralization(usersTrain: 0.7, interactionsIn: 0),
                     .strongGeneralization(usersTrain: 0.7, interactionsIn: 1.2)] {
            #expect(throws: EvaluationError.self) { try EvaluationSplit(SplitFixtures.strongGeneralization, kind: kind) }
        }
    }

    @Test func validationSquaresTheTrainingShare() {
        #expect(SplitKind.strongGeneralization(usersTrain: 0.5, interactionsIn: 0.8).validationKind
                    == .strongGeneralization(usersTrain: 0.25, interactionsIn: 0.8))
        #expect(SplitKind.temporal(percent: 10).validationKind == .temporal(percent: 10))
    }

    @Test func dumpsTheInputBesideTrainAndTest() throws {
        let directory = try TemporaryDirectory()
        try split().writePairs(toDirectory: directory.path)
        #expect(try directory.read("input.csv") == "user,item,timestamp\nu2,i1,30\nu2,i2,11\nu2,i3,12\nu2,i4,13\nu6,i6,18\n")
        #expect(try directory.read("test.csv") == "user,item,timestamp\nu2,i5,14\nu3,i1,15\nu6,i2,17\n")
    }
}
