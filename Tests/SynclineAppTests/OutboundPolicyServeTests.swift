import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SynclineCore
import SynclineProviders
import SynclineSandbox
import SynclineStore
import SynclineTestSupport
import Testing

@testable import SynclineApp

/// `serve` refuses provider URLs on loopback and private networks by default, yet a newcomer's connection to the
/// sandbox `serve` itself mounts works with no setting at all.
@Suite("serve's outbound address policy")
struct OutboundPolicyServeTests {
    @Test("with no setting, serve imports from the sandbox it mounts and refuses a separate loopback server")
    func ownSandboxIsExempt() async throws {
        try await withHaloPSASandbox { separate in
            try await withTemporaryDirectory { directory in
                // The connection's URL needs serve's port before serve runs (a second store writing to the same
                // SQLite file while serve runs can meet "database is locked"): take a free port and let it go.
                let port = try await withClosedLoopbackPort { $0 }
                var configuration = SynclineConfiguration()
                configuration.dataDirectory = directory.path
                configuration.port = port
                #expect(configuration.sandboxEnabled && !configuration.allowPrivateNetworks)
                let configured = configuration
                let logger = SandboxMountTests.logger
                let (tenant, own, outside, key) = try await Syncline.withStore(configured, logger: logger) { store in
                    try await store.migrator.migrate()
                    let (tenant, own) = try await makeHaloConnection(
                        in: store,
                        url: "http://127.0.0.1:\(port)\(Syncline.sandboxMountPath)"
                    )
                    let outside = try await Self.makeConnection(in: store, tenantID: tenant.id, url: separate.baseURL)
                    let key = try await store.apiKeys.issue(tenantID: tenant.id, name: "test").plaintext
                    return (tenant, own, outside, key)
                }

                try await SandboxMountTests.run({ try await Syncline.serve(configured, logger: logger, onRunning: $0) })
                {
                    bound in
                    #expect(bound == port)
                    // Asked of this server's API, not of /metrics: the metrics registry is shared by every serve
                    // the test process runs.
                    try await eventually("both connections ran their clients sync") {
                        let ownStatus = try await Self.clientsStatus(port: bound, key: key, connectionID: own.id)
                        let outsideStatus = try await Self.clientsStatus(
                            port: bound,
                            key: key,
                            connectionID: outside.id
                        )
                        return ownStatus == "succeeded" && outsideStatus == "failed"
                    }
                }

                try await Syncline.withStore(configured, logger: logger) { store in
                    let ownRun = try await Self.clientsRun(store, tenant.id, own.id)
                    #expect(ownRun?.status == .succeeded, "\(ownRun?.error ?? "")")
                    let stored = try await store.records.count(
                        tenantID: tenant.id,
                        connectionID: own.id,
                        entityType: "clients"
                    )
                    #expect(stored == HaloPSARecordCounts().clients)
                    let refused = try await Self.clientsRun(store, tenant.id, outside.id)
                    #expect(refused?.status == .failed)
                    #expect(
                        refused?.error?.contains("127.0.0.1 is a loopback address") == true,
                        "\(refused?.error ?? "")"
                    )
                    #expect(refused?.error?.contains("SYNCLINE_ALLOW_PRIVATE_NETWORKS=1") == true)
                }
                #expect(separate.emulator.requests.count == 0)
            }
        }
    }

    @Test("serve's exemption opens only once the bound port is known, and only while the sandbox is mounted")
    func exemptionFollowsTheBoundPort() async throws {
        let url = "http://127.0.0.1:54321\(Syncline.sandboxMountPath)/api/Client"
        let configuration = SynclineConfiguration()
        let bound = Syncline.BoundPort(configured: 0)
        let policy = Syncline.outboundPolicy(configuration, sandboxPort: { bound.value })
        await #expect(throws: ProviderError.self) { try await policy.check(url) }
        bound.set(54321)
        try await policy.check(url)
        await #expect(throws: ProviderError.self) { try await policy.check("http://127.0.0.1:54321/api/v1/syncs") }

        var off = configuration
        off.sandboxEnabled = false
        await #expect(throws: ProviderError.self) {
            try await Syncline.outboundPolicy(off, sandboxPort: { bound.value }).check(url)
        }
        var elsewhere = configuration
        elsewhere.host = "10.0.0.5"
        await #expect(throws: ProviderError.self) {
            try await Syncline.outboundPolicy(elsewhere, sandboxPort: { bound.value }).check(url)
        }
        var allowed = configuration
        allowed.allowPrivateNetworks = true
        try await Syncline.outboundPolicy(allowed, sandboxPort: { nil }).check("http://10.0.0.5/api")
    }

    /// The status of the latest finished `clients` run of a connection, from `GET /api/v1/connections/{id}/runs`.
    static func clientsStatus(port: Int, key: String, connectionID: String) async throws -> String? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/connections/\(connectionID)/runs")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try JSONValue.parse(String(buffer: try await response.body.collect(upTo: 1 << 20)))
        guard case .array(let runs)? = body.objectValue?["data"] else { return nil }
        return runs.compactMap(\.objectValue)
            .first { $0["entity_type"] == "clients" && $0["status"] != "running" }?["status"]?.stringValue
    }

    /// The latest finished run of `clients` for a connection.
    static func clientsRun(_ store: SQLStore, _ tenantID: String, _ connectionID: String) async throws -> SyncRun? {
        try await store.runs.list(tenantID: tenantID, connectionID: connectionID, limit: 20)
            .first { $0.entityType == "clients" && $0.status != .running }
    }

    /// A second active HaloPSA connection of the tenant, pointing at `url`.
    static func makeConnection(in store: SQLStore, tenantID: String, url: String) async throws
        -> SynclineCore.Connection
    {
        let connection = SynclineCore.Connection(
            id: Identifier.make(prefix: "con"),
            tenantID: tenantID,
            provider: "halopsa",
            name: "Outside",
            config: ["url": .string(url)],
            status: .active,
            setupStep: .completed,
            createdAt: Date(),
            updatedAt: Date()
        )
        try await store.connections.create(connection)
        try await store.credentials.save(
            CredentialSecrets(["client_id": "demo", "client_secret": "demo"]),
            connectionID: connection.id,
            tenantID: tenantID
        )
        return connection
    }
}
