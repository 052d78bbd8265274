import LinearAlgebra

/// Payload: factors `k` (u32), μ, λ of the fold-in, lowest and highest rating (f32), the explicit types (u32
/// count, then each as a u32 length and UTF-8 bytes), user biases, item biases (f32), user then item rating
/// counts (i32), user factors then item factors (f32, row-major, `k` columns).
extension MF: ArchivableModel {
    /// Most explicit types an archive may name: a corrupt count must not make the reader loop long.
    static let archivedTypeLimit = 1_000

    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt32(factors))
        writer.write(globalMean)
        writer.write(foldInRegularization)
        writer.write(ratingRange.lowerBound)
        writer.write(ratingRange.upperBound)
        writer.write(explicitTypes)
        writer.write(userBiases)
        writer.write(itemBiases)
        writer.write(userRatingCounts)
        writer.write(itemRatingCounts)
        writer.write(userFactors.storage)
        writer.write(itemFactors.storage)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> MF {
        let factors = Int(try reader.read(UInt32.self))
        guard factors <= 1 << 16 else { throw .invalidPayload("MF factors \(factors) out of range") }
        let mean = try reader.read(Float.self)
        let regularization = try reader.read(Float.self)
        let lowest = try reader.read(Float.self), highest = try reader.read(Float.self)
        guard lowest <= highest, mean.isFinite, regularization > 0 else {
            throw .invalidPayload("MF mean, fold-in λ or rating range invalid")
        }
        let types = try reader.readStrings(limit: archivedTypeLimit, what: "MF explicit type")
        let userBiases = try reader.readFloats(userCount)
        let itemBiases = try reader.readFloats(itemCount)
        let userCounts = try reader.readInt32s(userCount)
        let itemCounts = try reader.readInt32s(itemCount)
        guard userCounts.allSatisfy({ $0 >= 0 }), itemCounts.allSatisfy({ $0 >= 0 }) else {
            throw .invalidPayload("MF rating counts out of range")
        }
        let users = try factorMatrix(from: &reader, rows: userCount, columns: factors)
        let items = try factorMatrix(from: &reader, rows: itemCount, columns: factors)
        return MF(
            globalMean: mean, userBiases: userBiases, itemBiases: itemBiases, userFactors: users, itemFactors: items,
            userRatingCounts: userCounts, itemRatingCounts: itemCounts, ratingRange: lowest...highest,
            foldInRegularization: regularization, explicitTypes: types)
    }
}
