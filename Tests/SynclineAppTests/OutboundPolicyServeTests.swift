import Foundation
import Logging
import SynclineApp
import SynclineCore
import SynclineSandbox
import SynclineStore
import SynclineTestSupport
import Testing

/// `serve` refuses provider URLs on loopback and private networks by default, yet a newcomer's connection to the
/// sandbox `serve` itself mounts works with no setting at all.
@Suite("serve's outbound address policy")
struct OutboundPolicyServeTests {
    @Test("with no setting, serve imports from the sandbox it mounts and refuses a separate loopback server")
    func ownSandboxIsExempt() async throws {
        try await withHaloPSASandbox { separate in
            try await withTemporaryDirectory { directory in
                var configuration = SynclineConfiguration()
                configuration.dataDirectory = directory.path
                configuration.port = 0
                #expect(configuration.sandboxEnabled && !configuration.allowPrivateNetworks)
                let configured = configuration
                let logger = SandboxMountTests.logger
                try await SandboxMountTests.run({ try await Syncline.serve(configured, logger: logger, onRunning: $0) })
                {
                    port in
                    // A second store on the same SQLite file, as another command would open it while serve runs.
                    try await Syncline.withStore(configured, logger: logger) { store in
                        let (tenant, own) = try await makeHaloConnection(
                            in: store,
                            url: "http://127.0.0.1:\(port)\(Syncline.sandboxMountPath)"
                        )
                        let outside = try await Self.makeConnection(
                            in: store,
                            tenantID: tenant.id,
                            url: separate.baseURL
                        )

                        try await eventually("both connections ran their clients sync") {
                            let ownRun = try await Self.clientsRun(store, tenant.id, own.id)
                            let outsideRun = try await Self.clientsRun(store, tenant.id, outside.id)
                            return ownRun?.status == .succeeded && outsideRun?.status == .failed
                        }
                        let stored = try await store.records.count(
                            tenantID: tenant.id,
                            connectionID: own.id,
                            entityType: "clients"
                        )
                        #expect(stored == HaloPSARecordCounts().clients)
                        let refused = try await Self.clientsRun(store, tenant.id, outside.id)
                        #expect(
                            refused?.error?.contains("127.0.0.1 is a loopback address") == true,
                            "\(refused?.error ?? "")"
                        )
                        #expect(refused?.error?.contains("SYNCLINE_ALLOW_PRIVATE_NETWORKS=1") == true)
                    }
                }
                #expect(separate.emulator.requests.count == 0)
            }
        }
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
