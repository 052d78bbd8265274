import Dispatch
import Foundation
import Glibc

/// What a finished command printed.
struct CommandResult {
    /// The exit status; the negated signal number when the command was killed (e.g. at its timeout).
    let status: Int32
    let output: String
    let error: String
}

/// Runs the `recsmith` binary with `arguments`, killing it after `timeoutSeconds` (see `runCommand`).
func runRecsmith(_ arguments: [String], timeoutSeconds: Int = 60) throws -> CommandResult {
    try runCommand(ServerProcess.binary, arguments, timeoutSeconds: timeoutSeconds)
}

/// Runs `executable` with `arguments`, killing it after `timeoutSeconds`. Standard input is empty and output
/// goes through files, so neither is a terminal and a chatty command cannot block on a full pipe.
func runCommand(_ executable: URL, _ arguments: [String], timeoutSeconds: Int) throws -> CommandResult {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-command-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outputFile = directory.appendingPathComponent("stdout")
    let errorFile = directory.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = try FileHandle(forWritingTo: outputFile)
    process.standardError = try FileHandle(forWritingTo: errorFile)
    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    try process.run()
    if finished.wait(timeout: .now() + .seconds(timeoutSeconds)) == .timedOut {
        kill(process.processIdentifier, SIGKILL)
        finished.wait()
    }
    return CommandResult(status: process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus,
                         output: try String(contentsOf: outputFile, encoding: .utf8),
                         error: try String(contentsOf: errorFile, encoding: .utf8))
}
