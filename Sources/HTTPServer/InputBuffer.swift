#if canImport(Glibc)
import Glibc

/// A growable byte buffer for socket input: bytes are appended at the end by `read(from:)` and
/// consumed from the front by the parser, without copying on every consume.
struct InputBuffer {
    enum ReadResult {
        /// Bytes arrived; `drained` is true when fewer arrived than there was room for, which means the
        /// socket had nothing more at that moment (with edge-triggered epoll, more data brings a new event).
        case bytes(Int, drained: Bool)
        case wouldBlock
        /// The buffer holds `limit` unconsumed bytes; nothing was read.
        case full
        case endOfStream
        case failed
    }

    private var storage: UnsafeMutablePointer<UInt8>?
    private var capacity = 0
    private var start = 0
    private var end = 0

    var count: Int { end - start }
    var isEmpty: Bool { end == start }

    /// Reads once from `fd` through `transport` into free space, growing the buffer up to `limit` buffered
    /// bytes. Returns `.full` without reading when `limit` is reached (the parser fails before that happens).
    mutating func read(from fd: Int32, through transport: ConnectionTransport, limit: Int) -> ReadResult {
        if end == capacity { makeRoom(limit: limit) }
        guard end < capacity else { return .full }
        let room = capacity - end
        switch transport.receive(fd, into: storage! + end, count: room) {
        case .bytes(let received):
            end += received
            return .bytes(received, drained: transport.shortReadMeansDrained && received < room)
        case .wouldBlock: return .wouldBlock
        case .endOfStream: return .endOfStream
        case .failed: return .failed
        }
    }

    /// Calls `body` with the unconsumed bytes.
    func withReadable<Result, Failure: Error>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard let storage else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: storage + start, count: end - start))
    }

    mutating func consume(_ byteCount: Int) {
        start += byteCount
        if start == end {
            start = 0
            end = 0
        }
    }

    mutating func removeAll() {
        start = 0
        end = 0
    }

    /// Frees the storage (on close).
    mutating func release() {
        storage?.deallocate()
        storage = nil
        capacity = 0
        start = 0
        end = 0
    }

    private mutating func makeRoom(limit: Int) {
        if start > 0 {
            if let storage { memmove(storage, storage + start, end - start) }
            end -= start
            start = 0
            if end < capacity { return }
        }
        let newCapacity = capacity == 0 ? 16 * 1024 : min(capacity * 2, max(limit, capacity))
        guard newCapacity > capacity else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        if let storage {
            grown.update(from: storage, count: end)
            storage.deallocate()
        }
        storage = grown
        capacity = newCapacity
    }
}
#endif
