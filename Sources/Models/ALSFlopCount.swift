import LinearAlgebra

/// The floating-point operations of one ALS iteration with the conjugate-gradient solver, counted from
/// what `ALSSolver` calls, to compare its rate with sgemm's.
///
/// One iteration is two half-iterations: users against the item factors, then items against the user
/// factors. A half-iteration with `F` fixed rows, `R` rows that have entries, `nnz` entries, `f` factors
/// and `s` CG steps costs
///
///     gram:    F·f·(f+1) + f                          (ssyrk of the fixed side, upper triangle; + λ on the diagonal)
///     entries: nnz·(4f·(s+1) + s + 3)                 (two gemv over the row's gathered factors per CG product,
///                                                      s+1 products; 3 flops per entry for the residual, 1 per step)
///     rows:    R·(2f²·(s+1) + 2f + 10f·s)             (one f×f gemv per product, the dots, axpys and p update)
///
/// with the usual conventions: a multiply-add is 2 flops, an m×n gemv `2mn`, ssyrk `n·k·(n+1)`, a dot or
/// axpy of length f `2f`. Rows without entries cost nothing (they are zeroed). It is an upper bound: a
/// row whose residual vanishes stops its CG early.
package struct ALSFlopCount: Sendable, Equatable {
    /// Flops of the two Gram matrices `YᵀY + λI` and `XᵀX + λI`.
    package let gram: Int
    /// Flops that scale with the stored entries (both halves).
    package let entries: Int
    /// Flops that scale with the rows solved (users and items with entries).
    package let rows: Int

    /// The whole iteration.
    package var total: Int { gram + entries + rows }

    /// The count for one iteration on `interactions` (users × items) with `factors` and `cgSteps`.
    package init(interactions: CSRMatrix, factors: Int, cgSteps: Int) {
        let solvedUsers = (0..<interactions.rowCount).count(where: { interactions.nonzeroCount(ofRow: $0) > 0 })
        let solvedItems = interactions.columnNonzeroCounts().count(where: { $0 > 0 })
        let users = Self.halfIteration(
            fixedRows: interactions.columnCount, solvedRows: solvedUsers, entries: interactions.nonzeroCount,
            factors: factors, cgSteps: cgSteps)
        let items = Self.halfIteration(
            fixedRows: interactions.rowCount, solvedRows: solvedItems, entries: interactions.nonzeroCount,
            factors: factors, cgSteps: cgSteps)
        gram = users.gram + items.gram
        entries = users.entries + items.entries
        rows = users.rows + items.rows
    }

    /// The three terms of one half-iteration (see the type's summary).
    static func halfIteration(
        fixedRows: Int, solvedRows: Int, entries: Int, factors f: Int, cgSteps s: Int
    ) -> (gram: Int, entries: Int, rows: Int) {
        let products = s + 1  // the initial residual's A·x, then one A·p per step
        return (
            gram: fixedRows * f * (f + 1) + f,
            entries: entries * (4 * f * products + s + 3),
            rows: solvedRows * (2 * f * f * products + 2 * f + 10 * f * s)
        )
    }
}
