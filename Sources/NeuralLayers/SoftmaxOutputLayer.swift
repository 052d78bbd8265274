import LinearAlgebra

/// The output layer of a model that ranks items: logits `z_j = h · E_j + b_j` over an item table E (items ×
/// width) and biases b, trained with the multinomial softmax loss (`SoftmaxCrossEntropy`) over either the full
/// catalogue or a sampled set of candidates (`CandidateSampler`: the batch's items plus negatives, `log Q`
/// corrected).
///
/// The full softmax costs `batch × items × width` multiply-adds three times per batch (logits, ∂E, ∂h); the
/// sampled one the same with `candidates` in place of `items`, plus gathering and scattering those rows.
package final class SoftmaxOutputLayer {
    /// E, items × width (sparse: the sampled softmax touches only its candidates' rows).
    package let items: EmbeddingTable
    /// b, items × 1.
    package let biases: EmbeddingTable
    /// Most rows per batch.
    package let maxBatch: Int
    /// Most classes per batch: every item (full) or the sampled candidates.
    package let maxClasses: Int
    /// Logits, then their gradient: maxBatch × maxClasses.
    private let logits: Tensor
    /// The candidates' rows of E (sampled softmax), maxClasses × width.
    private let gathered: Tensor
    /// ∂E of the candidates' rows, maxClasses × width.
    private let gatheredGradient: Tensor
    /// The candidates' biases and their gradient.
    private let gatheredBiases: Tensor, gatheredBiasGradient: Tensor
    private let loss: SoftmaxCrossEntropy

    /// A layer over `itemCount` items of width `width` (Glorot-uniform E from `generator`, zero b), for batches
    /// of at most `maxBatch` rows and, when sampled, at most `maxCandidates` candidates (nil: full softmax only).
    package convenience init(
        itemCount: Int, width: Int, maxBatch: Int, maxCandidates: Int?, generator: inout Xoshiro256StarStar
    ) {
        self.init(
            tiedTo: EmbeddingTable(rows: itemCount, width: width, fanIn: width, generator: &generator), maxBatch: maxBatch,
            maxCandidates: maxCandidates)
    }

    /// A layer whose item rows are `items`, a table the model also reads elsewhere (a sequence model's input
    /// embeddings: tied weights). Both uses add into the table's one gradient, so the optimiser must be given the
    /// table once — `parameters` includes it.
    package init(tiedTo items: EmbeddingTable, maxBatch: Int, maxCandidates: Int?) {
        let itemCount = items.rowCount, width = items.width
        self.items = items
        biases = EmbeddingTable(rows: itemCount, width: 1, decays: false)
        self.maxBatch = maxBatch
        maxClasses = min(itemCount, maxCandidates ?? itemCount)
        logits = Tensor(rows: maxBatch, columns: maxClasses)
        let sampledRows = maxCandidates == nil ? 0 : maxClasses
        gathered = Tensor(rows: sampledRows, columns: width)
        gatheredGradient = Tensor(rows: sampledRows, columns: width)
        gatheredBiases = Tensor(rows: 1, columns: sampledRows)
        gatheredBiasGradient = Tensor(rows: 1, columns: sampledRows)
        loss = SoftmaxCrossEntropy(maxRows: maxBatch)
    }

    /// The layer's parameters, for the optimiser.
    package var parameters: [Parameter] { [items.table, biases.table] }

    /// The loss of `hidden` (batch × width) against `targets` (columns are items; rewritten to candidate positions
    /// when sampled), times `scale`; adds the gradients of E and b and writes ∂loss/∂hidden into
    /// `hiddenGradient`. With a `sampler`, its current candidates (call `prepare` first) are the classes.
    package func lossAndGradient(
        hidden: UnsafePointer<Float>, batch: Int, targets: SparseRows, sampler: CandidateSampler?, scale: Float,
        hiddenGradient: UnsafeMutablePointer<Float>, maxWorkers: Int = 0
    ) -> Double {
        precondition(batch <= maxBatch, "at most maxBatch rows")
        let width = items.width
        guard let sampler else {
            let classes = items.rowCount
            precondition(classes <= maxClasses, "the full softmax needs a layer built without a candidate cap")
            let table = items.table, bias = biases.table
            computeLogits(hidden, batch: batch, rows: table.value.base, biases: bias.value.base, classes: classes,
                          maxWorkers: maxWorkers)
            let value = loss.lossAndGradient(
                logits: logits.base, rows: batch, classes: classes, targets: targets, scale: scale, maxWorkers: maxWorkers)
            TiledGEMM.multiply(
                .transpose, .none, m: classes, n: width, k: batch, alpha: 1, a: logits.base, lda: classes, b: hidden,
                ldb: width, beta: 1, c: table.gradient.base, ldc: width, maxWorkers: maxWorkers)
            ColumnSums.add(logits.base, rows: batch, columns: classes, into: bias.gradient.base, maxWorkers: maxWorkers)
            for item in 0..<classes {
                table.markRow(item)
                bias.markRow(item)
            }
            TiledGEMM.multiply(
                .none, .none, m: batch, n: width, k: classes, alpha: 1, a: logits.base, lda: classes,
                b: table.value.base, ldb: width, beta: 0, c: hiddenGradient, ldc: width, maxWorkers: maxWorkers)
            return value
        }
        let candidates = sampler.candidates, classes = candidates.count
        precondition(classes <= maxClasses, "more candidates than the layer was built for")
        items.gather(candidates, into: gathered.base, maxWorkers: maxWorkers)
        biases.gather(candidates, into: gatheredBiases.base, maxWorkers: maxWorkers)
        computeLogits(hidden, batch: batch, rows: gathered.base, biases: gatheredBiases.base, classes: classes,
                      maxWorkers: maxWorkers)
        let value = sampler.correction.withUnsafeBufferPointer { correction in
            loss.lossAndGradient(
                logits: logits.base, rows: batch, classes: classes, targets: targets, correction: correction.baseAddress,
                scale: scale, maxWorkers: maxWorkers)
        }
        TiledGEMM.multiply(
            .transpose, .none, m: classes, n: width, k: batch, alpha: 1, a: logits.base, lda: classes, b: hidden,
            ldb: width, beta: 0, c: gatheredGradient.base, ldc: width, maxWorkers: maxWorkers)
        gatheredBiasGradient.zero()
        ColumnSums.add(logits.base, rows: batch, columns: classes, into: gatheredBiasGradient.base, maxWorkers: maxWorkers)
        items.scatterGradient(candidates, gradients: gatheredGradient.base, maxWorkers: maxWorkers)
        biases.scatterGradient(candidates, gradients: gatheredBiasGradient.base, maxWorkers: maxWorkers)
        TiledGEMM.multiply(
            .none, .none, m: batch, n: width, k: classes, alpha: 1, a: logits.base, lda: classes, b: gathered.base,
            ldb: width, beta: 0, c: hiddenGradient, ldc: width, maxWorkers: maxWorkers)
        return value
    }

    /// `logits = hidden · rowsᵀ + biases` (batch × classes).
    private func computeLogits(
        _ hidden: UnsafePointer<Float>, batch: Int, rows: UnsafePointer<Float>, biases: UnsafePointer<Float>,
        classes: Int, maxWorkers: Int
    ) {
        for row in 0..<batch { (logits.base + row * classes).update(from: biases, count: classes) }
        TiledGEMM.multiply(
            .none, .transpose, m: batch, n: classes, k: items.width, alpha: 1, a: hidden, lda: items.width, b: rows,
            ldb: items.width, beta: 1, c: logits.base, ldc: classes, maxWorkers: maxWorkers)
    }
}
