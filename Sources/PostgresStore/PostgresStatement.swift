/// A statement the store prepares once per connection (`PQprepare`) and runs by name with bound parameters.
///
/// The SQL is fixed text with `$1`, `$2`, … placeholders; values only ever travel as parameters.
package struct PostgresStatement: Sendable, Hashable {
    /// The prepared statement's name on the server, also the name errors report.
    package let name: String
    /// The SQL text.
    package let sql: String

    /// Creates a statement.
    package init(_ name: String, _ sql: String) {
        self.name = name
        self.sql = sql
    }
}
