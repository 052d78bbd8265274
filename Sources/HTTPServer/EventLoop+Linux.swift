#if canImport(Glibc)
import Glibc
internal import CLinux
import Locking

/// One I/O thread: an epoll instance, the connections it owns, and a queue of tasks from other threads.
///
/// `init`, `start(listener:)` and `join()` run on the server's thread, before the loop's thread exists or
/// after it has ended; `execute(_:)` and `isCurrentThread` run on any thread; every other member only on the
/// loop's own thread, and says so with `assertOnLoopThread()`. `@unchecked Sendable` because the task queue
/// is guarded by `pending` (a `Lock`) and all other state is confined to that thread.
final class EventLoop: @unchecked Sendable {
    private let epollFD: Int32
    private let wakeFD: Int32
    private let pending = Lock<[@Sendable () -> Void]>([])
    /// The queue's other buffer (see `runPendingTasks`); loop thread only.
    private var spareTasks: [@Sendable () -> Void] = []
    private var connections: [Int32: HTTPConnection] = [:]
    private var listenerFD: Int32 = -1
    private var running = true
    private var threadID = pthread_t()
    /// Strong on purpose: the loop's thread keeps the server alive until `shutdown` (which drops the loops
    /// and so breaks the cycle); connections can then refer to both without reference counting.
    private let server: HTTPServer
    private let sweepInterval: UInt64 = 200_000_000
    private var lastSweep: UInt64 = 0
    /// Cached `Date` header value and the second it was made for.
    private var dateSecond = -1
    private var dateHeader = ""

    init(server: HTTPServer) throws(SocketError) {
        self.server = server
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketError("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SocketError("eventfd") }
        register(wakeFD, events: EPOLLIN.rawValue)
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    /// Starts the loop's thread, accepting connections from `listener`.
    func start(listener: Int32) {
        listenerFD = listener
        register(listener, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue)
        let box = Unmanaged.passRetained(self)
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_create(&threadID, &attributes, { argument in
            let loop = Unmanaged<EventLoop>.fromOpaque(argument!).takeRetainedValue()
            loop.run()
            return nil
        }, box.toOpaque())
        pthread_attr_destroy(&attributes)
    }

    /// Waits for the loop's thread to finish after `stop()`.
    func join() {
        pthread_join(threadID, nil)
    }

    /// Runs `task` on the loop's thread.
    func execute(_ task: @escaping @Sendable () -> Void) {
        pending.withLock { $0.append(task) }
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Adds `fd` to the epoll set (from `init` and `start` too: `epoll_ctl` is thread-safe).
    private func register(_ fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event)
    }

    /// True on this loop's thread (`pthread_create` stores the thread's id before the thread runs).
    var isCurrentThread: Bool { pthread_equal(pthread_self(), threadID) != 0 }

    /// Traps unless called on this loop's thread, in debug builds only: `assert` is compiled out of release
    /// builds, so the check costs them nothing. Every member that is loop-thread only calls it — here, in
    /// `HTTPConnection`, `HTTP2Session` and `TLSSession` (confined to their connection's loop), and in
    /// `HTTPResponder` before it touches its connection. Private helpers reached only from checked members
    /// are not checked again.
    @inline(__always)
    func assertOnLoopThread(_ function: StaticString = #function, file: StaticString = #fileID, line: UInt = #line) {
        assert(isCurrentThread, "\(function) called off its event loop's thread", file: file, line: line)
    }

    // MARK: - Called on the loop thread

    /// Stops accepting; closes idle connections; in-flight ones close after their response.
    func beginDraining() {
        assertOnLoopThread()
        if listenerFD >= 0 {
            epoll_ctl(epollFD, EPOLL_CTL_DEL, listenerFD, nil)
            listenerFD = -1
        }
        for connection in Array(connections.values) { connection.drain() }
    }

    /// Closes every connection and ends the loop.
    func stop() {
        assertOnLoopThread()
        for connection in Array(connections.values) { connection.close() }
        running = false
    }

    /// Forgets a connection that has closed its socket.
    func connectionClosed(_ fd: Int32) {
        assertOnLoopThread()
        connections.removeValue(forKey: fd)
        server.connectionClosed()
    }

    private func run() {
        assertOnLoopThread() // the thread knows its own id before it serves anything
        let capacity = 128
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        while running {
            let count = epoll_wait(epollFD, events, Int32(capacity), 100)
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(Int(count), 0) {
                let event = events[index]
                let fd = event.data.fd
                if fd == wakeFD {
                    var value: UInt64 = 0
                    _ = read(wakeFD, &value, 8)
                } else if fd == listenerFD {
                    acceptConnections()
                } else if let connection = connections[fd] {
                    connection.handle(events: event.events)
                }
            }
            runPendingTasks()
            let now = monotonicNanoseconds()
            if now - lastSweep >= sweepInterval {
                lastSweep = now
                for connection in Array(connections.values) { connection.checkDeadline(now: now) }
            }
        }
        for connection in Array(connections.values) { connection.close() }
        runPendingTasks()
    }

    private func runPendingTasks() {
        while true {
            // Two buffers change places: the queue's and `spareTasks`, both kept at their capacity, so taking the
            // tasks allocates nothing (emptying the queue in place while a copy shares its storage allocated a new
            // buffer on every pass of the loop, tasks or not; leaving it empty made every `execute` allocate).
            var tasks: [@Sendable () -> Void] = []
            swap(&tasks, &spareTasks)
            pending.withLock { swap(&$0, &tasks) }
            defer {
                tasks.removeAll(keepingCapacity: true)
                swap(&tasks, &spareTasks)
            }
            if tasks.isEmpty { return }
            for task in tasks { task() }
        }
    }

    private func acceptConnections() {
        for _ in 0..<64 {
            guard listenerFD >= 0, let fd = Socket.accept(from: listenerFD) else { return }
            // The context is read under a lock (a reload replaces it); a plain server skips that.
            let tls = server.configuration.tls == nil ? nil : server.tlsContext
            guard server.connectionOpened() else {
                // A TLS client could not read a plain-text refusal: it just sees the connection close.
                if tls == nil { HTTPConnection.refuse(fd, response: server.overloadResponse) } else { close(fd) }
                server.connectionClosed()
                continue
            }
            let transport: ConnectionTransport
            if let tls {
                guard let session = tls.makeSession(fd: fd, loop: self) else {
                    close(fd)
                    server.connectionClosed()
                    continue
                }
                transport = .tls(session)
            } else {
                transport = .plain
            }
            let connection = HTTPConnection(fd: fd, transport: transport, loop: self, server: server)
            connections[fd] = connection
            register(fd, events: EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue)
            connection.start()
        }
    }

    /// `Date` header value for now, recomputed at most once a second.
    func currentDate() -> String {
        assertOnLoopThread()
        var now = time(nil)
        if now != dateSecond {
            dateSecond = now
            var parts = tm()
            gmtime_r(&now, &parts)
            dateHeader = httpDate(parts)
        }
        return dateHeader
    }
}

/// IMF-fixdate (RFC 9110 §5.6.7), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
func httpDate(_ parts: tm) -> String {
    let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
    return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
        + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
}
#endif
