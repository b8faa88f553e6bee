import Foundation
import SQLKit
import SynclineCore
import SynclineStore
import Testing

/// One behaviour every store backend must show. Written once, run on every backend by
/// `StoreConformanceTests`.
struct ConformanceCheck: Sendable, CustomTestStringConvertible {
    let name: String
    let run: @Sendable (SQLStore) async throws -> Void

    var testDescription: String { name }

    static let all: [ConformanceCheck] = foundation + records + jobs + access

    static let foundation: [ConformanceCheck] = [
        .init(name: "tenants are created, found and listed", run: tenantsRoundTrip),
        .init(name: "tenant names are unique", run: tenantNamesUnique),
        .init(name: "API keys authenticate by hash and stop when revoked", run: apiKeysLifecycle),
        .init(name: "API keys are stored only as hash and prefix", run: apiKeysStoredHashed),
        .init(name: "API keys of one tenant cannot be revoked as another", run: apiKeysIsolated),
        .init(name: "the first operator key is made once, by one of many callers", run: firstOperatorKey),
        .init(name: "connections round-trip every field", run: connectionsRoundTrip),
        .init(name: "connections are unique per tenant, provider and name", run: connectionsUnique),
        .init(name: "connections of another tenant are invisible", run: connectionsIsolated),
        .init(name: "connections filter by user", run: connectionsFilterByUser),
        .init(name: "credentials round-trip and are replaced on save", run: credentialsRoundTrip),
        .init(name: "credentials of another tenant are invisible", run: credentialsIsolated),
        .init(name: "credentials go with their connection", run: credentialsCascade),
        .init(name: "activity lists newest first, per connection and tenant", run: activityListing),
        .init(name: "concurrent writes all land", run: concurrentWrites),
        .init(name: "a failed transaction leaves nothing behind", run: transactionRollback),
    ]

    // MARK: tenants

