import Foundation
import Glibc
import Testing
@testable import EventStore

struct StoreLockTests {
    @Test func secondClaimOnAStoreIsRefusedWithTheHoldersPID() throws {
        let directory = TemporaryDirectory()
        let database = directory.file("store.sqlite")
        let first = try StoreLock(databasePath: database)
        #expect(throws: StoreLockError.inUse(path: database, pid: getpid())) { try StoreLock(databasePath: database) }
        let refusal = StoreLockError.inUse(path: database, pid: 4242).description
        #expect(refusal.hasPrefix("store \(database) is in use by pid 4242"))
        first.release()
        let second = try StoreLock(databasePath: database)
        second.release()
        second.release()
    }

    @Test func lockGoesAwayWithItsHolder() throws {
        let directory = TemporaryDirectory()
        let database = directory.file("store.sqlite")
        do { _ = try StoreLock(databasePath: database) }
        _ = try StoreLock(databasePath: database)
    }

    @Test func unwritableDirectoryIsNamed() throws {
        let database = "/nonexistent-\(UUID().uuidString)/store.sqlite"
        #expect(throws: StoreLockError.cannotLock(path: database + ".lock", errno: ENOENT)) { try StoreLock(databasePath: database) }
    }
}
