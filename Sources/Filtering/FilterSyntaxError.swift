/// A ``FilterError`` while its position is still a UTF-8 byte offset; ``FilterParser`` converts the offset to
/// `Character`s once, when the error leaves it.
struct FilterSyntaxError: Error {
    let reason: FilterError.Reason
    let byteOffset: Int

    init(_ reason: FilterError.Reason, at byteOffset: Int) {
        self.reason = reason
        self.byteOffset = byteOffset
    }
}
