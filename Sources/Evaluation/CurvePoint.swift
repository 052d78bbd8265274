import JSON

/// One point of a learning curve (`--curve`, docs/EVALUATION.md §9): the model as it stood after `epoch` epochs.
package struct CurvePoint: Sendable, Equatable {
    /// Epochs done, from 1.
    package var epoch: Int
    /// The headline metric on the test data: NDCG at the smallest cut-off.
    package var metric: Double
    /// Fitting time up to the end of this epoch, seconds; scoring the curve is not counted.
    package var seconds: Double
    /// The training loss (implicit's ALS loss; ALS never raises it from one sweep to the next); nil for models
    /// that expose none.
    package var loss: Double?

    /// Creates a point.
    package init(epoch: Int, metric: Double, seconds: Double, loss: Double? = nil) {
        self.epoch = epoch
        self.metric = metric
        self.seconds = seconds
        self.loss = loss
    }

    var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("epoch", .integer(epoch)), ("metric", .number(metric)), ("seconds", .number(seconds)),
        ]
        if let loss { members.append(("loss", .number(loss))) }
        return .object(members)
    }
}
