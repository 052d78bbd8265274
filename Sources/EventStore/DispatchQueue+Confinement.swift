import Dispatch

extension DispatchQueue {
    /// Traps unless called on this queue, in debug builds only: the check behind every "writer queue only"
    /// comment in this module. `dispatchPrecondition` is a `precondition`, which release builds keep, so it is
    /// compiled in under `DEBUG` alone and release builds pay nothing.
    @inline(__always)
    package func assertIsCurrent() {
        #if DEBUG
        dispatchPrecondition(condition: .onQueue(self))
        #endif
    }
}
