import ArgumentParser
import Foundation
import LinearAlgebra
import NearestNeighbors

/// `recsmith-bench hnsw`: the HNSW index on a large catalogue — build, memory, recall against exact search,
/// query time, load from disk — and the files its Python peer (`Benchmarks/peer/hnswlib_eval.py`) reads.
struct HNSWCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hnsw", abstract: "HNSW build, recall@k against exact search, query time and load time.")

    @Option(help: "What the item vectors are: als (factors trained on synthetic events) or clusters (random, planted clusters).")
    var data: HNSWBenchData.Kind = .clusters
    @Option(help: "The task: recommendations (inner product, user queries) or similar (cosine, item queries).")
    var task: Task = .recommendations
    @Option(help: "Items.") var items: Int = 100_000
    @Option(help: "Floats per vector (ALS factors).") var dimension: Int = 64
    @Option(help: "Queries.") var queries: Int = 1_000
    @Option(help: "Users of the synthetic events (als).") var users: Int = 20_000
    @Option(help: "Synthetic events (als).") var events: Int = 1_000_000
    @Option(name: .customLong("k"), help: "Items per answer.") var count: Int = 10
    @Option(help: "M.") var neighbours: Int = HNSWParameters().neighbours
    @Option(help: "efConstruction.") var constructionWidth: Int = HNSWParameters().constructionWidth
    @Option(help: "Search widths (ef) to measure, comma-separated; the default width is always measured.")
    var widths: String = "20,50,100,200"
    @Option(help: "Share of the items a search may score before it falls back to an exact scan.")
    var fallbackFraction: Double = HNSWParameters().fallbackFraction
    @Option(help: "Build threads (0: every core).") var threads: Int = 2
    @Option(help: "Directory for items.f32, queries.f32, truth.i32 (the peer's input) and the saved index.")
    var work: String
    @Option(help: "Seed of the data and of the index.") var seed: UInt64 = 1

    /// What the index answers.
    enum Task: String, ExpressibleByArgument {
        /// Top-k by inner product for users' factors (their histories excluded), as recommendations search.
        case recommendations
        /// Top-k by cosine for items' own vectors (the item excluded), as similar items search.
        case similar
    }

    func validate() throws {
        guard items > 0, dimension > 0, queries > 0, count > 0, threads >= 0 else {
            throw ValidationError("counts must be positive")
        }
    }

    func run() throws {
        let directory = URL(fileURLWithPath: work)
        let started = Date()
        var data: HNSWBenchData
        switch self.data {
        case .als:
            data = try .als(items: items, users: users, events: events, queries: queries, factors: dimension, seed: seed)
        case .clusters:
            data = .clusters(items: items, dimension: dimension, queries: queries, seed: seed)
        }
        if task == .similar { data = data.similarItems(queries: queries) }
        let metric: VectorMetric = task == .similar ? .cosine : .innerProduct
        let passes = { (item: Int32) in item % 100 == 7 }
        let truth = HNSWGroundTruth.compute(&data, count: count, addsTopSeen: self.data == .clusters && task == .recommendations,
                                            filter: passes)
        try data.write(to: directory)
        try truth.plain.flatMap { $0 + [Int32](repeating: -1, count: count - $0.count) }.withUnsafeBytes {
            try Data($0).write(to: directory.appendingPathComponent("truth.i32"))
        }
        print("hnsw-data kind=\(self.data.rawValue) task=\(task.rawValue) items=\(data.itemCount) dimension=\(dimension) queries=\(data.queryCount)",
              "k=\(count) prepare_s=\(String(format: "%.1f", Date().timeIntervalSince(started))) summary=\"\(data.summary)\"")
        print(KernelTiming.measure(dimension: dimension))

        var parameters = HNSWParameters()
        parameters.neighbours = neighbours
        parameters.constructionWidth = constructionWidth
        parameters.seed = seed
        parameters.fallbackFraction = fallbackFraction
        let buildStart = Date()
        let index = try data.items.withUnsafeBufferPointer { vectors in
            try HNSWIndex.build(vectors: vectors, dimension: dimension, metric: metric, parameters: parameters, maxWorkers: threads)
        }
        let buildSeconds = Date().timeIntervalSince(buildStart)
        print("hnsw-build threads=\(threads) neighbours=\(neighbours) construction_width=\(constructionWidth)",
              "seconds=\(String(format: "%.2f", buildSeconds))",
              "bytes=\(index.byteCount) bytes_per_item=\(String(format: "%.1f", index.bytesPerItem))")

        var measured = widths.split(separator: ",").compactMap { Int($0) }
        if !measured.contains(parameters.searchWidth) { measured.append(parameters.searchWidth) }
        for width in measured.sorted() {
            let run = measure(index, data, width: width, exact: truth.plain) { _ in true }
            print("hnsw-search width=\(width) \(run)")
        }
        let seenRun = measure(index, data, width: nil, exact: truth.unseen, seen: true) { _ in true }
        print("hnsw-seen width=\(parameters.searchWidth) \(seenRun)")
        let filterRun = measure(index, data, width: nil, exact: truth.filtered, where: passes)
        print("hnsw-filter width=\(parameters.searchWidth) passing=0.01 \(filterRun)")
        print("hnsw-exact \(measureExact(data))")

        let path = directory.appendingPathComponent("index.hnsw").path
        try index.save(to: path)
        let loadStart = Date()
        let loaded = try HNSWIndex.load(from: path)
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let same = (0..<min(100, data.queryCount)).allSatisfy { query in
            data.queries.withUnsafeBufferPointer { all in
                let vector = UnsafeBufferPointer(rebasing: all[query * dimension..<(query + 1) * dimension])
                return loaded.search(vector, count: count) == index.search(vector, count: count)
            }
        }
        print("hnsw-load seconds=\(String(format: "%.3f", loadSeconds)) bytes=\(loaded.byteCount) mapped=\(loaded.isMapped) same_answers=\(same)")
    }

    /// Recall, time, fallbacks and exact head answers of one search per query, on this thread.
    private func measure(
        _ index: HNSWIndex, _ data: HNSWBenchData, width: Int?, exact: [[Int32]], seen: Bool = false,
        where passes: (Int32) -> Bool
    ) -> String {
        var samples = Samples()
        var answers = [[Int32]]()
        var foundScores = [[Float]]()
        var fallbacks = 0, bounded = 0, evaluations = 0
        data.queries.withUnsafeBufferPointer { all in
            for query in 0..<data.queryCount {
                let vector = UnsafeBufferPointer(rebasing: all[query * dimension..<(query + 1) * dimension])
                let history = data.seen[query]
                let result = samples.time {
                    index.search(vector, count: count, width: width) { item in
                        passes(item) && !(seen && Self.contains(history, item))
                    }
                }
                answers.append(result.items.map(\.index))
                foundScores.append(result.items.map(\.score))
                if result.fellBack { fallbacks += 1 }
                if result.method == .bounded { bounded += 1 }
                evaluations += result.evaluations
            }
        }
        let total = samples.seconds.reduce(0, +)
        return "recall=\(String(format: "%.4f", HNSWGroundTruth.recall(answers, exact)))"
            + " recall_by_score=\(String(format: "%.4f", recallByScore(foundScores, exact, data)))"
            + " median_us=\(Self.micro(samples.median)) p99_us=\(Self.micro(samples.quantile(0.99)))"
            + " qps=\(String(format: "%.0f", Double(data.queryCount) / total))"
            + " evaluations_mean=\(evaluations / max(1, data.queryCount)) fallbacks=\(fallbacks) bounded=\(bounded)"
    }

    /// Recall that does not depend on how ties were broken: the share of the exact top k's places filled by found
    /// items that score at least the exact k-th score (within 1e-4). Many items of a trained model can share a
    /// direction — a cosine of 1.0 may belong to dozens of items — and any of them is as right as another.
    private func recallByScore(_ found: [[Float]], _ exact: [[Int32]], _ data: HNSWBenchData) -> Double {
        var hits = 0, total = 0
        data.items.withUnsafeBufferPointer { items in
            data.queries.withUnsafeBufferPointer { queries in
                for (query, (scores, truth)) in zip(found, exact).enumerated() {
                    guard let last = truth.last else { continue }
                    let bar = Dot.product(queries.baseAddress! + query * dimension, items.baseAddress! + Int(last) * dimension,
                                          count: dimension)
                    total += truth.count
                    hits += min(truth.count, scores.count { $0 >= bar - 1e-4 * max(1, abs(bar)) })
                }
            }
        }
        return Double(hits) / Double(max(1, total))
    }

    /// What serving does without an index: one sgemv over every item and a top-k, per query.
    private func measureExact(_ data: HNSWBenchData) -> String {
        var samples = Samples()
        var scores = [Float](repeating: 0, count: data.itemCount)
        data.items.withUnsafeBufferPointer { items in
            data.queries.withUnsafeBufferPointer { queries in
                scores.withUnsafeMutableBufferPointer { output in
                    for query in 0..<min(200, data.queryCount) {
                        _ = samples.time {
                            BLAS.gemv(
                                .none, rows: data.itemCount, columns: dimension, alpha: 1, a: items.baseAddress!, lda: dimension,
                                x: queries.baseAddress! + query * dimension, beta: 0, y: output.baseAddress!)
                            return TopK.select(UnsafeBufferPointer(output), count: count)
                        }
                    }
                }
            }
        }
        return "median_us=\(Self.micro(samples.median)) p99_us=\(Self.micro(samples.quantile(0.99)))"
    }

    /// Binary search in sorted `items`.
    private static func contains(_ items: [Int32], _ item: Int32) -> Bool {
        var low = 0, high = items.count
        while low < high {
            let middle = (low + high) / 2
            if items[middle] < item { low = middle + 1 } else { high = middle }
        }
        return low < items.count && items[low] == item
    }

    private static func micro(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1e6) }
}

