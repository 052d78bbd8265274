import ArgumentParser
import Configuration
import EventStore
import Foundation
import Observability
import Service
import Serving
import Training

/// `recsmith train`: one training pass over the store; writes model snapshots beside it.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "train", abstract: "Run one training pass and save the models.")

    @OptionGroup var options: ConfigurationOptions

    func run() throws {
        let resolved = try options.resolve()
        let configuration = resolved.configuration
        let logger = makeLogger(resolved)
        // A running server trains and persists models itself; two writers of the snapshot files would race (with
        // SQLite the store's lock keeps them apart).
        let opened = try OpenedStore(configuration)
        defer { opened.close() }
        let trainer = Trainer(store: opened.store, registry: ModelRegistry(), settings: configuration.trainerSettings, logger: logger)
        let job = trainer.trainNow()
        switch job.status {
        case .succeeded:
            for entry in job.durations { print("\(entry.phase)\t\(String(format: "%.3f", entry.seconds)) s") }
            print("saved models to \(configuration.modelDirectory)")
        case .skipped, .failed, .queued, .running:
            throw TrainingError.failed(job.error ?? "pass ended as \(job.status.rawValue)")
        }
    }
}
