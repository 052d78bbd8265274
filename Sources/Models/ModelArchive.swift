import Hashing

/// Versioned binary save/load of every model.
///
/// Layout (all integers little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 8 | magic `RSMODEL\0` |
/// | 8 | 4 | format version (1) |
/// | 12 | 1 | model kind code (popular 1, trending 2, itemknn 3, als 4, bpr 5, content 6, ease 9, svd 10, random 11, softmax 12, mf 13, pairmf 14, markov 15, autoencoder 16, sequence 17, mlp 18) |
/// | 13 | 3 | zero |
/// | 16 | 8 | user count |
/// | 24 | 8 | item count |
/// | 32 | 8 | payload length `n` |
/// | 40 | n | payload (model-specific, see `ModelArchive+Payloads.swift`) |
/// | 40 + n | 8 | checksum (`Checksum64`) of bytes `0 ..< 40 + n`, header included |
///
/// Reading checks everything before trusting it, so a truncated or corrupt archive throws a
/// `ModelArchiveError` and never traps.
package enum ModelArchive {
    /// The format version this build writes and reads.
    package static let formatVersion: UInt32 = 1
    static let magic: [UInt8] = Array("RSMODEL\0".utf8)
    static let headerSize = 40
    static let checksumSize = 8

    /// The archive bytes of `model`.
    package static func encode(_ model: any Recommender) throws(ModelArchiveError) -> [UInt8] {
        guard let archivable = model as? any ArchivableModel else {
            throw .unsupportedModel(String(describing: type(of: model)))
        }
        var writer = ArchiveWriter()
        for byte in magic { writer.write(byte) }
        writer.write(formatVersion)
        writer.write(kindCode(model.kind))
        for _ in 0..<3 { writer.write(UInt8(0)) }
        writer.write(UInt64(model.userCount))
        writer.write(UInt64(model.itemCount))
        writer.write(UInt64(0))
        archivable.encodePayload(into: &writer)
        writer.patch(UInt64(writer.bytes.count - headerSize), at: 32)
        let checksum = writer.bytes.withUnsafeBytes { Checksum64.of($0) }
        writer.write(checksum)
        return writer.bytes
    }

    /// The model stored in `bytes`.
    package static func decode(_ bytes: [UInt8]) throws(ModelArchiveError) -> any Recommender {
        guard bytes.count >= headerSize + checksumSize else {
            if !bytes.starts(with: magic.prefix(bytes.count)) { throw .badMagic }
            throw .truncated(needed: headerSize + checksumSize, available: bytes.count)
        }
        var header = ArchiveReader(bytes, to: headerSize)
        for byte in magic where try header.read(UInt8.self) != byte { throw .badMagic }
        let version = try header.read(UInt32.self)
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        let code = try header.read(UInt8.self)
        for _ in 0..<3 where try header.read(UInt8.self) != 0 { throw .invalidPayload("reserved header bytes not zero") }
        let userCount = try header.read(UInt64.self)
        let itemCount = try header.read(UInt64.self)
        let payloadLength = try header.read(UInt64.self)
        let available = bytes.count - headerSize - checksumSize
        guard payloadLength <= UInt64(available) else {
            let needed = payloadLength > UInt64(Int.max / 2) ? Int.max : headerSize + Int(payloadLength) + checksumSize
            throw .truncated(needed: needed, available: bytes.count)
        }
        guard payloadLength == UInt64(available) else {
            throw .invalidPayload("\(available - Int(payloadLength)) bytes after the checksum")
        }
        let end = headerSize + Int(payloadLength)
        let computed = bytes.withUnsafeBytes { Checksum64.of(UnsafeRawBufferPointer(rebasing: $0[0..<end])) }
        var trailer = ArchiveReader(bytes, from: end)
        let stored = try trailer.read(UInt64.self)
        guard stored == computed else { throw .checksumMismatch(stored: stored, computed: computed) }

        guard let kind = kind(forCode: code) else { throw .unknownKind(code) }
        guard userCount <= UInt64(Int32.max), itemCount <= UInt64(Int32.max) else {
            throw .invalidPayload("dimensions \(userCount) × \(itemCount) exceed the index range")
        }
        var payload = ArchiveReader(bytes, from: headerSize, to: end)
        let model = try payloadType(of: kind).decodePayload(
            from: &payload, userCount: Int(userCount), itemCount: Int(itemCount))
        guard payload.remaining == 0 else { throw .invalidPayload("\(payload.remaining) unread payload bytes") }
        return model
    }

    /// Writes `model` to `path` atomically: a temporary file beside it, fsync, rename, fsync of the directory.
    package static func write(_ model: any Recommender, to path: String) throws(ModelArchiveError) {
        try writeFile(try encode(model), to: path)
    }

    /// Reads the model stored at `path`.
    package static func read(from path: String) throws(ModelArchiveError) -> any Recommender {
        try decode(try readFile(path))
    }

    static func kindCode(_ kind: ModelKind) -> UInt8 {
        switch kind {
        case .popular: return 1
        case .trending: return 2
        case .itemknn: return 3
        case .als: return 4
        case .bpr: return 5
        case .content: return 6
        case .random: return 11
        case .softmax: return 12
        case .ease: return 9
        case .svd: return 10
        case .mf: return 13
        case .pairmf: return 14
        case .markov: return 15
        case .autoencoder: return 16
        case .sequence: return 17
        case .mlp: return 18
        }
    }

    static func kind(forCode code: UInt8) -> ModelKind? {
        ModelKind.allCases.first { kindCode($0) == code }
    }

    static func payloadType(of kind: ModelKind) -> any ArchivableModel.Type {
        switch kind {
        case .popular: return Popular.self
        case .trending: return Trending.self
        case .itemknn: return ItemKNN.self
        case .als: return ALS.self
        case .bpr: return BPR.self
        case .content: return ContentModel.self
        case .random: return UniformRandom.self
        case .softmax: return SoftmaxPopularity.self
        case .ease: return EASE.self
        case .svd: return SVD.self
        case .mf: return MF.self
        case .pairmf: return PairMF.self
        case .markov: return Markov.self
        case .autoencoder: return Autoencoder.self
        case .sequence: return SequenceGRU.self
        case .mlp: return MLP.self
        }
    }
}
