import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SynclineApp
import SynclineCore
import SynclineStore
import SynclineTestSupport
import Testing

@Suite("syncline serve")
struct ServeTests {
    static let logger: Logger = {
        var logger = Logger(label: "syncline.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs the server until `body` returns, then shuts it down the way SIGTERM does (cancellation).
    private func withServer(
        _ configuration: SynclineConfiguration,
        _ body: @Sendable (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await Syncline.serve(configuration, logger: Self.logger) { continuation.yield($0) }
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

    private func getJSON(_ url: String) async throws -> (Int, [String: JSONValue]) {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), try JSONValue.parse(String(buffer: body)).objectValue ?? [:])
    }

    @Test("on a fresh data directory it creates the SQLite file and key file, migrates and answers /health")
    func sqlite() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = SynclineConfiguration()
            configuration.dataDirectory = directory.appendingPathComponent("fresh/data").path
            configuration.port = 0
            try await withServer(configuration) { port in
                let (status, body) = try await getJSON("http://127.0.0.1:\(port)/health")
                #expect(status == 200)
                #expect(body["database"] == "sqlite")
                #expect(body["migration_level"] == .number(Double(Migration.latestVersion)))
                #expect(body["version"] == .string(SynclineVersion.current))
            }
            let data = directory.appendingPathComponent("fresh/data")
            #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("syncline.sqlite").path))
            let keyFile = data.appendingPathComponent("master.key").path
            #expect((try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int) == 0o600)
        }
    }

    @Test("with a PostgreSQL URL it answers /health with postgresql", .enabled(if: PostgresTestCluster.isAvailable))
    func postgres() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = SynclineConfiguration()
            configuration.dataDirectory = directory.path
            configuration.databaseURL = try await PostgresTestCluster.makeDatabase()
            configuration.masterKey = MasterKeyFixture.base64
            configuration.port = 0
            try await withServer(configuration) { port in
                let (status, body) = try await getJSON("http://127.0.0.1:\(port)/health")
                #expect(status == 200)
                #expect(body["database"] == "postgresql")
                #expect(body["migration_level"] == .number(Double(Migration.latestVersion)))
            }
        }
    }

    @Test("a port in use is one clear error")
    func portInUse() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = SynclineConfiguration()
            configuration.dataDirectory = directory.path
            configuration.port = 0
            let first = configuration
            try await withServer(first) { port in
                var second = first
                second.port = port
                let error = await #expect(throws: StartupError.self) {
                    try await Syncline.serve(second, logger: Self.logger)
                }
                #expect(error?.description == "port \(port) on 127.0.0.1 is already in use; choose another with --port")
            }
        }
    }

    @Test("an unusable data directory is one clear error")
    func unusableDataDirectory() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("plain-file")
            try Data().write(to: file)
            var configuration = SynclineConfiguration()
            configuration.dataDirectory = file.appendingPathComponent("data").path
            let error = await #expect(throws: StoreError.self) {
                try await Syncline.serve(configuration, logger: Self.logger)
            }
            #expect(error?.message.hasPrefix("cannot create the data directory \(configuration.dataDirectory)") == true)

            configuration.dataDirectory = file.path
            let notDirectory = await #expect(throws: StoreError.self) {
                try await Syncline.serve(configuration, logger: Self.logger)
            }
            #expect(notDirectory?.message == "the data directory \(file.path) is a file, not a directory")
        }
    }

    @Test("an unreachable PostgreSQL is one clear error naming the server, password masked")
    func unreachableDatabase() async throws {
        var configuration = SynclineConfiguration()
        configuration.databaseURL = "postgres://syncline:hunter2@127.0.0.1:1/syncline"
        configuration.masterKey = MasterKeyFixture.base64
        let error = await #expect(throws: StoreError.self) {
            try await Syncline.serve(configuration, logger: Self.logger)
        }
        #expect(error?.code == .unavailable)
        #expect(
            error?.message.contains("cannot connect to PostgreSQL at postgres://syncline:****@127.0.0.1:1/syncline")
                == true
        )
        #expect(error?.message.contains("hunter2") == false)
    }
}

enum MasterKeyFixture {
    static let base64 = Data(repeating: 9, count: 32).base64EncodedString()
}
