import ArgumentParser
import LinearAlgebra
import Service

/// The `recsmith` command: serve the API, import events, train, evaluate.
@main
struct Recsmith: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recsmith",
        abstract: "A recommendation service: events in, recommendations out.",
        version: RecsmithService.version,
        subcommands: [
            ServeCommand.self, ImportCommand.self, ExportCommand.self, BackupCommand.self, TrainCommand.self,
            EvaluateCommand.self, GenerateCommand.self, ConfigCommand.self, RelationsCommand.self, MigrateCommand.self,
        ]
    )

    static func main() {
        // OpenBLAS is configured (one thread, kernels for this CPU) before any thread of ours starts:
        // the kernel fix-up may briefly set an environment variable.
        BLAS.useSingleThread()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
