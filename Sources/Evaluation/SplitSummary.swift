/// Sizes and fingerprints of a split, as reported under `"split"`.
public struct SplitSummary: Sendable, Equatable {
    /// The split's name (`leave-last-out` or `temporal`).
    public var kind: String
    /// Train pairs.
    public var trainPairs: Int
    /// Users in train.
    public var trainUsers: Int
    /// Catalogue size.
    public var trainItems: Int
    /// Users with at least one test pair.
    public var testUsers: Int
    /// Test pairs.
    public var testPairs: Int
    /// SHA-256 of the train and test pairs.
    public var fingerprints: SplitFingerprints

    /// Summarises `split` (hashes its pairs).
    public init(_ split: EvaluationSplit) {
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
