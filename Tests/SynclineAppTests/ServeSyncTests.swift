import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SynclineApp
import SynclineCore
import SynclineSandbox
import SynclineStore
import SynclineTestSupport
import Testing

/// `serve` as one process does it all: an activated connection's every entity type is scheduled at once,
/// imported by the workers, and counted at `/metrics`.
@Suite("serve runs the scheduler and the workers")
struct ServeSyncTests {
    @Test("an active HaloPSA connection is scheduled by itself and imported completely, with runs and metrics")
    func activatedConnectionIsImported() async throws {
        let counts = HaloPSARecordCounts(
            clients: 30,
            sites: 40,
            users: 50,
            assets: 20,
            agents: 3,
            tickets: 25,
            actions: 40,
            timesheets: 12
        )
        try await withHaloPSASandbox(HaloPSAEmulator.Configuration(recordCounts: counts)) { sandbox in
            try await withTemporaryDirectory { directory in
                var configuration = SynclineConfiguration()
                configuration.dataDirectory = directory.path
                configuration.port = 0
                configuration.sandboxEnabled = false
                // The sandbox here is a separate loopback server, not the one serve mounts.
                configuration.allowPrivateNetworks = true
                let configured = configuration
                let logger = SandboxMountTests.logger
                let (tenant, connection) = try await Syncline.withStore(configured, logger: logger) { store in
                    try await store.migrator.migrate()
                    let (tenant, connection) = try await makeHaloConnection(in: store, url: sandbox.baseURL)
                    // No syncs are set up by hand: serve's scheduler schedules an active connection by itself.
                    #expect(try await store.syncs.list(tenantID: tenant.id, connectionID: connection.id).isEmpty)
                    return (tenant, connection)
                }

                try await SandboxMountTests.run({ try await Syncline.serve(configured, logger: logger, onRunning: $0) })
                {
                    port in
                    // The queue gauge is read from this server's store; the job counters are shared by every serve
                    // of the test process (OutboundPolicyServeTests runs imports through serve as well).
                    try await eventually("every entity type was imported", timeout: 120) {
                        let text = try await Self.get("http://127.0.0.1:\(port)/metrics")
                        return Self.value(in: text, of: "syncline_queue_jobs", label: "status=\"succeeded\"")
                            == Double(HaloPSAEntity.allCases.count)
                    }
                    let text = try await Self.get("http://127.0.0.1:\(port)/metrics")
                    #expect(text.contains("syncline_queue_jobs{status=\"succeeded\"} 8"))
                    #expect(
                        Self.value(
                            in: text,
                            of: "syncline_jobs_processed_total",
                            label: "kind=\"sync.import\",provider=\"halopsa\""
                        ) ?? 0
                            >= Double(HaloPSAEntity.allCases.count)
                    )
                    #expect(text.contains("syncline_records_total"))
                }

                try await Syncline.withStore(configured, logger: logger) { store in
                    for entity in HaloPSAEntity.allCases {
                        let stored = try await store.records.count(
                            tenantID: tenant.id,
                            connectionID: connection.id,
                            entityType: entity.rawValue
                        )
                        #expect(stored == counts[entity], "\(entity.rawValue)")
                    }
                    let runs = try await store.runs.list(tenantID: tenant.id, connectionID: connection.id, limit: 20)
                    #expect(runs.count == HaloPSAEntity.allCases.count)
                    #expect(runs.allSatisfy { $0.status == .succeeded && $0.trigger == .schedule })
                    let syncs = try await store.syncs.list(tenantID: tenant.id, connectionID: connection.id)
                    #expect(syncs.count == HaloPSAEntity.allCases.count)
                    #expect(syncs.first { $0.entityType == "tickets" }?.schedule == .interval(minutes: 15))
                    #expect(syncs.allSatisfy { $0.lastStatus == .succeeded && ($0.nextRunAt ?? .distantPast) > Date() })
                }
            }
        }
    }

    static func get(_ url: String) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    /// The value of the first sample of `metric` whose labels contain `label`.
    static func value(in text: String, of metric: String, label: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(metric) && line.contains(label) {
            return line.split(separator: " ").last.flatMap { Double($0) }
        }
        return nil
    }
}
