import Training
import Serving
import Observability
@testable import Configuration
import EventStore
import Foundation
import HTTPServer
import Models
import TestSupport
import Testing
@testable import Service

/// `POST /events` body limits that come from the configuration.
@Suite struct EventBodyLimitsTests {
    @Test func refusesJSONNestedDeeperThanTheConfiguredDepth() throws {
        let data = try TemporaryData()
        defer { data.cleanUp() }
        var configuration = data.configuration(models: [.popular])
        configuration.maxJSONDepth = 4
        let service = try RecsmithService(configuration: configuration, logger: quietLogger)
        defer { service.shutdown() }
        let port = try service.start()
        let client = try TestClient(port: port, timeoutSeconds: 10)
        let json = [("content-type", "application/json")]

        let shallow = #"{"user":"u1","item":"i1","extra":[[1]]}"#
        #expect(client.request("POST", "/events", headers: json, body: Array(shallow.utf8))?.status == 200)

        let deep = #"{"user":"u1","item":"i2","extra":[[[[1]]]]}"#
        let refused = try #require(client.request("POST", "/events", headers: json, body: Array(deep.utf8)))
        #expect(refused.status == 400)
        #expect(refused.text.contains("deeper than 4 levels"))
        #expect(service.store.eventCount == 1, "nothing of the refused body is stored")
    }

    @Test func readsTheDepthFromItsKey() throws {
        var configuration = ServiceConfiguration()
        let setting = try #require(ServiceConfiguration.settings.first { $0.key == "max_json_depth" })
        try setting.apply("8", to: &configuration, source: "test")
        #expect(configuration.maxJSONDepth == 8)
        #expect(throws: ConfigurationError.self) { try setting.apply("1", to: &configuration, source: "test") }
    }
}
