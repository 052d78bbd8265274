import LinearAlgebra
import Models

extension EvaluationSplit {
    /// Hashes the train and test pairs. Dense indices are in byte order and CSR rows are sorted, so walking
    /// the matrices row by row visits the pairs in the required order.
    package func fingerprints() -> SplitFingerprints {
        let matrix = training.interactions
        var train = PairHasher(userIDs: userIDs, itemIDs: itemIDs)
        for row in 0..<matrix.rowCount {
            for entry in matrix.entryRange(ofRow: row) {
                train.add(user: row, item: Int(matrix.columns[entry]))
            }
        }
        var test = PairHasher(userIDs: userIDs, itemIDs: itemIDs)
        for (position, user) in testUsers.enumerated() {
            for item in testItems(atTestUser: position) {
                test.add(user: Int(user), item: Int(item))
            }
        }
        return SplitFingerprints(train: train.finish(), test: test.finish())
    }
}

/// Streams `<user>\t<item>\n` lines into SHA-256 through a 64 KiB buffer.
private struct PairHasher: ~Copyable {
    let userIDs: [String]
    let itemIDs: [String]
    var hasher = SHA256Hasher()
    var buffer: [UInt8] = []

    init(userIDs: [String], itemIDs: [String]) {
        self.userIDs = userIDs
        self.itemIDs = itemIDs
        buffer.reserveCapacity(1 << 16)
    }

    mutating func add(user: Int, item: Int) {
        buffer.append(contentsOf: userIDs[user].utf8)
        buffer.append(UInt8(ascii: "\t"))
        buffer.append(contentsOf: itemIDs[item].utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 {
            hasher.update(buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    consuming func finish() -> String {
        hasher.update(buffer)
        return hasher.hexDigest()
    }
}
