import ArgumentParser

/// The `recsmith` command: serve the API, import events, train, evaluate.
@main
struct Recsmith: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recsmith",
        abstract: "A recommendation service: events in, recommendations out.",
        subcommands: [ServeCommand.self, ImportCommand.self, TrainCommand.self, EvaluateCommand.self, GenerateCommand.self]
    )
}
