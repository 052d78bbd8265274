import Foundation
import PackagePlugin

/// Embeds text files into a target at build time: the target lists them in an `embedded-files` file beside its
/// sources, one `NAME=PATH` per line (PATH relative to the package root; `#` starts a comment), and gets an
/// `EmbeddedFiles.text` dictionary by NAME. Changing a listed file rebuilds the target.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let list = module.directoryURL.appending(path: "embedded-files")
        let lines = try String(contentsOf: list, encoding: .utf8).split(separator: "\n")
        var pairs: [String] = []
        var inputs: [URL] = [list]
        for line in lines {
            let entry = line.trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty, !entry.hasPrefix("#"), let equals = entry.firstIndex(of: "=") else { continue }
            let file = context.package.directoryURL.appending(path: String(entry[entry.index(after: equals)...]))
            inputs.append(file)
            pairs.append("\(entry[..<equals])=\(file.path)")
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(pairs.count) file(s) into \(target.name)",
                executable: try context.tool(named: "embed-files").url,
                arguments: [output.path] + pairs, inputFiles: inputs, outputFiles: [output])
        ]
    }
}
