import JSON

/// Sizes and fingerprints of a split, as reported under `"split"`.
package struct SplitSummary: Sendable, Equatable {
    /// The split's name (`leave-last-out` or `temporal`).
    package var kind: String
    /// Train pairs.
    package var trainPairs: Int
    /// Users in train.
    package var trainUsers: Int
    /// Catalogue size.
    package var trainItems: Int
    /// Users with at least one test pair.
    package var testUsers: Int
    /// Test pairs.
    package var testPairs: Int
    /// SHA-256 of the train and test pairs.
    package var fingerprints: SplitFingerprints

    /// Summarises `split` (hashes its pairs).
    package init(_ split: EvaluationSplit) {
        kind = split.kind.name
        trainPairs = split.trainPairCount
        trainUsers = split.userIDs.count
        trainItems = split.itemIDs.count
        testUsers = split.testUsers.count
        testPairs = split.testPairCount
        fingerprints = split.fingerprints()
    }

    var json: JSONValue {
        .object([
            ("kind", .string(kind)),
            ("train_pairs", .integer(trainPairs)),
            ("train_users", .integer(trainUsers)),
            ("train_items", .integer(trainItems)),
            ("test_users", .integer(testUsers)),
            ("test_pairs", .integer(testPairs)),
            ("fingerprint_train_sha256", .string(fingerprints.train)),
            ("fingerprint_test_sha256", .string(fingerprints.test)),
        ])
    }
}
