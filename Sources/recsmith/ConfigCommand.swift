import ArgumentParser
import Configuration
import Observability
import Service

/// `recsmith config print`: shows the effective configuration of `serve` with the same file, variables and flags.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Inspect the service configuration.",
        subcommands: [Print.self, Keys.self]
    )

    /// `recsmith config print`.
    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "print",
            abstract: "Print the effective configuration as YAML, each key with its origin; secrets masked."
        )

        @OptionGroup var options: ConfigurationOptions
        @OptionGroup var serveOptions: ServeOptions

        func run() throws {
            let resolved = try options.resolve(adding: serveOptions.flags)
            for warning in resolved.warnings { printError("warning: \(warning)") }
            print(resolved.yaml(), terminator: "")
        }
    }

    /// `recsmith config keys`.
    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "List every configuration key with its variable, default and meaning, as a Markdown table."
        )

        func run() {
            print(ServiceConfiguration.keyTable(), terminator: "")
        }
    }
}
