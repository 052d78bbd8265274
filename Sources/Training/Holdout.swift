import Evaluation
import LinearAlgebra
import Models
import Serving

/// How a pass picks the model that answers requests naming none (`serving.model = auto`).
package struct ModelSelection: Sendable, Equatable {
    /// Users whose latest event is held out (a seeded sample of those with at least two items).
    package var sampleUsers: Int
    /// The lists' cut-off; models are ranked by NDCG at it.
    package var k: Int
    /// True: after choosing, every model is fitted again on all events (what serves). False: the models fitted
    /// without the held-out events serve as they are (half the training time, a few events fewer).
    package var refit: Bool
    /// Seed of the user sample.
    package var seed: UInt64

    package init(sampleUsers: Int = 2_000, k: Int = 10, refit: Bool = true, seed: UInt64 = 1) {
        self.sampleUsers = sampleUsers
        self.k = k
        self.refit = refit
        self.seed = seed
    }
}

/// A pass's held-out events: the training data without each sampled user's latest item, and those items.
///
/// The latest item is the user's pair with the newest time (ties: the larger item index), the live form of
/// leave-last-out (docs/EVALUATION.md §3). Users with fewer than two items are never sampled: they would be left
/// with no history to rank from.
struct Holdout {
    /// The data models are fitted on to be compared.
    let training: TrainingData
    /// Sampled users, ascending.
    let users: [Int32]
    /// The held-out item of each sampled user.
    let items: [Int32]

    /// The holdout of `data`, or nil when no user has two items.
    init?(of data: TrainingData, selection: ModelSelection) {
        let matrix = data.interactions
        var candidates = (0..<matrix.rowCount).filter { matrix.nonzeroCount(ofRow: $0) >= 2 }
        guard !candidates.isEmpty else { return nil }
        var random = Xoshiro256StarStar(seed: selection.seed)
        if candidates.count > selection.sampleUsers {
            // A partial Fisher-Yates shuffle: the first `sampleUsers` are a uniform sample.
            for index in 0..<selection.sampleUsers {
                let other = index + random.nextIndex(below: candidates.count - index)
                candidates.swapAt(index, other)
            }
            candidates = Array(candidates[..<selection.sampleUsers]).sorted()
        }
        var heldOutEntry = [Int](repeating: -1, count: matrix.rowCount)
        var items: [Int32] = []
        for user in candidates {
            let range = matrix.entryRange(ofRow: user)
            var latest = range.lowerBound
            for entry in range where data.lastSeen[entry] >= data.lastSeen[latest] { latest = entry }
            heldOutEntry[user] = latest
            items.append(matrix.columns[latest])
        }
        var rowOffsets = [Int](repeating: 0, count: matrix.rowCount + 1)
        var columns: [Int32] = []
        var values: [Float] = []
        var lastSeen: [Double] = []
        columns.reserveCapacity(matrix.nonzeroCount - items.count)
        values.reserveCapacity(matrix.nonzeroCount - items.count)
        lastSeen.reserveCapacity(matrix.nonzeroCount - items.count)
        for user in 0..<matrix.rowCount {
            for entry in matrix.entryRange(ofRow: user) where entry != heldOutEntry[user] {
                columns.append(matrix.columns[entry])
                values.append(matrix.values[entry])
                lastSeen.append(data.lastSeen[entry])
            }
            rowOffsets[user + 1] = columns.count
        }
        guard let reduced = try? CSRMatrix(rowCount: matrix.rowCount, columnCount: matrix.columnCount,
                                           rowOffsets: rowOffsets, columns: columns, values: values)
        else { return nil }
        training = TrainingData(interactions: reduced, lastSeen: lastSeen, itemDocuments: data.itemDocuments, relations: data.relations)
        users = candidates.map { Int32($0) }
        self.items = items
    }

    /// How `model`, fitted on `training`, ranks each sampled user's held-out item among the items they have not
    /// seen in `training`.
    func evaluate(_ model: any Recommender, k: Int) -> HeldOutMetrics {
        let matrix = training.interactions
        let queries = users.map { user in
            let range = matrix.entryRange(ofRow: Int(user))
            return UserQuery(user: user, history: Array(matrix.columns[range]), weights: Array(matrix.values[range]),
                             lastSeen: Array(training.lastSeen[range]))
        }
        let lists = recommendBatch(model, for: queries, count: k)
        var metrics = MetricsAccumulator(ks: [k], catalogueSize: matrix.columnCount)
        for (list, item) in zip(lists, items) { metrics.add(recommended: list.map(\.item), relevant: [item]) }
        let result = metrics.results()[0]
        return HeldOutMetrics(k: k, ndcg: result.ndcg, recall: result.recall, coverage: result.coverage, users: result.users)
    }
}
