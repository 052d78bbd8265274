import Hashing
import LinearAlgebra
import Models

extension EvaluationSplit {
    /// recpack's strong generalization, by the hashing rule of docs/EVALUATION.md §9.
    ///
    /// A user is a training user when `h64(user) mod 10000 < usersTrain · 10000`; all their pairs are train, and
    /// they define the users and the catalogue. Every other user with at least 2 pairs orders their `n` pairs
    /// by `h64(user, item)` (item byte order on a tie): the first `min(ceil(interactionsIn · n), n − 1)` are
    /// input, the rest targets, both in float64 as written. Input and targets whose item is not in the catalogue
    /// are dropped; the users left with a target are the test users, in id byte order.
    static func strongGeneralization(
        _ interactions: InteractionSet, usersTrain: Double, interactionsIn: Double
    ) throws(EvaluationError) -> EvaluationSplit {
        guard (0...1).contains(usersTrain) else { throw .invalidFraction(name: "frac-users-train", value: usersTrain) }
        guard interactionsIn > 0 && interactionsIn <= 1 else {
            throw .invalidFraction(name: "frac-interactions-in", value: interactionsIn)
        }
        let count = interactions.pairCount
        let threshold = usersTrain * 10_000
        let isTrainUser = interactions.userIDs.map { Double(StableHash.h64($0) % 10_000) < threshold }
        var userInTrain = [Bool](repeating: false, count: interactions.userIDs.count)
        var itemInTrain = [Bool](repeating: false, count: interactions.itemIDs.count)
        var pairsOfTestUser = [[Int]](repeating: [], count: interactions.userIDs.count)
        for pair in 0..<count {
            let user = Int(interactions.pairUsers[pair])
            if isTrainUser[user] {
                userInTrain[user] = true
                itemInTrain[Int(interactions.pairItems[pair])] = true
            } else {
                pairsOfTestUser[user].append(pair)
            }
        }
        let (userIDs, userDense) = denseIndices(keeping: userInTrain, of: interactions.userIDs)
        let (itemIDs, itemDense) = denseIndices(keeping: itemInTrain, of: interactions.itemIDs)

        var trainRows = [Int32](), trainColumns = [Int32](), trainTimes = [Double]()
        for pair in 0..<count where isTrainUser[Int(interactions.pairUsers[pair])] {
            trainRows.append(userDense[Int(interactions.pairUsers[pair])])
            trainColumns.append(itemDense[Int(interactions.pairItems[pair])])
            trainTimes.append(interactions.pairTimes[pair])
        }
        var heldOutIDs = [String]()
        var inputRows = [Int32](), inputColumns = [Int32](), inputTimes = [Double]()
        var targetRows = [Int32](), targetColumns = [Int32](), targetTimes = [Double]()
        // User ranks ascend in byte order, so test users come out in id order.
        for user in interactions.userIDs.indices where !isTrainUser[user] && pairsOfTestUser[user].count >= 2 {
            let id = interactions.userIDs[user]
            let keyed = pairsOfTestUser[user].map { pair in
                (hash: StableHash.h64(id, interactions.itemIDs[Int(interactions.pairItems[pair])]), pair: pair)
            }
            let ordered = keyed.sorted { lhs, rhs in
                lhs.hash != rhs.hash
                    ? lhs.hash < rhs.hash : interactions.pairItems[lhs.pair] < interactions.pairItems[rhs.pair]
            }
            let n = ordered.count
            let inputCount = min(Int((interactionsIn * Double(n)).rounded(.up)), n - 1)
            let row = Int32(heldOutIDs.count)
            var targets = 0
            for (position, entry) in ordered.enumerated() {
                let item = itemDense[Int(interactions.pairItems[entry.pair])]
                guard item >= 0 else { continue }
                if position < inputCount {
                    inputRows.append(row)
                    inputColumns.append(item)
                    inputTimes.append(interactions.pairTimes[entry.pair])
                } else {
                    targetRows.append(row)
                    targetColumns.append(item)
                    targetTimes.append(interactions.pairTimes[entry.pair])
                    targets += 1
                }
            }
            if targets > 0 {
                heldOutIDs.append(id)
            } else {
                // No target left to score: the user's input goes too.
                while inputRows.last == row {
                    inputRows.removeLast()
                    inputColumns.removeLast()
                    inputTimes.removeLast()
                }
            }
        }
        do {
            let train = try CSRMatrix.build(
                rowCount: userIDs.count, columnCount: itemIDs.count, rows: trainRows, columns: trainColumns,
                values: [Float](repeating: 1, count: trainRows.count), maxReducing: trainTimes)
            let input = try CSRMatrix.build(
                rowCount: heldOutIDs.count, columnCount: itemIDs.count, rows: inputRows, columns: inputColumns,
                values: [Float](repeating: 1, count: inputRows.count), maxReducing: inputTimes)
            let targets = try CSRMatrix.build(
                rowCount: heldOutIDs.count, columnCount: itemIDs.count, rows: targetRows, columns: targetColumns,
                values: [Float](repeating: 1, count: targetRows.count), maxReducing: targetTimes)
            return EvaluationSplit(
                kind: .strongGeneralization(usersTrain: usersTrain, interactionsIn: interactionsIn), userIDs: userIDs,
                itemIDs: itemIDs, training: TrainingData(interactions: train.matrix, lastSeen: train.reduced),
                testUsers: (0..<heldOutIDs.count).map { Int32($0) }, testOffsets: targets.matrix.rowOffsets,
                testItems: targets.matrix.columns, testTimes: targets.reduced,
                heldOut: HeldOutUsers(ids: heldOutIDs, input: input.matrix, inputTimes: input.reduced))
        } catch {
            throw .matrix(error)
        }
    }
}
