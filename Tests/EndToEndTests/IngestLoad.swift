import Dispatch
import Glibc
import Locking
import TestSupport

/// Concurrent writers posting NDJSON batches to a server until it stops answering 200, for tests that stop or
/// kill the server mid-load and then check that every acknowledged batch was kept.
final class IngestLoad: Sendable {
    /// The batches answered 200, as (writer, step).
    let acknowledged = Lock<[(writer: Int, step: Int)]>([])
    private let writers = DispatchGroup()

    /// Starts `writers` clients on `port`; each posts `body(writer, step)` for step 0, 1, … (at most `batches`).
    init(port: Int, writers count: Int = 4, batches: Int, body: @escaping @Sendable (_ writer: Int, _ step: Int) -> [UInt8]) {
        for writer in 0..<count {
            writers.enter()
            DispatchQueue.global().async { [acknowledged, writers] in
                defer { writers.leave() }
                guard let client = try? TestClient(port: port, timeoutSeconds: 30) else { return }
                // Bounded by `batches`; a stopped server ends it sooner.
                for step in 0..<batches {
                    let response = client.request("POST", "/events", headers: [("Content-Type", "application/x-ndjson")],
                                                  body: body(writer, step))
                    guard response?.status == 200 else { return }
                    acknowledged.withLock { $0.append((writer, step)) }
                }
            }
        }
    }

    /// Waits until `count` batches were acknowledged, at most `seconds`.
    func waitForAcknowledged(_ count: Int, seconds: Double = 10) {
        for _ in 0..<Int(seconds * 20) where acknowledged.withLock({ $0.count }) < count { usleep(50_000) }
    }

    /// Waits for every writer to end; returns the acknowledged batches.
    func finish() -> [(writer: Int, step: Int)] {
        writers.wait()
        return acknowledged.withLock { $0 }
    }
}
