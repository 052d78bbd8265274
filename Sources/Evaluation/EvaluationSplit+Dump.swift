import Foundation
import LinearAlgebra
import Models

extension EvaluationSplit {
    /// Writes the pairs to `directory/train.csv` and `directory/test.csv`, and under strong generalization the
    /// input pairs to `directory/input.csv` (`user,item,timestamp`, sorted by `(user, item)` in byte order, RFC 4180
    /// quoting where needed), creating the directory if needed.
    ///
    /// Timestamps are written as plain decimals that read back to the same float64.
    package func writePairs(toDirectory directory: String) throws(EvaluationError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(path: directory, reason: "\(error)")
        }
        let matrix = training.interactions
        try writeCSV(at: directory + "/train.csv") { emit in
            for row in 0..<matrix.rowCount {
                for entry in matrix.entryRange(ofRow: row) {
                    emit(userIDs[row], Int(matrix.columns[entry]), training.lastSeen[entry])
                }
            }
        }
        try writeCSV(at: directory + "/test.csv") { emit in
            for position in testUsers.indices {
                let user = testUserID(atTestUser: position)
                for entry in testOffsets[position]..<testOffsets[position + 1] {
                    emit(user, Int(testItems[entry]), testTimes[entry])
                }
            }
        }
        guard let heldOut else { return }
        try writeCSV(at: directory + "/input.csv") { emit in
            for (row, user) in heldOut.ids.enumerated() {
                for entry in heldOut.input.entryRange(ofRow: row) {
                    emit(user, Int(heldOut.input.columns[entry]), heldOut.inputTimes[entry])
                }
            }
        }
    }

    private func writeCSV(
        at path: String, _ produce: (_ emit: (_ user: String, _ item: Int, _ time: Double) -> Void) -> Void
    ) throws(EvaluationError) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else { throw .cannotWrite(path: path, reason: "cannot create the file") }
        var buffer = Array("user,item,timestamp\n".utf8)
        var failure: (any Error)?
        produce { user, item, time in
            guard failure == nil else { return }
            CSVField.append(user, to: &buffer)
            buffer.append(UInt8(ascii: ","))
            CSVField.append(itemIDs[item], to: &buffer)
            buffer.append(UInt8(ascii: ","))
            buffer.append(contentsOf: PlainDecimal.format(time).utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 16 {
                do {
                    try handle.write(contentsOf: buffer)
                } catch {
                    failure = error
                }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        do {
            if let failure { throw failure }
            try handle.write(contentsOf: buffer)
            try handle.close()
        } catch {
            throw .cannotWrite(path: path, reason: "\(error)")
        }
    }
}
