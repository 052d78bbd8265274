import Training
import Serving
import Observability
import Configuration
import Dispatch
import EventStore
import Foundation
import Models
import Locking
import Synchronization
import Testing
import TestSupport
@testable import Service

@Suite(.serialized)
struct RetrainUnderLoadTests {
    @Test func readersDuringSwapsSeeNoErrorAndNoMixedVersion() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        let service = try RecsmithService(configuration: data.configuration(models: [.itemknn, .popular]), logger: quietLogger)
        defer { service.shutdown() }
        _ = try service.store.append(syntheticEvents())
        #expect(service.trainer.trainNow().status == .succeeded)
        let port = try service.start()

        let stop = Atomic<Bool>(false)
        let failures = Lock<[String]>([])
        let versions = Lock<Set<String>>([])
        let answered = Atomic<Int>(0)
        let readers = DispatchGroup()
        for reader in 0..<4 {
            readers.enter()
            DispatchQueue.global().async {
                defer { readers.leave() }
                guard let client = try? TestClient(port: port, timeoutSeconds: 10) else {
                    failures.withLock { $0.append("reader \(reader) cannot connect") }
                    return
                }
                var round = 0
                // Bounded: stops when training is done, or after 20,000 requests per reader.
                while !stop.load(ordering: .relaxed) && round < 20_000 {
                    let user = "u\((reader * 7 + round) % 60)"
                    round += 1
                    guard let response = client.request("GET", "/users/\(user)/recommendations?k=5"), response.status == 200,
                          let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
                          let version = object["version"] as? String
                    else {
                        failures.withLock { $0.append("reader \(reader) round \(round): bad answer") }
                        return
                    }
                    if response.header("etag") != "\"\(version)\"" {
                        failures.withLock { $0.append("etag \(response.header("etag") ?? "-") with body version \(version)") }
                    }
                    versions.withLock { _ = $0.insert(version) }
                    answered.add(1, ordering: .relaxed)
                }
            }
        }
        // Each swap happens while readers are answering: wait (at most 10 s each time) for new answers.
        func waitForAnswers(beyond count: Int) {
            for _ in 0..<1000 where answered.load(ordering: .relaxed) < count + 50 { usleep(10_000) }
        }
        for pass in 0..<3 {
            waitForAnswers(beyond: answered.load(ordering: .relaxed))
            _ = try service.store.append(syntheticEvents(count: 200, seed: UInt64(10 + pass)))
            #expect(service.trainer.trainNow().status == .succeeded)
        }
        waitForAnswers(beyond: answered.load(ordering: .relaxed))
        stop.store(true, ordering: .relaxed)
        readers.wait()
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0.prefix(3) })")
        #expect(answered.load(ordering: .relaxed) > 0)
        #expect(versions.withLock { $0.count } >= 2)
    }
}
