import Catalogue
import EventStore
import JSON
import Logging

/// Builds the in-memory catalogue from the records a store holds, at start.
struct CatalogueLoader {
    let store: any EventStore
    let limits: RecordLimits
    let logger: Logger

    /// The catalogue of every stored record. A stored record that no longer passes validation (limits lowered
    /// since it was written) is kept out of the catalogue with a warning rather than stopping the service.
    func load() throws(EventStoreError) -> Catalogue {
        let stored = try store.storedRecords()
        let decoder = RecordDecoder(limits: limits)
        let catalogue = Catalogue()
        var changes: [(index: Int32, change: Catalogue.ItemChange)] = []
        changes.reserveCapacity(stored.items.count)
        var rejected = 0
        for item in stored.items {
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
        for user in stored.users {
            guard let value = try? JSONValue.parse(user.json), let (_, record) = try? decoder.userRecord(value, expectedID: "") else {
                rejected += 1
                continue
            }
            catalogue.setUser(record, at: user.index)
        }
        if rejected > 0 {
            logger.warning("stored records no longer pass validation and are left out of the catalogue", metadata: ["count": "\(rejected)"])
        }
        return catalogue
    }
}
