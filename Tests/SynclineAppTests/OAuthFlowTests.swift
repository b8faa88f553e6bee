import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SynclineApp
import SynclineCore
import SynclineSandbox
import SynclineTestSupport
import Testing

/// The authorization-code flow with PKCE end to end: a real `serve`, the emulated OAuth provider on its own
/// loopback port, and an HTTP client standing in for the person's browser (it does not follow redirects, so each
/// hop is visible).
@Suite("OAuth authorization code flow")
struct OAuthFlowTests {
    struct Flow {
        let api: ServedAPI
        let sandbox: OAuthSandbox
        let tenant: (id: String, key: String)
        let connectionID: String
    }

    static func withFlow(_ body: @Sendable (Flow) async throws -> Void) async throws {
        try await withOAuthSandbox { sandbox in
            try await withTemporaryDirectory { directory in
                try await ServedAPI.with(configure: { configuration in
                    try? OAuthProviderFixture.install(in: directory, &configuration)
                }) { api in
                    let tenant = try await api.makeTenant("Acme")
                    let created = try await api.call(
                        .POST,
                        "/api/v1/connections",
                        key: tenant.key,
                        body: try ServedAPI.json([
                            "provider": .string(OAuthProviderFixture.slug), "name": "Contacts",
                            "config": ["url": .string(sandbox.baseURL)],
                        ])
                    )
                    try #require(created.status == 201, "\(created.text)")
                    #expect(created.object["status"] == "setup_incomplete")
                    let id = try #require(created.object["id"]?.stringValue)
                    try await body(Flow(api: api, sandbox: sandbox, tenant: tenant, connectionID: id))
                }
            }
        }
    }

    /// Asks Syncline for the consent URL, then "visits" it: answers the emulator's redirect back to Syncline.
    static func consent(_ flow: Flow) async throws -> String {
        let authorize = try await flow.api.call(
            .GET,
            "/api/v1/connections/\(flow.connectionID)/oauth/authorize",
            key: flow.tenant.key
        )
        try #require(authorize.status == 200, "\(authorize.text)")
        let url = try #require(authorize.object["authorization_url"]?.stringValue)
        #expect(url.hasPrefix(flow.sandbox.authorizeURL))
        #expect(url.contains("code_challenge_method=S256"))
        #expect(authorize.object["redirect_uri"] == .string(flow.api.baseURL + "/oauth/callback"))
        let response = try await flow.api.http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        #expect(response.status == .found)
        let location = try #require(response.headers.first(name: "location"))
        #expect(location.hasPrefix(flow.api.baseURL + "/oauth/callback?"))
        return location
    }

    /// The browser arriving back at Syncline.
    static func land(_ flow: Flow, _ location: String) async throws -> ServedAPI.Answer {
        try await flow.api.call(.GET, String(location.dropFirst(flow.api.baseURL.count)), key: nil)
    }

    static func connection(_ flow: Flow) async throws -> [String: JSONValue] {
        try await flow.api.call(.GET, "/api/v1/connections/\(flow.connectionID)", key: flow.tenant.key).object
    }

    static func query(_ location: String, _ name: String) -> String? {
        URLComponents(string: location)?.queryItems?.first { $0.name == name }?.value
    }