/// Nanoseconds per inner product of two vectors, for three kernels, over vectors that fit in the L2 cache.
enum KernelTiming {
    static func measure(dimension: Int) -> String {
        let vectors = 1_024, pairs = 2_000_000
        var generator = Xoshiro256StarStar(seed: 7)
        let data = (0..<(vectors * dimension)).map { _ in generator.nextUnitFloat() - 0.5 }
        let order = (0..<pairs).map { _ in (generator.nextIndex(below: vectors), generator.nextIndex(below: vectors)) }
        func time(_ kernel: (UnsafePointer<Float>, UnsafePointer<Float>) -> Float) -> String {
            data.withUnsafeBufferPointer { buffer in
                let base = buffer.baseAddress!
                var sink: Float = 0
                var best = Double.infinity
                for _ in 0..<3 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    for (a, b) in order { sink += kernel(base + a * dimension, base + b * dimension) }
                    best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(pairs))
                }
                return String(format: "%.2f", best + Double(sink.isNaN ? 1 : 0))
            }
        }
        let simd16 = time { Dot.product($0, $1, count: dimension) }
        let simd8 = time { VectorKernels.dot($0, $1, count: dimension) }
        let sdot = time { BLAS.dot(count: dimension, $0, $1) }
        return "hnsw-kernel dimension=\(dimension) simd16_ns=\(simd16) simd8_ns=\(simd8) sdot_ns=\(sdot)"
    }
}
