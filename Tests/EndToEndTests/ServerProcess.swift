import Foundation
import Glibc
import TestSupport

/// A `recsmith serve` child process on a loopback port chosen by the kernel (`--port 0`).
final class ServerProcess {
    let process = Process()
    let port: Int
    /// `http` or `https`, as the ready line printed it.
    let scheme: String
    /// The ready line's address, e.g. `https://127.0.0.1:41234`.
    let url: String
    let directory: URL
    static let adminToken = "test-admin-token-0123456789"

    /// The `recsmith` binary built next to the test bundle (or `RECSMITH_BINARY`).
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["RECSMITH_BINARY"] { return URL(fileURLWithPath: path) }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = runner.deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("recsmith")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: "/nonexistent/recsmith")
    }

    /// The server's standard error (its log), kept outside the data directory; printed by `terminate()` and
    /// at deinit when the server exited abnormally, so a crash comes with its backtrace.
    let logFile: URL
    /// Set by `kill9()`: that exit is the test's doing, not the server's.
    private var killedOnPurpose = false

    /// The options that named the server's store (`--db DIR/store.sqlite`, plus `--store postgresql://…` in the
    /// PostgreSQL pass), for a command run on the same store (`recsmith export`); empty with `namesStore` false.
    let storeArguments: [String]

    /// Starts a server over a fresh data directory (or `directory`, to restart over existing data). With
    /// `namesStore` false it gets no `--db` and runs in that directory instead (its default store would be there).
    /// In the PostgreSQL pass (`EndToEndStore`) a server not given `--store` gets the directory's own database,
    /// `--db` still placing its models and admin token in the directory.
    init(arguments: [String] = [], directory: URL? = nil, namesStore: Bool = true) throws {
        self.directory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("recsmith-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-e2e-\(UUID().uuidString).log")
        process.executableURL = Self.binary
        var store = namesStore ? ["--db", self.directory.appendingPathComponent("store.sqlite").path] : []
        if namesStore && EndToEndStore.isPostgres && !arguments.contains("--store") {
            store += ["--store", try EndToEndStore.postgresURL(for: self.directory)]
        }
        storeArguments = store
        process.arguments = ["serve", "--port", "0"] + store + ["--retrain-interval", "0", "--log-level", "warning"] + arguments
        if !namesStore { process.currentDirectoryURL = self.directory }
        var environment = ProcessInfo.processInfo.environment
        environment["RECSMITH_ADMIN_TOKEN"] = Self.adminToken
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        var line = [UInt8]()
        let handle = output.fileHandleForReading
        standardOutput = handle
        while true {
            let byte = handle.readData(ofLength: 1)
            guard let first = byte.first else {
                process.waitUntilExit()
                throw ServerProcessError.exitedBeforeListening(log: Self.contents(of: logFile))
            }
            if first == UInt8(ascii: "\n") { break }
            line.append(first)
        }
        // `recsmith listening on http://127.0.0.1:41234` (https:// with TLS).
        let text = String(decoding: line, as: UTF8.self)
        let address = String(text.split(separator: " ").last ?? "")
        guard let separator = address.range(of: "://"), let portText = address.split(separator: ":").last, let port = Int(portText) else {
            throw ServerProcessError.unexpectedOutput(text)
        }
        self.port = port
        scheme = String(address[..<separator.lowerBound])
        url = address
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        } else if !killedOnPurpose {
            reportAbnormalExit()
        }
        try? FileManager.default.removeItem(at: logFile)
    }

    /// What the server wrote to standard error so far.
    var log: String { Self.contents(of: logFile) }

    /// The server's standard output, read up to its ready line by `init`.
    private let standardOutput: FileHandle

    /// The server's standard output after the ready line until `marker` appears, waiting at most `timeoutSeconds`;
    /// nil when the server printed no such line in time (or closed its output).
    func output(through marker: String, timeoutSeconds: Double) -> String? {
        var text = [UInt8]()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var descriptor = pollfd(fd: standardOutput.fileDescriptor, events: Int16(POLLIN), revents: 0)
        while Date() < deadline {
            let waitMilliseconds = Int32(max(1, deadline.timeIntervalSinceNow * 1000))
            guard poll(&descriptor, 1, waitMilliseconds) > 0 else { continue }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = read(standardOutput.fileDescriptor, &buffer, buffer.count)
            guard count > 0 else { return nil }
            text += buffer[..<count]
            let decoded = String(decoding: text, as: UTF8.self)
            if decoded.contains(marker) { return decoded }
        }
        return nil
    }

    private static func contents(of file: URL) -> String { (try? String(contentsOf: file, encoding: .utf8)) ?? "" }

    /// Prints the server's log when it exited by a signal or with a non-zero status.
    private func reportAbnormalExit() {
        let abnormal = process.terminationReason == .uncaughtSignal || process.terminationStatus != 0
        guard abnormal else { return }
        let how = process.terminationReason == .uncaughtSignal ? "signal \(process.terminationStatus)" : "status \(process.terminationStatus)"
        FileHandle.standardError.write(Data("""
            ---- recsmith serve (\(process.arguments?.joined(separator: " ") ?? "")) exited with \(how); its standard error:
            \(log)
            ---- end of server log

            """.utf8))
    }

    func client() throws -> TestClient { try TestClient(port: port, timeoutSeconds: 30) }

    /// Sends SIGTERM and waits; returns the exit status (a signal that killed it reads as 128 + its number),
    /// printing the server's log when it is not 0.
    func terminate() -> Int32 {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        reportAbnormalExit()
        killedOnPurpose = true
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// Sends SIGKILL and waits.
    func kill9() {
        killedOnPurpose = true
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Removes the data directory, and in the PostgreSQL pass its database.
    func removeData() {
        EndToEndStore.dropDatabase(of: directory)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts a training pass through `POST /retrain` and waits until it has ended; its status.
    @discardableResult
    func retrainAndWait(_ client: TestClient) -> String? {
        finishedRetrain(client)["status"] as? String
    }
}

enum ServerProcessError: Error {
    case exitedBeforeListening(log: String)
    case unexpectedOutput(String)
}

/// Parses a response body as a JSON object.
func json(_ response: TestResponse?) -> [String: Any] {
    guard let response, let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
        return [:]
    }
    return object
}

/// The item ids of a recommendations or similar-items answer.
func itemIDs(_ response: TestResponse?) -> [String] {
    (json(response)["items"] as? [[String: Any]] ?? []).compactMap { $0["item"] as? String }
}

/// The repository's root directory (this file is `Tests/EndToEndTests/ServerProcess.swift`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// MovieLens latest-small's `events.csv` where `MovieLensFiles` finds it, if anywhere.
let movieLensPath = MovieLensFiles.path("events.csv")

/// Starts a training pass through `POST /retrain` and waits until it has ended: the job as `GET /retrain/{job}`
/// last answered (empty when the request failed or the deadline passed). The deadline is five minutes: a pass with
/// an index build takes under a second here but over a minute under ThreadSanitizer beside the rest of the suite.
func finishedRetrain(_ client: TestClient) -> [String: Any] {
    let admin = [("Authorization", "Bearer \(ServerProcess.adminToken)")]
    let started = json(client.request("POST", "/retrain", headers: admin))
    guard let job = started["job"] as? String else { return started }
    for _ in 0..<3_000 {
        let state = json(client.request("GET", "/retrain/\(job)", headers: admin))
        guard let status = state["status"] as? String else { return state }
        if status != "queued" && status != "running" { return state }
        usleep(100_000)
    }
    return [:]
}
