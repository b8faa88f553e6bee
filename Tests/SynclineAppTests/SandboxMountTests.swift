import Foundation
import Logging
import SynclineApp
import SynclineCore
import SynclineProviders
import SynclineTestSupport
import Testing

/// The newcomer's path: a fresh `serve` (or `syncline sandbox`) offers an emulated HaloPSA that the provider
/// runtime connects to with the documented demo credentials.
@Suite("Sandbox in serve and on its own")
struct SandboxMountTests {
    static let logger: Logger = {
        var logger = Logger(label: "syncline.tests")
        logger.logLevel = .warning
        return logger
    }()

    @Test("serve mounts the emulated HaloPSA at /sandbox/halopsa; the HaloPSA provider connects with demo/demo")
    func mounted() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = SynclineConfiguration()
            configuration.dataDirectory = directory.path
            configuration.port = 0
            let configured = configuration
            try await Self.run({ try await Syncline.serve(configured, logger: Self.logger, onRunning: $0) }) {
                port in
                let url = "http://127.0.0.1:\(port)\(Syncline.sandboxMountPath)"
                let clients = try await Self.connectAndCountClients(url: url, secret: "demo")
                #expect(clients == 25)
                let error = await #expect(throws: ProviderError.self) {
                    try await Self.connectAndCountClients(url: url, secret: "wrong")
                }
                #expect(error?.code == .unauthorized)
            }
        }
    }

    @Test("serve with the sandbox turned off has nothing at /sandbox/halopsa")
    func turnedOff() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = SynclineConfiguration()
            configuration.dataDirectory = directory.path
            configuration.port = 0
            configuration.sandboxEnabled = false
            let configured = configuration
            try await Self.run({ try await Syncline.serve(configured, logger: Self.logger, onRunning: $0) }) {
                port in
                let error = await #expect(throws: ProviderError.self) {
                    try await Self.connectAndCountClients(
                        url: "http://127.0.0.1:\(port)\(Syncline.sandboxMountPath)",
                        secret: "demo"
                    )
                }
                #expect(error?.status == 404)
            }
        }
    }

    @Test("`syncline sandbox` serves HaloPSA at /halopsa with configurable credentials and size")
    func standalone() async throws {
        var configuration = SynclineConfiguration()
        configuration.sandboxClientSecret = "s3cret-for-demo"
        let configured = configuration
        try await Self.run({
            try await Syncline.runSandbox(
                configured,
                host: "127.0.0.1",
                port: 0,
                clients: 1234,
                logger: Self.logger,
                onRunning: $0
            )
        }) { port in
            let url = "http://127.0.0.1:\(port)/halopsa"
            let clients = try await Self.connectAndCountClients(url: url, secret: "s3cret-for-demo")
            #expect(clients == 1234)
        }
    }

    @Test("the serve and sandbox configuration keys read from flags and environment")
    func configurationKeys() async throws {
        let off = try await SynclineConfiguration.load(flags: ["sandbox": "false"], environment: [:])
        #expect(off.sandboxEnabled == false)
        let env = try await SynclineConfiguration.load(
            environment: ["SYNCLINE_SANDBOX": "true", "SYNCLINE_SANDBOX_CLIENT_ID": "me"]
        )
        #expect(env.sandboxEnabled && env.sandboxClientID == "me" && env.sandboxClientSecret == "demo")
        await #expect(throws: ConfigurationError.self) {
            try await SynclineConfiguration.load(environment: ["SYNCLINE_SANDBOX": "maybe"])
        }
    }

    /// Connects with the bundled HaloPSA definition, runs its connection test and reads every client.
    static func connectAndCountClients(url: String, secret: String) async throws -> Int {
        let definition = try #require(try ProviderCatalog.load().provider(slug: "halopsa"))
        let connection = try ProviderConnection(
            definition: definition,
            config: ["url": url],
            credentials: ["client_id": "demo", "client_secret": secret]
        )
        var settings = ProviderClientSettings()
        settings.retry = RetryPolicy(maxAttempts: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
        // The test's own client, not serve's: the exemption for the sandbox serve mounts is not its to use.
        settings.outbound = .unrestricted
        return try await ProviderClient.with(settings: settings, logger: logger) { client in
            let session = client.session(for: connection)
            try await session.testConnection()
            var count = 0
            for try await page in try session.pages(of: "clients") { count += page.records.count }
            return count
        }
    }

    /// Runs a server until `body` returns, then cancels it as SIGTERM would.
    static func run(
        _ server: @escaping @Sendable (@escaping @Sendable (Int) async -> Void) async throws -> Void,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await server { continuation.yield($0) }
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                Issue.record("the server stopped before listening")
                return
            }
            try await body(port)
            group.cancelAll()
            try await group.waitForAll()
        }
    }
}
