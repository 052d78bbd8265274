import LinearAlgebra

/// Scratch memory for solving least-squares rows on one thread, sized once for the longest row so the
/// per-row solve allocates nothing.
final class ALSWorkspace {
    let factors: Int
    let capacity: Int
    /// The fixed-side factor rows of the current row's entries, gathered contiguously (capacity × factors).
    let gathered: UnsafeMutablePointer<Float>
    /// Per-entry temporaries (capacity).
    let projections: UnsafeMutablePointer<Float>
    /// Per-entry `|c| − 1` (capacity).
    let confidenceMinusOne: UnsafeMutablePointer<Float>
    /// CG vectors r, p and A·p (factors each).
    let residual: UnsafeMutablePointer<Float>
    let direction: UnsafeMutablePointer<Float>
    let product: UnsafeMutablePointer<Float>
    /// Exact solver: scaled rows (capacity × factors), Gᵀ·D·G (factors²), the float64 system and right side.
    let scaled: UnsafeMutablePointer<Float>
    let outer: UnsafeMutablePointer<Float>
    let system: UnsafeMutablePointer<Double>
    let rightSide: UnsafeMutablePointer<Double>

    init(factors: Int, capacity: Int, exact: Bool) {
        self.factors = factors
        self.capacity = max(1, capacity)
        gathered = .allocate(capacity: self.capacity * factors)
        projections = .allocate(capacity: self.capacity)
        confidenceMinusOne = .allocate(capacity: self.capacity)
        residual = .allocate(capacity: factors)
        direction = .allocate(capacity: factors)
        product = .allocate(capacity: factors)
        scaled = .allocate(capacity: exact ? self.capacity * factors : 1)
        outer = .allocate(capacity: factors * factors)
        system = .allocate(capacity: factors * factors)
        rightSide = .allocate(capacity: factors)
    }

    deinit {
        gathered.deallocate()
        projections.deallocate()
        confidenceMinusOne.deallocate()
        residual.deallocate()
        direction.deallocate()
        product.deallocate()
        scaled.deallocate()
        outer.deallocate()
        system.deallocate()
        rightSide.deallocate()
    }
}
