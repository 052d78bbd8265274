import LinearAlgebra

/// Payload: first hidden width `h` (u32), second hidden width `s` (u32, 0: none), the first layer's weights
/// (`itemCount × h` f32) and biases (`h` f32), when `s > 0` the second layer's weights (`h × s`) and biases (`s`),
/// then the item rows `[E_j, b_j]` (`itemCount × (last width + 1)` f32).
extension Autoencoder: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt32(inputBias.count))
        writer.write(UInt32(secondLayer?.bias.count ?? 0))
        writer.write(inputWeights.storage)
        writer.write(inputBias)
        if let (weights, bias) = secondLayer {
            writer.write(weights.storage)
            writer.write(bias)
        }
        writer.write(itemFactors.storage)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> Autoencoder {
        let hidden = Int(try reader.read(UInt32.self)), second = Int(try reader.read(UInt32.self))
        guard (1...4096).contains(hidden), (0...4096).contains(second) else {
            throw .invalidPayload("autoencoder widths \(hidden), \(second) out of range")
        }
        let inputWeights = try factorMatrix(from: &reader, rows: itemCount, columns: hidden)
        let inputBias = try reader.readFloats(hidden)
        var secondLayer: (weights: DenseMatrix, bias: [Float])?
        if second > 0 {
            secondLayer = (try factorMatrix(from: &reader, rows: hidden, columns: second), try reader.readFloats(second))
        }
        let items = try factorMatrix(from: &reader, rows: itemCount, columns: (second > 0 ? second : hidden) + 1)
        return Autoencoder(
            userCount: userCount, inputWeights: inputWeights, inputBias: inputBias, secondLayer: secondLayer,
            itemFactors: items)
    }
}
