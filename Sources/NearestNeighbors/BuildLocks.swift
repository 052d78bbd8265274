#if canImport(Glibc)
    import Glibc
#endif

/// The locks of a parallel build: one pthread mutex per stripe of items (item `i` uses stripe
/// `i mod stripes`), guarding the items' neighbour lists, as hnswlib keeps one per item.
///
/// Every user holds at most one stripe at a time and runs no other locking code while holding it, so two
/// items sharing a stripe cost only a little contention, never a deadlock. pthread mutexes rather than
/// atomics so that ThreadSanitizer sees the build's synchronisation.
final class BuildLocks: @unchecked Sendable {
    // @unchecked Sendable: the mutexes are the synchronisation; the pointer to them never changes.
    private let mutexes: UnsafeMutablePointer<pthread_mutex_t>
    private let mask: Int

    /// Stripes for `count` items: the next power of two of `count`, at most 65,536.
    init(count: Int) {
        var stripes = 1
        while stripes < min(max(count, 1), 1 << 16) { stripes <<= 1 }
        mask = stripes - 1
        mutexes = .allocate(capacity: stripes)
        for stripe in 0..<stripes {
            let code = pthread_mutex_init(mutexes + stripe, nil)
            precondition(code == 0, "pthread_mutex_init failed: \(code)")
        }
    }

    deinit {
        for stripe in 0...mask { pthread_mutex_destroy(mutexes + stripe) }
        mutexes.deallocate()
    }

    /// Runs `body` holding the lock of `item`'s lists; `body` must take no lock.
    @inline(__always)
    func withLock<Result>(of item: Int, _ body: () -> Result) -> Result {
        let mutex = mutexes + (item & mask)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}
