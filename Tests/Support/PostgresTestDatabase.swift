import Foundation
import PostgresStore

/// A fresh, empty database on the tests' PostgreSQL cluster, dropped when the value goes away, so tests run in
/// parallel without seeing each other's rows.
///
/// The cluster is named by `RECSMITH_TEST_POSTGRES_URL` (`scripts/postgres-test-cluster.sh run -- swift test`,
/// which `make test` does). Tests that need it use `.enabled(if: PostgresTestDatabase.shouldRun,
/// Comment(rawValue: PostgresTestDatabase.skipMessage))`: without the variable they skip, unless `RECSMITH_REQUIRE_POSTGRES=1`
/// (set by `make test`), where they run and fail instead.
public final class PostgresTestDatabase: @unchecked Sendable {
    // Safe to share: every stored property is immutable.

    /// Why a database could not be made.
    public enum Failure: Error, CustomStringConvertible {
        case noCluster
        case cannotCreate(String)

        public var description: String {
            switch self {
            case .noCluster: "RECSMITH_TEST_POSTGRES_URL is not set and RECSMITH_REQUIRE_POSTGRES=1 says it must be"
            case let .cannotCreate(reason): "cannot create a test database: \(reason)"
            }
        }
    }

    /// The cluster's URL (its maintenance database), if one is given.
    public static var clusterURL: String? {
        ProcessInfo.processInfo.environment["RECSMITH_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `RECSMITH_REQUIRE_POSTGRES=1`: a missing cluster is a failure, not a skip.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["RECSMITH_REQUIRE_POSTGRES"] == "1" }

    /// True when PostgreSQL tests should run (and fail without a cluster).
    public static var shouldRun: Bool { clusterURL != nil || isRequired }

    /// Why PostgreSQL tests are skipped.
    public static let skipMessage =
        "skipped: RECSMITH_TEST_POSTGRES_URL is not set (scripts/postgres-test-cluster.sh run -- swift test, or `make test`)"

    /// The new database's URL.
    public let url: String
    /// Its name.
    public let name: String

    /// Creates a database with a unique name on the cluster.
    public init() throws {
        (name, url) = try Self.create()
    }

    deinit {
        Self.drop(name)
    }

    /// Creates a database with a unique name on the cluster and returns its name and URL; the caller drops it
    /// (`drop(_:)`). For a database that outlives any one value, as the end-to-end harness's per data directory.
    public static func create() throws -> (name: String, url: String) {
        guard let clusterURL else { throw Failure.noCluster }
        let name = "recsmith_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // The name is ours (hex digits), so it can be spliced; CREATE DATABASE takes no parameters.
        try maintenance(clusterURL) { connection in
            _ = try connection.execute("CREATE DATABASE \(name) TEMPLATE template0 ENCODING 'UTF8'")
        }
        return (name, replacingDatabase(in: clusterURL, with: name))
    }

    /// Drops the database `create()` named `name`, disconnecting its sessions; nothing when it is gone already.
    public static func drop(_ name: String) {
        guard let clusterURL, name.hasPrefix("recsmith_test_"), name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            return
        }
        try? maintenance(clusterURL) { connection in
            _ = try connection.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    /// Runs fixed SQL on the database (a test's look at the rows, or its sabotage).
    @discardableResult
    public func execute(_ sql: String) throws -> [[String?]] {
        try Self.query(url, sql)
    }

    /// Runs fixed SQL on the database at `url` and returns its rows as text.
    @discardableResult
    public static func query(_ url: String, _ sql: String) throws -> [[String?]] {
        guard let target = PostgresTarget(url: url) else { throw Failure.cannotCreate("not a postgresql:// URL") }
        let connection = try PostgresConnection(target: target, connectTimeout: .seconds(5), statementTimeout: nil)
        defer { connection.close() }
        let result = try connection.execute(sql)
        return (0..<result.rowCount).map { row in (0..<result.columnCount).map { result.optionalText(row, $0) } }
    }

    private static func maintenance(_ url: String, _ body: (PostgresConnection) throws -> Void) throws {
        guard let target = PostgresTarget(url: url) else { throw Failure.cannotCreate("not a postgresql:// URL") }
        let connection = try PostgresConnection(target: target, connectTimeout: .seconds(5), statementTimeout: nil)
        defer { connection.close() }
        try body(connection)
    }

    /// The URL with its database path replaced (`postgresql://u@h:5432/recsmith?x` → `…/name?x`).
    private static func replacingDatabase(in url: String, with database: String) -> String {
        let query = url.firstIndex(of: "?").map { String(url[$0...]) } ?? ""
        let base = url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
        let schemeEnd = base.range(of: "://")!.upperBound
        let authorityEnd = base[schemeEnd...].firstIndex(of: "/") ?? base.endIndex
        return String(base[..<authorityEnd]) + "/" + database + query
    }
}
