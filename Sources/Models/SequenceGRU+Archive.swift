import LinearAlgebra
import NeuralLayers

/// Payload: hidden width `h` (u32), window (u32), the GRU's W (`h × 3h` f32), U (`h × 3h`), b_x (`3h`) and b_h
/// (`3h`), the projection's weights (`h × h`) and biases (`h`), then the item rows `[E_j, b_j]`
/// (`itemCount × (h + 1)` f32).
extension SequenceGRU: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt32(hidden))
        writer.write(UInt32(window))
        writer.write(cell.inputWeights.storage)
        writer.write(cell.hiddenWeights.storage)
        writer.write(cell.inputBias)
        writer.write(cell.hiddenBias)
        writer.write(projectionWeights.storage)
        writer.write(projectionBias)
        writer.write(itemFactors.storage)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> SequenceGRU {
        let hidden = Int(try reader.read(UInt32.self)), window = Int(try reader.read(UInt32.self))
        guard (1...1024).contains(hidden), (1...1000).contains(window) else {
            throw .invalidPayload("sequence width \(hidden) or window \(window) out of range")
        }
        let cell = GRUWeights(
            inputWeights: try factorMatrix(from: &reader, rows: hidden, columns: 3 * hidden),
            hiddenWeights: try factorMatrix(from: &reader, rows: hidden, columns: 3 * hidden),
            inputBias: try reader.readFloats(3 * hidden), hiddenBias: try reader.readFloats(3 * hidden))
        let projectionWeights = try factorMatrix(from: &reader, rows: hidden, columns: hidden)
        let projectionBias = try reader.readFloats(hidden)
        let items = try factorMatrix(from: &reader, rows: itemCount, columns: hidden + 1)
        return SequenceGRU(
            userCount: userCount, window: window, itemFactors: items, cell: cell, projectionWeights: projectionWeights,
            projectionBias: projectionBias)
    }
}
