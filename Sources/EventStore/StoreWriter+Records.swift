internal import CSQLite
import EventFormats

/// Catalogue records, deletions and erasure: each call is one transaction on the writer queue.
extension StoreWriter {
    /// Applies item writes in order, in one transaction, then publishes new ids and purges to `index` (a purge
    /// deletes the item's relations too).
    /// A delete of an item the store has never seen is reported as not found and changes nothing.
    func write(_ writes: [ItemWrite], into index: InteractionIndex) throws(EventStoreError) -> [ItemWriteOutcome] {
        queue.assertIsCurrent()
        guard isOpen else { throw .closed }
        let state = try connection.prepare(StoreSchema.selectItemState)
        let insert = try connection.prepare(StoreSchema.insertItemRecord)
        let update = try connection.prepare(StoreSchema.updateItemRecord)
        let countEvents = try connection.prepare("SELECT user, count(*) FROM events WHERE item = ?1 GROUP BY user")
        let deleteEvents = try connection.prepare(StoreSchema.deleteItemEvents)
        let deleteAttributions = try connection.prepare(StoreSchema.deleteItemAttributions)
        let subtractActivity = try StoreSchema.subtractActivity(where: "item = ?1").map { sql throws(EventStoreError) in
            try connection.prepare(sql)
        }
        let deleteRelations = try connection.prepare(StoreSchema.deleteItemRelations)
        var changes = IndexChanges()
        var newItems: [ExactID: Int32] = [:]
        var purges: [(item: Int32, events: [(user: Int32, count: Int)])] = []
        var outcomes: [ItemWriteOutcome] = []
        try inTransaction { () throws(EventStoreError) in
            for write in writes {
                let known = index.writerItemIndex(write.item) ?? newItems[ExactID(write.item)]
                switch write.action {
                case .put(let record):
                    if let known {
                        state.bind(Int64(known) + 1, at: 1)
                        let hadRecord = try state.step() && state.int64(at: 0) != 0
                        state.reset()
                        update.bind(Int64(known) + 1, at: 1)
                        update.bind(record, at: 2)
                        update.bind(Int64(0), at: 3)
                        try update.run()
                        outcomes.append(ItemWriteOutcome(index: known, created: !hadRecord, eventsDeleted: 0))
                    } else {
                        let next = index.writerItemCount + changes.newItems.count
                        guard next < Int(Int32.max) else { throw .capacityExceeded("more than Int32.max items") }
                        insert.bind(Int64(next) + 1, at: 1)
                        insert.bind(write.item, at: 2)
                        insert.bind(record, at: 3)
                        try insert.run()
                        newItems[ExactID(write.item)] = Int32(next)
                        changes.newItems.append(write.item)
                        outcomes.append(ItemWriteOutcome(index: Int32(next), created: true, eventsDeleted: 0))
                    }
                case .delete(let purge):
                    guard let known else {
                        outcomes.append(ItemWriteOutcome(index: nil, created: false, eventsDeleted: 0))
                        continue
                    }
                    update.bind(Int64(known) + 1, at: 1)
                    update.bind(nil, at: 2)
                    update.bind(Int64(1), at: 3)
                    try update.run()
                    var deleted = 0
                    if purge {
                        var perUser: [(user: Int32, count: Int)] = []
                        countEvents.bind(Int64(known) + 1, at: 1)
                        while try countEvents.step() {
                            perUser.append((Int32(countEvents.int64(at: 0) - 1), Int(countEvents.int64(at: 1))))
                        }
                        countEvents.reset()
                        for statement in subtractActivity {
                            statement.bind(Int64(known) + 1, at: 1)
                            try statement.run()
                        }
                        deleteAttributions.bind(Int64(known) + 1, at: 1)
                        try deleteAttributions.run()
                        deleteEvents.bind(Int64(known) + 1, at: 1)
                        try deleteEvents.run()
                        deleted = Int(connection.changes)
                        deleteRelations.bind(Int64(known) + 1, at: 1)
                        try deleteRelations.run()
                        purges.append((known, perUser))
                    }
                    outcomes.append(ItemWriteOutcome(index: known, created: false, eventsDeleted: deleted))
                }
            }
        }
        index.apply(changes)
        for purge in purges {
            index.purge(item: purge.item, events: purge.events)
            relations.remove(item: purge.item)
        }
        if !purges.isEmpty { try compact() }
        return outcomes
    }

    /// Sets (nil: removes) users' records in one transaction, claiming an index for a user the store has not seen;
    /// returns each user's index.
    func writeUserRecords(_ records: [(user: String, record: String?)], into index: InteractionIndex) throws(EventStoreError) -> [Int32] {
        queue.assertIsCurrent()
        guard isOpen else { throw .closed }
        var changes = IndexChanges()
        var newUsers: [ExactID: Int32] = [:]
        var indices: [Int32] = []
        try inTransaction { () throws(EventStoreError) in
            let update = try connection.prepare(StoreSchema.updateUserRecord)
            let insert = try connection.prepare(StoreSchema.insertUserRecord)
            for (id, record) in records {
                if let known = index.writerUserIndex(id) ?? newUsers[ExactID(id)] {
                    update.bind(Int64(known) + 1, at: 1)
                    update.bind(record, at: 2)
                    try update.run()
                    indices.append(known)
                } else {
                    let next = index.writerUserCount + changes.newUsers.count
                    guard next < Int(Int32.max) else { throw .capacityExceeded("more than Int32.max users") }
                    insert.bind(Int64(next) + 1, at: 1)
                    insert.bind(id, at: 2)
                    insert.bind(record, at: 3)
                    try insert.run()
                    newUsers[ExactID(id)] = Int32(next)
                    changes.newUsers.append(id)
                    indices.append(Int32(next))
                }
            }
        }
        index.apply(changes)
        return indices
    }

