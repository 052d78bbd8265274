import Catalogue
import Training
import Serving
import Observability
import Configuration
import EventStore
import Foundation
import HTTPServer
import Logging
import Models
import SyntheticData
@testable import Service

/// A temporary data directory with a store path inside it, removed by `cleanUp()`.
struct TemporaryData {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var databasePath: String { directory.appendingPathComponent("store.sqlite").path }

    func configuration(models: [ModelKind]) -> ServiceConfiguration {
        var configuration = ServiceConfiguration()
        configuration.databasePath = databasePath
        configuration.models = models
        configuration.retrainInterval = nil
        configuration.adminToken = AdminToken("test-token")
        configuration.http.port = 0
        configuration.http.ioThreads = 2
        configuration.modelParameters.als.iterations = 5
        configuration.modelParameters.bpr.epochs = 10
        return configuration
    }

    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }
}

let quietLogger: Logger = {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    return logger
}()

/// Synthetic events as store events: users `u<n>`, items `i<n>`.
func syntheticEvents(users: Int = 60, items: Int = 150, count: Int = 2000, seed: UInt64 = 5) -> [Event] {
    SyntheticEvents(userCount: users, itemCount: items, eventCount: count, seed: seed).events().map {
        Event(user: "u\($0.user)", item: "i\($0.item)", type: "view", weight: $0.weight, timestamp: $0.timestamp)
    }
}

/// A service over a fresh directory (its configuration changed by `configure`), fed `syntheticEvents()` and trained
/// once; shut it down and clean up after.
func trainedService(
    models: [ModelKind], configure: (inout ServiceConfiguration) -> Void = { _ in }
) throws -> (TemporaryData, RecsmithService, Serving) {
    let data = try TemporaryData()
    var configuration = data.configuration(models: models)
    configure(&configuration)
    let service = try RecsmithService(configuration: configuration, logger: quietLogger)
    _ = try service.store.append(syntheticEvents())
    let job = service.trainer.trainNow()
    guard job.status == .succeeded else { throw TrainingError.failed(job.error ?? "\(job.status)") }
    return (data, service, Serving(store: service.store, catalogue: Catalogue(), registry: service.registry, preference: models))
}
