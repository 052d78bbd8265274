import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One worker's share of a BPR epoch.
struct BPRSampler {
    let factors: Int
    let learningRate: Float
    let regularization: Float
    let verifyNegatives: Bool

    /// Draws `samples` triples and applies the SGD step of each (implicit's update, bias in the last column).
    ///
    /// Samples are handled in batches: the draws, index lookups and negative checks of a whole batch come
    /// first (they do not depend on the factors, so the cache misses of many samples overlap), then the
    /// steps run one after another. The result is the same as drawing and stepping one sample at a time.
    func run(
        samples: Int, generator: inout Xoshiro256StarStar, users: UnsafeMutablePointer<Float>,
        items: UnsafeMutablePointer<Float>, columns: UnsafeBufferPointer<Int32>, offsets: UnsafeBufferPointer<Int>,
        owners: UnsafeBufferPointer<Int32>, membership: PairMembership?
    ) {
        let pairs = columns.count, width = factors + 1
        let rate = learningRate, decay = regularization
        let batchSize = 64
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * batchSize) { batch in
            let likedItems = batch.baseAddress!, dislikedItems = likedItems + batchSize
            let sampleUsers = dislikedItems + batchSize
            var remaining = samples
            while remaining > 0 {
                let count = min(batchSize, remaining)
                remaining -= count
                for sample in 0..<count {
                    let likedPair = generator.nextIndex(below: pairs)
                    let dislikedPair = generator.nextIndex(below: pairs)
                    likedItems[sample] = Int(columns[likedPair])
                    dislikedItems[sample] = Int(columns[dislikedPair])
                    sampleUsers[sample] = Int(owners[likedPair])
                }
                if verifyNegatives {
                    for sample in 0..<count {
                        let user = sampleUsers[sample], item = dislikedItems[sample]
                        let owned =
                            membership?.contains(user: user, item: item)
                            ?? Self.contains(columns, offsets[user]..<offsets[user + 1], Int32(truncatingIfNeeded: item))
                        if owned { sampleUsers[sample] = -1 }
                    }
                }
                for sample in 0..<count where sampleUsers[sample] >= 0 {
                    let x = users + sampleUsers[sample] * width
                    let positive = items + likedItems[sample] * width
                    let negative = items + dislikedItems[sample] * width
                    let z = 1 / (1 + expf(scoreDifference(x: x, positive: positive, negative: negative, width: width)))
                    update(x: x, positive: positive, negative: negative, z: z, rate: rate, decay: decay)
                    positive[factors] += rate * (z - decay * positive[factors])
                    negative[factors] += rate * (-z - decay * negative[factors])
                }
            }
        }
    }

    /// `x · (positive − negative)` over `width` columns, eight lanes at a time.
    @inline(__always)
    private func scoreDifference(
        x: UnsafeMutablePointer<Float>, positive: UnsafeMutablePointer<Float>, negative: UnsafeMutablePointer<Float>,
        width: Int
    ) -> Float {
        var lanes = SIMD8<Float>()
        var index = 0
        while index + 8 <= width {
            lanes += load(x + index) * (load(positive + index) - load(negative + index))
            index += 8
        }
        var score = lanes.sum()
        while index < width {
            score += x[index] * (positive[index] - negative[index])
            index += 1
        }
        return score
    }

    /// The factor part of the step, eight lanes at a time.
    @inline(__always)
    private func update(
        x: UnsafeMutablePointer<Float>, positive: UnsafeMutablePointer<Float>, negative: UnsafeMutablePointer<Float>,
        z: Float, rate: Float, decay: Float
    ) {
        var index = 0
        let rateV = SIMD8<Float>(repeating: rate), zV = SIMD8<Float>(repeating: z)
        let decayV = SIMD8<Float>(repeating: decay)
        while index + 8 <= factors {
            let u = load(x + index), p = load(positive + index), n = load(negative + index)
            store(u + rateV * (zV * (p - n) - decayV * u), x + index)
            store(p + rateV * (zV * u - decayV * p), positive + index)
            store(n + rateV * (-zV * u - decayV * n), negative + index)
            index += 8
        }
        while index < factors {
            let u = x[index], p = positive[index], n = negative[index]
            x[index] = u + rate * (z * (p - n) - decay * u)
            positive[index] = p + rate * (z * u - decay * p)
            negative[index] = n + rate * (-z * u - decay * n)
            index += 1
        }
    }

    @inline(__always)
    private func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private func store(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
    }

    /// Whether the sorted `columns[range]` holds `column`: a branch-free binary search (the comparisons
    /// become conditional moves), since the outcome of each step is unpredictable.
    @inline(__always)
    private static func contains(_ columns: UnsafeBufferPointer<Int32>, _ range: Range<Int>, _ column: Int32) -> Bool {
        var length = range.count
        guard length > 0 else { return false }
        var base = range.lowerBound
        while length > 1 {
            let half = length >> 1
            base = columns[base + half] <= column ? base + half : base
            length -= half
        }
        return columns[base] == column
    }
}
