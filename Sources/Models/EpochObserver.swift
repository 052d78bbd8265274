/// Called by an iterative fit after each of its epochs (an ALS sweep over users then items, a BPR epoch) with
/// the epoch number, from 1, and a function that builds the model as it stands then (a copy, so only an observer
/// that wants it pays for it), on the fitting thread; the fit waits for it to return. `recsmith evaluate
/// --curve` scores that model on the test data to draw learning curves.
package typealias EpochObserver = (_ epoch: Int, _ model: () -> any Recommender) -> Void
