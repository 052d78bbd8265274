import EventFormats
import EventStore

/// Catalogue records, deletions, erasure and relations: each call is one transaction under the write lock.
extension PostgresWriter {
    static let itemRecordPut = PostgresStatement("item_record_put", """
        WITH old AS (SELECT record IS NOT NULL AS had FROM items WHERE id = $1)
        UPDATE items SET record = $2, deleted = false WHERE id = $1 RETURNING (SELECT had FROM old)
        """)
    static let itemRecordInsert = PostgresStatement(
        "item_record_insert", "INSERT INTO items (id, external, record) VALUES ($1, $2, $3)")
    static let itemDelete = PostgresStatement("item_delete", "UPDATE items SET record = NULL, deleted = true WHERE id = $1")
    static let itemEventCounts = PostgresStatement(
        "item_event_counts", "SELECT user_id, count(*) FROM events WHERE item_id = $1 GROUP BY user_id")
    static let itemSubtractActivity = PostgresStatement("item_subtract_activity", subtractActivity(where: "item_id = $1"))
    static let itemDeleteAttributions = PostgresStatement(
        "item_delete_attributions", "DELETE FROM attributions WHERE event IN (SELECT seq FROM events WHERE item_id = $1)")
    static let itemDeleteEvents = PostgresStatement("item_delete_events", "DELETE FROM events WHERE item_id = $1")
    static let itemDeleteRelations = PostgresStatement(
        "item_delete_relations", "DELETE FROM relations WHERE source = $1 OR target = $1")
    static let userRecordUpdate = PostgresStatement("user_record_update", "UPDATE users SET record = $2 WHERE id = $1")
    static let userRecordInsert = PostgresStatement(
        "user_record_insert", "INSERT INTO users (id, external, record) VALUES ($1, $2, $3)")
    static let userDeleteLists = PostgresStatement("user_delete_lists", "DELETE FROM served_lists WHERE user_name = $1")
    static let userEventCounts = PostgresStatement(
        "user_event_counts", "SELECT item_id, count(*) FROM events WHERE user_id = $1 GROUP BY item_id")
    static let userSubtractActivity = PostgresStatement("user_subtract_activity", subtractActivity(where: "user_id = $1"))
    static let userDeleteAttributions = PostgresStatement(
        "user_delete_attributions", "DELETE FROM attributions WHERE event IN (SELECT seq FROM events WHERE user_id = $1)")
    static let userDeleteEvents = PostgresStatement("user_delete_events", "DELETE FROM events WHERE user_id = $1")
    static let userTombstone = PostgresStatement("user_tombstone", "UPDATE users SET external = $2, record = NULL WHERE id = $1")
    static let dropEmptyActivity = PostgresStatement("drop_empty_activity", "DELETE FROM event_activity WHERE events <= 0")
    static let upsertRelation = PostgresStatement("upsert_relation", """
        INSERT INTO relations (source, target, type, weight) VALUES ($1, $2, $3, $4)
        ON CONFLICT (source, target, type) DO UPDATE SET weight = excluded.weight WHERE relations.weight <> excluded.weight
        """)

    /// Takes the events matching `condition` (on `events`, with `$1`) out of `event_activity`; run before deleting them.
    private static func subtractActivity(where condition: String) -> String {
        """
        UPDATE event_activity SET events = event_activity.events - removed.n
        FROM (SELECT trunc(ts / 3600)::bigint AS hour, type, count(*) AS n FROM events WHERE \(condition) GROUP BY 1, 2) AS removed
        WHERE event_activity.hour = removed.hour AND event_activity.type = removed.type
        """
    }

    /// Applies item writes in order, in one transaction, then publishes new ids and purges to memory.
    func write(_ writes: [ItemWrite]) throws(EventStoreError) -> [ItemWriteOutcome] {
        let outcome = try locked { (transaction: inout LockedTransaction) throws(EventStoreError) in
            var outcomes: [ItemWriteOutcome] = []
            var purges: [(item: Int32, events: [(user: Int32, count: Int)])] = []
            for write in writes {
                let known = transaction.item(write.item, in: index)
                switch write.action {
                case .put(let record):
                    if let known {
                        let had = try attempt { () throws(PostgresError) in
                            try connection.run(Self.itemRecordPut, [.int(Int64(known) + 1), .text(record)]).bool(0, 0)
                        }
                        outcomes.append(ItemWriteOutcome(index: known, created: !had, eventsDeleted: 0))
                        transaction.noted.append(.itemRecord(known))
                    } else {
                        let claimed = try transaction.claimItem(write.item, in: index, inserting: false)
                        try attempt { () throws(PostgresError) in
                            try connection.run(Self.itemRecordInsert, [.int(Int64(claimed) + 1), .text(write.item), .text(record)])
                        }
                        outcomes.append(ItemWriteOutcome(index: claimed, created: true, eventsDeleted: 0))
                        transaction.noted.append(.itemRecord(claimed))
                    }
                case .delete(let purge):
                    guard let known else {
                        outcomes.append(ItemWriteOutcome(index: nil, created: false, eventsDeleted: 0))
                        continue
                    }
                    let id = PostgresValue.int(Int64(known) + 1)
                    let deleted = try attempt { () throws(PostgresError) -> Int in
                        try connection.run(Self.itemDelete, [id])
                        guard purge else { return 0 }
                        let counts = try connection.run(Self.itemEventCounts, [id])
                        purges.append((known, (0..<counts.rowCount).map { (Int32(counts.int64($0, 0) - 1), Int(counts.int64($0, 1))) }))
                        try connection.run(Self.itemSubtractActivity, [id])
                        try connection.run(Self.dropEmptyActivity)
                        try connection.run(Self.itemDeleteAttributions, [id])
                        let deleted = try connection.run(Self.itemDeleteEvents, [id]).affectedRows
                        try connection.run(Self.itemDeleteRelations, [id])
                        return deleted
                    }
                    outcomes.append(ItemWriteOutcome(index: known, created: false, eventsDeleted: deleted))
                    transaction.noted.append(purge ? .itemPurge(known) : .itemRecord(known))
                }
            }
            return (outcomes, purges)
        }
        for purge in outcome.1 {
            index.purge(item: purge.item, events: purge.events)
            relations.remove(item: purge.item)
        }
        return outcome.0
    }

