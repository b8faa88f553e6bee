import ArgumentParser
import Foundation
import Logging
import SynclineApp
import SynclineCore
import SynclineSandbox
import SynclineStore
import SynclineTestSupport
import Testing

@testable import SynclineCLI

@Suite("syncline sync run")
struct SyncCommandTests {
    /// A data directory with tenant Acme and a HaloPSA connection "Main" pointing at `url` with `secret`, and a
    /// config file that allows private networks (the sandbox is a loopback server of the test's own).
    static func prepare(_ directory: URL, url: String, secret: String) async throws {
        try Data("allowPrivateNetworks: true\n".utf8).write(to: configFile(directory))
        var configuration = SynclineConfiguration()
        configuration.dataDirectory = directory.path
        var logger = Logger(label: "test")
        logger.logLevel = .error
        try await Syncline.withStore(configuration, logger: logger) { store in
            try await store.migrator.migrate()
            _ = try await makeHaloConnection(in: store, url: url, secret: secret)
        }
    }

    static func configFile(_ directory: URL) -> URL { directory.appendingPathComponent("syncline.yaml") }

    @Test("imports one entity type and prints a summary; a second run finds nothing changed")
    func runsAndSummarises() async throws {
        try await withHaloPSASandbox(HaloPSAEmulator.Configuration(recordCounts: HaloPSARecordCounts(clients: 1_500))) {
            sandbox in
            try await withTemporaryDirectory { directory in
                try await Self.prepare(directory, url: sandbox.baseURL, secret: "demo")
                let arguments = [
                    "sync", "run", "Main", "clients", "--tenant", "Acme", "--data-dir", directory.path, "--log-level",
                    "error", "--config", Self.configFile(directory).path,
                ]
                let first = try await runCommand(arguments)
                #expect(first.hasPrefix("clients: succeeded in "))
                #expect(first.contains("records: 1500 seen, 1500 created, 0 updated, 0 unchanged, 0 deleted, 0 failed"))
                #expect(first.contains("pages: 2, requests: 3"))
                let second = try await runCommand(arguments)
                #expect(second.contains("records: 1500 seen, 0 created, 0 updated, 1500 unchanged"))
            }
        }
    }

    @Test("a wrong secret fails the run with the provider's plain message and a non-zero exit")
    func failsPlainly() async throws {
        try await withHaloPSASandbox { sandbox in
            try await withTemporaryDirectory { directory in
                try await Self.prepare(directory, url: sandbox.baseURL, secret: "wrong")
                let capture = ConsoleCapture()
                await #expect(throws: ExitCode.failure) {
                    _ = try await runCommand(
                        [
                            "sync", "run", "Main", "clients", "--tenant", "Acme", "--data-dir", directory.path,
                            "--config", Self.configFile(directory).path,
                        ],
                        capture: capture
                    )
                }
                #expect(capture.text.contains("clients: failed"))
                #expect(capture.text.contains("error: "))
                #expect(capture.text.contains("client id or secret"))
                #expect(!capture.text.contains("wrong"))
            }
        }
    }

    @Test("an unknown connection or tenant is one clear error")
    func unknownConnection() async throws {
        try await withTemporaryDirectory { directory in
            try await Self.prepare(directory, url: "http://127.0.0.1:1/halopsa", secret: "demo")
            let error = await #expect(throws: StoreError.self) {
                _ = try await runCommand([
                    "sync", "run", "Other", "clients", "--tenant", "Acme", "--data-dir", directory.path,
                ])
            }
            #expect(error?.message == "tenant Acme has no connection named or with id Other")
            let tenant = await #expect(throws: StoreError.self) {
                _ = try await runCommand([
                    "sync", "run", "Main", "clients", "--tenant", "Nope", "--data-dir", directory.path,
                ])
            }
            #expect(tenant?.message == "no tenant named or with id Nope")
        }
    }
}

/// The ETA of the progress line, from the total the provider stated.
@Suite("sync run progress ETA")
struct ProgressETATests {
    @Test("shows what is left at the current rate when the total is known, nothing otherwise")
    func eta() {
        var run = SyncRun(
            id: "run_1",
            tenantID: "ten_1",
            connectionID: "con_1",
            entityType: "clients",
            trigger: .manual,
            startedAt: Date()
        )
        #expect(ProgressLine.eta(run, rate: 1000) == nil)
        run.expectedRecords = 100_000
        run.counts.seen = 10_000
        #expect(ProgressLine.eta(run, rate: 1000) == "of 100000, about 1m 30s left")
        run.counts.seen = 99_500
        #expect(ProgressLine.eta(run, rate: 1000) == "of 100000, about 1s left")
        #expect(ProgressLine.eta(run, rate: 0) == nil)
    }
}
