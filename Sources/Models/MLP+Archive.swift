import LinearAlgebra

/// Payload: objective (u8: 0 ranking, 1 rating), factors `f` (u32), ReLU layer count `L` (u32) and each one's width
/// (u32), the offset μ, the lowest and highest training rating (f32), user then item training counts (i32), user then
/// item biases (f32), user then item embeddings (`f` columns, f32 row-major), then each of the `L + 1` dense layers'
/// weights (inputs × outputs) and biases, then the explicit types (u32 count, then each as a u32 length and UTF-8
/// bytes; absent from archives written before they were kept: `MLP.defaultExplicitTypes`). The item halves of the
/// first layer are recomputed on load.
extension MLP: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt8(objective == .ranking ? 0 : 1))
        writer.write(UInt32(factors))
        writer.write(UInt32(hiddenWidths.count))
        for width in hiddenWidths { writer.write(UInt32(width)) }
        writer.write(offset)
        writer.write(ratingRange.lowerBound)
        writer.write(ratingRange.upperBound)
        writer.write(userCounts)
        writer.write(itemCounts)
        writer.write(userBiases)
        writer.write(itemBiases)
        writer.write(userEmbeddings.storage)
        writer.write(itemEmbeddings.storage)
        for layer in layers {
            writer.write(layer.weights.storage)
            writer.write(layer.bias)
        }
        writer.write(explicitTypes)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> MLP {
        let code = try reader.read(UInt8.self)
        guard code <= 1 else { throw .invalidPayload("MLP objective code \(code)") }
        let factors = Int(try reader.read(UInt32.self)), depth = Int(try reader.read(UInt32.self))
        guard (1...1024).contains(factors), (1...4).contains(depth) else {
            throw .invalidPayload("MLP factors \(factors) or layer count \(depth) out of range")
        }
        var widths: [Int] = []
        for _ in 0..<depth {
            let width = Int(try reader.read(UInt32.self))
            guard (1...4096).contains(width) else { throw .invalidPayload("MLP layer width \(width) out of range") }
            widths.append(width)
        }
        let offset = try reader.read(Float.self)
        let lowest = try reader.read(Float.self), highest = try reader.read(Float.self)
        guard offset.isFinite, lowest.isFinite, highest.isFinite, lowest <= highest else {
            throw .invalidPayload("MLP offset or rating range invalid")
        }
        let userCounts = try reader.readInt32s(userCount), itemCounts = try reader.readInt32s(itemCount)
        guard userCounts.allSatisfy({ $0 >= 0 }), itemCounts.allSatisfy({ $0 >= 0 }) else {
            throw .invalidPayload("MLP training counts out of range")
        }
        let userBiases = try reader.readFloats(userCount), itemBiases = try reader.readFloats(itemCount)
        let users = try factorMatrix(from: &reader, rows: userCount, columns: factors)
        let items = try factorMatrix(from: &reader, rows: itemCount, columns: factors)
        var layers: [MLPLayer] = [], inputs = 2 * factors
        for width in widths + [1] {
            layers.append(MLPLayer(weights: try factorMatrix(from: &reader, rows: inputs, columns: width),
                                   bias: try reader.readFloats(width)))
            inputs = width
        }
        // Archives written before the types were kept end here: they were fitted to the default.
        let types = try reader.remaining > 0
            ? reader.readStrings(limit: MF.archivedTypeLimit, what: "MLP explicit type") : MLP.defaultExplicitTypes
        return MLP(
            objective: code == 0 ? .ranking : .rating, offset: offset, userEmbeddings: users, itemEmbeddings: items,
            userBiases: userBiases, itemBiases: itemBiases, layers: layers, userCounts: userCounts,
            itemCounts: itemCounts, ratingRange: lowest...highest, explicitTypes: types)
    }
}
