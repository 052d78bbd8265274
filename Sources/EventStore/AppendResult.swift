/// What happened to one append request.
public struct AppendResult: Sendable, Hashable {
    /// Events stored by this request.
    public var accepted: Int
    /// Events skipped because their `id` was already stored (earlier, or earlier in the same request).
    public var duplicates: Int

    /// Creates a result.
    public init(accepted: Int, duplicates: Int) {
        self.accepted = accepted
        self.duplicates = duplicates
    }
}
