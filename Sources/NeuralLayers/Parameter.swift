/// A trainable tensor with its gradient and Adam's two moment estimates.
///
/// Backward passes add into `gradient`; `Adam.step` applies and clears it. A sparse parameter (an embedding
/// table) records which rows received gradient since the last step, and the optimiser updates only those
/// rows (lazy Adam): a mini-batch touches a few hundred of a catalogue's items, not all of them.
package final class Parameter {
    /// The values being learnt.
    package let value: Tensor
    /// d loss / d value, accumulated since the last optimiser step.
    package let gradient: Tensor
    /// Adam's first moment (mean of gradients).
    let firstMoment: Tensor
    /// Adam's second moment (mean of squared gradients).
    let secondMoment: Tensor
    /// Whether rows are updated only when touched (`markRow`).
    package let isSparse: Bool
    /// Rows with gradient since the last step, in the order first touched (sparse parameters only).
    private(set) var touchedRows: [Int32] = []
    /// Whether each row is in `touchedRows`.
    private var isTouched: [Bool]
    /// Whether weight decay applies (not to biases).
    package let decays: Bool

    /// A zeroed `rows × columns` parameter; `sparse` for tables whose rows are touched a few at a time.
    package init(rows: Int, columns: Int, sparse: Bool = false, decays: Bool = true) {
        value = Tensor(rows: rows, columns: columns)
        gradient = Tensor(rows: rows, columns: columns)
        firstMoment = Tensor(rows: rows, columns: columns)
        secondMoment = Tensor(rows: rows, columns: columns)
        isSparse = sparse
        self.decays = decays
        isTouched = sparse ? [Bool](repeating: false, count: rows) : []
        if sparse { touchedRows.reserveCapacity(min(rows, 1 << 16)) }
    }

    /// Records that row `row` received gradient (sparse parameters; a no-op on dense ones).
    package func markRow(_ row: Int) {
        guard isSparse, !isTouched[row] else { return }
        isTouched[row] = true
        touchedRows.append(Int32(truncatingIfNeeded: row))
    }

    /// Forgets the touched rows (after a step).
    func clearTouched() {
        for row in touchedRows { isTouched[Int(row)] = false }
        touchedRows.removeAll(keepingCapacity: true)
    }
}
