import Hashing
import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#endif

extension HNSWIndex {
    /// Builds an index over `vectors`: `vectors.count / rowStride` items, row-major, item `i` in row `i`, each
    /// item's vector the first `dimension` floats of its row (`rowStride` defaults to `dimension`: whole rows).
    ///
    /// Insertions run on every core through `parallelFor` (on the low-priority `BackgroundWorkers` when called
    /// from them, as a training pass is), each neighbour list changed under its item's lock. The layers are
    /// drawn from `parameters.seed`; a build on one thread is reproducible, a parallel one may link differently.
    /// An inner-product index also keeps its `parameters.headCount` longest vectors apart (`NormHead`); its
    /// `parameters` say how many it kept. Throws for parameters out of range, a shape that does not divide, more than `Int32.max` items or a
    /// non-finite component.
    package static func build(
        vectors: UnsafeBufferPointer<Float>, dimension: Int, rowStride: Int? = nil, metric: VectorMetric,
        parameters: HNSWParameters = HNSWParameters(), maxWorkers: Int = 0
    ) throws(NearestNeighborsError) -> HNSWIndex {
        try parameters.validate()
        let rowStride = rowStride ?? dimension
        guard dimension >= 1, dimension <= HNSWHeader.maximumDimension, rowStride >= dimension,
              vectors.count % rowStride == 0
        else {
            throw .invalidShape(dimension: dimension, actual: vectors.count)
        }
        let count = vectors.count / rowStride
        guard count <= Int(Int32.max) else { throw .tooManyItems(count) }
        for item in 0..<count {
            for column in 0..<dimension where !vectors[item * rowStride + column].isFinite { throw .nonFiniteVector(item: item) }
        }

        var parameters = parameters
        parameters.headCount = metric == .innerProduct ? min(parameters.headCount, count) : 0
        let levels = drawLevels(count: count, neighbours: parameters.neighbours, seed: parameters.seed)
        let upperListCount = levels.reduce(0) { $0 + Int($1) }
        let topLevel = Int(levels.max() ?? 0)
        let entryPoint = levels.firstIndex(of: UInt8(topLevel)) ?? 0
        let header = HNSWHeader(
            metric: metric, count: count, dimension: dimension, parameters: parameters, topLevel: topLevel,
            entryPoint: entryPoint, upperListCount: upperListCount,
            byteCount: HNSWLayout(
                count: count, dimension: dimension, neighbours: parameters.neighbours, upperListCount: upperListCount,
                headCount: parameters.headCount
            ).byteCount)
        let layout = header.layout
        let image = IndexImage(allocating: layout.byteCount)
        let graph = GraphStorage(image: image, layout: layout)
        if let source = vectors.baseAddress {
            for item in 0..<count { graph.vector(item).update(from: source + item * rowStride, count: dimension) }
        }
        if metric == .cosine {
            for item in 0..<count { normalise(graph.vector(item), count: dimension) }
        }
        var start: UInt32 = 0
        for item in 0..<count {
            graph.levels[item] = levels[item]
            graph.upperStarts[item] = levels[item] > 0 ? start : 0
            start += UInt32(levels[item])
        }
        link(graph: graph, count: count, parameters: parameters, entryPoint: entryPoint, topLevel: topLevel, maxWorkers: maxWorkers)
        NormHead(image: image, layout: layout).fill(from: graph, itemCount: count)

        header.write(to: image.base)
        let checksum = Checksum64.of(UnsafeRawBufferPointer(start: image.base, count: layout.checksum))
        image.base.storeBytes(of: checksum.littleEndian, toByteOffset: layout.checksum, as: UInt64.self)
        return HNSWIndex(image: image, header: header)
    }

    /// `build(vectors:dimension:…)` over the rows of `matrix`, each item's vector the first `columns` of its row
    /// (all of them by default).
    package static func build(
        _ matrix: DenseMatrix, columns: Int? = nil, metric: VectorMetric, parameters: HNSWParameters = HNSWParameters(),
        maxWorkers: Int = 0
    ) throws(NearestNeighborsError) -> HNSWIndex {
        try matrix.withUnsafeBufferPointer { vectors throws(NearestNeighborsError) in
            try build(vectors: vectors, dimension: columns ?? matrix.columnCount, rowStride: matrix.columnCount, metric: metric,
                      parameters: parameters, maxWorkers: maxWorkers)
        }
    }

    /// Each item's top layer: ⌊−ln(u)/ln(M)⌋ for u uniform in (0, 1], capped at `HNSWHeader.maximumLevel`.
    static func drawLevels(count: Int, neighbours: Int, seed: UInt64) -> [UInt8] {
        var generator = Xoshiro256StarStar(seed: seed)
        let scale = 1 / log(Double(neighbours))
        return (0..<count).map { _ in
            let uniform = 1 - Double(generator.next() >> 11) * 0x1p-53
            return UInt8(min(Double(HNSWHeader.maximumLevel), (-log(uniform) * scale).rounded(.down)))
        }
    }

    /// Inserts every item but the entry point (the first item on the top layer, linked by the others as they
    /// arrive), in chunks over the workers.
    private static func link(
        graph: GraphStorage, count: Int, parameters: HNSWParameters, entryPoint: Int, topLevel: Int, maxWorkers: Int
    ) {
        guard count > 1 else { return }
        let width = max(parameters.constructionWidth, parameters.neighbours)
        let builder = GraphBuilder(
            graph: graph, locks: BuildLocks(count: count), width: width, entryPoint: entryPoint, topLevel: topLevel)
        let chunkSize = 64
        let workerCount = parallelWorkerCount(forChunks: (count + chunkSize - 1) / chunkSize, maxWorkers: maxWorkers)
        let workers = (0..<workerCount).map { _ in
            GraphBuilder.Worker(count: count, dimension: graph.dimension, width: width, neighbours: parameters.neighbours)
        }
        parallelFor(count: count, chunkSize: chunkSize, maxWorkers: maxWorkers) { range, worker in
            for item in range where item != entryPoint { builder.insert(item, worker: workers[worker]) }
        }
    }
}
