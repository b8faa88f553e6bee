import Foundation
import SQLKit
import SynclineCore

/// Connection secrets in `credentials`, sealed with AES-256-GCM; only ciphertext and key id reach the table.
public struct SQLCredentialStore: CredentialStore {
    let database: Database
    public let cipher: CredentialCipher
    /// Serialises exclusive access per connection inside this process.
    let gate: KeyedGate

    private struct Row: Decodable {
        var connectionId: String
        var tenantId: String
        var keyId: String
        var ciphertext: String
    }

    /// The ciphertext is bound to its tenant and connection.
    private static func context(tenantID: String, connectionID: String) -> String {
        "\(tenantID)|\(connectionID)"
    }

    public func save(_ secrets: CredentialSecrets, connectionID: String, tenantID: String) async throws {
        try await database.transaction { db in
            try await save(secrets, connectionID: connectionID, tenantID: tenantID, in: db)
        }
    }

    /// Seals and writes the secrets inside the caller's transaction, after checking the connection is the tenant's.
    private func save(
        _ secrets: CredentialSecrets,
        connectionID: String,
        tenantID: String,
        in db: any SQLDatabase
    ) async throws {
        let plaintext = try JSONEncoder().encode(secrets.values)
        let sealed = try cipher.seal(plaintext, context: Self.context(tenantID: tenantID, connectionID: connectionID))
        let now = Timestamp.millis(Date())
        let owned =
            try await db.select().column("id").from("connections")
            .where("id", .equal, connectionID)
            .where("tenant_id", .equal, tenantID)
            .first() != nil
        guard owned else { throw StoreError(.notFound, "connection \(connectionID) does not exist") }
        let updated =
            try await db.update("credentials")
            .set("key_id", to: sealed.keyID)
            .set("ciphertext", to: sealed.ciphertext)
            .set("updated_at", to: now)
            .where("connection_id", .equal, connectionID)
            .where("tenant_id", .equal, tenantID)
            .returning("connection_id")
            .first() != nil
        if !updated {
            try await db.insert(into: "credentials")
                .columns("connection_id", "tenant_id", "key_id", "ciphertext", "created_at", "updated_at")
                .values(
                    SQLBind(connectionID),
                    SQLBind(tenantID),
                    SQLBind(sealed.keyID),
                    SQLBind(sealed.ciphertext),
                    SQLBind(now),
                    SQLBind(now)
                )
                .run()
        }
    }

    private func load(connectionID: String, tenantID: String, in db: any SQLDatabase) async throws
        -> CredentialSecrets?
    {
        let row = try await db.select().columns("connection_id", "tenant_id", "key_id", "ciphertext")
            .from("credentials")
            .where("connection_id", .equal, connectionID)
            .where("tenant_id", .equal, tenantID)
            .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
        return try row.map { try open($0) }
    }

    public func withExclusiveAccess(
        connectionID: String,
        tenantID: String,
        _ body: @Sendable (CredentialSecrets?) async throws -> CredentialSecrets?
    ) async throws -> CredentialSecrets? {
        try await gate.withGate(connectionID) {
            switch database.dialect {
            case .postgresql:
                // One transaction holds a lock keyed by the connection until the new tokens are committed, so a
                // second process waits here and then reads the tokens the first one saved.
                return try await database.transaction { db in
                    try await db.raw(
                        "SELECT pg_advisory_xact_lock(hashtextextended(\(bind: "credential|" + connectionID), 0))"
                    ).run()
                    let current = try await load(connectionID: connectionID, tenantID: tenantID, in: db)
                    guard let replacement = try await body(current) else { return current }
                    try await save(replacement, connectionID: connectionID, tenantID: tenantID, in: db)
                    return replacement
                }
            case .sqlite:
                // SQLite has one writer connection shared by the process; holding it across a provider call would
                // stall every other query, so the in-process gate alone serialises (one process per SQLite file).
                let current = try await load(connectionID: connectionID, tenantID: tenantID)
                guard let replacement = try await body(current) else { return current }
                try await save(replacement, connectionID: connectionID, tenantID: tenantID)
                return replacement
            }
        }
    }

    public func load(connectionID: String, tenantID: String) async throws -> CredentialSecrets? {
        try await database.withConnection { db in try await load(connectionID: connectionID, tenantID: tenantID, in: db)
        }
    }

    public func delete(connectionID: String, tenantID: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "credentials")
                .where("connection_id", .equal, connectionID)
                .where("tenant_id", .equal, tenantID)
                .run()
        }
    }

    private func open(_ row: Row) throws -> CredentialSecrets {
        let plaintext = try cipher.open(
            .init(keyID: row.keyId, ciphertext: row.ciphertext),
            context: Self.context(tenantID: row.tenantId, connectionID: row.connectionId),
            subject: "the credentials of connection \(row.connectionId)"
        )
        do {
            return CredentialSecrets(try JSONDecoder().decode([String: String].self, from: plaintext))
        } catch {
            throw StoreError(.decryptionFailed, "the credentials of connection \(row.connectionId) are not readable")
        }
    }
}

extension SQLCredentialStore {
    /// What a re-encryption pass did.
    public struct RotationReport: Sendable, Hashable {
        /// Credentials moved to the active key.
        public var reencrypted: Int
        /// Credentials that were already under the active key.
        public var alreadyCurrent: Int
        public var activeKeyID: String
    }

    /// Re-encrypts every credential not under the active key, in small batches, each row only if it was not
    /// changed meanwhile (compare-and-set on the ciphertext), so servers keep reading and writing throughout.
    public func reencryptAll(batchSize: Int = 100) async throws -> RotationReport {
        let active = cipher.ring.active.id
        var reencrypted = 0
        while true {
            let rows = try await database.withConnection { db in
                try await db.select().columns("connection_id", "tenant_id", "key_id", "ciphertext").from("credentials")
                    .where("key_id", .notEqual, active)
                    .orderBy("connection_id")
                    .limit(batchSize)
                    .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
            }
            if rows.isEmpty { break }
            for row in rows {
                let plaintext = try JSONEncoder().encode(try open(row).values)
                let sealed = try cipher.seal(
                    plaintext,
                    context: Self.context(tenantID: row.tenantId, connectionID: row.connectionId)
                )
                let swapped = try await database.withConnection { db in
                    try await db.update("credentials")
                        .set("key_id", to: sealed.keyID)
                        .set("ciphertext", to: sealed.ciphertext)
                        .where("connection_id", .equal, row.connectionId)
                        .where("ciphertext", .equal, row.ciphertext)
                        .returning("connection_id")
                        .first() != nil
                }
                if swapped { reencrypted += 1 }
            }
        }
        let current = try await database.withConnection { db in
            try await db.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("credentials")
                .first()?.decode(column: "n", as: Int.self) ?? 0
        }
        return RotationReport(reencrypted: reencrypted, alreadyCurrent: current - reencrypted, activeKeyID: active)
    }
}
