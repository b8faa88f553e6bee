import ArgumentParser
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SynclineApp
import SynclineCLI
import SynclineCore
import SynclineStore
import SynclineTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs `syncline` commands in-process with their output captured.
/// `capture` keeps what was printed even when the command throws.
func runCommand(_ arguments: [String], capture: ConsoleCapture = ConsoleCapture()) async throws -> String {
    try await Console.$current.withValue(capture.console) {
        var command = try SynclineCommand.parseAsRoot(arguments)
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }
    return capture.text
}

@Suite("syncline commands")
struct CLITests {
    @Test("migrate applies the schema once, then says there is nothing to do")
    func migrateTwice() async throws {
        try await withTemporaryDirectory { directory in
            let first = try await runCommand(["migrate", "--data-dir", directory.path, "--log-level", "error"])
            #expect(first.hasPrefix("Applied migrations 1"))
            let second = try await runCommand(["migrate", "--data-dir", directory.path, "--log-level", "error"])
            #expect(
                second == "The database is up to date at schema version \(Migration.latestVersion); nothing to do.\n"
            )
        }
    }

    @Test("tenants create, then keys create prints a working key once")
    func tenantAndKey() async throws {
        try await withTemporaryDirectory { directory in
            let options = ["--data-dir", directory.path, "--log-level", "error"]
            let created = try await runCommand(["tenants", "create", "Acme"] + options)
            #expect(created.hasPrefix("Created tenant Acme (ten_"))
            let listed = try await runCommand(["tenants", "list"] + options)
            #expect(listed.contains("  Acme"))

            let output = try await runCommand(["keys", "create", "--tenant", "Acme"] + options)
            let lines = output.split(separator: "\n").map(String.init)
            #expect(lines.count == 2)
            let key = try #require(lines.first)
            #expect(key.hasPrefix("sk_") && key.count == 43)
            #expect(lines.last?.contains("only time the key is shown") == true)
            // The key is stored hashed: its secret part is nowhere in the data directory.
            let database = try Data(contentsOf: directory.appendingPathComponent("syncline.sqlite"))
            #expect(database.range(of: Data(key.utf8)) == nil)

            let missing = await #expect(throws: (any Error).self) {
                try await runCommand(["keys", "create", "--tenant", "Initech"] + options)
            }
            #expect(String(describing: missing.map { $0 }).contains("no tenant named Initech"))
        }
    }

    @Test("keys create --operator makes an operator key; exactly one of --tenant and --operator is required")
    func operatorKey() async throws {
        try await withTemporaryDirectory { directory in
            let options = ["--data-dir", directory.path, "--log-level", "error"]
            let output = try await runCommand(["keys", "create", "--operator"] + options)
            let key = try #require(output.split(separator: "\n").first.map(String.init))
            #expect(key.hasPrefix("sk_") && key.count == 43)
            let configuration = try await SynclineConfiguration.load(flags: ["dataDir": directory.path])
            let keys = try await Syncline.withStore(configuration, logger: Logger(label: "syncline.tests")) { store in
                try await store.apiKeys.authenticate(key)
            }
            #expect(keys?.tenantID == nil)
            await #expect(throws: (any Error).self) { try await runCommand(["keys", "create"] + options) }
            await #expect(throws: (any Error).self) {
                try await runCommand(["keys", "create", "--operator", "--tenant", "Acme"] + options)
            }
        }
    }

    @Test("keys rotate adds a key to the key file and reports what it re-encrypted")
    func rotate() async throws {
        try await withTemporaryDirectory { directory in
            let options = ["--data-dir", directory.path, "--log-level", "error"]
            _ = try await runCommand(["migrate"] + options)
            let before = try String(contentsOf: directory.appendingPathComponent("master.key"), encoding: .utf8)
            let output = try await runCommand(["keys", "rotate"] + options)
            #expect(output.contains("Added master key k"))
            #expect(output.contains("Re-encrypted 0 credential(s)"))
            let after = try String(contentsOf: directory.appendingPathComponent("master.key"), encoding: .utf8)
            #expect(after != before)
        }
    }

    @Test("serve rejects an impossible port before starting")
    func servePortValidation() {
        #expect(throws: (any Error).self) { try SynclineCommand.parseAsRoot(["serve", "--port", "70000"]) }
    }
}

@Suite("the syncline executable")
struct ExecutableTests {
    private static var executable: String? { synclineExecutablePath() }

    @Test(
        "a user error ends with one clear line and a non-zero exit",
        .enabled(if: synclineExecutablePath() != nil, "the syncline executable was not built")
    )
    func userErrorIsOneLine() async throws {
        let executable = try #require(Self.executable)
        let child = try ChildProcess(executable, ["migrate", "--database-url", "mysql://db/x"])
        #expect(try await child.waitForExit() != 0)
        let lines = child.output.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.contains("not a PostgreSQL URL") == true)
    }

    @Test(
        "serve answers /health and stops cleanly on SIGTERM and SIGINT",
        .enabled(if: synclineExecutablePath() != nil, "the syncline executable was not built"),
        arguments: [SIGTERM, SIGINT]
    )
    func gracefulShutdown(_ signal: Int32) async throws {
        let executable = try #require(Self.executable)
        try await withTemporaryDirectory { directory in
            let child = try ChildProcess(
                executable,
                ["serve", "--port", "0", "--data-dir", directory.path],
                environment: ["SYNCLINE_LOG_LEVEL": "info"]
            )
            try await child.waitForOutput(containing: "Syncline is listening")
            #expect(child.output.contains("url=http://127.0.0.1:"))
            #expect(child.output.contains("database=sqlite"))
            let port = try #require(
                child.output.split(separator: "url=http://127.0.0.1:").last?.prefix { $0.isNumber }
            )
            let response = try await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"),
                timeout: .seconds(10)
            )
            #expect(response.status == .ok)
            let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
            #expect(body.contains(#""database":"sqlite""#))
            child.signal(signal)
            #expect(try await child.waitForExit() == 0)
        }
    }
}

@Suite("syncline sandbox and serve flags")
struct SandboxCommandTests {
    @Test("sandbox and serve refuse an impossible port and a negative client count, naming the flag")
    func validation() {
        let cases = [
            (["sandbox", "--port", "70000"], "--port"), (["sandbox", "--clients", "-3"], "--clients"),
            (["serve", "--port", "-1"], "--port"),
        ]
        for (arguments, flag) in cases {
            do {
                _ = try SynclineCommand.parseAsRoot(arguments)
                Issue.record("\(arguments) parsed")
            } catch {
                #expect(SynclineCommand.message(for: error).contains(flag), "\(arguments)")
            }
        }
    }

    @Test("serve accepts --no-sandbox and sandbox its credentials")
    func parses() throws {
        _ = try SynclineCommand.parseAsRoot(["serve", "--no-sandbox", "--port", "0"])
        _ = try SynclineCommand.parseAsRoot(["sandbox", "--port", "0", "--client-id", "a", "--client-secret", "b"])
    }
}
