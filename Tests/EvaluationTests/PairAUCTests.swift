import Hashing
import EventFormats
import Models
import SyntheticData
import Testing
@testable import Evaluation

/// `--task pairs`: the held-out rule, AUC with ties, and pair MF on planted clusters.
struct PairAUCTests {
    @Test func aucCountsTiesAsHalf() {
        // Positives 0.9 and 0.5 against negatives 0.5, 0.1, 0.1: 0.9 beats all 3; 0.5 ties one and beats two.
        #expect(PairAUC.auc(positives: [0.9, 0.5], negatives: [0.5, 0.1, 0.1]) == (3 + 2.5) / 6)
        #expect(PairAUC.auc(positives: [1, 1], negatives: [1]) == 0.5)
        #expect(PairAUC.auc(positives: [0], negatives: [1, 2]) == 0)
        #expect(PairAUC.auc(positives: [], negatives: [1]) == 0.5)
    }

    /// Values computed independently: `int.from_bytes(hashlib.sha256(b"\x1f".join(fields)).digest()[:8], "big")`.
    @Test func heldOutRelationsFollowTheStableHash() {
        #expect(StableHash.h64("sku-1", "sku-2", "also_bought") == 2_984_667_596_074_268_656)
        #expect(StableHash.h64("x", "y", "also_viewed") == 2_756_997_941_316_127_665)
        #expect(StableHash.h64("b", "a", "also_bought") == 12_512_543_030_044_399_490)
        #expect(!RelationSplit.isHeldOut(Relation(from: "sku-1", to: "sku-2", type: "also_bought", weight: 1)))
        #expect(RelationSplit.isHeldOut(Relation(from: "x", to: "y", type: "also_viewed", weight: 1)))
        #expect(RelationSplit.isHeldOut(Relation(from: "b", to: "a", type: "also_bought", weight: 1)))
    }

    @Test func theSplitSumsTrainWeightsAndExcludesEveryRelatedItemFromTheNegatives() {
        let split = RelationSplit([
            Relation(from: "b", to: "a", type: "also_bought", weight: 1),  // held out
            Relation(from: "b", to: "c", type: "also_bought", weight: 1),
            Relation(from: "b", to: "c", type: "also_viewed", weight: 0.5),
            Relation(from: "d", to: "b", type: "also_bought", weight: 1),
        ])
        #expect(split.itemIDs == ["b", "a", "c", "d"] && split.heldOutCount == 1)
        #expect(split.training.first == [0, 3] && split.training.second == [2, 0] && split.training.weights == [1.5, 1])
        #expect(split.targets.map(\.from) == [0] && split.targets[0].to == [1])
        #expect(split.related[0] == [1, 2, 3], "a, c and d are related to b, so b has no negative")
        // Every item is related to b: the one from item has no negative and counts ½.
        #expect(PairAUC.meanAUC(split) { _, scores in scores.update(repeating: 0) } == 0.5)
    }

    @Test func pairMFLearnsPlantedClustersWellAboveChance() throws {
        let generated = SyntheticRelations(itemCount: 300, clusterCount: 6, relationsPerItem: 6, noise: 0.05, seed: 3).generate()
        let split = RelationSplit(generated.map { Relation(from: "i\($0.from)", to: "i\($0.to)", type: $0.type, weight: 1) })
        var parameters = PairMFParameters(factors: 16, epochs: 30, threads: 1)
        parameters.learningRate = 0.05
        let report = try PairsEvaluation(models: [.pairmf, .pairmfNoBias], parameters: parameters, seed: 7, curve: true).run(on: split)
        let withBiases = report.results[0], without = report.results[1]
        #expect(withBiases.auc > 0.85, "\(withBiases.auc)")
        #expect(without.auc > 0.85, "\(without.auc)")
        #expect(withBiases.curve.count == 30 && withBiases.curve.last?.metric == withBiases.auc)
        #expect(withBiases.curve.first!.metric < withBiases.auc, "the curve rises")
    }
}
