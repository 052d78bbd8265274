import EventFormats

/// Item–item relations: upserts in one transaction, and the load at open.
extension StoreWriter {
    /// Stores relations in one transaction (an existing (from, to, type) gets the new weight), claiming an index
    /// for an item the store has not seen, then publishes them to `relations` and the new ids to `index`.
    func write(_ batch: [Relation], into index: InteractionIndex) throws(EventStoreError) -> RelationWriteResult {
        queue.assertIsCurrent()
        guard isOpen else { throw .closed }
        var changes = IndexChanges()
        var newItems: [ExactID: Int32] = [:]
        var stored: [(key: RelationIndex.Key, weight: Float)] = []
        var result = RelationWriteResult(accepted: 0, unchanged: 0)
        try inTransaction { () throws(EventStoreError) in
            let upsert = try connection.prepare(StoreSchema.upsertRelation)
            let insertItem = try connection.prepare(StoreSchema.insertItem)
            func item(_ id: String) throws(EventStoreError) -> Int32 {
                if let known = index.writerItemIndex(id) ?? newItems[ExactID(id)] { return known }
                let next = index.writerItemCount + changes.newItems.count
                guard next < Int(Int32.max) else { throw .capacityExceeded("more than Int32.max items") }
                insertItem.bind(Int64(next) + 1, at: 1)
                insertItem.bind(id, at: 2)
                try insertItem.run()
                newItems[ExactID(id)] = Int32(next)
                changes.newItems.append(id)
                return Int32(next)
            }
            for relation in batch {
                let key = RelationIndex.Key(from: try item(relation.from), to: try item(relation.to), type: relation.type)
                upsert.bind(Int64(key.from) + 1, at: 1)
                upsert.bind(Int64(key.to) + 1, at: 2)
                upsert.bind(relation.type, at: 3)
                upsert.bind(Double(relation.weight), at: 4)
                try upsert.run()
                if connection.changes == 0 {
                    result.unchanged += 1
                } else {
                    result.accepted += 1
                    stored.append((key, relation.weight))
                }
            }
        }
        index.apply(changes)
        relations.apply(stored)
        return result
    }

    /// Reads every stored relation into `relations` (at open).
    func loadRelations(itemCount: Int) throws(EventStoreError) {
        queue.assertIsCurrent()
        let rows = try connection.prepare(StoreSchema.selectRelations)
        var loaded: [(key: RelationIndex.Key, weight: Float)] = []
        while try rows.step() {
            let source = rows.int64(at: 0), target = rows.int64(at: 1)
            guard source >= 1, source <= Int64(itemCount), target >= 1, target <= Int64(itemCount) else {
                rows.reset()
                throw .inconsistentData(
                    path: configuration.path, detail: "a relation refers to item \(source) or \(target), which do not exist")
            }
            loaded.append((RelationIndex.Key(from: Int32(source - 1), to: Int32(target - 1), type: rows.text(at: 2)),
                           Float(rows.double(at: 3))))
        }
        relations.apply(loaded)
    }
}
