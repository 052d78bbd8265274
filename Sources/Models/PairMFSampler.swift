import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One worker's share of a pair-MF epoch: logistic SGD steps on positive pairs and sampled negatives.
struct PairMFSampler {
    let factors: Int
    let learningRate: Float
    let regularization: Float
    let negatives: Int
    let biases: Bool

    init(parameters: PairMFParameters) {
        factors = parameters.factors
        learningRate = parameters.learningRate
        regularization = parameters.regularization
        negatives = parameters.negatives
        biases = parameters.biases
    }

    /// Draws `samples` positive pairs; each gets a step with label 1 (its gradient scaled by the pair's weight),
    /// then `negatives` steps with label 0 between its anchor and items drawn ∝ pair frequency.
    func run(
        samples: Int, generator: inout Xoshiro256StarStar, embeddings: UnsafeMutablePointer<Float>,
        biases: UnsafeMutablePointer<Float>, first: UnsafeBufferPointer<Int32>, second: UnsafeBufferPointer<Int32>,
        weights: UnsafeBufferPointer<Float>
    ) {
        let pairs = first.count
        for _ in 0..<samples {
            let pair = generator.nextIndex(below: pairs)
            let flip = generator.next() & 1 == 1
            let anchor = Int(flip ? second[pair] : first[pair]), other = Int(flip ? first[pair] : second[pair])
            step(anchor, other, label: 1, weight: weights[pair], embeddings: embeddings, biases: biases)
            for _ in 0..<negatives {
                let draw = generator.nextIndex(below: 2 * pairs)
                let negative = Int(draw < pairs ? first[draw] : second[draw - pairs])
                if negative == anchor { continue }
                step(anchor, negative, label: 0, weight: 1, embeddings: embeddings, biases: biases)
            }
        }
    }

    /// One step of weighted logistic loss on the logit b_i + b_j + e_i·e_j.
    @inline(__always)
    private func step(
        _ i: Int, _ j: Int, label: Float, weight: Float, embeddings: UnsafeMutablePointer<Float>, biases: UnsafeMutablePointer<Float>
    ) {
        let left = embeddings + i * factors, right = embeddings + j * factors
        var lanes = SIMD8<Float>()
        var index = 0
        while index + 8 <= factors {
            lanes += load(left + index) * load(right + index)
            index += 8
        }
        var logit = lanes.sum()
        while index < factors {
            logit += left[index] * right[index]
            index += 1
        }
        if self.biases { logit += biases[i] + biases[j] }
        let gradient = weight * (label - 1 / (1 + expf(-logit)))
        let rate = learningRate, decay = regularization
        index = 0
        let rateV = SIMD8<Float>(repeating: rate), gradientV = SIMD8<Float>(repeating: gradient)
        let decayV = SIMD8<Float>(repeating: decay)
        while index + 8 <= factors {
            let l = load(left + index), r = load(right + index)
            store(l + rateV * (gradientV * r - decayV * l), left + index)
            store(r + rateV * (gradientV * l - decayV * r), right + index)
            index += 8
        }
        while index < factors {
            let l = left[index], r = right[index]
            left[index] = l + rate * (gradient * r - decay * l)
            right[index] = r + rate * (gradient * l - decay * r)
            index += 1
        }
        if self.biases {
            biases[i] += rate * (gradient - decay * biases[i])
            biases[j] += rate * (gradient - decay * biases[j])
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
}
