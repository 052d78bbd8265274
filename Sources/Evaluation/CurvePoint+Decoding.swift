import JSON

extension CurvePoint {
    /// Reads one point of a learning curve (§9), the inverse of ``json``.
    package init(json: JSONValue) throws(ReportDecodingError) {
        try self.init(ReportNode(document: json))
    }

    init(_ node: ReportNode) throws(ReportDecodingError) {
        try self.init(
            epoch: node.member("epoch").integer(), metric: node.member("metric").double(),
            seconds: node.member("seconds").double(), loss: node.optionalMember("loss")?.double())
    }
}
