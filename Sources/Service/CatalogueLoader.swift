import Catalogue
import EventStore
import JSON
import Logging

/// Builds the in-memory catalogue from the records a store holds, at start, and applies the records other
/// processes change later (`RecordFeed`).
struct CatalogueLoader {
    let store: any EventStore
    let limits: RecordLimits
    let logger: Logger

    /// The catalogue of every stored record. A stored record that no longer passes validation (limits lowered
    /// since it was written) is kept out of the catalogue with a warning rather than stopping the service.
    func load() throws(EventStoreError) -> Catalogue {
        let stored = try store.storedRecords()
        let catalogue = Catalogue()
        Self.apply(items: stored.items, users: stored.users.map { ($0.index, Optional($0.json)) }, to: catalogue, limits: limits,
                   logger: logger)
        return catalogue
    }

    /// Puts stored records into `catalogue`: an item's record or its deletion, a user's record or its removal
    /// (nil). Records that do not pass validation are left out with a warning.
    static func apply(
        items: [StoredRecords.Item], users: [(index: Int32, json: String?)], to catalogue: Catalogue, limits: RecordLimits, logger: Logger
    ) {
        let decoder = RecordDecoder(limits: limits)
        var changes: [(index: Int32, change: Catalogue.ItemChange)] = []
        changes.reserveCapacity(items.count)
        var rejected = 0
        for item in items {
            guard let json = item.json else {
                if item.deleted { changes.append((item.index, .delete)) }
                continue
            }
            guard let value = try? JSONValue.parse(json), let (_, record) = try? decoder.itemRecord(value, expectedID: "") else {
                rejected += 1
                continue
            }
            changes.append((item.index, .put(record)))
        }
        catalogue.apply(changes)
        for user in users {
            guard let json = user.json else {
                catalogue.setUser(nil, at: user.index)
                continue
            }
            guard let value = try? JSONValue.parse(json), let (_, record) = try? decoder.userRecord(value, expectedID: "") else {
                rejected += 1
                continue
            }
            catalogue.setUser(record, at: user.index)
        }
        if rejected > 0 {
            logger.warning("stored records no longer pass validation and are left out of the catalogue", metadata: ["count": "\(rejected)"])
        }
    }
}
