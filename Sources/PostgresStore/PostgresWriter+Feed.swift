import EventStore

/// The change feed: what other processes committed since `appliedSeq`, read and applied on the writer queue.
///
/// **Why no committed row is ever skipped.** A feed that reads `seq > cursor` loses rows when a later `seq`
/// commits before an earlier one (two writers draw 10 and 11, 11 commits, a reader moves its cursor to 11, then
/// 10 commits). Here `events_seq` is drawn only under the write lock, in the transaction that inserts the rows
/// (events, and the `changes` rows of records, relations, purges and erasures), and the lock is released only
/// after that transaction's commit is visible: so the transactions drawing from the sequence commit one after
/// another in `seq` order, and a reader that sees `seq` s committed also sees every smaller committed `seq`
/// (rolled-back draws leave harmless holes). This costs nothing beyond the lock the dense ids need anyway,
/// where tracking `pg_snapshot_xmin` or re-reading a window behind the cursor would add a query and a
/// de-duplication to every poll. (`EventFeedTests` append from many threads through two stores and check a
/// third sees every row.) A poll reads in one `REPEATABLE READ` snapshot, so the changes and the events it
/// reads are the same prefix of commits; a transaction under the write lock sees a quiet database anyway.
extension PostgresWriter {
    /// Reads what others committed since `appliedSeq` (in a snapshot or under the write lock). At open
    /// (`atOpen`) the changes are only skipped: what they did is in the tables already.
    func catchUp(atOpen: Bool = false) throws(EventStoreError) -> PostgresFeedRead {
        queue.assertIsCurrent()
        var read = PostgresFeedRead(seq: appliedSeq)
        try attempt { () throws(PostgresError) in
            // Names first: every event read below names a user and an item committed no later than itself.
            let userBase = index.writerUserCount, itemBase = index.writerItemCount
            let rows = try connection.run(
                PostgresSchema.namesAndChanges,
                [.int(userBase), .int(itemBase), .int(atOpen ? Int64.max : appliedSeq), .int(Int64(Int32.max))])
            var changes: [(seq: Int64, change: PostgresFeedRead.Change)] = []
            for row in 0..<rows.rowCount {
                switch rows.int64(row, 0) {
                case 0:
                    let name = rows.text(row, 2)
                    read.head.newUsers.append(name.hasPrefix(PostgresSchema.erasedPrefix) ? "" : name)
                case 1:
                    read.head.newItems.append(rows.text(row, 2))
                default:
                    let seq = rows.int64(row, 1)
                    read.seq = max(read.seq, seq)
                    if let change = PostgresFeedRead.Change(kind: rows.int64(row, 4), subject: rows.int64(row, 3)) {
                        changes.append((seq, change))
                    }
                }
            }
            if atOpen { read.seq = max(read.seq, try connection.run(PostgresSchema.changesHead).int64(0, 0)) }
            let userCount = Int64(userBase + read.head.newUsers.count), itemCount = Int64(itemBase + read.head.newItems.count)
            // The events, cut at each change: `segment` collects the events after the last cut.
            var segment = read.head
            var placed = 0
            func cut(before seq: Int64) {
                while placed < changes.count, changes[placed].seq < seq {
                    if read.steps.isEmpty { read.head = segment } else { read.steps[read.steps.count - 1].events = segment }
                    segment = IndexChanges()
                    read.steps.append((changes[placed].change, IndexChanges()))
                    placed += 1
                }
            }
            var seq = appliedSeq
            while true {
                let rows = try connection.run(PostgresSchema.eventsAfter, [.int(seq), explicitTypes, .int(Self.feedChunk)])
                for row in 0..<rows.rowCount {
                    let user = rows.int64(row, 1), item = rows.int64(row, 2)
                    guard user >= 1, user <= userCount, item >= 1, item <= itemCount else {
                        throw PostgresError(kind: .statement, sqlState: "RCS03",
                                            message: "event \(rows.int64(row, 0)) refers to user \(user) or item \(item), which do not exist",
                                            statement: PostgresSchema.eventsAfter.name)
                    }
                    if placed < changes.count { cut(before: rows.int64(row, 0)) }
                    let interaction = PendingInteraction(
                        user: Int32(user - 1), item: Int32(item - 1), weight: Float(rows.double(row, 3)), timestamp: rows.double(row, 4))
                    segment.interactions.append(interaction)
                    if rows.bool(row, 5) {
                        segment.ratings.append(PendingRating(
                            user: interaction.user, item: interaction.item, value: interaction.weight, timestamp: interaction.timestamp))
                    }
                }
                read.events += rows.rowCount
                if rows.rowCount > 0 { seq = rows.int64(rows.rowCount - 1, 0) }
                if rows.rowCount < Self.feedChunk { break }
            }
            read.seq = max(read.seq, seq)
            cut(before: .max)
            if read.steps.isEmpty { read.head = segment } else { read.steps[read.steps.count - 1].events = segment }
            if !changes.isEmpty { try readState(of: changes.map(\.change), into: &read, itemCount: itemCount) }
        } translating: { error in
            error.sqlState == "RCS03" ? .inconsistentData(path: configuration.target.redacted, detail: error.message) : nil
        }
        return read
    }

