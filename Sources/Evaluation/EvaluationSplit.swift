import LinearAlgebra
import Models

/// Train and test pairs after a split (docs/EVALUATION.md §3, §9), densely re-indexed.
///
/// Users and catalogue items are the ids that occur in train, indexed densely in byte order, so dense
/// indices compare like the ids. The train matrix is users × catalogue with `1.0` per pair. Under
/// leave-last-out and temporal, test users are the train users with at least one surviving test pair,
/// ascending, and what they have seen is their train row. Under strong generalization test users are not train
/// users: ``heldOut`` holds their ids and the input items they are folded in from.
package struct EvaluationSplit: Sendable {
    /// How the pairs were divided.
    package let kind: SplitKind
    /// Train users by dense index (byte order).
    package let userIDs: [String]
    /// Catalogue items by dense index (byte order).
    package let itemIDs: [String]
    /// The binary train matrix (users × catalogue, value 1.0) and each pair's timestamp.
    package let training: TrainingData
    /// The test users, ascending: rows of the train matrix, or under strong generalization rows of
    /// `heldOut.input` (`0..<n`). Prefer ``testUserID(atTestUser:)`` and ``seenItems(atTestUser:)``.
    package let testUsers: [Int32]
    /// `testOffsets[i]..<testOffsets[i + 1]` are the entries of `testUsers[i]` in ``testItems``/``testTimes``.
    package let testOffsets: [Int]
    /// Test items (dense catalogue indices), ascending within each test user.
    package let testItems: [Int32]
    /// Timestamp of each test pair, parallel to ``testItems``.
    package let testTimes: [Double]
    /// The held-out test users of strong generalization; nil for the other splits.
    package let heldOut: HeldOutUsers?

    /// Splits `interactions` per `kind`.
    package init(_ interactions: InteractionSet, kind: SplitKind) throws(EvaluationError) {
        let isTest: [Bool]
        switch kind {
        case .leaveLastOut:
            isTest = Self.leaveLastOutCandidates(interactions)
        case let .temporal(percent):
            guard (0...100).contains(percent) else { throw .invalidTestPercent(percent) }
            isTest = Self.temporalCandidates(interactions, percent: percent)
        case let .strongGeneralization(usersTrain, interactionsIn):
            self = try Self.strongGeneralization(interactions, usersTrain: usersTrain, interactionsIn: interactionsIn)
            return
        }
        try self.init(interactions, kind: kind, candidates: isTest)
    }

    /// Every pair in train and no test user (a temporal split holding out 0 %): what `evaluate --replay` fits
    /// on, the events known before a day.
    package static func trainingOnly(_ interactions: InteractionSet) throws(EvaluationError) -> EvaluationSplit {
        try EvaluationSplit(
            interactions, kind: .temporal(percent: 0), candidates: [Bool](repeating: false, count: interactions.pairCount))
    }

    /// A split from its parts (the strong-generalization builder's way in).
    init(
        kind: SplitKind, userIDs: [String], itemIDs: [String], training: TrainingData, testUsers: [Int32],
        testOffsets: [Int], testItems: [Int32], testTimes: [Double], heldOut: HeldOutUsers?
    ) {
        self.kind = kind
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.training = training
        self.testUsers = testUsers
        self.testOffsets = testOffsets
        self.testItems = testItems
        self.testTimes = testTimes
        self.heldOut = heldOut
    }

    /// Number of train pairs.
    package var trainPairCount: Int { training.interactions.nonzeroCount }
    /// Number of test pairs after dropping those with an unknown user or item.
    package var testPairCount: Int { testItems.count }

    /// The test items of `testUsers[position]`, ascending.
    package func testItems(atTestUser position: Int) -> ArraySlice<Int32> {
        testItems[testOffsets[position]..<testOffsets[position + 1]]
    }

    /// The train items of dense user `user`, ascending.
    package func trainItems(ofUser user: Int32) -> ArraySlice<Int32> {
        training.interactions.columns[training.interactions.entryRange(ofRow: Int(user))]
    }

    /// The train items of dense user `user`, ascending, with each pair's timestamp.
    package func trainPairs(ofUser user: Int32) -> (items: ArraySlice<Int32>, times: ArraySlice<Double>) {
        let range = training.interactions.entryRange(ofRow: Int(user))
        return (training.interactions.columns[range], training.lastSeen[range])
    }

    /// The id of `testUsers[position]`.
    package func testUserID(atTestUser position: Int) -> String {
        heldOut?.ids[position] ?? userIDs[Int(testUsers[position])]
    }

    /// The row of `testUsers[position]` in the train matrix; nil for a held-out user.
    package func trainRow(atTestUser position: Int) -> Int32? {
        heldOut == nil ? testUsers[position] : nil
    }

    /// What `testUsers[position]` has seen, ascending, with each pair's timestamp: the train row, or a held-out
    /// user's input. These are masked when the user is scored (docs/EVALUATION.md §4).
    package func seenItems(atTestUser position: Int) -> (items: ArraySlice<Int32>, times: ArraySlice<Double>) {
        let matrix = heldOut?.input ?? training.interactions
        let times = heldOut?.inputTimes ?? training.lastSeen
        let range = matrix.entryRange(ofRow: heldOut == nil ? Int(testUsers[position]) : position)
        return (matrix.columns[range], times[range])
    }

    /// The train pairs as an interaction set, to carve a validation split from them the same way.
    package func trainInteractions() -> InteractionSet {
        let matrix = training.interactions
        var users = [Int32]()
        users.reserveCapacity(matrix.nonzeroCount)
        for row in 0..<matrix.rowCount {
            users.append(contentsOf: repeatElement(Int32(row), count: matrix.nonzeroCount(ofRow: row)))
        }
        return InteractionSet(
            userIDs: userIDs, itemIDs: itemIDs, pairUsers: users, pairItems: matrix.columns,
            pairTimes: training.lastSeen)
    }

    /// Leave-last-out: per user with ≥ 2 pairs, the pair with the largest `(t, item)` — the last in the
    /// `(user, t, item)` order — is a candidate. One pass, no sort.
    static func leaveLastOutCandidates(_ interactions: InteractionSet) -> [Bool] {
        let count = interactions.pairCount
        var last = [Int](repeating: -1, count: interactions.userIDs.count)
        var pairsPerUser = [Int](repeating: 0, count: interactions.userIDs.count)
        for pair in 0..<count {
            let user = Int(interactions.pairUsers[pair])
            pairsPerUser[user] += 1
            let current = last[user]
            if current < 0 || Self.isLater(pair, than: current, in: interactions) {
                last[user] = pair
            }
        }
        var isTest = [Bool](repeating: false, count: count)
        for user in last.indices where pairsPerUser[user] >= 2 {
            isTest[last[user]] = true
        }
        return isTest
    }

    private static func isLater(_ pair: Int, than other: Int, in interactions: InteractionSet) -> Bool {
        let time = interactions.pairTimes[pair], otherTime = interactions.pairTimes[other]
        if time != otherTime { return time > otherTime }
        return interactions.pairItems[pair] > interactions.pairItems[other]
    }

    /// Temporal: sort by `(t, user, item)`; the last `floor(n · percent / 100)` pairs are candidates.
    static func temporalCandidates(_ interactions: InteractionSet, percent: Int) -> [Bool] {
        let count = interactions.pairCount
        let testCount = count * percent / 100
        let times = interactions.pairTimes, users = interactions.pairUsers, items = interactions.pairItems
        let order = (0..<count).sorted { lhs, rhs in
            if times[lhs] != times[rhs] { return times[lhs] < times[rhs] }
            if users[lhs] != users[rhs] { return users[lhs] < users[rhs] }
            return items[lhs] < items[rhs]
        }
        var isTest = [Bool](repeating: false, count: count)
        for pair in order[(count - testCount)...] {
            isTest[pair] = true
        }
        return isTest
    }

    /// Drops candidates whose user or item is not in train, re-indexes densely and builds the matrices.
    private init(_ interactions: InteractionSet, kind: SplitKind, candidates: [Bool]) throws(EvaluationError) {
        let count = interactions.pairCount
        var userInTrain = [Bool](repeating: false, count: interactions.userIDs.count)
        var itemInTrain = [Bool](repeating: false, count: interactions.itemIDs.count)
        for pair in 0..<count where !candidates[pair] {
            userInTrain[Int(interactions.pairUsers[pair])] = true
            itemInTrain[Int(interactions.pairItems[pair])] = true
        }
        // Dense indices in rank order, so they stay in byte order.
        let (userIDs, userDense) = Self.denseIndices(keeping: userInTrain, of: interactions.userIDs)
        let (itemIDs, itemDense) = Self.denseIndices(keeping: itemInTrain, of: interactions.itemIDs)

        var trainRows = [Int32](), trainColumns = [Int32](), trainTimes = [Double]()
        var testRows = [Int32](), testColumns = [Int32](), testTimes = [Double]()
        trainRows.reserveCapacity(count)
        trainColumns.reserveCapacity(count)
        trainTimes.reserveCapacity(count)
        for pair in 0..<count {
            let user = userDense[Int(interactions.pairUsers[pair])]
            let item = itemDense[Int(interactions.pairItems[pair])]
            if !candidates[pair] {
                trainRows.append(user)
                trainColumns.append(item)
                trainTimes.append(interactions.pairTimes[pair])
            } else if user >= 0, item >= 0 {
                testRows.append(user)
                testColumns.append(item)
                testTimes.append(interactions.pairTimes[pair])
            }
        }
        do {
            let train = try CSRMatrix.build(
                rowCount: userIDs.count, columnCount: itemIDs.count, rows: trainRows, columns: trainColumns,
                values: [Float](repeating: 1, count: trainRows.count), maxReducing: trainTimes)
            let test = try CSRMatrix.build(
                rowCount: userIDs.count, columnCount: itemIDs.count, rows: testRows, columns: testColumns,
                values: [Float](repeating: 1, count: testRows.count), maxReducing: testTimes)
            self.training = TrainingData(interactions: train.matrix, lastSeen: train.reduced)
            self.testItems = test.matrix.columns
            self.testTimes = test.reduced
            var users = [Int32](), offsets = [0]
            for row in 0..<test.matrix.rowCount where test.matrix.nonzeroCount(ofRow: row) > 0 {
                users.append(Int32(row))
                offsets.append(test.matrix.rowOffsets[row + 1])
            }
            self.testUsers = users
            self.testOffsets = offsets
        } catch {
            throw .matrix(error)
        }
        self.kind = kind
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.heldOut = nil
    }

    /// The kept ids in order, and for every rank its dense index (-1 when not kept).
    static func denseIndices(keeping kept: [Bool], of ids: [String]) -> (ids: [String], dense: [Int32]) {
        var keptIDs = [String]()
        var dense = [Int32](repeating: -1, count: ids.count)
        for rank in ids.indices where kept[rank] {
            dense[rank] = Int32(keptIDs.count)
            keptIDs.append(ids[rank])
        }
        return (keptIDs, dense)
    }
}
