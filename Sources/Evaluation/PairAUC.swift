import LinearAlgebra
import Models

/// AUC-ROC of item–item scores (docs/EVALUATION.md §9 `--task pairs`): for one `from` item, the fraction of
/// (target, negative) pairs the target outscores, ties counting ½; the reported AUC is the mean over `from` items.
package enum PairAUC {
    /// AUC of `positives` against `negatives` (ties ½); 0.5 when either is empty.
    package static func auc(positives: [Float], negatives: [Float]) -> Double {
        guard !positives.isEmpty, !negatives.isEmpty else { return 0.5 }
        let sorted = negatives.sorted()
        var wins = 0.0
        for score in positives {
            let below = lowerBound(sorted, score), notAbove = upperBound(sorted, score)
            wins += Double(below) + 0.5 * Double(notAbove - below)
        }
        return wins / (Double(positives.count) * Double(negatives.count))
    }

    /// The mean AUC over the split's `from` items, each scored with `logits(from, buffer)` (one score per item of
    /// the split); scored in parallel over the processors.
    package static func meanAUC(
        _ split: RelationSplit, logits: @Sendable (Int32, UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Double {
        let targets = split.targets, related = split.related, itemCount = split.itemIDs.count
        guard !targets.isEmpty else { return 0.5 }
        let results = UnsafeMutableBufferPointer<Double>.allocate(capacity: targets.count)
        defer { results.deallocate() }
        parallelFor(count: targets.count, chunkSize: 16) { range, _ in
            var scores = [Float](repeating: 0, count: itemCount)
            for position in range {
                let (from, positives) = targets[position]
                scores.withUnsafeMutableBufferPointer { logits(from, $0) }
                var negatives: [Float] = []
                negatives.reserveCapacity(itemCount)
                var cursor = 0
                let excluded = related[Int(from)]
                for item in 0..<Int32(itemCount) where item != from {
                    while cursor < excluded.count, excluded[cursor] < item { cursor += 1 }
                    if cursor < excluded.count, excluded[cursor] == item { continue }
                    negatives.append(scores[Int(item)])
                }
                results[position] = auc(positives: positives.map { scores[Int($0)] }, negatives: negatives)
            }
        }
        return results.reduce(0, +) / Double(targets.count)
    }

    private static func lowerBound(_ sorted: [Float], _ value: Float) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func upperBound(_ sorted: [Float], _ value: Float) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] <= value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
