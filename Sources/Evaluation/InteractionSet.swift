import EventFormats

/// The deduplicated positive pairs `(user, item, t)` of an event file (docs/EVALUATION.md §1–2).
///
/// Ids are kept once each, sorted ascending by their UTF-8 bytes, and pairs refer to them by position in
/// those arrays ("ranks"): comparing two ranks compares the ids in byte order, so every later sort and
/// tie-break works on integers. Pairs are unique per `(user, item)` and carry the largest timestamp seen.
package struct InteractionSet: Sendable {
    /// Every user id, ascending in byte order.
    package let userIDs: [String]
    /// Every item id, ascending in byte order.
    package let itemIDs: [String]
    /// The user rank (index into ``userIDs``) of each pair.
    package let pairUsers: [Int32]
    /// The item rank (index into ``itemIDs``) of each pair.
    package let pairItems: [Int32]
    /// The timestamp (unix seconds) of each pair: the largest among its rows.
    package let pairTimes: [Double]

    /// Number of distinct `(user, item)` pairs.
    package var pairCount: Int { pairTimes.count }

    /// Reads an event CSV file, drops rows with `weight < minWeight` (when given; a missing weight is 1),
    /// and collapses duplicate `(user, item)` rows into one pair with their largest timestamp.
    package static func load(path: String, minWeight: Double? = nil) throws(EvaluationError) -> InteractionSet {
        let reader: EventCSVReader
        do {
            reader = try EventCSVReader(path: path)
        } catch {
            throw .input(error)
        }
        var builder = Builder()
        do {
            while let row = try reader.next() {
                builder.add(row, minWeight: minWeight)
            }
        } catch {
            throw .input(error)
        }
        return builder.build()
    }

    /// Builds the set from rows already read, with the same filtering and deduplication as ``load(path:minWeight:)``.
    package init(rows: some Sequence<EventRow>, minWeight: Double? = nil) {
        var builder = Builder()
        for row in rows {
            builder.add(row, minWeight: minWeight)
        }
        self = builder.build()
    }

    /// Wraps pairs that are already unique and ranked; `userIDs`/`itemIDs` must be in byte order.
    init(userIDs: [String], itemIDs: [String], pairUsers: [Int32], pairItems: [Int32], pairTimes: [Double]) {
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        self.pairUsers = pairUsers
        self.pairItems = pairItems
        self.pairTimes = pairTimes
    }

    /// Interns ids in arrival order and deduplicates pairs, then re-ranks ids in byte order.
    private struct Builder {
        var userIndex: [ExactID: Int32] = [:]
        var itemIndex: [ExactID: Int32] = [:]
        var users: [String] = []
        var items: [String] = []
        var pairIndex: [UInt64: Int] = [:]
        var pairUsers: [Int32] = []
        var pairItems: [Int32] = []
        var pairTimes: [Double] = []

        mutating func add(_ row: EventRow, minWeight: Double?) {
            if let minWeight, (row.weight ?? 1) < minWeight { return }
            let user = Self.intern(row.user, &userIndex, &users)
            let item = Self.intern(row.item, &itemIndex, &items)
            let key = UInt64(UInt32(bitPattern: user)) << 32 | UInt64(UInt32(bitPattern: item))
            if let existing = pairIndex[key] {
                pairTimes[existing] = max(pairTimes[existing], row.timestamp)
            } else {
                pairIndex[key] = pairTimes.count
                pairUsers.append(user)
                pairItems.append(item)
                pairTimes.append(row.timestamp)
            }
        }

        static func intern(_ id: String, _ index: inout [ExactID: Int32], _ ids: inout [String]) -> Int32 {
            let key = ExactID(id)
            if let existing = index[key] { return existing }
            let next = Int32(ids.count)
            index[key] = next
            ids.append(id)
            return next
        }

        func build() -> InteractionSet {
            let (sortedUsers, userRank) = ByteOrder.rank(users)
            let (sortedItems, itemRank) = ByteOrder.rank(items)
            return InteractionSet(
                userIDs: sortedUsers, itemIDs: sortedItems,
                pairUsers: pairUsers.map { userRank[Int($0)] },
                pairItems: pairItems.map { itemRank[Int($0)] },
                pairTimes: pairTimes)
        }
    }
}
