import LinearAlgebra
import Models
import SyntheticData

/// Seeded synthetic events as a model's training data, the way the store aggregates them: one entry per
/// (user, item) pair with the summed event weight and the latest timestamp.
enum SyntheticTrainingData {
    /// `SyntheticEvents(userCount: users, itemCount: items, eventCount: events, seed: seed)` as training data.
    static func make(users: Int, items: Int, events: Int, seed: UInt64) throws -> TrainingData {
        var rows = [Int32](), columns = [Int32](), weights = [Float](), times = [Double]()
        rows.reserveCapacity(events)
        columns.reserveCapacity(events)
        weights.reserveCapacity(events)
        times.reserveCapacity(events)
        SyntheticEvents(userCount: users, itemCount: items, eventCount: events, seed: seed).forEach { event in
            rows.append(Int32(event.user))
            columns.append(Int32(event.item))
            weights.append(event.weight)
            times.append(event.timestamp)
        }
        let built = try CSRMatrix.build(
            rowCount: users, columnCount: items, rows: rows, columns: columns, values: weights, maxReducing: times)
        return TrainingData(interactions: built.matrix, lastSeen: built.reduced)
    }
}
