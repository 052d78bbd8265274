import EventStore
import Foundation
import Models
import Testing
import TestSupport
import Training
@testable import Service

@Suite(.serialized)
struct APITests {
    /// The answer cache would freeze an exploration model: the same request must get a new draw each time,
    /// while a deterministic model's answer is served from the cache.
    @Test func cachesNoAnswerOfASamplingModel() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        let service = try RecsmithService(configuration: data.configuration(models: [.softmax, .popular]), logger: quietLogger)
        defer { service.shutdown() }
        _ = try service.store.append(syntheticEvents())
        #expect(service.trainer.trainNow().status == .succeeded)
        let client = try TestClient(port: try service.start(), timeoutSeconds: 10)
        func items(_ path: String) throws -> [String] {
            let response = try #require(client.request("GET", path))
            #expect(response.status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            return (object["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
        }
        let draws = try (0..<5).map { _ in try items("/users/u3/recommendations?k=10") }
        #expect(Set(draws).count > 1, "\(draws)")
        let popular = try (0..<3).map { _ in try items("/users/u3/recommendations?k=10&model=popular") }
        #expect(Set(popular).count == 1)
    }
}
