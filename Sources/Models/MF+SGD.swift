import LinearAlgebra

extension MFState {
    /// `epochs` passes of sequential SGD, Surprise `SVD`'s update rule exactly: for each rating, in an order
    /// shuffled afresh every epoch from `seed`, `e = r − (μ + b_u + b_i + p_u·q_i)`, then
    /// `b_u += γ(e − λb_u)`, `b_i += γ(e − λb_i)`, `p_u += γ(e·q_i − λp_u)`, `q_i += γ(e·p_u − λq_i)` with the
    /// old p_u and q_i. γ is `learningRate · learningRateDecay^epoch`.
    ///
    /// Single-threaded on purpose: each step reads what the previous one wrote, and Hogwild over two cores
    /// would make a seed's result depend on scheduling; one thread keeps it reproducible bit for bit, and at
    /// about 100 ns per rating at 100 factors an epoch over 100k ratings takes milliseconds.
    mutating func fitSGD(
        _ ratings: CSRMatrix, parameters: MFParameters, seed: UInt64, cancellation: TrainingCancellation?,
        observer: EpochObserver?
    ) throws(ModelError) {
        let f = parameters.factors, penalty = parameters.regularization, mean = globalMean
        var entryUsers = [Int32](repeating: 0, count: ratings.nonzeroCount)
        for user in 0..<ratings.rowCount {
            for entry in ratings.entryRange(ofRow: user) { entryUsers[entry] = Int32(user) }
        }
        var order = [Int32](0..<Int32(ratings.nonzeroCount))
        // A stream of its own, so the shuffles do not depend on how many draws the initialisation took.
        var shuffler = Xoshiro256StarStar(seed: seed, stream: 1)
        var rate = parameters.learningRate
        for epoch in 0..<parameters.epochs {
            try cancellation?.check(.mf)
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(index, shuffler.nextIndex(below: index + 1))
            }
            let step = rate
            userFactors.withUnsafeMutableBufferPointer { users in
                itemFactors.withUnsafeMutableBufferPointer { items in
                    userBiases.withUnsafeMutableBufferPointer { userBias in
                        itemBiases.withUnsafeMutableBufferPointer { itemBias in
                            for entry in order {
                                let entry = Int(entry)
                                let user = Int(entryUsers[entry]), item = Int(ratings.columns[entry])
                                // Without factors (a baseline) the buffers are empty and have no address.
                                let p = users.baseAddress.map { $0 + user * f }, q = items.baseAddress.map { $0 + item * f }
                                let dot = f > 0 ? VectorKernels.dot(p!, q!, count: f) : 0
                                let error = ratings.values[entry] - (mean + userBias[user] + itemBias[item] + dot)
                                userBias[user] += step * (error - penalty * userBias[user])
                                itemBias[item] += step * (error - penalty * itemBias[item])
                                if f > 0 {
                                    VectorKernels.coupledStep(p!, q!, count: f, rate: step, error: error, penalty: penalty)
                                }
                            }
                        }
                    }
                }
            }
            rate *= parameters.learningRateDecay
            observer?(epoch + 1) { model(parameters: parameters) }
        }
    }
}