    @Test("consent, callback and code exchange store the tokens encrypted and activate the connection")
    func grant() async throws {
        try await Self.withFlow { flow in
            let location = try await Self.consent(flow)
            let landed = try await Self.land(flow, location)
            #expect(landed.status == 200, "\(landed.text)")
            #expect(landed.text.contains("Connected to Sandbox Contacts"))
            let connection = try await Self.connection(flow)
            #expect(connection["status"] == "active")
            #expect(connection["setup_step"] == "completed")
            #expect(connection["credential_expires_at"] != .null)
            let set = connection["credentials"]?.objectValue?["set"]?.arrayValue ?? []
            #expect(set.contains("access_token") && set.contains("refresh_token"))
            let stored = try #require(
                try await flow.api.storedCredentials(tenantID: flow.tenant.id, connectionID: flow.connectionID)
            )
            let access = try #require(stored["access_token"])
            let refresh = try #require(stored["refresh_token"])
            let activity = try await flow.api.call(
                .GET,
                "/api/v1/connections/\(flow.connectionID)/activity",
                key: flow.tenant.key
            )
            #expect(activity.data.contains { $0.objectValue?["action"] == "oauth.granted" })
            // The tokens never leave: not in any answer, the activity, or the logs.
            for text in [
                landed.text, activity.text,
                try await flow.api.call(.GET, "/api/v1/connections", key: flow.tenant.key).text, flow.api.logs.text,
            ] {
                #expect(!text.contains(access))
                #expect(!text.contains(refresh))
            }
            // The same answer a second time is refused: states are single-use.
            let replay = try await Self.land(flow, location)
            #expect(replay.status == 400)
            #expect(replay.text.contains("already used"))
        }
    }

    @Test("a tampered state is refused and nothing changes")
    func tamperedState() async throws {
        try await Self.withFlow { flow in
            let location = try await Self.consent(flow)
            let state = try #require(Self.query(location, "state"))
            let code = try #require(Self.query(location, "code"))
            var tampered = Array(state)
            tampered[0] = tampered[0] == "A" ? "B" : "A"
            let answer = try await flow.api.call(
                .GET,
                "/oauth/callback?code=\(code)&state=\(String(tampered))",
                key: nil
            )
            #expect(answer.status == 400)
            #expect(answer.text.contains("not issued by this server"))
            #expect(try await Self.connection(flow)["status"] == "setup_incomplete")
            #expect(flow.sandbox.emulator.requestLog.all.allSatisfy { !$0.path.hasSuffix("/token") })
        }
    }

    @Test("a code presented with another authorization's state fails PKCE at the provider")
    func wrongVerifier() async throws {
        try await Self.withFlow { flow in
            let first = try await Self.consent(flow)
            let second = try await Self.consent(flow)
            let code = try #require(Self.query(first, "code"))
            let state = try #require(Self.query(second, "state"))
            let answer = try await flow.api.call(.GET, "/oauth/callback?code=\(code)&state=\(state)", key: nil)
            #expect(answer.status == 400)
            #expect(answer.text.contains("invalid_grant"))
            #expect(try await Self.connection(flow)["status"] == "setup_incomplete")
        }
    }

    @Test("a person who declines sees the provider's error plainly, and it is in the activity log")
    func denied() async throws {
        try await Self.withFlow { flow in
            flow.sandbox.emulator.denyNextAuthorization()
            let location = try await Self.consent(flow)
            #expect(Self.query(location, "error") == "access_denied")
            let answer = try await Self.land(flow, location)
            #expect(answer.status == 400)
            #expect(answer.text.contains("access_denied"))
            #expect(try await Self.connection(flow)["status"] == "setup_incomplete")
            let activity = try await flow.api.call(
                .GET,
                "/api/v1/connections/\(flow.connectionID)/activity",
                key: flow.tenant.key
            )
            #expect(activity.data.contains { $0.objectValue?["action"] == "oauth.denied" })
        }
    }

    @Test("disconnect revokes the token at the provider, deletes the stored tokens and sets disconnected")
    func disconnect() async throws {
        try await Self.withFlow { flow in
            _ = try await Self.land(flow, try await Self.consent(flow))
            let answer = try await flow.api.call(
                .POST,
                "/api/v1/connections/\(flow.connectionID)/disconnect",
                key: flow.tenant.key
            )
            #expect(answer.status == 200, "\(answer.text)")
            #expect(answer.object["status"] == "disconnected")
            #expect(answer.object["revoked"] == .bool(true))
            #expect(flow.sandbox.emulator.revokedTokenCount >= 1)
            let stored = try await flow.api.storedCredentials(tenantID: flow.tenant.id, connectionID: flow.connectionID)
            #expect(stored == nil)
        }
    }

    @Test("an OAuth provider takes no credentials in the body, and a client-credentials one has no authorize")
    func wrongKinds() async throws {
        try await Self.withFlow { flow in
            let refused = try await flow.api.call(
                .PUT,
                "/api/v1/connections/\(flow.connectionID)/credentials",
                key: flow.tenant.key,
                body: #"{"credentials": {"access_token": "x"}}"#
            )
            #expect(refused.status == 400)
            #expect(refused.error["code"] == "oauth_required")
            #expect(refused.error["field"] == "credentials")
        }
    }
}
