import EventStore
import PostgresStore
import TestSupport
import Testing

@Suite(.enabled(if: PostgresTestDatabase.shouldRun, Comment(rawValue: PostgresTestDatabase.skipMessage)))
struct PostgresConnectionTests {
    @Test func bindsValuesAsParametersSoQuotesAndBackslashesArriveIntact() throws {
        let database = try PostgresTestDatabase()
        let connection = try PostgresConnection(target: PostgresTarget(url: database.url)!, connectTimeout: .seconds(5), statementTimeout: nil)
        defer { connection.close() }
        let tricky = #"it's "quoted" \ {a,b} ; DROP TABLE x; --"#
        let echo = PostgresStatement("echo", "SELECT $1::text, ($2::text[])[2], array_length($2::text[], 1)")
        let result = try connection.run(echo, [.text(tricky), .array([Optional("a é"), Optional(tricky), nil])])
        #expect(result.text(0, 0) == tricky && result.text(0, 1) == tricky && result.int64(0, 2) == 3)
    }

    @Test func copiesRowsWithTabsNewlinesBackslashesAndNulls() throws {
        let database = try PostgresTestDatabase()
        let connection = try PostgresConnection(target: PostgresTarget(url: database.url)!, connectTimeout: .seconds(5), statementTimeout: nil)
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (n bigint, s text, d double precision)")
        var rows = CopyRows()
        let values: [(Int64, String?, Double)] = [
            (1, "a\tb\nc\\d\r", 0.1), (-2, nil, -1e-300), (3, "", 1_700_000_000.25), (0, "plain é 🙂", 0),
            (.min, "x", 1), (.max, "y", 2),
        ]
        for (n, s, d) in values {
            rows.append(n)
            rows.append(s)
            rows.append(d)
            rows.endRow()
        }
        #expect(try connection.inTransaction { () throws(PostgresError) in try connection.copy("COPY t FROM STDIN", rows: rows) } == 6)
        let read = try connection.execute("SELECT n, s, d FROM t ORDER BY n")
        #expect((0..<6).map { read.int64($0, 0) } == [.min, -2, 0, 1, 3, .max])
        #expect(read.optionalText(1, 1) == nil && read.text(3, 1) == "a\tb\nc\\d\r" && read.text(4, 1) == "")
        #expect(read.text(2, 1) == "plain é 🙂" && read.text(0, 1) == "x" && read.text(5, 1) == "y")
        #expect(read.double(1, 2) == -1e-300 && read.double(3, 2) == 0.1 && read.double(4, 2) == 1_700_000_000.25)
    }

    @Test func reportsTheSQLStateAndStatementOfAFailure() throws {
        let database = try PostgresTestDatabase()
        let connection = try PostgresConnection(target: PostgresTarget(url: database.url)!, connectTimeout: .seconds(5), statementTimeout: nil)
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (k text PRIMARY KEY)")
        let insert = PostgresStatement("insert_k", "INSERT INTO t VALUES ($1)")
        try connection.run(insert, [.text("secret-value")])
        let error = try #require(throws: PostgresError.self) { try connection.run(insert, [.text("secret-value")]) }
        #expect(error.sqlState == "23505" && error.statement == "insert_k" && error.kind == .statement && !error.isTransient)
        #expect(!error.description.contains("secret-value"), "bound values stay out of the message: \(error)")
    }

    @Test func aStatementTimeoutIsATransientError() throws {
        let database = try PostgresTestDatabase()
        let connection = try PostgresConnection(
            target: PostgresTarget(url: database.url)!, connectTimeout: .seconds(5), statementTimeout: .milliseconds(50))
        defer { connection.close() }
        let error = try #require(throws: PostgresError.self) { try connection.execute("SELECT pg_sleep(2)") }
        #expect(error.sqlState == "57014" && error.isTransient)
    }

    @Test func aFailedConnectionNamesTheServerButNotThePassword() throws {
        let url = "postgresql://recsmith:hunter2@127.0.0.1:1/recsmith"
        let error = try #require(throws: PostgresError.self) {
            try PostgresConnection(target: PostgresTarget(url: url)!, connectTimeout: .seconds(2), statementTimeout: nil)
        }
        #expect(error.kind == .connection && error.isTransient)
        #expect(error.description.contains("127.0.0.1") && !error.description.contains("hunter2"), "\(error)")
        let storeError = try #require(throws: EventStoreError.self) {
            try PostgresEventStore(configuration: PostgresEventStore.Configuration(target: PostgresTarget(url: url)!))
        }
        #expect(storeError.isTransient && !storeError.description.contains("hunter2"))
    }

    @Test func aBusyPoolFailsAfterItsAcquireTimeout() throws {
        let database = try PostgresTestDatabase()
        let pool = PostgresPool(settings: PostgresPool.Settings(
            target: PostgresTarget(url: database.url)!, maxConnections: 1, acquireTimeout: .milliseconds(100)))
        defer { pool.close() }
        let inner = try pool.withConnection { outer throws(PostgresError) -> PostgresError? in
            do throws(PostgresError) {
                try pool.withConnection { _ throws(PostgresError) in }
                return nil
            } catch {
                return error
            }
        }
        #expect(inner?.kind == .poolTimeout && inner?.isTransient == true)
        // Returned connections are reused.
        try pool.withConnection { connection throws(PostgresError) in try connection.execute("SELECT 1") }
    }

    @Test func refusesADatabaseThatHoldsOtherTables() throws {
        let database = try PostgresTestDatabase()
        try database.execute("CREATE TABLE orders (id integer)")
        let error = try #require(throws: EventStoreError.self) {
            try PostgresEventStore(configuration: PostgresEventStore.Configuration(target: PostgresTarget(url: database.url)!))
        }
        guard case .foreignDatabase = error else {
            Issue.record("expected foreignDatabase, got \(error)")
            return
        }
    }
}