    /// Sets (nil: removes) users' records in one transaction, claiming an index for a user not seen yet.
    func writeUserRecords(_ records: [(user: String, record: String?)]) throws(EventStoreError) -> [Int32] {
        try locked { (transaction: inout LockedTransaction) throws(EventStoreError) -> [Int32] in
            var indices: [Int32] = []
            for (id, record) in records {
                if let known = transaction.user(id, in: index) {
                    try attempt { () throws(PostgresError) in
                        try connection.run(Self.userRecordUpdate, [.int(Int64(known) + 1), .string(record)])
                    }
                    indices.append(known)
                    transaction.noted.append(.userRecord(known))
                } else {
                    let claimed = try transaction.claimUser(id, in: index, inserting: false)
                    try attempt { () throws(PostgresError) in
                        try connection.run(Self.userRecordInsert, [.int(Int64(claimed) + 1), .text(id), .string(record)])
                    }
                    indices.append(claimed)
                    transaction.noted.append(.userRecord(claimed))
                }
            }
            return indices
        }
    }

    /// Erases a user: their events, record and served lists are deleted and their id overwritten by a
    /// tombstone. Returns the number of events deleted, nil for an unknown user (whose lists still go).
    ///
    /// Other processes learn of it from the change feed (`PostgresFeedRead.Change.userErasure`).
    func erase(user id: String) throws(EventStoreError) -> Int? {
        let outcome = try locked { (transaction: inout LockedTransaction) throws(EventStoreError) -> (Int32, Int, [(item: Int32, count: Int)])? in
            try attempt { () throws(PostgresError) in try connection.run(Self.userDeleteLists, [.text(id)]) }
            guard let user = transaction.user(id, in: index) else { return nil }
            transaction.noted.append(.userErasure(user))
            let key = PostgresValue.int(Int64(user) + 1)
            return try attempt { () throws(PostgresError) in
                let counts = try connection.run(Self.userEventCounts, [key])
                let perItem = (0..<counts.rowCount).map { (item: Int32(counts.int64($0, 0) - 1), count: Int(counts.int64($0, 1))) }
                try connection.run(Self.userSubtractActivity, [key])
                try connection.run(Self.dropEmptyActivity)
                try connection.run(Self.userDeleteAttributions, [key])
                let deleted = try connection.run(Self.userDeleteEvents, [key]).affectedRows
                try connection.run(Self.userTombstone, [key, .text(PostgresSchema.erasedPrefix + String(user))])
                return (user, deleted, perItem)
            }
        }
        guard let (user, deleted, perItem) = outcome else { return nil }
        index.erase(user: user, events: perItem)
        return deleted
    }

    /// Stores relations in one transaction (an existing (from, to, type) takes the new weight), claiming an
    /// index for an item not seen yet, then publishes them.
    func write(_ batch: [Relation]) throws(EventStoreError) -> RelationWriteResult {
        let outcome = try locked { (transaction: inout LockedTransaction) throws(EventStoreError) in
            var stored: [(key: RelationIndex.Key, weight: Float)] = []
            var result = RelationWriteResult(accepted: 0, unchanged: 0)
            for relation in batch {
                let key = RelationIndex.Key(
                    from: try transaction.claimItem(relation.from, in: index), to: try transaction.claimItem(relation.to, in: index),
                    type: relation.type)
                let changed = try attempt { () throws(PostgresError) in
                    try connection.run(Self.upsertRelation, [
                        .int(Int64(key.from) + 1), .int(Int64(key.to) + 1), .text(relation.type), .double(Double(relation.weight)),
                    ]).affectedRows
                }
                if changed == 0 {
                    result.unchanged += 1
                } else {
                    result.accepted += 1
                    stored.append((key, relation.weight))
                    transaction.noted.append(.relations(key.from))
                }
            }
            return (result, stored)
        }
        relations.apply(outcome.1)
        return outcome.0
    }
}
