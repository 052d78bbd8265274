@testable import Evaluation
import LinearAlgebra
import Models
import Testing

struct EvaluationSplitTests {
    @Test func leaveLastOutHoldsOutEachUsersLastPair() throws {
        let split = try EvaluationSplit(SplitFixtures.leaveLastOut, kind: .leaveLastOut)
        #expect(SplitFixtures.trainPairs(split) == ["10 d", "9 a", "9 b", "w c", "x b", "y a"])
        #expect(SplitFixtures.testPairs(split) == ["10 a", "9 c"])
    }

    @Test func leaveLastOutIndexesUsersAndCatalogueInByteOrder() throws {
        let split = try EvaluationSplit(SplitFixtures.leaveLastOut, kind: .leaveLastOut)
        #expect(split.userIDs == ["10", "9", "w", "x", "y"])
        #expect(split.itemIDs == ["a", "b", "c", "d"])  // "z" was only in test
        #expect(split.testUsers == [0, 1])
        #expect(split.trainPairCount == 6)
        #expect(split.testPairCount == 2)
        #expect(split.training.interactions.values.allSatisfy { $0 == 1 })
        #expect(split.training.lastSeen == [2, 1, 5, 1, 1, 1])
        #expect(split.testTimes == [3, 5])
    }

    @Test func leaveLastOutKeepsSinglePairUsersInTrain() throws {
        let split = try EvaluationSplit(SplitFixtures.interactions([("solo", "a", 9), ("duo", "a", 1), ("duo", "b", 2)]), kind: .leaveLastOut)
        #expect(SplitFixtures.trainPairs(split) == ["duo a", "solo a"])
        #expect(SplitFixtures.testPairs(split).isEmpty)  // "b" is not in train
    }

    @Test func temporalCutFallsInsideEqualTimestamps() throws {
        let split = try EvaluationSplit(SplitFixtures.temporal, kind: .temporal(percent: 30))
        #expect(SplitFixtures.trainPairs(split) == ["u1 a", "u1 b", "u1 c", "u2 a", "u2 b", "u2 c", "u3 a"])
        #expect(SplitFixtures.testPairs(split) == ["u3 b"])
        #expect(split.userIDs == ["u1", "u2", "u3"])
        #expect(split.itemIDs == ["a", "b", "c"])
        #expect(split.testUsers == [2])
    }

    @Test func temporalFloorsTheTestCount() throws {
        // 10 · 25 / 100 = 2.5 → 2: only the two pairs with unknown ids, both dropped.
        let split = try EvaluationSplit(SplitFixtures.temporal, kind: .temporal(percent: 25))
        #expect(split.trainPairCount == 8)
        #expect(split.testUsers.isEmpty)
        let none = try EvaluationSplit(SplitFixtures.temporal, kind: .temporal(percent: 0))
        #expect(none.trainPairCount == 10)
    }

    @Test func temporalBreaksTimeTiesByUserThenItem() throws {
        let set = SplitFixtures.interactions([("b", "y", 1), ("b", "x", 1), ("a", "z", 1), ("a", "y", 1)])
        // Order (1,a,y) (1,a,z) (1,b,x) (1,b,y); the last 50 % are b's pairs, and b is then unknown in train.
        let split = try EvaluationSplit(set, kind: .temporal(percent: 50))
        #expect(SplitFixtures.trainPairs(split) == ["a y", "a z"])
        #expect(split.testUsers.isEmpty)
        let seventyFive = try EvaluationSplit(set, kind: .temporal(percent: 75))
        #expect(SplitFixtures.trainPairs(seventyFive) == ["a y"])
    }

    @Test func splitsTimestampsBefore1970InTimeOrder() throws {
        // 0141-12-15T22:51:50-13:10, 1969 and 1970 onwards: the order is by time, sign included.
        let set = SplitFixtures.interactions([
            ("a", "x", -57_687_422_290), ("a", "y", -1), ("b", "x", 0), ("b", "y", -2), ("a", "z", 5), ("b", "z", -3),
        ])
        let split = try EvaluationSplit(set, kind: .temporal(percent: 50))
        #expect(SplitFixtures.testPairs(split) == ["a y", "a z", "b x"])
        let last = try EvaluationSplit(set, kind: .leaveLastOut)
        #expect(SplitFixtures.testPairs(last) == ["a z", "b x"])
    }

    @Test func rejectsPercentOutOfRange() {
        #expect(throws: EvaluationError.self) {
            _ = try EvaluationSplit(SplitFixtures.temporal, kind: .temporal(percent: 101))
        }
    }

    @Test func validationCarvesFromTrainTheSameWay() throws {
        let split = try EvaluationSplit(SplitFixtures.leaveLastOut, kind: .leaveLastOut)
        let validation = try EvaluationSplit(split.trainInteractions(), kind: .leaveLastOut)
        // Train: 10 d | 9 a, 9 b | w c | x b | y a → only user 9 has two pairs; (9, b) is last, and b stays in train via x.
        #expect(SplitFixtures.trainPairs(validation) == ["10 d", "9 a", "w c", "x b", "y a"])
        #expect(SplitFixtures.testPairs(validation) == ["9 b"])
    }

    @Test func exposesTrainItemsPerUser() throws {
        let split = try EvaluationSplit(SplitFixtures.leaveLastOut, kind: .leaveLastOut)
        #expect(Array(split.trainItems(ofUser: 1)) == [0, 1])
        #expect(Array(split.testItems(atTestUser: 1)) == [2])
    }

    @Test func parsesSplitNames() {
        #expect(SplitKind(name: "leave-last-out") == .leaveLastOut)
        #expect(SplitKind(name: "temporal") == .temporal(percent: 10))
        #expect(SplitKind(name: "temporal", percent: 20) == .temporal(percent: 20))
        #expect(SplitKind(name: "random") == nil)
    }
}
