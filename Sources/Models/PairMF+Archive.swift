import LinearAlgebra

/// Payload: factors `k` (u32), item embeddings (f32, row-major, `k` columns), one bias per item (f32).
extension PairMF: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt32(factors))
        writer.write(embeddings.storage)
        writer.write(biases)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> PairMF {
        let factors = Int(try reader.read(UInt32.self))
        guard (1...1024).contains(factors) else { throw .invalidPayload("pair MF factors \(factors) out of 1...1024") }
        let embeddings = try factorMatrix(from: &reader, rows: itemCount, columns: factors)
        guard itemCount <= reader.remaining / 4 else { throw .invalidPayload("pair MF biases do not fit in the payload") }
        return PairMF(embeddings: embeddings, biases: try reader.readFloats(itemCount), userCount: userCount)
    }
}
