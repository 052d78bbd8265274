import Dispatch
import Foundation
import Glibc

/// Loads pages in one headless Chromium per call through `scripts/headless-browser.py` (the DevTools protocol
/// over a pipe) and returns what the page did: its DOM, every request URL, console errors and uncaught
/// exceptions, the values of JavaScript expressions, and a full-page screenshot in the test's output folder.
///
/// Tests that need it use `.enabled(if: HeadlessBrowser.shouldRun, HeadlessBrowser.skipMessage)`: without
/// Chromium they skip, unless `RECSMITH_REQUIRE_BROWSER=1` (set by `make test`), where they fail instead.
public struct HeadlessBrowser: Sendable {
    /// The browser could not be run, or the page did not load in time.
    public enum Failure: Error, CustomStringConvertible {
        case unavailable(String)
        case failed(status: Int32, stderr: String)
        case unreadableOutput(String)

        public var description: String {
            switch self {
            case let .unavailable(reason): "no headless browser: \(reason)"
            case let .failed(status, stderr): "headless-browser.py exited \(status): \(stderr)"
            case let .unreadableOutput(text): "headless-browser.py printed no JSON: \(text.prefix(500))"
            }
        }
    }

    /// What one page load did.
    public struct Page: Sendable, Decodable {
        public let url: String
        /// `document.documentElement.outerHTML` after the load.
        public let dom: String
        /// Every request the page made, in order (the page itself first).
        public let requests: [String]
        /// The requests outside the allowed prefixes.
        public let foreignRequests: [String]
        /// Console errors, uncaught exceptions and failed loads.
        public let consoleErrors: [String]
        /// The JSON text of each expression passed in `evaluating`.
        public let evaluations: [String: String]
        /// The screenshot's path, when one was asked for.
        public let screenshot: String?

        enum CodingKeys: String, CodingKey {
            case url, dom, requests, evaluations, screenshot
            case foreignRequests = "foreign_requests"
            case consoleErrors = "console_errors"
        }

        /// The value of the expression evaluated as `name`, decoded.
        public func value<Value: Decodable>(_ name: String, as type: Value.Type) throws -> Value {
            guard let text = evaluations[name] else { throw Failure.unreadableOutput("no evaluation named \(name)") }
            return try JSONDecoder().decode(Value.self, from: Data(text.utf8))
        }
    }

    /// Whether browser tests should run: Chromium is installed, or they are required (and then fail without it).
    public static var shouldRun: Bool { chromium != nil || isRequired }

    /// Why browser tests are skipped.
    public static let skipMessage =
        "skipped: no chromium on PATH (apt-get install chromium, or `make test`, which installs it)"

    /// `RECSMITH_REQUIRE_BROWSER=1`: a missing browser is a failure, not a skip.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["RECSMITH_REQUIRE_BROWSER"] == "1" }

    /// The Chromium executable: `$CHROMIUM`, else `chromium` or `chromium-browser` on PATH.
    public static var chromium: String? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        for directory in (environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// The repository's root, found from this file's path.
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/test-output/<test>/` under the package root, created empty: where screenshots go.
    public static func outputDirectory(for test: String) throws -> URL {
        let directory = packageRoot.appendingPathComponent(".build/test-output/\(test)")
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    public init() {}

    /// Loads `url` at `width` × 800 CSS pixels and returns what happened. Requests may go only to `allowed`
    /// prefixes (default: the page's own origin, `file://` for a file); `evaluating` maps names to JavaScript
    /// expressions whose values come back as JSON; `running` is run once after the load event (what a person does on
    /// the page) and `waitFor` is then polled until true. The whole run, browser start to exit, takes at most
    /// `timeoutSeconds`.
    public func load(
        _ url: URL, allowed: [String] = [], width: Int = 1200, screenshot: URL? = nil,
        evaluating: [String: String] = [:], running: String? = nil, waitFor: String? = nil, timeoutSeconds: Int = 40
    ) throws -> Page {
        guard let chromium = Self.chromium else { throw Failure.unavailable(Self.skipMessage) }
        var arguments = [Self.packageRoot.appendingPathComponent("scripts/headless-browser.py").path, url.absoluteString,
                         "--chromium", chromium, "--width", "\(width)", "--timeout", "\(timeoutSeconds)"]
        arguments += allowed.flatMap { ["--allow", $0] }
        if let screenshot { arguments += ["--screenshot", screenshot.path] }
        if let running { arguments += ["--run", running] }
        if let waitFor { arguments += ["--wait-for", waitFor] }
        for (name, expression) in evaluating.sorted(by: { $0.key < $1.key }) {
            arguments += ["--evaluate", "\(name)=JSON.stringify((\(expression))) ?? \"null\""]
        }
        let (status, output, error) = try Self.run(arguments, timeoutSeconds: timeoutSeconds + 10)
        guard status == 0 || status == 1 else { throw Failure.failed(status: status, stderr: error) }
        guard let page = try? JSONDecoder().decode(Page.self, from: Data(output.utf8)) else {
            throw Failure.unreadableOutput(output + error)
        }
        return page
    }

    /// Runs python3 with `arguments`; output through files, killed after `timeoutSeconds` (the script bounds
    /// itself; this is the backstop).
    private static func run(_ arguments: [String], timeoutSeconds: Int) throws -> (Int32, String, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("recsmith-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let outputFile = directory.appendingPathComponent("stdout"), errorFile = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
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
        let status = process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
        return (status, try String(contentsOf: outputFile, encoding: .utf8), try String(contentsOf: errorFile, encoding: .utf8))
    }
}
