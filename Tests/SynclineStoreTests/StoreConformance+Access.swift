import Foundation
import SQLKit
import Synchronization
import SynclineCore
import SynclineStore
import Testing

/// OAuth states, provider settings, the credential-expiry scan and exclusive credential access: the same checks
/// on every backend.
extension ConformanceCheck {
    static let access: [ConformanceCheck] = [
        .init(name: "OAuth states are single-use, expire, and refuse forgeries", run: oauthStates),
        .init(name: "provider settings keep the OAuth secret sealed", run: providerSettings),
        .init(name: "the expiry scan finds every tenant's expiring credentials, soonest first", run: expiringScan),
        .init(name: "exclusive credential access runs one holder at a time and saves what it answers", run: exclusive),
    ]

    static func oauthStates(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let connection = makeConnection(tenant: acme)
        try await store.connections.create(connection)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let started = try await store.oauthStates.begin(
            tenantID: acme.id,
            connectionID: connection.id,
            redirectURI: "https://sync.example.com/oauth/callback",
            now: now
        )
        #expect(started.codeVerifier.count >= 43)
        #expect(started.expiresAt == now.addingTimeInterval(600))

        // Alter the MAC's first character: its last one also carries base64 padding bits that decode the same.
        var forged = Array(started.state)
        let macStart = try #require(forged.lastIndex(of: ".")) + 1
        forged[macStart] = forged[macStart] == "A" ? "B" : "A"
        #expect(try await store.oauthStates.consume(String(forged), now: now) == .failure(.forged))
        #expect(try await store.oauthStates.consume("no.such.state", now: now) == .failure(.forged))

        let spent = try await store.oauthStates.consume(started.state, now: now.addingTimeInterval(30))
        #expect(
            spent
                == .success(
                    OAuthPendingGrant(
                        tenantID: acme.id,
                        connectionID: connection.id,
                        codeVerifier: started.codeVerifier,
                        redirectURI: "https://sync.example.com/oauth/callback"
                    )
                )
        )
        #expect(
            try await store.oauthStates.consume(started.state, now: now.addingTimeInterval(31)) == .failure(.reused)
        )

        let late = try await store.oauthStates.begin(
            tenantID: acme.id,
            connectionID: connection.id,
            redirectURI: "https://sync.example.com/oauth/callback",
            now: now
        )
        #expect(try await store.oauthStates.consume(late.state, now: now.addingTimeInterval(601)) == .failure(.expired))
        #expect(late.codeVerifier != started.codeVerifier)
    }

    static func providerSettings(_ store: SQLStore) async throws {
        #expect(try await store.providerSettings.all().isEmpty)
        let secret = "oauth-client-secret-that-must-not-be-stored-plainly"
        try await store.providerSettings.setOAuthClient(
            OAuthClientCredentials(clientID: "client-1", clientSecret: secret),
            slug: "hubspot"
        )
        try await store.providerSettings.setHidden(true, slug: "hubspot")
        try await store.providerSettings.setHidden(false, slug: "halopsa")
        let all = try await store.providerSettings.all()
        #expect(all.map(\.slug) == ["halopsa", "hubspot"])
        #expect(all.last?.hidden == true && all.last?.oauthClientID == "client-1")
        #expect(try await store.providerSettings.oauthClient(slug: "hubspot")?.clientSecret == secret)
        #expect(try await store.providerSettings.oauthClient(slug: "halopsa") == nil)
        let raw = try await store.database.withConnection { db in
            try await db.select().column("oauth_secret_ciphertext").from("provider_settings")
                .where("slug", .equal, "hubspot").first()?.decode(column: "oauth_secret_ciphertext", as: String.self)
        }
        #expect(raw?.contains(secret) == false)
        try await store.providerSettings.setOAuthClient(nil, slug: "hubspot")
        #expect(try await store.providerSettings.oauthClient(slug: "hubspot") == nil)
        #expect(try await store.providerSettings.all().last?.hidden == true)
    }

    static func expiringScan(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let globex = try await store.tenants.create(name: "Globex")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var soon = makeConnection(tenant: globex, name: "Soon")
        soon.credentialExpiresAt = now.addingTimeInterval(60)
        var sooner = makeConnection(tenant: acme, name: "Sooner")
        sooner.credentialExpiresAt = now.addingTimeInterval(10)
        var later = makeConnection(tenant: acme, name: "Later")
        later.credentialExpiresAt = now.addingTimeInterval(86_400)
        let never = makeConnection(tenant: acme, name: "Never")
        for connection in [soon, sooner, later, never] { try await store.connections.create(connection) }
        let due = try await store.connections.expiring(before: now.addingTimeInterval(600))
        #expect(due.map(\.id) == [sooner.id, soon.id])
    }

    static func exclusive(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let connection = makeConnection(tenant: acme)
        try await store.connections.create(connection)
        try await store.credentials.save(["count": "0"], connectionID: connection.id, tenantID: acme.id)
        try await bumpConcurrently(store, store, connection, times: 6)
        #expect(try await store.credentials.load(connectionID: connection.id, tenantID: acme.id)?["count"] == "6")
        // Answering nil saves nothing and hands back what is stored.
        let unchanged = try await store.credentials.withExclusiveAccess(connectionID: connection.id, tenantID: acme.id)
        {
            _ in nil
        }
        #expect(unchanged?["count"] == "6")
    }

    /// Read-modify-write of a counter in the credential, from tasks split over two stores: any overlap of two
    /// holders loses an increment.
    static func bumpConcurrently(_ first: SQLStore, _ second: SQLStore, _ connection: Connection, times: Int)
        async throws
    {
        let holders = Holders()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<times {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask {
                    _ = try await store.credentials.withExclusiveAccess(
                        connectionID: connection.id,
                        tenantID: connection.tenantID
                    ) { current in
                        holders.enter()
                        try await Task.sleep(for: .milliseconds(20))
                        holders.leave()
                        var next = current ?? [:]
                        next["count"] = String((Int(current?["count"] ?? "0") ?? 0) + 1)
                        return next
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(holders.overlapped == false)
    }

    /// Counts the bodies inside exclusive access at once.
    final class Holders: Sendable {
        private let state = Mutex((inside: 0, overlapped: false))

        var overlapped: Bool { state.withLock { $0.overlapped } }

        func enter() {
            state.withLock { state in
                state.inside += 1
                if state.inside > 1 { state.overlapped = true }
            }
        }

        func leave() { state.withLock { $0.inside -= 1 } }
    }
}

/// Two stores on one PostgreSQL database stand for two processes: the advisory lock, not the in-process gate,
/// must keep their refreshes apart.
@Suite("Exclusive credential access across processes")
struct ExclusiveCredentialAccessTests {
    @Test("two stores on one PostgreSQL database never hold one connection's credential at once", postgresAvailable)
    func acrossStores() async throws {
        try await withTwoPostgresStores { first, second in
            let acme = try await first.tenants.create(name: "Acme")
            let connection = ConformanceCheck.makeConnection(tenant: acme)
            try await first.connections.create(connection)
            try await first.credentials.save(["count": "0"], connectionID: connection.id, tenantID: acme.id)
            try await ConformanceCheck.bumpConcurrently(first, second, connection, times: 8)
            let stored = try await second.credentials.load(connectionID: connection.id, tenantID: acme.id)
            #expect(stored?["count"] == "8")
        }
    }
}

/// Two stores, each with its own connections, on one new PostgreSQL database: two processes, as far as the
/// database can tell.
func withTwoPostgresStores(_ body: (SQLStore, SQLStore) async throws -> Void) async throws {
    let cipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
    try await StoreBackend.postgres.withStore(cipher: cipher) { first, location in
        try await SQLStore.with(location, cipher: cipher, logger: StoreBackend.logger) { second in
            try await body(first, second)
        }
    }
}

/// Two stores on one PostgreSQL database stand for two `serve` processes starting at once on an empty database:
/// only one may make (and show) the first operator key.
@Suite("First operator key across processes")
struct FirstOperatorKeyAcrossProcessesTests {
    @Test("two stores on one PostgreSQL database make one first operator key between them", postgresAvailable)
    func acrossStores() async throws {
        try await withTwoPostgresStores { first, second in
            let made = try await ConformanceCheck.issueFirstOperatorKeysConcurrently(first, second, callers: 8)
            #expect(made.count == 1)
            #expect(try await second.apiKeys.list(tenantID: nil).count == 1)
        }
    }
}
