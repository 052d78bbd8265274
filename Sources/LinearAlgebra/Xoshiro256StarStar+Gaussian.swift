#if canImport(Glibc)
    import Glibc
#endif

extension Xoshiro256StarStar {
    /// A standard normal draw (Box–Muller on two 53-bit uniforms; the second value is dropped, so every draw
    /// costs two uniforms and the sequence does not depend on pairing).
    package mutating func nextGaussian() -> Float {
        let first = next(), second = next()
        return Self.gaussian(first, second)
    }

    /// Fills `buffer` with what `buffer.count` calls of `nextGaussian()` would return, in order (and leaves
    /// the generator where they would). The uniforms are drawn here, a block at a time; their Box–Muller
    /// transforms, the costly part, run on up to `maxWorkers` threads (0: every core).
    package mutating func fillGaussian(_ buffer: UnsafeMutableBufferPointer<Float>, maxWorkers: Int = 0) {
        let blockSize = 1 << 16
        let uniforms = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: 2 * min(blockSize, buffer.count))
        defer { uniforms.deallocate() }
        var start = 0
        while start < buffer.count {
            let count = min(blockSize, buffer.count - start)
            for index in 0..<(2 * count) { uniforms[index] = next() }
            let target = buffer.baseAddress! + start
            parallelFor(count: count, chunkSize: 4096, maxWorkers: maxWorkers) { range, _ in
                for index in range { target[index] = Self.gaussian(uniforms[2 * index], uniforms[2 * index + 1]) }
            }
            start += count
        }
    }

    /// Box–Muller's first value for two raw 64-bit draws.
    private static func gaussian(_ firstDraw: UInt64, _ secondDraw: UInt64) -> Float {
        let first = (Double(firstDraw >> 11) + 1) * 0x1p-53  // (0, 1]: log is finite
        let second = Double(secondDraw >> 11) * 0x1p-53
        return Float((-2 * log(first)).squareRoot() * cos(2 * Double.pi * second))
    }
}