    /// Reads, in the feed's snapshot, what `changes` left: records and relations as they stand, and which items
    /// and users a purge or an erasure changed the event counts of.
    private func readState(of changes: [PostgresFeedRead.Change], into read: inout PostgresFeedRead, itemCount: Int64) throws(PostgresError) {
        var items = Set<Int32>(), users = Set<Int32>(), sources = Set<Int32>()
        for change in changes {
            switch change {
            case .itemRecord(let item): items.insert(item)
            case .itemPurge(let item):
                items.insert(item)
                read.recountItems.insert(item)
                let having = index.users(havingItem: item)
                read.purgedUsers[item] = having
                read.recountUsers.formUnion(having)
            case .userRecord(let user): users.insert(user)
            case .userErasure(let user):
                users.insert(user)
                read.recountUsers.insert(user)
                read.recountItems.formUnion(index.items(ofUser: user))
            case .relations(let item): sources.insert(item)
            }
        }
        if !items.isEmpty {
            let rows = try connection.run(PostgresSchema.feedItemRecords, [Self.ids(items)])
            for row in 0..<rows.rowCount {
                read.records.items.append(StoredRecords.Item(
                    index: Int32(rows.int64(row, 0) - 1), json: rows.optionalText(row, 1), deleted: rows.bool(row, 2)))
            }
        }
        if !users.isEmpty {
            let rows = try connection.run(PostgresSchema.feedUserRecords, [Self.ids(users)])
            for row in 0..<rows.rowCount { read.records.users.append((Int32(rows.int64(row, 0) - 1), rows.optionalText(row, 1))) }
        }
        if !sources.isEmpty {
            let rows = try connection.run(PostgresSchema.feedRelations, [Self.ids(sources)])
            for row in 0..<rows.rowCount {
                let source = rows.int64(row, 0), target = rows.int64(row, 1)
                guard source >= 1, source <= itemCount, target >= 1, target <= itemCount else { continue }
                read.relations.append((RelationIndex.Key(from: Int32(source - 1), to: Int32(target - 1), type: rows.text(row, 2)),
                                       Float(rows.double(row, 3))))
            }
        }
    }

