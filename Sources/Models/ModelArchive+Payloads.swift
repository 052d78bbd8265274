import LinearAlgebra

/// Payload: `itemCount` float32 scores.
extension Popular: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(itemScores)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> Popular {
        Popular(userCount: userCount, itemScores: try reader.readFloats(itemCount))
    }
}

/// Payload: reference time (f64), half-life (f64), `itemCount` float32 scores.
extension Trending: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(referenceTime)
        writer.write(halfLifeSeconds)
        writer.write(itemScores)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> Trending {
        let reference = try reader.read(Double.self)
        let halfLife = try reader.read(Double.self)
        let scores = try reader.readFloats(itemCount)
        return Trending(userCount: userCount, itemScores: scores, referenceTime: reference, halfLifeSeconds: halfLife)
    }
}

/// Payload: entry count `e` (u64), `itemCount + 1` offsets (u64), `e` neighbour items (i32), `e` scores (f32).
extension ItemKNN: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt64(neighborItems.count))
        for offset in neighborOffsets { writer.write(UInt64(offset)) }
        writer.write(neighborItems)
        writer.write(neighborScores)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> ItemKNN {
        let entries = try reader.readCount(limit: reader.remaining / 8, what: "neighbour count")
        var offsets = [Int]()
        offsets.reserveCapacity(min(itemCount + 1, reader.remaining / 8))
        for _ in 0...itemCount {
            offsets.append(try reader.readCount(limit: entries, what: "neighbour offset"))
        }
        guard offsets.first == 0, offsets.last == entries else {
            throw .invalidPayload("neighbour offsets must run from 0 to \(entries)")
        }
        for item in 0..<itemCount where offsets[item] > offsets[item + 1] {
            throw .invalidPayload("neighbour offsets decrease at item \(item)")
        }
        let items = try reader.readInt32s(entries)
        guard items.allSatisfy({ $0 >= 0 && Int($0) < itemCount }) else {
            throw .invalidPayload("neighbour index out of range 0..<\(itemCount)")
        }
        let scores = try reader.readFloats(entries)
        return ItemKNN(
            userCount: userCount, itemCount: itemCount, neighborOffsets: offsets, neighborItems: items,
            neighborScores: scores)
    }
}

/// Payload: factors (u32), λ (f32), α (f32), confidence code (u8: 0 scaled, 1 onePlusScaled),
/// user factors then item factors (f32, row-major).
extension ALS: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt32(factors))
        writer.write(regularization)
        writer.write(alpha)
        writer.write(UInt8(confidence == .scaled ? 0 : 1))
        writer.write(userFactors.storage)
        writer.write(itemFactors.storage)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> ALS {
        let factors = Int(try reader.read(UInt32.self))
        let regularization = try reader.read(Float.self)
        let alpha = try reader.read(Float.self)
        let code = try reader.read(UInt8.self)
        guard factors >= 1 else { throw .invalidPayload("ALS factors must be ≥ 1") }
        guard code <= 1 else { throw .invalidPayload("unknown ALS confidence code \(code)") }
        let users = try factorMatrix(from: &reader, rows: userCount, columns: factors)
        let items = try factorMatrix(from: &reader, rows: itemCount, columns: factors)
        return ALS(
            userFactors: users, itemFactors: items, regularization: regularization, alpha: alpha,
            confidence: code == 0 ? .scaled : .onePlusScaled)
    }
}

/// Payload: factors without bias (u32), user factors then item factors, `factors + 1` columns (f32, row-major).
extension BPR: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(UInt32(factors))
        writer.write(userFactors.storage)
        writer.write(itemFactors.storage)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> BPR {
        let factors = Int(try reader.read(UInt32.self))
        guard factors >= 1 else { throw .invalidPayload("BPR factors must be ≥ 1") }
        let users = try factorMatrix(from: &reader, rows: userCount, columns: factors + 1)
        let items = try factorMatrix(from: &reader, rows: itemCount, columns: factors + 1)
        return BPR(userFactors: users, itemFactors: items)
    }
}

/// Reads a rows × columns float32 matrix, checking its size against what is left before allocating.
func factorMatrix(
    from reader: inout ArchiveReader, rows: Int, columns: Int
) throws(ModelArchiveError) -> DenseMatrix {
    let (count, overflow) = rows.multipliedReportingOverflow(by: columns)
    guard !overflow, count <= reader.remaining / 4 else {
        throw .invalidPayload("\(rows) × \(columns) factors do not fit in the payload")
    }
    let storage = try reader.readFloats(count)
    do {
        return try DenseMatrix(rowCount: rows, columnCount: columns, storage: storage)
    } catch {
        throw .invalidPayload(error.description)
    }
}

/// Payload: the fit's seed (u64).
extension UniformRandom: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(seed)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> UniformRandom {
        UniformRandom(userCount: userCount, itemCount: itemCount, seed: try reader.read(UInt64.self))
    }
}

/// Payload: the fit's seed (u64), τ (f32), `itemCount` float32 logits (`−∞`: never drawn).
extension SoftmaxPopularity: ArchivableModel {
    func encodePayload(into writer: inout ArchiveWriter) {
        writer.write(seed)
        writer.write(temperature)
        writer.write(logits)
    }

    static func decodePayload(
        from reader: inout ArchiveReader, userCount: Int, itemCount: Int
    ) throws(ModelArchiveError) -> SoftmaxPopularity {
        let seed = try reader.read(UInt64.self)
        let temperature = try reader.read(Float.self)
        guard temperature > 0, temperature.isFinite else { throw .invalidPayload("softmax temperature \(temperature) is not positive") }
        let logits = try reader.readFloats(itemCount)
        guard logits.allSatisfy({ $0 < .infinity && !$0.isNaN }) else {
            throw .invalidPayload("softmax logits must be finite or −∞")
        }
        return SoftmaxPopularity(userCount: userCount, logits: logits, temperature: temperature, seed: seed)
    }
}
