import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SynclineCore
import SynclineEngine
import SynclineProviders
import SynclineSandbox
import SynclineStore
import SynclineTestSupport
import Testing

@testable import SynclineApp

/// Token refresh against the emulated OAuth provider over real HTTP, with the real store and engine: ahead of
/// expiry, on a 401, two refreshers at once, and a refusal that puts the connection in `error`.
@Suite("OAuth token refresh")
struct OAuthRefreshTests {
    struct Fixture {
        let sandbox: OAuthSandbox
        let store: SQLStore
        let engine: Syncline.EngineServices
        let connection: Connection
    }

    static let logger: Logger = {
        var logger = Logger(label: "syncline.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// An active sandbox-contacts connection holding tokens from a real authorization-code grant.
    static func withConnection(
        lifetime: Duration = .seconds(3600),
        _ body: @Sendable (Fixture) async throws -> Void
    ) async throws {
        _ = SynclineMetrics.registry
        try await withOAuthSandbox(.init(accessTokenLifetime: lifetime)) { sandbox in
            try await withTemporaryDirectory { directory in
                var configuration = SynclineConfiguration()
                configuration.dataDirectory = directory.path
                try OAuthProviderFixture.install(in: directory, &configuration)
                let configured = configuration
                try await Syncline.withStore(configured, logger: logger) { store in
                    _ = try await store.migrator.migrate()
                    try await Syncline.withEngine(store: store, configured, logger: logger) { engine in
                        let tenant = try await store.tenants.create(name: "Acme")
                        var connection = Connection(
                            id: Identifier.make(prefix: "con"),
                            tenantID: tenant.id,
                            provider: OAuthProviderFixture.slug,
                            name: "Contacts",
                            config: ["url": .string(sandbox.baseURL)],
                            status: .active,
                            setupStep: .completed,
                            createdAt: Date(),
                            updatedAt: Date()
                        )
                        try await store.connections.create(connection)
                        let grant = try await obtainGrant(engine.gateway, connection)
                        try await store.credentials.save(
                            grant.applied(to: [:]),
                            connectionID: connection.id,
                            tenantID: tenant.id
                        )
                        connection.credentialExpiresAt = grant.expiresAt
                        try await store.connections.update(connection)
                        try await body(Fixture(sandbox: sandbox, store: store, engine: engine, connection: connection))
                    }
                }
            }
        }
    }

    /// The code flow by hand: the gateway's consent URL, the emulator's redirect, the gateway's code exchange.
    static func obtainGrant(_ gateway: CatalogProviderGateway, _ connection: Connection) async throws
        -> OAuthTokenGrant
    {
        let verifier = "a-verifier-of-the-tests-that-is-long-enough-for-pkce-0123456789"
        let redirect = "http://127.0.0.1:9/oauth/callback"
        let url = try gateway.authorizationURL(
            for: connection,
            client: OAuthProviderFixture.client,
            redirectURI: redirect,
            state: "test-state",
            codeChallenge: PKCE.challenge(for: verifier)
        )
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { _ = http.shutdown() }
        let response = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let location = try #require(response.headers.first(name: "location"))
        let code = try #require(URLComponents(string: location)?.queryItems?.first { $0.name == "code" }?.value)
        return try await gateway.exchangeCode(
            code,
            codeVerifier: verifier,
            redirectURI: redirect,
            connection: connection,
            client: OAuthProviderFixture.client
        )
    }

    static func stored(_ fixture: Fixture) async throws -> CredentialSecrets {
        try #require(
            try await fixture.store.credentials.load(
                connectionID: fixture.connection.id,
                tenantID: fixture.connection.tenantID
            )
        )
    }

    static func actions(_ fixture: Fixture) async throws -> [ActivityEntry] {
        try await fixture.store.activity.list(
            tenantID: fixture.connection.tenantID,
            connectionID: fixture.connection.id,
            limit: 100
        )
    }

    @Test("the refresher refreshes tokens that expire within its window, saving the rotated refresh token")
    func ahead() async throws {
        try await Self.withConnection(lifetime: .seconds(120)) { fixture in
            let before = try await Self.stored(fixture)
            var backoff = RefreshBackoff()
            let refreshed = try await fixture.engine.tokenRefresher.runOnce(backoff: &backoff)
            #expect(refreshed == 1)
            #expect(fixture.sandbox.emulator.refreshGrantCount == 1)
            let after = try await Self.stored(fixture)
            #expect(after["access_token"] != before["access_token"])
            #expect(after["refresh_token"] != before["refresh_token"])
            let connection = try #require(
                try await fixture.store.connections.find(
                    id: fixture.connection.id,
                    tenantID: fixture.connection.tenantID
                )
            )
            #expect(connection.credentialExpiresAt != fixture.connection.credentialExpiresAt)
            let entry = try #require(try await Self.actions(fixture).first { $0.action == "credentials.refreshed" })
            #expect(entry.details["reason"] == "ahead")
            #expect(entry.actor == "system")
        }
    }

