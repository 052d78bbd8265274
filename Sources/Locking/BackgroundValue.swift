import Dispatch

/// A value computed on another thread from the moment it is made, and waited for where it is needed: a start-up
/// overlaps independent loads this way.
package final class BackgroundValue<Value: Sendable>: Sendable {
    private let result = Lock<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts `compute` on a global queue at once.
    package init(_ compute: @escaping @Sendable () -> Value) {
        DispatchQueue.global(qos: .userInitiated).async { [result, done] in
            let value = compute()
            result.withLock { $0 = value }
            done.signal()
        }
    }

    /// The value, once `compute` has returned (blocks until then; call it once).
    package func wait() -> Value {
        done.wait()
        return result.withLock { $0! }
    }
}
