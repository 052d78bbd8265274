import LinearAlgebra

extension BPR {
    /// Trains by SGD exactly as docs/EVALUATION.md §6 and implicit's `bpr_update`.
    ///
    /// Init: items, then users, `(U[0,1) − 0.5) / factors` from `seed`; rows without interactions are zero;
    /// the users' last column is 1. Each epoch draws `pairs` samples split evenly over `threads` workers,
    /// each with its own generator (stream `t` of `seed`): the positive is a uniformly random stored pair,
    /// the negative the item of another uniformly random pair (∝ popularity), skipped (not redrawn) when the
    /// user has it. Workers update the shared factors without locks (Hogwild), so only `threads == 1`
    /// reproduces bit for bit. `cancellation` is checked before each epoch; `observer`, when given, sees a copy of
    /// the model after each epoch.
    package static func fit(
        _ data: TrainingData, parameters: BPRParameters = .init(), seed: UInt64, cancellation: TrainingCancellation? = nil,
        observer: EpochObserver? = nil
    ) throws(ModelError) -> BPR {
        try parameters.validate()
        let matrix = data.interactions
        let pairs = matrix.nonzeroCount
        guard pairs > 0, matrix.rowCount > 0, matrix.columnCount > 0 else { throw .emptyTrainingData(kind: .bpr) }
        let width = parameters.factors + 1
        var generator = Xoshiro256StarStar(seed: seed)
        var items = initialFactors(rows: matrix.columnCount, width: width, generator: &generator)
        var users = initialFactors(rows: matrix.rowCount, width: width, generator: &generator)
        let itemCounts = matrix.columnNonzeroCounts()
        for item in 0..<matrix.columnCount where itemCounts[item] == 0 {
            items.withMutableRow(item) { $0.update(repeating: 0) }
        }
        var userOfPair = [Int32](repeating: 0, count: pairs)
        for user in 0..<matrix.rowCount {
            if matrix.nonzeroCount(ofRow: user) == 0 { users.withMutableRow(user) { $0.update(repeating: 0) } }
            users[user, width - 1] = 1
            for entry in matrix.entryRange(ofRow: user) { userOfPair[entry] = Int32(truncatingIfNeeded: user) }
        }

        let threads = parameters.threads > 0 ? parameters.threads : processorCount
        var generators = (0..<threads).map { Xoshiro256StarStar(seed: seed, stream: UInt64($0)) }
        let sampler = BPRSampler(
            factors: parameters.factors, learningRate: parameters.learningRate,
            regularization: parameters.regularization, verifyNegatives: parameters.verifyNegativeSamples)
        // Negative checks look up a users × items bitset when it is small enough (one cached load instead of a
        // binary search), else binary-search the user's row.
        let membership = parameters.verifyNegativeSamples ? PairMembership(matrix) : nil
        users.withUnsafeMutableBufferPointer { userBuffer in
            items.withUnsafeMutableBufferPointer { itemBuffer in
                matrix.columns.withUnsafeBufferPointer { columns in
                    matrix.rowOffsets.withUnsafeBufferPointer { offsets in
                        userOfPair.withUnsafeBufferPointer { owners in
                            generators.withUnsafeMutableBufferPointer { streams in
                                for epoch in 0..<parameters.epochs where !(cancellation?.isCancelled ?? false) {
                                    parallelFor(count: threads, chunkSize: 1, maxWorkers: threads) { range, _ in
                                        for thread in range {
                                            sampler.run(
                                                samples: pairs * (thread + 1) / threads - pairs * thread / threads,
                                                generator: &streams[thread], users: userBuffer.baseAddress!,
                                                items: itemBuffer.baseAddress!, columns: columns, offsets: offsets,
                                                owners: owners, membership: membership)
                                        }
                                    }
                                    observer?(epoch + 1) {
                                        snapshot(users: userBuffer, items: itemBuffer, width: width)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        try cancellation?.check(.bpr)
        guard users.isFinite, items.isFinite else { throw .nonFiniteFactors(kind: .bpr) }
        return BPR(userFactors: users, itemFactors: items)
    }

    /// A model over copies of the factors being trained.
    private static func snapshot(
        users: UnsafeMutableBufferPointer<Float>, items: UnsafeMutableBufferPointer<Float>, width: Int
    ) -> BPR {
        var userCopy = DenseMatrix(rowCount: users.count / width, columnCount: width)
        var itemCopy = DenseMatrix(rowCount: items.count / width, columnCount: width)
        userCopy.storage = Array(users)
        itemCopy.storage = Array(items)
        return BPR(userFactors: userCopy, itemFactors: itemCopy)
    }

    /// rows × width of `(U[0,1) − 0.5) / (width − 1)`, drawn in storage order.
    private static func initialFactors(rows: Int, width: Int, generator: inout Xoshiro256StarStar) -> DenseMatrix {
        var matrix = DenseMatrix(rowCount: rows, columnCount: width)
        let scale = 1 / Float(width - 1)
        for index in matrix.storage.indices { matrix.storage[index] = (generator.nextUnitFloat() - 0.5) * scale }
        return matrix
    }
}
