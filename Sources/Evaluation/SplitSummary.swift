import JSON

/// Sizes and fingerprints of a split, as reported under `"split"`.
package struct SplitSummary: Sendable, Equatable {
    /// The split's name (`leave-last-out`, `temporal` or `strong-generalization`).
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
    /// Input pairs of the held-out test users (strong generalization only).
    package var inputPairs: Int?
    /// `frac_users_train` and `frac_interactions_in` of strong generalization; nil for the other splits.
    package var fractions: (usersTrain: Double, interactionsIn: Double)?
    /// SHA-256 of the train, test (and input) pairs.
    package var fingerprints: SplitFingerprints

    /// Summarises `split` (hashes its pairs).
    package init(_ split: EvaluationSplit) {
        kind = split.kind.name
        trainPairs = split.trainPairCount
        trainUsers = split.userIDs.count
        trainItems = split.itemIDs.count
        testUsers = split.testUsers.count
        testPairs = split.testPairCount
        inputPairs = split.heldOut?.inputPairCount
        if case let .strongGeneralization(usersTrain, interactionsIn) = split.kind {
            fractions = (usersTrain, interactionsIn)
        }
        fingerprints = split.fingerprints()
    }

    package static func == (lhs: SplitSummary, rhs: SplitSummary) -> Bool {
        lhs.kind == rhs.kind && lhs.trainPairs == rhs.trainPairs && lhs.trainUsers == rhs.trainUsers
            && lhs.trainItems == rhs.trainItems && lhs.testUsers == rhs.testUsers && lhs.testPairs == rhs.testPairs
            && lhs.inputPairs == rhs.inputPairs && lhs.fractions?.usersTrain == rhs.fractions?.usersTrain
            && lhs.fractions?.interactionsIn == rhs.fractions?.interactionsIn && lhs.fingerprints == rhs.fingerprints
    }

    /// The §8 object; strong generalization adds its fractions, `input_pairs` and `fingerprint_input_sha256` (§9).
    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [("kind", .string(kind))]
        if let fractions {
            members.append(("frac_users_train", .number(fractions.usersTrain)))
            members.append(("frac_interactions_in", .number(fractions.interactionsIn)))
        }
        members += [
            ("train_pairs", .integer(trainPairs)),
            ("train_users", .integer(trainUsers)),
            ("train_items", .integer(trainItems)),
            ("test_users", .integer(testUsers)),
            ("test_pairs", .integer(testPairs)),
        ]
        if let inputPairs { members.append(("input_pairs", .integer(inputPairs))) }
        members.append(("fingerprint_train_sha256", .string(fingerprints.train)))
        members.append(("fingerprint_test_sha256", .string(fingerprints.test)))
        if let input = fingerprints.input { members.append(("fingerprint_input_sha256", .string(input))) }
        return .object(members)
    }
}
