import Hashing
import EventFormats
import LinearAlgebra
import Models

/// One fold of `--task rating` (docs/EVALUATION.md §9): the pairs with `h64(user, item) mod F == fold` are the
/// test set, the others train. Train users and items get dense indices in order of first appearance.
struct RatingFold {
    /// The fold's number in `0..<F`.
    let fold: Int
    /// Train ratings as users × items, and the same matrix as the interactions the trainer expects.
    let training: TrainingData
    /// Per test pair: the train index of its user and item (nil: not in train) and the true rating.
    let testUsers: [Int32?]
    let testItems: [Int32?]
    let testRatings: [Float]

    /// The fold number of each pair of `set` for `folds` folds.
    static func assignments(_ set: RatingSet, folds: Int) -> [Int] {
        (0..<set.count).map { Int(StableHash.h64(set.users[$0], set.items[$0]) % UInt64(folds)) }
    }

    /// Fold `fold` of `set`, given every pair's fold.
    init(_ set: RatingSet, fold: Int, assignments: [Int]) throws(EvaluationError) {
        self.fold = fold
        var userIndex: [ExactID: Int32] = [:], itemIndex: [ExactID: Int32] = [:]
        var rows: [Int32] = [], columns: [Int32] = [], values: [Float] = []
        for pair in 0..<set.count where assignments[pair] != fold {
            rows.append(Self.intern(set.users[pair], &userIndex))
            columns.append(Self.intern(set.items[pair], &itemIndex))
            values.append(set.ratings[pair])
        }
        let matrix: CSRMatrix
        do {
            matrix = try CSRMatrix(rowCount: userIndex.count, columnCount: itemIndex.count, rows: rows, columns: columns,
                                   values: values)
        } catch {
            throw .matrix(error)
        }
        training = TrainingData(
            interactions: matrix, lastSeen: [Double](repeating: 0, count: matrix.nonzeroCount), ratings: matrix)
        var testUsers: [Int32?] = [], testItems: [Int32?] = [], testRatings: [Float] = []
        for pair in 0..<set.count where assignments[pair] == fold {
            testUsers.append(userIndex[ExactID(set.users[pair])])
            testItems.append(itemIndex[ExactID(set.items[pair])])
            testRatings.append(set.ratings[pair])
        }
        self.testUsers = testUsers
        self.testItems = testItems
        self.testRatings = testRatings
    }

    /// Test pairs whose user or item has no train rating (scored from the known biases).
    var unknownPairs: Int { zip(testUsers, testItems).count { $0.0 == nil || $0.1 == nil } }

    /// RMSE and MAE of `model`'s clipped predictions on the test pairs.
    func errors(of model: MF) -> RatingErrors {
        var errors = RatingErrors()
        var vectors: [Int32: [Float]] = [:]
        for index in testRatings.indices {
            let vector = testUsers[index].flatMap { user in
                if let cached = vectors[user] { return cached }
                let vector = model.userVector(of: user)
                vectors[user] = vector
                return vector
            }
            errors.add(predicted: model.predict(user: vector, item: testItems[index]).rating, actual: testRatings[index])
        }
        return errors
    }

    /// RMSE and MAE of the MLP's clipped predictions on the test pairs.
    func errors(of model: MLP) -> RatingErrors {
        var errors = RatingErrors()
        for index in testRatings.indices {
            errors.add(predicted: model.predict(user: testUsers[index], item: testItems[index]), actual: testRatings[index])
        }
        return errors
    }

    private static func intern(_ id: String, _ index: inout [ExactID: Int32]) -> Int32 {
        let key = ExactID(id)
        if let existing = index[key] { return existing }
        let next = Int32(index.count)
        index[key] = next
        return next
    }
}

/// Accumulated absolute and squared errors of predicted ratings (float64 sums).
package struct RatingErrors: Sendable, Equatable {
    /// Pairs added.
    package private(set) var count = 0
    private var squared = 0.0
    private var absolute = 0.0

    /// No pairs yet.
    package init() {}

    /// Adds one prediction.
    package mutating func add(predicted: Float, actual: Float) {
        let error = Double(predicted) - Double(actual)
        squared += error * error
        absolute += abs(error)
        count += 1
    }

    /// Root mean squared error; 0 without pairs.
    package var rmse: Double { count == 0 ? 0 : (squared / Double(count)).squareRoot() }
    /// Mean absolute error; 0 without pairs.
    package var mae: Double { count == 0 ? 0 : absolute / Double(count) }
}
