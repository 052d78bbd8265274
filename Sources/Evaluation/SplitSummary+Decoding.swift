import JSON

extension SplitSummary {
    /// Reads a `"split"` object (§8, with §9's strong-generalization members), the inverse of ``json``.
    /// `frac_users_train` and `frac_interactions_in` come together or not at all.
    package init(json: JSONValue) throws(ReportDecodingError) {
        try self.init(ReportNode(document: json))
    }

    init(_ node: ReportNode) throws(ReportDecodingError) {
        kind = try node.member("kind").string()
        if let usersTrain = try node.optionalMember("frac_users_train") {
            fractions = (try usersTrain.double(), try node.member("frac_interactions_in").double())
        }
        trainPairs = try node.member("train_pairs").integer()
        trainUsers = try node.member("train_users").integer()
        trainItems = try node.member("train_items").integer()
        testUsers = try node.member("test_users").integer()
        testPairs = try node.member("test_pairs").integer()
        inputPairs = try node.optionalMember("input_pairs")?.integer()
        fingerprints = SplitFingerprints(
            train: try node.member("fingerprint_train_sha256").string(),
            test: try node.member("fingerprint_test_sha256").string(),
            input: try node.optionalMember("fingerprint_input_sha256")?.string())
    }
}
