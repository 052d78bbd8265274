import LinearAlgebra

/// The one scoring path: score all items, mask the user's history, `excluded` and every item outside
/// `allowed` (when given), select the best `count`.
///
/// Returns at most `count` items, best first (equal scores: smaller item index first); items the model
/// cannot rank (`-Float.infinity`) never appear, so the list can be shorter. Empty when the model cannot
/// answer the query. Out-of-range history or excluded items are ignored; items past `allowed.count` are
/// not allowed.
package func recommend(
    _ model: any Recommender, for query: UserQuery, count: Int, excluding excluded: [Int32] = [],
    allowed: BitSet? = nil
) -> [ScoredItem] {
    guard count > 0, model.itemCount > 0 else { return [] }
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: model.itemCount) { scores in
        guard model.score(query, into: scores) else { return [] }
        allowed?.maskOthers(in: scores)
        var selector = TopKSelector(capacity: min(count, model.itemCount))
        return select(from: scores, query: query, excluded: excluded, selector: &selector)
    }
}

/// `recommend` for many queries at once, in parallel: queries are scored in blocks (one sgemm per block
/// for ALS and BPR) into per-worker buffers that are reused across blocks.
///
/// `excluded`, when given, holds one exclusion list per query. `results[q]` is what
/// `recommend(model, for: queries[q], count: count, excluding: excluded?[q] ?? [])` returns, except that
/// block scoring (sgemm instead of sgemv) may round scores differently in the last bits.
package func recommendBatch(
    _ model: any Recommender, for queries: [UserQuery], count: Int, excluding excluded: [[Int32]]? = nil,
    maxWorkers: Int = 0
) -> [[ScoredItem]] {
    precondition(excluded == nil || excluded!.count == queries.count, "one exclusion list per query")
    var results = [[ScoredItem]](repeating: [], count: queries.count)
    let itemCount = model.itemCount
    guard count > 0, itemCount > 0, !queries.isEmpty else { return results }
    BLAS.useSingleThread()
    // Blocks of up to 64 queries, fewer for huge catalogues so a block's scores stay near 16 MB.
    let blockSize = max(1, min(64, (4 << 20) / itemCount))
    let blocks = (queries.count + blockSize - 1) / blockSize
    let workers = parallelWorkerCount(forChunks: blocks, maxWorkers: maxWorkers)
    let scoreBuffers = UnsafeMutableBufferPointer<Float>.allocate(capacity: workers * blockSize * itemCount)
    let answeredBuffers = UnsafeMutableBufferPointer<Bool>.allocate(capacity: workers * blockSize)
    let selectors = UnsafeMutablePointer<TopKSelector>.allocate(capacity: workers)
    selectors.initialize(repeating: TopKSelector(capacity: min(count, itemCount)), count: workers)
    defer {
        scoreBuffers.deallocate()
        answeredBuffers.deallocate()
        selectors.deinitialize(count: workers)
        selectors.deallocate()
    }
    results.withUnsafeMutableBufferPointer { output in
        parallelFor(count: blocks, chunkSize: 1, maxWorkers: workers) { range, worker in
            let scores = UnsafeMutableBufferPointer(
                rebasing: scoreBuffers[worker * blockSize * itemCount..<(worker + 1) * blockSize * itemCount])
            let answered = UnsafeMutableBufferPointer(
                rebasing: answeredBuffers[worker * blockSize..<(worker + 1) * blockSize])
            for block in range {
                let first = block * blockSize
                let slice = queries[first..<min(queries.count, first + blockSize)]
                model.score(slice, into: scores, answered: answered)
                for offset in 0..<slice.count where answered[offset] {
                    let row = UnsafeMutableBufferPointer(
                        rebasing: scores[offset * itemCount..<(offset + 1) * itemCount])
                    output[first + offset] = select(
                        from: row, query: slice[first + offset], excluded: excluded?[first + offset] ?? [],
                        selector: &selectors[worker])
                }
            }
        }
    }
    return results
}

/// Masks history and exclusions with `-inf`, then selects the best `selector.capacity` items.
private func select(
    from scores: UnsafeMutableBufferPointer<Float>, query: UserQuery, excluded: [Int32],
    selector: inout TopKSelector
) -> [ScoredItem] {
    for item in query.history where item >= 0 && Int(item) < scores.count { scores[Int(item)] = -.infinity }
    for item in excluded where item >= 0 && Int(item) < scores.count { scores[Int(item)] = -.infinity }
    selector.offer(scores: UnsafeBufferPointer(scores))
    return selector.drainBestFirst(ScoredItem.init)
}