    @Test("tokens far from expiry are left alone by the refresher")
    func notDue() async throws {
        try await Self.withConnection { fixture in
            var backoff = RefreshBackoff()
            let refreshed = try await fixture.engine.tokenRefresher.runOnce(backoff: &backoff)
            #expect(refreshed == 0)
            #expect(fixture.sandbox.emulator.refreshGrantCount == 0)
        }
    }

    @Test("a 401 mid-sync refreshes the token once and the sync completes")
    func onUnauthorized() async throws {
        try await Self.withConnection { fixture in
            fixture.sandbox.emulator.expireAccessTokens()
            let source = try await fixture.engine.sources.source(for: fixture.connection, entityType: "contacts")
            let run = try await fixture.engine.runner.run(
                ImportJob(
                    tenantID: fixture.connection.tenantID,
                    connectionID: fixture.connection.id,
                    entityType: "contacts",
                    trigger: .manual
                ),
                from: source
            )
            #expect(run.status == .succeeded)
            #expect(run.counts.created == 25)
            #expect(fixture.sandbox.emulator.refreshGrantCount == 1)
            let entry = try #require(try await Self.actions(fixture).first { $0.action == "credentials.refreshed" })
            #expect(entry.details["reason"] == "unauthorized")
        }
    }

    @Test("five refreshes of one connection at once spend the refresh token once and agree on the new token")
    func concurrent() async throws {
        try await Self.withConnection { fixture in
            let rejected = try #require(try await Self.stored(fixture)["access_token"])
            let tokens = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await fixture.engine.refresher.credentials(
                            for: fixture.connection,
                            rejectedAccessToken: rejected
                        )["access_token"]
                    }
                }
                var tokens: [String?] = []
                for try await token in group { tokens.append(token) }
                return tokens
            }
            #expect(fixture.sandbox.emulator.refreshGrantCount == 1)
            #expect(Set(tokens).count == 1)
            #expect(tokens.first != rejected)
        }
    }

    @Test("a refresh the provider refuses (invalid_grant) puts the connection in error and is logged and counted")
    func invalidGrant() async throws {
        try await Self.withConnection { fixture in
            var secrets = try await Self.stored(fixture)
            secrets["refresh_token"] = "a-refresh-token-the-provider-never-issued"
            secrets["expires_at"] = String(Int64(Date().timeIntervalSince1970) - 10)
            try await fixture.store.credentials.save(
                secrets,
                connectionID: fixture.connection.id,
                tenantID: fixture.connection.tenantID
            )
            let error = await #expect(throws: JobError.self) {
                try await fixture.engine.refresher.credentials(for: fixture.connection)
            }
            #expect(error?.disposition == .auth)
            #expect(error?.message.contains("invalid_grant") == true)
            let connection = try #require(
                try await fixture.store.connections.find(
                    id: fixture.connection.id,
                    tenantID: fixture.connection.tenantID
                )
            )
            #expect(connection.status == .error)
            let entry = try #require(
                try await Self.actions(fixture).first { $0.action == "credentials.refresh_failed" }
            )
            #expect(entry.details["permanent"] == .bool(true))
            #expect(entry.details["status"] == "error")
            let metrics = await SynclineMetrics.render(queue: fixture.store.jobs)
            #expect(metrics.contains("syncline_token_refresh_failures_total{"))
        }
    }
}
