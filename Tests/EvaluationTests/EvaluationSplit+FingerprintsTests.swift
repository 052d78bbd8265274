@testable import Evaluation
import Testing

/// Expected digests were computed by hand with Python's `hashlib.sha256` over the listed lines.
struct EvaluationSplitFingerprintsTests {
    @Test func fingerprintsLeaveLastOutSplit() throws {
        // train: "10\td\n9\ta\n9\tb\nw\tc\nx\tb\ny\ta\n", test: "10\ta\n9\tc\n"
        let split = try EvaluationSplit(SplitFixtures.leaveLastOut, kind: .leaveLastOut)
        let fingerprints = split.fingerprints()
        #expect(fingerprints.train == "c21aac40138db09fb7df291093c8ee781e97ebc60c3ffa07722baa0a508c739e")
        #expect(fingerprints.test == "1eda4f05bc6361642abf62945378e5e21b1b601718362beff68d1fd1cd43d03c")
    }

    @Test func fingerprintsTemporalSplit() throws {
        let split = try EvaluationSplit(SplitFixtures.temporal, kind: .temporal(percent: 30))
        let fingerprints = split.fingerprints()
        #expect(fingerprints.train == "eec6781fed71aadb5c3bbc4a1a96aca9f292020bbef8ebde7e306808bf298d45")
        #expect(fingerprints.test == "4123b0263d26059a4f32e9812ea35ce7071e6bf346fab56e0fc0ba426ab0296e")
    }

    @Test func hashesAcrossBufferFlushes() throws {
        // Enough pairs to pass the 64 KiB buffer several times; compared with one-shot hashing of the same text.
        var triples: [(String, String, Double)] = []
        var text = ""
        for user in 0..<300 {
            for item in 0..<40 {
                triples.append(("user-\(1000 + user)", "item-\(1000 + item)", Double(item)))
            }
        }
        let split = try EvaluationSplit(SplitFixtures.interactions(triples), kind: .temporal(percent: 0))
        for user in 0..<300 {
            for item in 0..<40 {
                text += "user-\(1000 + user)\titem-\(1000 + item)\n"
            }
        }
        #expect(split.fingerprints().train == SHA256Hasher.hex(of: Array(text.utf8)))
        #expect(split.fingerprints().test == SHA256Hasher.hex(of: []))
    }
}
