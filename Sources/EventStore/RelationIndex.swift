import Dispatch
import Locking

/// The stored relations in memory, so serving (`GET /items/{id}/relations`) and training read them without
/// touching SQLite: one weight per (from, to, type) and each item's outgoing and incoming keys.
///
/// **Threads.** Reads take a reader-writer lock; changes come only from the store's writer queue after the
/// transaction holding them committed (checked in debug builds).
package final class RelationIndex: @unchecked Sendable {
    // Safe to share: every stored property is read and written only under `lock`.

    /// One relation's identity.
    package struct Key: Hashable, Sendable {
        package var from: Int32
        package var to: Int32
        package var type: String

        /// Creates a key.
        package init(from: Int32, to: Int32, type: String) {
            self.from = from
            self.to = to
            self.type = type
        }
    }

    private let lock = ReadWriteLock()
    private let writerQueue: DispatchQueue
    private var weights: [Key: Float] = [:]
    private var outgoing: [Int32: [Key]] = [:]
    private var incoming: [Int32: [Key]] = [:]

    package init(writerQueue: DispatchQueue) {
        self.writerQueue = writerQueue
    }

    /// Relations stored.
    package var count: Int { lock.withReadLock { weights.count } }

    /// Stores or reweights committed relations. Only the writer queue may call this.
    package func apply(_ relations: [(key: Key, weight: Float)]) {
        writerQueue.assertIsCurrent()
        lock.withWriteLock {
            for (key, weight) in relations where weights.updateValue(weight, forKey: key) == nil {
                outgoing[key.from, default: []].append(key)
                incoming[key.to, default: []].append(key)
            }
        }
    }

    /// Forgets every relation from or to `item` (whose rows were deleted). Only the writer queue may call this.
    package func remove(item: Int32) {
        writerQueue.assertIsCurrent()
        lock.withWriteLock {
            let out = outgoing.removeValue(forKey: item) ?? []
            let into = incoming.removeValue(forKey: item) ?? []
            for key in out {
                weights[key] = nil
                incoming[key.to]?.removeAll { $0 == key }
                if incoming[key.to]?.isEmpty == true { incoming[key.to] = nil }
            }
            for key in into {
                weights[key] = nil
                outgoing[key.from]?.removeAll { $0 == key }
                if outgoing[key.from]?.isEmpty == true { outgoing[key.from] = nil }
            }
        }
    }

    /// The relations from (`.outgoing`) or to (`.incoming`) `item`, sorted by the other item's index, then type.
    package func relations(of item: Int32, direction: RelationDirection) -> [StoredRelation] {
        let found = lock.withReadLock { () -> [StoredRelation] in
            let keys = (direction == .outgoing ? outgoing[item] : incoming[item]) ?? []
            return keys.map { StoredRelation(from: $0.from, to: $0.to, type: $0.type, weight: weights[$0] ?? 0) }
        }
        return found.sorted {
            let (left, right) = direction == .outgoing ? ($0.to, $1.to) : ($0.from, $1.from)
            return (left, $0.type) < (right, $1.type)
        }
    }

    /// Every relation, in no particular order.
    package func all() -> [StoredRelation] {
        lock.withReadLock { weights.map { StoredRelation(from: $0.key.from, to: $0.key.to, type: $0.key.type, weight: $0.value) } }
    }

    /// The directed pairs with their weights summed over types, sorted by (from, to), for training.
    package func snapshot(itemCount: Int) -> RelationSnapshot {
        var summed: [UInt64: Float] = [:]
        lock.withReadLock {
            summed.reserveCapacity(weights.count)
            for (key, weight) in weights {
                summed[UInt64(UInt32(key.from)) << 32 | UInt64(UInt32(key.to)), default: 0] += weight
            }
        }
        let keys = summed.keys.sorted()
        return RelationSnapshot(
            itemCount: itemCount, from: keys.map { Int32($0 >> 32) }, to: keys.map { Int32($0 & 0xFFFF_FFFF) },
            weights: keys.map { summed[$0]! })
    }
}
