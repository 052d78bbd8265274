/// A model with an archive payload layout.
protocol ArchivableModel: Recommender {
    /// Appends the model-specific payload.
    func encodePayload(into writer: inout ArchiveWriter)
    /// Reads and validates the payload written by `encodePayload`.
    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> Self
}
