import LinearAlgebra

/// Payload: smoothing α (f32), window (u32), decay (f32), `itemCount` prior shares (f32), transition count `e`
/// (u64), `itemCount + 1` row offsets (u64), `e` next items (i32), `e` counts (f32).
extension Markov: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(parameters.smoothing)
        writer.write(UInt32(parameters.window))
        writer.write(parameters.decay)
        writer.write(prior)
        writer.write(UInt64(transitions.nonzeroCount))
        for offset in transitions.rowOffsets { writer.write(UInt64(offset)) }
        writer.write(transitions.columns)
        writer.write(transitions.values)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> Markov {
        let parameters = MarkovParameters(
            smoothing: try reader.read(Float.self), window: Int(try reader.read(UInt32.self)),
            decay: try reader.read(Float.self))
        do { try parameters.validate() } catch { throw .invalidPayload(error.description) }
        let prior = try reader.readFloats(itemCount)
        let entries = try reader.readCount(limit: reader.remaining / 8, what: "transition count")
        var offsets = [Int]()
        offsets.reserveCapacity(min(itemCount + 1, reader.remaining / 8))
        for _ in 0...itemCount { offsets.append(try reader.readCount(limit: entries, what: "transition offset")) }
        let columns = try reader.readInt32s(entries)
        let values = try reader.readFloats(entries)
        do {
            let transitions = try CSRMatrix(
                rowCount: itemCount, columnCount: itemCount, rowOffsets: offsets, columns: columns, values: values)
            return Markov(userCount: userCount, transitions: transitions, prior: prior, parameters: parameters)
        } catch {
            throw .invalidPayload("markov transitions: \(error.description)")
        }
    }
}
