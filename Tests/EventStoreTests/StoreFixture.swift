import EventStore
import PostgresStore
import TestSupport

/// The store implementations the parameterised tests run on: SQLite always, PostgreSQL when the test cluster is
/// given (or required, when its absence fails the tests).
enum StoreKind: CustomStringConvertible {
    case sqlite, postgres

    /// Every implementation that runs here.
    static var allCases: [StoreKind] { PostgresTestDatabase.shouldRun ? [.sqlite, .postgres] : [.sqlite] }

    var description: String { self == .sqlite ? "sqlite" : "postgres" }

    /// A store of this kind on `directory`'s storage — its SQLite file, or the fresh PostgreSQL database made for
    /// the directory on first use — so a second call reopens the first store's data; `directory` must outlive it.
    func make(
        in directory: TemporaryDirectory, explicitTypes: Set<String> = ["rating"], maxEventsPerTransaction: Int = 100_000
    ) throws -> any EventStore {
        switch self {
        case .sqlite:
            return try SQLiteEventStore(configuration: SQLiteEventStore.Configuration(
                path: directory.file("events.sqlite"), maxEventsPerTransaction: maxEventsPerTransaction, explicitTypes: explicitTypes))
        case .postgres:
            return try PostgresEventStore(configuration: postgresConfiguration(
                in: directory, explicitTypes: explicitTypes, maxEventsPerTransaction: maxEventsPerTransaction))
        }
    }

    /// The PostgreSQL store's configuration on `directory`'s database.
    func postgresConfiguration(
        in directory: TemporaryDirectory, explicitTypes: Set<String> = ["rating"], maxEventsPerTransaction: Int = 100_000
    ) throws -> PostgresEventStore.Configuration {
        let database = try directory.postgresDatabase()
        guard let target = PostgresTarget(url: database.url) else { throw PostgresTestDatabase.Failure.noCluster }
        return PostgresEventStore.Configuration(
            target: target, maxEventsPerTransaction: maxEventsPerTransaction, explicitTypes: explicitTypes)
    }
}

/// A store of one kind on fresh storage, reopened by `open()`.
struct StoreFixture {
    let kind: StoreKind
    let directory = TemporaryDirectory()

    init(_ kind: StoreKind) {
        self.kind = kind
    }

    /// Opens a store on the fixture's storage (again, to test a reopen).
    func open(explicitTypes: Set<String> = ["rating"], maxEventsPerTransaction: Int = 100_000) throws -> any EventStore {
        try kind.make(in: directory, explicitTypes: explicitTypes, maxEventsPerTransaction: maxEventsPerTransaction)
    }
}
