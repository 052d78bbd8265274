import Configuration
import EventStore
import PostgresStore

/// The event store a process opened — SQLite or PostgreSQL, as `store` says — with the claim it holds on it.
package struct OpenedStore {
    /// The store.
    package let store: any EventStore
    /// The SQLite store's one-process lock (`StoreLock`); nil for PostgreSQL, which many processes share.
    package let lock: StoreLock?

    /// Opens the store `configuration` names. An SQLite file is locked first (`StoreLockError.inUse` when another
    /// process serves it); a PostgreSQL database is shared, each process applying the others' events through
    /// the change feed.
    package init(_ configuration: ServiceConfiguration) throws {
        if let target = configuration.postgresStore {
            store = try PostgresEventStore(configuration: configuration.postgresConfiguration(target))
            lock = nil
        } else {
            let lock = try StoreLock(databasePath: configuration.databasePath)
            do {
                store = try SQLiteEventStore(configuration: configuration.storeConfiguration)
            } catch {
                lock.release()
                throw error
            }
            self.lock = lock
        }
    }

    /// Commits what is pending, closes the store and lets go of the claim.
    package func close() {
        store.close()
        lock?.release()
    }
}
