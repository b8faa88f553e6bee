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
            // Serve picks its own port (a port chosen beforehand can be taken by a parallel test's server).
            try await ServedAPI.with { api in
                #expect(!api.configuration.allowPrivateNetworks && api.configuration.sandboxEnabled)
                let tenant = try await api.makeTenant("Acme")
                let own = try await api.makeHaloConnection(key: tenant.key)
                try await eventually("the own sandbox's clients were imported", timeout: 120) {
                    let records = try await api.call(
                        .GET,
                        "/api/v1/connections/\(own)/records/clients?limit=1000",
                        key: tenant.key
                    )
                    return records.data.count == HaloPSARecordCounts().clients
                }
                let outside = try await api.call(
                    .POST,
                    "/api/v1/connections",
                    key: tenant.key,
                    body: try ServedAPI.json([
                        "provider": "halopsa", "name": "Outside", "config": ["url": .string(separate.baseURL)],
                        "credentials": ["client_id": "demo", "client_secret": "demo"],
                    ])
                )
                #expect(outside.status == 422, "\(outside.text)")
                let message = outside.error["message"]?.stringValue ?? ""
                #expect(message.contains("127.0.0.1 is a loopback address"), "\(message)")
                #expect(message.contains("SYNCLINE_ALLOW_PRIVATE_NETWORKS=1"))
            }
            #expect(separate.emulator.requests.count == 0)
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
}
