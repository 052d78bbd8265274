import LinearAlgebra

/// Payload: factors `k` (u32), `k` singular values (f32), user factors then item factors (f32, row-major,
/// `k` columns).
extension SVD: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt32(factors))
        writer.write(singularValues)
        writer.write(userFactors.storage)
        writer.write(itemFactors.storage)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> SVD {
        let factors = Int(try reader.read(UInt32.self))
        guard factors >= 1 else { throw .invalidPayload("SVD factors must be ≥ 1") }
        guard factors <= reader.remaining / 4 else { throw .invalidPayload("SVD factors \(factors) exceed the payload") }
        let singularValues = try reader.readFloats(factors)
        let users = try factorMatrix(from: &reader, rows: userCount, columns: factors)
        let items = try factorMatrix(from: &reader, rows: itemCount, columns: factors)
        return SVD(userFactors: users, itemFactors: items, singularValues: singularValues)
    }
}
