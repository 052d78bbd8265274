import LinearAlgebra
import Models
import Testing

/// Whether `a` and `b` agree to a relative tolerance (absolute near zero).
func isClose(_ a: Double, _ b: Double, relativeTolerance: Double = 1e-5) -> Bool {
    abs(a - b) <= relativeTolerance * max(abs(a), abs(b), 1)
}

/// Training data from (user, item, weight, time) tuples.
func makeData(
    users: Int, items: Int, _ entries: [(user: Int32, item: Int32, weight: Float, time: Double)]
) throws -> TrainingData {
    let built = try CSRMatrix.build(
        rowCount: users, columnCount: items, rows: entries.map(\.user), columns: entries.map(\.item),
        values: entries.map(\.weight), maxReducing: entries.map(\.time))
    return TrainingData(interactions: built.matrix, lastSeen: built.reduced)
}

/// Binary training data from (user, item) pairs, all at time 0.
func makeBinaryData(users: Int, items: Int, _ pairs: [(Int32, Int32)]) throws -> TrainingData {
    try makeData(users: users, items: items, pairs.map { ($0.0, $0.1, 1, 0) })
}

/// A planted-structure data set: users and items fall into `groups` groups; a user interacts with each item
/// of their own group with probability `inGroup` and with any other item with probability `noise`. Every item
/// has a document naming its group (for the content model).
func plantedData(
    users: Int = 120, items: Int = 60, groups: Int = 4, inGroup: Double = 0.5, noise: Double = 0.02,
    seed: UInt64 = 5
) throws -> TrainingData {
    var generator = Xoshiro256StarStar(seed: seed)
    var pairs = [(Int32, Int32)]()
    for user in 0..<users {
        for item in 0..<items {
            let probability = user % groups == item % groups ? inGroup : noise
            if Double(generator.nextUnitFloat()) < probability { pairs.append((Int32(user), Int32(item))) }
        }
    }
    let data = try makeBinaryData(users: users, items: items, pairs)
    let documents = (0..<items).map { item in
        ItemDocument(categories: ["group\(item % groups)"], text: "item number \(item % 7) of \(item % groups)")
    }
    // Ratings 1–5 on the same pairs, for `mf`: higher within a user's own group.
    let ratings = data.interactions.replacingValues(data.interactions.columns.indices.map { entry in
        let user = data.interactions.rowOffsets.lastIndex { $0 <= entry }!
        let item = Int(data.interactions.columns[entry])
        return user % groups == item % groups ? Float(4 + (user + item) % 2) : Float(1 + (user + item) % 3)
    })
    return TrainingData(interactions: data.interactions, lastSeen: data.lastSeen, itemDocuments: documents, ratings: ratings)
}

/// The query of training user `user`: its row as history, its values as weights.
func trainingQuery(_ data: TrainingData, user: Int) -> UserQuery {
    let range = data.interactions.entryRange(ofRow: user)
    return UserQuery(
        user: Int32(user), history: Array(data.interactions.columns[range]),
        weights: Array(data.interactions.values[range]))
}

/// All scores of `model` for `query` (nil when it cannot answer).
func allScores(_ model: any Recommender, _ query: UserQuery) -> [Float]? {
    var scores = [Float](repeating: 0, count: model.itemCount)
    let answered = scores.withUnsafeMutableBufferPointer { model.score(query, into: $0) }
    return answered ? scores : nil
}

/// Training AUC: over every user and every (positive, negative) pair, the share ranked correctly.
func trainingAUC(_ model: any Recommender, _ data: TrainingData) -> Double {
    var correct = 0, total = 0
    for user in 0..<data.interactions.rowCount {
        let query = trainingQuery(data, user: user)
        guard let scores = allScores(model, query) else { continue }
        let positives = Set(query.history)
        for positive in positives {
            for negative in 0..<Int32(model.itemCount) where !positives.contains(negative) {
                total += 1
                if scores[Int(positive)] > scores[Int(negative)] { correct += 1 }
            }
        }
    }
    return total == 0 ? 0 : Double(correct) / Double(total)
}

/// Pearson's chi-square statistic of observed counts against expected counts (cells with nothing expected must
/// observe nothing).
func chiSquare(observed: [Int], expected: [Double]) -> Double {
    zip(observed, expected).reduce(0) { sum, cell in
        cell.1 == 0 ? (cell.0 == 0 ? sum : .infinity) : sum + (Double(cell.0) - cell.1) * (Double(cell.0) - cell.1) / cell.1
    }
}

/// `data` (its ratings kept) with item relations for `pairmf`: each user's consecutive items (by index) related, weight 1.
func withRelations(_ data: TrainingData) -> TrainingData {
    var first: [Int32] = [], second: [Int32] = []
    let matrix = data.interactions
    for user in 0..<matrix.rowCount {
        let range = matrix.entryRange(ofRow: user)
        for entry in range.dropFirst() {
            first.append(matrix.columns[entry - 1])
            second.append(matrix.columns[entry])
        }
    }
    return TrainingData(interactions: matrix, lastSeen: data.lastSeen, itemDocuments: data.itemDocuments, ratings: data.ratings,
                        relations: ItemPairs(itemCount: matrix.columnCount, first: first, second: second,
                                             weights: [Float](repeating: 1, count: first.count)))
}

/// Checks what every epoch-trained model promises: a fit reports epochs 1…`epochs` to its observer, each with a
/// model of `kind`, and a fit cancelled before it starts throws `cancelled`. `fit` runs one fit with the cancellation
/// and the observer it is given.
func expectEpochReportsAndCancellation(
    _ kind: ModelKind, epochs: Int, fit: (TrainingCancellation?, EpochObserver?) throws(ModelError) -> Void
) throws {
    var reported: [Int] = []
    try fit(nil) { epoch, model in
        reported.append(epoch)
        #expect(model().kind == kind)
    }
    #expect(reported == Array(1...epochs))
    let cancellation = TrainingCancellation()
    cancellation.cancel()
    #expect(throws: ModelError.cancelled(kind: kind)) { try fit(cancellation, nil) }
}
