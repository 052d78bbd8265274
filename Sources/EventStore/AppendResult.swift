/// What happened to one append request.
package struct AppendResult: Sendable, Hashable {
    /// Events stored by this request.
    package var accepted: Int
    /// Events skipped because their `id` was already stored (earlier, or earlier in the same request).
    package var duplicates: Int

    /// Creates a result.
    package init(accepted: Int, duplicates: Int) {
        self.accepted = accepted
        self.duplicates = duplicates
    }
}
