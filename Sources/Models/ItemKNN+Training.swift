import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension ItemKNN {
    /// Computes every item's top-`neighbors` similarity row.
    ///
    /// For item i the row of `W Wᵀ` (W = weighted items × users) is accumulated sparse-by-sparse: for each
    /// user u of i, for each item j of u, `acc[j] += w(i,u)·w(j,u)`. Items run in parallel; each worker owns
    /// a dense accumulator, a touched list and a top-k heap, so nothing is allocated per item or entry.
    package static func fit(
        _ data: TrainingData, parameters: ItemKNNParameters = .init(), threads: Int = 0
    ) throws(ModelError) -> ItemKNN {
        try parameters.validate()
        let userMajor = weighted(data.interactions, parameters: parameters)
        let itemMajor = userMajor.transposed()
        let itemCount = itemMajor.rowCount
        let keep = min(parameters.neighbors, itemCount)
        let chunkSize = 16
        let workers = parallelWorkerCount(forChunks: (itemCount + chunkSize - 1) / chunkSize, maxWorkers: threads)

        var keptCounts = [Int](repeating: 0, count: itemCount)
        var keptItems = [Int32](repeating: 0, count: itemCount * keep)
        var keptScores = [Float](repeating: 0, count: itemCount * keep)

        let accumulators = UnsafeMutablePointer<Float>.allocate(capacity: workers * itemCount)
        accumulators.initialize(repeating: 0, count: workers * itemCount)
        let touchedFlags = UnsafeMutablePointer<Bool>.allocate(capacity: workers * itemCount)
        touchedFlags.initialize(repeating: false, count: workers * itemCount)
        // One spare slot per worker: the touched list is appended to without a branch (see below).
        let touchedLists = UnsafeMutablePointer<Int32>.allocate(capacity: workers * (itemCount + 1))
        let selectors = UnsafeMutablePointer<TopKSelector>.allocate(capacity: workers)
        selectors.initialize(repeating: TopKSelector(capacity: keep), count: workers)
        defer {
            accumulators.deallocate()
            touchedFlags.deallocate()
            touchedLists.deallocate()
            selectors.deinitialize(count: workers)
            selectors.deallocate()
        }

        keptCounts.withUnsafeMutableBufferPointer { counts in
            keptItems.withUnsafeMutableBufferPointer { outItems in
                keptScores.withUnsafeMutableBufferPointer { outScores in
                    userMajor.columns.withUnsafeBufferPointer { userItems in
                        userMajor.values.withUnsafeBufferPointer { userValues in
                            itemMajor.columns.withUnsafeBufferPointer { itemUsers in
                                itemMajor.values.withUnsafeBufferPointer { itemValues in
                                    userMajor.rowOffsets.withUnsafeBufferPointer { userOffsets in
                                        itemMajor.rowOffsets.withUnsafeBufferPointer { itemOffsets in
                                            let tables = SimilarityTables(
                                                userOffsets: userOffsets, userItems: userItems,
                                                userValues: userValues, itemOffsets: itemOffsets,
                                                itemUsers: itemUsers, itemValues: itemValues)
                                            parallelFor(count: itemCount, chunkSize: chunkSize, maxWorkers: workers) {
                                                range, worker in
                                                let scratch = SimilarityScratch(
                                                    accumulator: accumulators + worker * itemCount,
                                                    flags: touchedFlags + worker * itemCount,
                                                    touched: touchedLists + worker * (itemCount + 1))
                                                for item in range {
                                                    counts[item] = keptRow(
                                                        of: item, tables: tables, scratch: scratch,
                                                        selector: &selectors[worker],
                                                        items: outItems.baseAddress! + item * keep,
                                                        scores: outScores.baseAddress! + item * keep)
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return compact(
            userCount: data.interactions.rowCount, itemCount: itemCount, keep: keep, counts: keptCounts,
            items: keptItems, scores: keptScores)
    }

    /// Computes item `item`'s similarity row and writes its best entries; returns how many.
    @inline(__always)
    private static func keptRow(
        of item: Int, tables: SimilarityTables, scratch: SimilarityScratch, selector: inout TopKSelector,
        items: UnsafeMutablePointer<Int32>, scores: UnsafeMutablePointer<Float>
    ) -> Int {
        let accumulator = scratch.accumulator, flags = scratch.flags, touched = scratch.touched
        var touchedCount = 0
        for entry in tables.itemOffsets[item]..<tables.itemOffsets[item + 1] {
            let user = Int(tables.itemUsers[entry])
            let weight = tables.itemValues[entry]
            for other in tables.userOffsets[user]..<tables.userOffsets[user + 1] {
                let neighbor = Int(tables.userItems[other])
                accumulator[neighbor] += weight * tables.userValues[other]
                // Always write, advance only for a first touch: no unpredictable branch.
                touched[touchedCount] = Int32(truncatingIfNeeded: neighbor)
                touchedCount &+= flags[neighbor] ? 0 : 1
                flags[neighbor] = true
            }
        }
        selector.reset(capacity: selector.capacity)
        var threshold = selector.admissionThreshold
        for position in 0..<touchedCount {
            let neighbor = Int(touched[position])
            let similarity = accumulator[neighbor]
            accumulator[neighbor] = 0
            flags[neighbor] = false
            if similarity >= threshold, similarity != 0 {
                selector.offer(index: touched[position], score: similarity)
                threshold = selector.admissionThreshold
            }
        }
        return selector.drainBestFirst(into: items, scores: scores)
    }

    /// Packs the fixed-stride kept rows into offsets + flat arrays.
    private static func compact(
        userCount: Int, itemCount: Int, keep: Int, counts: [Int], items: [Int32], scores: [Float]
    ) -> ItemKNN {
        var offsets = [Int](repeating: 0, count: itemCount + 1)
        for item in 0..<itemCount { offsets[item + 1] = offsets[item] + counts[item] }
        var packedItems = [Int32]()
        var packedScores = [Float]()
        packedItems.reserveCapacity(offsets[itemCount])
        packedScores.reserveCapacity(offsets[itemCount])
        for item in 0..<itemCount {
            let start = item * keep
            packedItems.append(contentsOf: items[start..<start + counts[item]])
            packedScores.append(contentsOf: scores[start..<start + counts[item]])
        }
        return ItemKNN(
            userCount: userCount, itemCount: itemCount, neighborOffsets: offsets, neighborItems: packedItems,
            neighborScores: packedScores)
    }

    /// The users × items matrix with values weighted as `parameters.weighting` says.
    static func weighted(_ matrix: CSRMatrix, parameters: ItemKNNParameters) -> CSRMatrix {
        let itemCount = Double(matrix.columnCount)
        var values = matrix.values
        switch parameters.weighting {
        case .cosine:
            break
        case .tfidf:
            for user in 0..<matrix.rowCount {
                let idf = log(itemCount / Double(1 + matrix.nonzeroCount(ofRow: user)))
                for entry in matrix.entryRange(ofRow: user) {
                    values[entry] = Float(Double(max(values[entry], 0)).squareRoot() * idf)
                }
            }
        case .bm25:
            var itemSums = [Double](repeating: 0, count: matrix.columnCount)
            for entry in 0..<matrix.nonzeroCount { itemSums[Int(matrix.columns[entry])] += Double(values[entry]) }
            let average = itemSums.isEmpty ? 1 : itemSums.reduce(0, +) / Double(itemSums.count)
            let k1 = parameters.bm25K1, b = parameters.bm25B
            for user in 0..<matrix.rowCount {
                let idf = log(itemCount / Double(1 + matrix.nonzeroCount(ofRow: user)))
                for entry in matrix.entryRange(ofRow: user) {
                    let value = Double(values[entry])
                    let lengthNorm = (1 - b) + b * itemSums[Int(matrix.columns[entry])] / average
                    values[entry] = Float(value * (k1 + 1) / (k1 * lengthNorm + value) * idf)
                }
            }
        }
        if parameters.weighting != .bm25 {
            var squaredNorms = [Double](repeating: 0, count: matrix.columnCount)
            for entry in 0..<matrix.nonzeroCount {
                squaredNorms[Int(matrix.columns[entry])] += Double(values[entry]) * Double(values[entry])
            }
            for entry in 0..<matrix.nonzeroCount {
                let norm = squaredNorms[Int(matrix.columns[entry])].squareRoot()
                values[entry] = norm > 0 ? Float(Double(values[entry]) / norm) : 0
            }
        }
        return matrix.replacingValues(values)
    }
}

/// The weighted interaction matrix in both orientations, as raw buffers for the similarity loop.
private struct SimilarityTables {
    let userOffsets: UnsafeBufferPointer<Int>
    let userItems: UnsafeBufferPointer<Int32>
    let userValues: UnsafeBufferPointer<Float>
    let itemOffsets: UnsafeBufferPointer<Int>
    let itemUsers: UnsafeBufferPointer<Int32>
    let itemValues: UnsafeBufferPointer<Float>
}

/// One worker's dense accumulator, touched flags and touched list (all zero / false between rows).
private struct SimilarityScratch {
    let accumulator: UnsafeMutablePointer<Float>
    let flags: UnsafeMutablePointer<Bool>
    let touched: UnsafeMutablePointer<Int32>
}