    /// Erases a user: every event of theirs and their record are deleted, their id is overwritten by a
    /// tombstone, and the file is compacted so the bytes leave it (`secure_delete` zeroes freed content; the
    /// WAL is checkpointed and truncated). Returns the number of events deleted, or nil for an unknown user.
    func erase(user id: String, from index: InteractionIndex) throws(EventStoreError) -> Int? {
        queue.assertIsCurrent()
        guard isOpen else { throw .closed }
        // The lists served to the user go even when the store holds no event of theirs.
        let deleteLists = try connection.prepare(StoreSchema.deleteUserServedLists)
        deleteLists.bind(id, at: 1)
        guard let user = index.writerUserIndex(id) else {
            try deleteLists.run()
            if connection.changes > 0 { try compact() }
            return nil
        }
        var perItem: [(item: Int32, count: Int)] = []
        var deleted = 0
        try inTransaction { () throws(EventStoreError) in
            let count = try connection.prepare("SELECT item, count(*) FROM events WHERE user = ?1 GROUP BY item")
            count.bind(Int64(user) + 1, at: 1)
            while try count.step() { perItem.append((Int32(count.int64(at: 0) - 1), Int(count.int64(at: 1)))) }
            for sql in StoreSchema.subtractActivity(where: "user = ?1") {
                let subtract = try connection.prepare(sql)
                subtract.bind(Int64(user) + 1, at: 1)
                try subtract.run()
            }
            try deleteLists.run()
            let deleteAttributions = try connection.prepare(StoreSchema.deleteUserAttributions)
            deleteAttributions.bind(Int64(user) + 1, at: 1)
            try deleteAttributions.run()
            let deleteEvents = try connection.prepare(StoreSchema.deleteUserEvents)
            deleteEvents.bind(Int64(user) + 1, at: 1)
            try deleteEvents.run()
            deleted = Int(connection.changes)
            let tombstone = try connection.prepare(StoreSchema.eraseUser)
            tombstone.bind(Int64(user) + 1, at: 1)
            tombstone.bind(StoreSchema.erasedPrefix + String(user), at: 2)
            try tombstone.run()
        }
        index.erase(user: user, events: perItem)
        try compact()
        return deleted
    }

    /// Every stored record: items (index, JSON or nil, deleted) and users (index, JSON).
    func records() throws(EventStoreError) -> StoredRecords {
        queue.assertIsCurrent()
        guard isOpen else { throw .closed }
        var records = StoredRecords()
        let items = try connection.prepare(StoreSchema.selectItemRecords)
        while try items.step() {
            records.items.append(StoredRecords.Item(
                index: Int32(items.int64(at: 0) - 1), json: items.isNull(at: 1) ? nil : items.text(at: 1),
                deleted: items.int64(at: 2) != 0))
        }
        let users = try connection.prepare(StoreSchema.selectUserRecords)
        while try users.step() {
            records.users.append((Int32(users.int64(at: 0) - 1), users.text(at: 1)))
        }
        return records
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func inTransaction(_ body: () throws(EventStoreError) -> Void) throws(EventStoreError) {
        try connection.execute("BEGIN IMMEDIATE")
        do throws(EventStoreError) {
            try body()
            try connection.execute("COMMIT")
        } catch {
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// Moves the WAL into the database file and truncates it, so deleted rows survive in neither file.
    private func compact() throws(EventStoreError) {
        try connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}

/// One write to an item's catalogue entry.
package struct ItemWrite: Sendable {
    /// What to do with the item.
    package enum Action: Sendable {
        /// Store this record (JSON text), creating the item if needed and undoing a deletion.
        case put(record: String)
        /// Delete the record and mark the item deleted; with `purge`, delete its events too.
        case delete(purge: Bool)
    }

    package let item: String
    package let action: Action

    package init(item: String, action: Action) {
        self.item = item
        self.action = action
    }
}

/// What one `ItemWrite` did.
package struct ItemWriteOutcome: Sendable, Equatable {
    /// The item's index; nil when a delete named an item the store has never seen.
    package let index: Int32?
    /// True when the item had no record before this write.
    package let created: Bool
    /// Events a purge deleted.
    package let eventsDeleted: Int

    /// Describes a write's outcome.
    package init(index: Int32?, created: Bool, eventsDeleted: Int) {
        self.index = index
        self.created = created
        self.eventsDeleted = eventsDeleted
    }
}

/// The catalogue records a store holds, read once at start.
package struct StoredRecords: Sendable {
    /// One item's stored state.
    package struct Item: Sendable {
        package let index: Int32
        /// The record's JSON, nil when deleted.
        package let json: String?
        package let deleted: Bool

        /// Describes an item's record.
        package init(index: Int32, json: String?, deleted: Bool) {
            self.index = index
            self.json = json
            self.deleted = deleted
        }
    }

    package var items: [Item] = []
    package var users: [(index: Int32, json: String)] = []

    /// No records.
    package init() {}
}
