/// The limits a filter must stay within; the defaults are the public contract's.
package struct FilterLimits: Sendable, Equatable {
    /// The longest filter, in UTF-8 bytes.
    package var maxBytes = 4096
    /// How deeply parentheses and `NOT` may nest, counted together: `NOT (x)` is two levels.
    package var maxDepth = 32
    /// The most tests (`categories HAS`, comparisons, `IN`, `EXISTS`) in one filter.
    package var maxTests = 256
    /// The most values in one `IN` list.
    package var maxListValues = 256
    /// The longest string literal, in UTF-8 bytes of its value (after escapes are decoded).
    package var maxStringBytes = 1024

    /// The contract's limits.
    package init() {}
}
