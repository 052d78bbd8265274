import EventStore

/// Transactions on one connection.
extension PostgresConnection {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. A failed `COMMIT`
    /// (a deferred constraint, the connection lost) throws too, and nothing of the transaction is stored.
    package func inTransaction<Value>(_ body: () throws(PostgresError) -> Value) throws(PostgresError) -> Value {
        try execute("BEGIN")
        do throws(PostgresError) {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            rollbackIfNeeded()
            throw error
        }
    }

    /// Ends a transaction left open by a failure; a lost connection needs nothing.
    package func rollbackIfNeeded() {
        guard isUsable, isInTransaction else { return }
        _ = try? execute("ROLLBACK")
    }
}