    /// Recounts, in the feed's snapshot, the events of the items and users purges and erasures changed — those
    /// `read` found and those still waiting (`pendingRecount`). A scan of the events, so never under the write
    /// lock: a transaction that finds a purge or an erasure leaves the recount to the next poll (the counts are
    /// off by the deleted events until then, at most a poll).
    private func recount(into read: inout PostgresFeedRead) throws(EventStoreError) {
        let items = read.recountItems.union(pendingRecount.items), users = read.recountUsers.union(pendingRecount.users)
        guard !items.isEmpty || !users.isEmpty else { return }
        var itemCounts = Dictionary(uniqueKeysWithValues: items.map { ($0, 0) })
        var userCounts = Dictionary(uniqueKeysWithValues: users.map { ($0, 0) })
        try attempt { () throws(PostgresError) in
            let rows = try connection.run(PostgresSchema.feedRecount, [Self.ids(items), Self.ids(users)])
            for row in 0..<rows.rowCount {
                let subject = Int32(rows.int64(row, 1) - 1), events = Int(rows.int64(row, 2))
                if rows.int64(row, 0) == 0 { itemCounts[subject] = events } else { userCounts[subject] = events }
            }
        }
        read.counts = (itemCounts.map { (item: $0.key, events: $0.value) }, userCounts.map { (user: $0.key, events: $0.value) })
    }

    /// Dense indices as the tables' ids (index + 1), an array parameter.
    private static func ids(_ indices: Set<Int32>) -> PostgresValue { .array(indices.sorted().map { Int64($0) + 1 }) }

    /// Publishes what `catchUp` read to memory, in feed order, moves the cursor, and tells the observers: the
    /// commit observers of the events, the record observers of the records.
    func apply(_ read: PostgresFeedRead) {
        queue.assertIsCurrent()
        index.apply(read.head)
        for step in read.steps {
            switch step.change {
            case .itemPurge(let item):
                index.purge(item: item, fromUsers: read.purgedUsers[item] ?? [])
                relations.remove(item: item)
            case .userErasure(let user):
                index.erase(user: user, events: [])
            case .itemRecord, .userRecord, .relations:
                break
            }
            if !step.events.interactions.isEmpty { index.apply(step.events) }
        }
        // As they stand at the snapshot: a purge above took away only what the tables no longer hold either.
        relations.apply(read.relations)
        if let counts = read.counts {
            index.setEventCounts(items: counts.items, users: counts.users)
            pendingRecount = ([], [])
        } else {
            pendingRecount.items.formUnion(read.recountItems)
            pendingRecount.users.formUnion(read.recountUsers)
        }
        appliedSeq = read.seq
        if read.events > 0 { feedApplied(read.events) }
        if !read.records.isEmpty { recordsApplied(read.records) }
    }

    /// Applies what others committed since the last look (outside any transaction, in one snapshot).
    func pollFeed() throws(EventStoreError) {
        queue.assertIsCurrent()
        try checkOpen()
        let read = try inSnapshot { () throws(EventStoreError) in
            var read = try catchUp()
            try recount(into: &read)
            return read
        }
        guard !read.isEmpty || read.seq != appliedSeq else { return }
        apply(read)
    }

    /// Runs `body` in a read-only `REPEATABLE READ` transaction.
    func inSnapshot<Value>(_ body: () throws(EventStoreError) -> Value) throws(EventStoreError) -> Value {
        try attempt { () throws(PostgresError) in try connection.execute(PostgresSchema.beginSnapshot) }
        do throws(EventStoreError) {
            let value = try body()
            try attempt { () throws(PostgresError) in try connection.execute("COMMIT") }
            return value
        } catch {
            connection.rollbackIfNeeded()
            throw error
        }
    }

    /// Records this transaction's changes in `changes` at new feed positions (under the write lock, before the
    /// commit); returns the newest position, nil when there were none.
    func note(_ changes: [PostgresFeedRead.Change]) throws(PostgresError) -> Int64? {
        var seen = Set<Int64>()
        var kinds: [Int64] = [], subjects: [Int64] = []
        for change in changes {
            let row = change.row
            guard seen.insert(row.kind << 32 | row.subject).inserted else { continue }
            kinds.append(row.kind)
            subjects.append(row.subject)
        }
        guard !kinds.isEmpty else { return nil }
        let rows = try connection.run(PostgresSchema.noteChanges, [.array(kinds), .array(subjects)])
        return (0..<rows.rowCount).map { rows.int64($0, 0) }.max()
    }
}