    static func tenantsRoundTrip(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "  Acme  ")
        let globex = try await store.tenants.create(name: "Globex")
        #expect(acme.name == "Acme")
        #expect(acme.id.hasPrefix("ten_"))
        #expect(try await store.tenants.find(id: acme.id) == acme)
        #expect(try await store.tenants.find(name: "Globex") == globex)
        #expect(try await store.tenants.find(name: "Initech") == nil)
        // Listed in id order, which is creation order to the millisecond; two tenants made in the same
        // millisecond may come either way, so the check is on the set and on the order the ids give.
        let listed = try await store.tenants.list()
        #expect(Set(listed.map(\.id)) == [acme.id, globex.id])
        #expect(listed.map(\.id) == listed.map(\.id).sorted())
    }

    static func tenantNamesUnique(_ store: SQLStore) async throws {
        _ = try await store.tenants.create(name: "Acme")
        let error = await #expect(throws: StoreError.self) { try await store.tenants.create(name: "Acme") }
        #expect(error?.code == .conflict)
        let empty = await #expect(throws: StoreError.self) { try await store.tenants.create(name: " ") }
        #expect(empty?.message.contains("empty") == true)
    }

    // MARK: API keys

    static func apiKeysLifecycle(_ store: SQLStore) async throws {
        let tenant = try await store.tenants.create(name: "Acme")
        let issued = try await store.apiKeys.issue(tenantID: tenant.id, name: "ci")
        #expect(issued.plaintext.hasPrefix("sk_"))
        #expect(issued.plaintext.count == 43)
        #expect(issued.plaintext.hasPrefix(issued.key.prefix))
        #expect(issued.key.lastUsedAt == nil)

        let authenticated = try #require(try await store.apiKeys.authenticate(issued.plaintext))
        #expect(authenticated.id == issued.key.id)
        #expect(authenticated.tenantID == tenant.id)
        #expect(authenticated.lastUsedAt != nil)
        let listed = try await store.apiKeys.list(tenantID: tenant.id)
        #expect(listed.map(\.id) == [issued.key.id])
        #expect(listed.first?.lastUsedAt != nil)

        #expect(try await store.apiKeys.authenticate(issued.plaintext + "x") == nil)
        #expect(try await store.apiKeys.authenticate("not-a-key") == nil)

        try await store.apiKeys.revoke(id: issued.key.id, tenantID: tenant.id)
        #expect(try await store.apiKeys.authenticate(issued.plaintext) == nil)
        #expect(try await store.apiKeys.list(tenantID: tenant.id).first?.revokedAt != nil)

        let operatorKey = try await store.apiKeys.issue(tenantID: nil, name: "admin")
        #expect(try await store.apiKeys.authenticate(operatorKey.plaintext)?.tenantID == nil)
        #expect(try await store.apiKeys.list(tenantID: nil).map(\.id) == [operatorKey.key.id])

        let missing = await #expect(throws: StoreError.self) {
            try await store.apiKeys.issue(tenantID: "ten_missing", name: "x")
        }
        #expect(missing?.code == .notFound)
    }

    static func apiKeysStoredHashed(_ store: SQLStore) async throws {
        let tenant = try await store.tenants.create(name: "Acme")
        let issued = try await store.apiKeys.issue(tenantID: tenant.id, name: "ci")
        let secretPart = String(issued.plaintext.dropFirst(issued.key.prefix.count))
        let rows = try await store.database.withConnection { db in
            try await db.raw("SELECT * FROM api_keys").all()
        }
        let dump = rows.map { row in
            row.allColumns.map { column in (try? row.decode(column: column, as: String.self)) ?? "" }
                .joined(separator: "|")
        }.joined(separator: "\n")
        #expect(!dump.contains(issued.plaintext))
        #expect(!dump.contains(secretPart))
        #expect(dump.contains(issued.key.prefix))
    }

    static func apiKeysIsolated(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let globex = try await store.tenants.create(name: "Globex")
        let key = try await store.apiKeys.issue(tenantID: acme.id, name: "ci")
        let error = await #expect(throws: StoreError.self) {
            try await store.apiKeys.revoke(id: key.key.id, tenantID: globex.id)
        }
        #expect(error?.code == .notFound)
        #expect(try await store.apiKeys.authenticate(key.plaintext) != nil)
        #expect(try await store.apiKeys.list(tenantID: globex.id).isEmpty)
    }

    static func firstOperatorKey(_ store: SQLStore) async throws {
        // A tenant's key is not an operator key: it does not stop the first one.
        let tenant = try await store.tenants.create(name: "Acme")
        _ = try await store.apiKeys.issue(tenantID: tenant.id, name: "ci")
        let made = try await issueFirstOperatorKeysConcurrently(store, store, callers: 6)
        let first = try #require(made.first)
        #expect(made.count == 1)
        #expect(try await store.apiKeys.authenticate(first.plaintext)?.tenantID == nil)
        #expect(try await store.apiKeys.list(tenantID: nil).map(\.id) == [first.key.id])
        #expect(try await store.apiKeys.issueFirstOperatorKey(name: "first start") == nil)

        // With every operator key revoked, the next start makes a new one, as a fresh database would.
        try await store.apiKeys.revoke(id: first.key.id, tenantID: nil)
        let next = try #require(try await store.apiKeys.issueFirstOperatorKey(name: "first start"))
        #expect(next.key.id != first.key.id)
        #expect(try await store.apiKeys.authenticate(next.plaintext) != nil)
    }

    /// `issueFirstOperatorKey` from `callers` tasks at once, split over two stores; the keys they were given.
    static func issueFirstOperatorKeysConcurrently(_ first: SQLStore, _ second: SQLStore, callers: Int)
        async throws -> [IssuedAPIKey]
    {
        try await withThrowingTaskGroup(of: IssuedAPIKey?.self) { group in
            for index in 0..<callers {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.apiKeys.issueFirstOperatorKey(name: "first start") }
            }
            var made: [IssuedAPIKey] = []
            for try await issued in group { if let issued { made.append(issued) } }
            return made
        }
    }

    // MARK: connections

    static func makeConnection(tenant: Tenant, name: String = "Main", userID: String? = nil) -> Connection {
        let now = Date(timeIntervalSince1970: 1_790_000_000.123)
        return Connection(
            id: Identifier.make(prefix: "con"),
            tenantID: tenant.id,
            provider: "halopsa",
            name: name,
            config: ["url": "https://acme.halopsa.com", "tenant": "acme", "page_size": 100, "beta": true],
            userID: userID,
            createdAt: now,
            updatedAt: now
        )
    }

    static func connectionsRoundTrip(_ store: SQLStore) async throws {
        let tenant = try await store.tenants.create(name: "Acme")
        var connection = makeConnection(tenant: tenant)
        connection.credentialExpiresAt = Date(timeIntervalSince1970: 1_800_000_000)
        try await store.connections.create(connection)
        #expect(try await store.connections.find(id: connection.id, tenantID: tenant.id) == connection)

        connection.status = .active
        connection.setupStep = .completed
        connection.config["url"] = "https://other.halopsa.com"
        connection.name = "Renamed"
        connection.updatedAt = Date(timeIntervalSince1970: 1_790_000_100)
        try await store.connections.update(connection)
        #expect(try await store.connections.find(id: connection.id, tenantID: tenant.id) == connection)
        #expect(try await store.connections.list(tenantID: tenant.id, userID: nil) == [connection])

        try await store.connections.delete(id: connection.id, tenantID: tenant.id)
        #expect(try await store.connections.find(id: connection.id, tenantID: tenant.id) == nil)
        let again = await #expect(throws: StoreError.self) {
            try await store.connections.delete(id: connection.id, tenantID: tenant.id)
        }
        #expect(again?.code == .notFound)
    }

    static func connectionsUnique(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let globex = try await store.tenants.create(name: "Globex")
        try await store.connections.create(makeConnection(tenant: acme))
        let error = await #expect(throws: StoreError.self) {
            try await store.connections.create(makeConnection(tenant: acme))
        }
        #expect(error?.code == .conflict)
        try await store.connections.create(makeConnection(tenant: globex))
        try await store.connections.create(makeConnection(tenant: acme, name: "Second"))
        #expect(try await store.connections.list(tenantID: acme.id, userID: nil).count == 2)
    }

    static func connectionsIsolated(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let globex = try await store.tenants.create(name: "Globex")
        var connection = makeConnection(tenant: acme)
        try await store.connections.create(connection)

        #expect(try await store.connections.find(id: connection.id, tenantID: globex.id) == nil)
        #expect(try await store.connections.list(tenantID: globex.id, userID: nil).isEmpty)

        var hijacked = connection
        hijacked.tenantID = globex.id
        hijacked.name = "Hijacked"
        let update = await #expect(throws: StoreError.self) { try await store.connections.update(hijacked) }
        #expect(update?.code == .notFound)
        let delete = await #expect(throws: StoreError.self) {
            try await store.connections.delete(id: connection.id, tenantID: globex.id)
        }
        #expect(delete?.code == .notFound)
        connection = try #require(try await store.connections.find(id: connection.id, tenantID: acme.id))
        #expect(connection.name == "Main")
    }

    static func connectionsFilterByUser(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let shared = makeConnection(tenant: acme, name: "Shared")
        let mailbox = makeConnection(tenant: acme, name: "Mailbox", userID: "user-7")
        try await store.connections.create(shared)
        try await store.connections.create(mailbox)
        #expect(try await store.connections.list(tenantID: acme.id, userID: "user-7") == [mailbox])
        #expect(try await store.connections.list(tenantID: acme.id, userID: nil).count == 2)
    }

    // MARK: credentials

    static func credentialsRoundTrip(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let connection = makeConnection(tenant: acme)
        try await store.connections.create(connection)
        #expect(try await store.credentials.load(connectionID: connection.id, tenantID: acme.id) == nil)

        let first = CredentialSecrets(["client_id": "abc", "client_secret": "s3cr3t-ünïcode"])
        try await store.credentials.save(first, connectionID: connection.id, tenantID: acme.id)
        #expect(try await store.credentials.load(connectionID: connection.id, tenantID: acme.id) == first)

        let second = CredentialSecrets(["access_token": "tok", "refresh_token": "ref"])
        try await store.credentials.save(second, connectionID: connection.id, tenantID: acme.id)
        #expect(try await store.credentials.load(connectionID: connection.id, tenantID: acme.id) == second)

        try await store.credentials.delete(connectionID: connection.id, tenantID: acme.id)
        #expect(try await store.credentials.load(connectionID: connection.id, tenantID: acme.id) == nil)
    }

    static func credentialsIsolated(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let globex = try await store.tenants.create(name: "Globex")
        let connection = makeConnection(tenant: acme)
        try await store.connections.create(connection)
        let secrets = CredentialSecrets(["client_secret": "acme-secret"])
        try await store.credentials.save(secrets, connectionID: connection.id, tenantID: acme.id)

        #expect(try await store.credentials.load(connectionID: connection.id, tenantID: globex.id) == nil)
        let overwrite = await #expect(throws: StoreError.self) {
            try await store.credentials.save(
                .init(["client_secret": "evil"]),
                connectionID: connection.id,
                tenantID: globex.id
            )
        }
        #expect(overwrite?.code == .notFound)
        try await store.credentials.delete(connectionID: connection.id, tenantID: globex.id)
        #expect(try await store.credentials.load(connectionID: connection.id, tenantID: acme.id) == secrets)
    }

    static func credentialsCascade(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let connection = makeConnection(tenant: acme)
        try await store.connections.create(connection)
        try await store.credentials.save(.init(["k": "v"]), connectionID: connection.id, tenantID: acme.id)
        try await store.connections.delete(id: connection.id, tenantID: acme.id)
        let remaining = try await store.database.withConnection { db in
            try await db.raw("SELECT connection_id FROM credentials").all()
        }
        #expect(remaining.isEmpty)
    }

    // MARK: activity

    static func activityListing(_ store: SQLStore) async throws {
        let acme = try await store.tenants.create(name: "Acme")
        let globex = try await store.tenants.create(name: "Globex")
        let connection = makeConnection(tenant: acme)
        try await store.connections.create(connection)
        var ids: [String] = []
        for (index, action) in ["connection.created", "connection.tested", "connection.paused"].enumerated() {
            let at = Date(timeIntervalSince1970: 1_790_000_000 + Double(index))
            let entry = ActivityEntry(
                id: Identifier.make(prefix: "act", now: at),
                tenantID: acme.id,
                connectionID: connection.id,
                actor: "key:sk_abcdefgh",
                action: action,
                details: ["step": .number(Double(index))],
                createdAt: at
            )
            try await store.activity.record(entry)
            ids.append(entry.id)
        }
        try await store.activity.record(
            ActivityEntry(
                id: Identifier.make(prefix: "act"),
                tenantID: acme.id,
                connectionID: nil,
                actor: "system",
                action: "tenant.updated",
                createdAt: Date()
            )
        )
        let listed = try await store.activity.list(tenantID: acme.id, connectionID: connection.id, limit: 10)
        #expect(listed.map(\.id) == ids.reversed())
        #expect(listed.first?.details == ["step": 2])
        #expect(try await store.activity.list(tenantID: acme.id, connectionID: connection.id, limit: 2).count == 2)
        #expect(try await store.activity.list(tenantID: acme.id, connectionID: nil, limit: 10).count == 4)
        #expect(try await store.activity.list(tenantID: globex.id, connectionID: connection.id, limit: 10).isEmpty)
    }

    // MARK: the database

    static func concurrentWrites(_ store: SQLStore) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask { _ = try await store.tenants.create(name: "Tenant \(index)") }
            }
            try await group.waitForAll()
        }
        #expect(try await store.tenants.list().count == 40)
    }

    static func transactionRollback(_ store: SQLStore) async throws {
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await store.database.transaction { db in
                try await db.insert(into: "tenants").columns("id", "name", "created_at")
                    .values(SQLBind("ten_x"), SQLBind("Doomed"), SQLBind(Int64(0))).run()
                throw Abort()
            }
        }
        #expect(try await store.tenants.find(id: "ten_x") == nil)
    }
}
