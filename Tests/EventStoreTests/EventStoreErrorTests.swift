import Foundation
import Testing
@testable import EventStore

private func makeEvent(_ user: String, _ item: String, id: String? = nil) -> Event {
    Event(user: user, item: item, type: "view", weight: 1, timestamp: 1_000, id: id)
}

private func openingError(_ configuration: SQLiteEventStore.Configuration) -> EventStoreError? {
    do {
        let store = try SQLiteEventStore(configuration: configuration)
        store.close()
        return nil
    } catch {
        return error
    }
}

@Suite struct EventStoreErrorTests {
    @Test func refusesAFileThatIsNotSQLite() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("notes.txt")
        try String(repeating: "this is not a database\n", count: 200).write(toFile: path, atomically: false, encoding: .utf8)
        let error = openingError(.init(path: path))
        #expect(error == .notADatabase(path: path))
        #expect(error?.description == "\(path) is not an SQLite database")
    }

    @Test func refusesAMissingDirectory() {
        let error = openingError(.init(path: "/nonexistent-recsmith-dir/events.sqlite"))
        guard case .cannotOpen(let path, let failure)? = error else {
            Issue.record("expected cannotOpen, got \(String(describing: error))")
            return
        }
        #expect(path == "/nonexistent-recsmith-dir/events.sqlite")
        #expect(failure.code == 14)
    }

    @Test func refusesANewerSchema() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        try SQLiteEventStore(path: path).close()
        do {
            let connection = try SQLiteConnection(path: path, readOnly: false)
            try connection.execute("PRAGMA user_version = 99")
        }
        let error = openingError(.init(path: path))
        #expect(error == .newerSchema(path: path, found: 99, supported: StoreSchema.currentVersion))
        #expect(error?.isTransient == false)
    }

    @Test func refusesAnotherProgramsDatabase() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("other.sqlite")
        do {
            let connection = try SQLiteConnection(path: path, readOnly: false)
            try connection.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY)")
        }
        guard case .foreignDatabase? = openingError(.init(path: path)) else {
            Issue.record("an unversioned database with tables was accepted")
            return
        }
        do {
            let connection = try SQLiteConnection(path: path, readOnly: false)
            try connection.execute("PRAGMA application_id = 42")
        }
        #expect(openingError(.init(path: path)) == .foreignDatabase(path: path, detail: "application_id is 42"))
    }

    @Test func reportsDiskFullAndAcknowledgesNothingItDidNotStore() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        let store = try SQLiteEventStore(configuration: .init(path: path, maxPageCount: 40))
        var acknowledged = 0
        var failure: EventStoreError?
        for batch in 0..<200 where failure == nil {
            let events = (0..<50).map { k in
                makeEvent("user-\(batch)-\(k)-" + String(repeating: "u", count: 100), "item-\(k)", id: "event-\(batch)-\(k)")
            }
            do {
                acknowledged += try store.append(events).accepted
            } catch {
                failure = error
            }
        }
        guard case .diskFull(let details)? = failure else {
            Issue.record("expected diskFull, got \(String(describing: failure))")
            return
        }
        #expect(failure?.isTransient == true)
        #expect(failure?.code == "store_disk_full")
        #expect(details.code == 13)
        #expect(details.sql != nil)
        #expect(acknowledged > 0)
        #expect(store.eventCount == acknowledged)
        #expect(store.interactionSnapshot().count == acknowledged)
        store.close()

        let reopened = try SQLiteEventStore(path: path)
        #expect(reopened.eventCount == acknowledged)
        #expect(reopened.userCount == acknowledged)
        #expect(try reopened.append([makeEvent("after", "x")]).accepted == 1)
        reopened.close()
    }

    @Test func failsEveryRequestOfAFailedTransactionAndRecovers() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        let store = try SQLiteEventStore(configuration: .init(path: path, busyTimeoutMilliseconds: 20))
        _ = try store.append([makeEvent("a", "x")])
        let blocker = try SQLiteConnection(path: path, readOnly: false)
        try blocker.execute("BEGIN IMMEDIATE")
        #expect {
            try store.append([makeEvent("b", "y"), makeEvent("a", "z")])
        } throws: { error in
            guard let error = error as? EventStoreError, case .busy = error else { return false }
            return error.isTransient
        }
        #expect(store.eventCount == 1)
        #expect(store.userIndex("b") == nil)
        #expect(store.itemIndex("z") == nil)
        try blocker.execute("ROLLBACK")
        #expect(try store.append([makeEvent("b", "y")]) == AppendResult(accepted: 1, duplicates: 0))
        #expect(store.userIndex("b") == 1)
        #expect(store.itemIndex("y") == 1)
        store.close()
    }

    @Test func refusesWritesWhenOpenedReadOnly() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        do {
            let store = try SQLiteEventStore(path: path)
            _ = try store.append([makeEvent("a", "x")])
            store.close()
        }
        let store = try SQLiteEventStore(configuration: .init(path: path, readOnly: true))
        #expect(store.eventCount == 1)
        #expect {
            try store.append([makeEvent("b", "y")])
        } throws: { error in
            guard let error = error as? EventStoreError, case .readOnly(let failure) = error else { return false }
            return failure.sql != nil && !error.isTransient
        }
        #expect(store.eventCount == 1)
        #expect(store.userIndex("b") == nil)
        let copy = directory.file("copy.sqlite")
        try store.backup(to: copy)
        store.close()
        let restored = try SQLiteEventStore(path: copy)
        #expect(restored.eventCount == 1)
        restored.close()
    }

    @Test func refusesToMigrateWhenOpenedReadOnly() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(openingError(.init(path: path, readOnly: true)) == .needsMigration(path: path, found: 0, required: StoreSchema.currentVersion))
    }

    @Test func namesTheSQLButNeverBoundValues() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        try SQLiteEventStore(path: path).close()
        let store = try SQLiteEventStore(configuration: .init(path: path, readOnly: true))
        do {
            _ = try store.append([makeEvent("secret-user", "secret-item")])
            Issue.record("a read-only store accepted a write")
        } catch {
            let text = error.description
            #expect(text.contains("INSERT INTO events"))
            #expect(!text.contains("secret"))
        }
        store.close()
    }

    @Test func reportsInconsistentIDs() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("events.sqlite")
        try SQLiteEventStore(path: path).close()
        do {
            let connection = try SQLiteConnection(path: path, readOnly: false)
            try connection.execute("INSERT INTO users (id, external) VALUES (5, 'gap')")
        }
        #expect(openingError(.init(path: path)) == .inconsistentData(path: path, detail: "users ids are not dense (expected 1)"))
    }
}
