/// Size limits on records, checked field by field when a record is decoded.
package struct RecordLimits: Sendable, Equatable {
    /// Categories per item.
    package var maxCategories = 64
    /// Bytes per category.
    package var maxCategoryBytes = 128
    /// Labels per record.
    package var maxLabels = 64
    /// Bytes of a string label value, and of each element of an array value.
    package var maxLabelValueBytes = 1024
    /// Elements of an array label value.
    package var maxLabelArrayCount = 64
    /// Bytes of `text`.
    package var maxTextBytes = 16_384
    /// Records in one `POST /items` batch or import chunk.
    package var maxBatchSize = 10_000

    package init() {}
}
