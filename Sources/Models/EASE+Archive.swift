import LinearAlgebra

/// Payload: λ (f32), covered item count `m` (u64), `m` covered items ascending (i32), B as `m × m` f32
/// row-major.
extension EASE: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(regularization)
        writer.write(UInt64(coveredItems.count))
        writer.write(coveredItems)
        writer.write(weights.storage)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> EASE {
        let regularization = try reader.read(Float.self)
        let size = try reader.readCount(limit: itemCount, what: "EASE covered item count")
        let covered = try reader.readInt32s(size)
        for (position, item) in covered.enumerated()
        where item < 0 || Int(item) >= itemCount || (position > 0 && covered[position - 1] >= item) {
            throw .invalidPayload("EASE covered items must ascend within 0..<\(itemCount)")
        }
        let weights = try factorMatrix(from: &reader, rows: size, columns: size)
        return EASE(
            userCount: userCount, itemCount: itemCount, regularization: regularization, coveredItems: covered,
            weights: weights)
    }
}
