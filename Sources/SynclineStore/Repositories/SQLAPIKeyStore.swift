import Crypto
import Foundation
import SQLKit
import SynclineCore

/// API keys in `api_keys`: only the SHA-256 of a key and its first characters are stored.
public struct SQLAPIKeyStore: APIKeyStore {
    let database: Database

    /// Every key starts with this, so a leaked key is recognisable in logs and by secret scanners.
    static let keyPrefix = "sk_"
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    private struct Row: Decodable {
        var id: String
        var tenantId: String?
        var name: String
        var prefix: String
        var createdAt: Int64
        var lastUsedAt: Int64?
        var revokedAt: Int64?

        var key: APIKey {
            APIKey(
                id: id,
                tenantID: tenantId,
                name: name,
                prefix: prefix,
                createdAt: Timestamp.date(createdAt),
                lastUsedAt: Timestamp.date(lastUsedAt),
                revokedAt: Timestamp.date(revokedAt)
            )
        }
    }

    private static let columns = ["id", "tenant_id", "name", "prefix", "created_at", "last_used_at", "revoked_at"]

    public func issue(tenantID: String?, name: String) async throws -> IssuedAPIKey {
        let issued = Self.make(tenantID: tenantID, name: name)
        do {
            try await database.withConnection { db in try await Self.insert(issued, db) }
        } catch {
            if let tenantID, try await SQLTenantStore(database: database).find(id: tenantID) == nil {
                throw StoreError(.notFound, "tenant \(tenantID) does not exist")
            }
            throw error
        }
        return issued
    }

    public func issueFirstOperatorKey(name: String) async throws -> IssuedAPIKey? {
        let issued = Self.make(tenantID: nil, name: name)
        let dialect = database.dialect
        return try await database.transaction { db in
            if let lock = dialect.transactionLock(.firstOperatorKey) {
                try await db.raw(SQLQueryString(lock)).run()
            }
            let live = try await db.select().column("id").from("api_keys")
                .where("tenant_id", .is, SQLLiteral.null)
                .where("revoked_at", .is, SQLLiteral.null)
                .limit(1)
                .first()
            guard live == nil else { return nil }
            try await Self.insert(issued, db)
            return issued
        }
    }

    /// A new random key and its record, not yet stored.
    private static func make(tenantID: String?, name: String) -> IssuedAPIKey {
        var generator = SystemRandomNumberGenerator()
        let secret = String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt8(62)))] })
        let plaintext = keyPrefix + secret
        let now = Timestamp.now()
        let key = APIKey(
            id: Identifier.make(prefix: "key", now: now),
            tenantID: tenantID,
            name: name,
            prefix: String(plaintext.prefix(keyPrefix.count + 8)),
            createdAt: now
        )
        return IssuedAPIKey(key: key, plaintext: plaintext)
    }

    private static func insert(_ issued: IssuedAPIKey, _ db: any SQLDatabase) async throws {
        let key = issued.key
        try await db.insert(into: "api_keys")
            .columns("id", "tenant_id", "name", "prefix", "hash", "created_at")
            .values(
                SQLBind(key.id),
                SQLBind(key.tenantID),
                SQLBind(key.name),
                SQLBind(key.prefix),
                SQLBind(hash(issued.plaintext)),
                SQLBind(Timestamp.millis(key.createdAt))
            )
            .run()
    }

    public func authenticate(_ plaintext: String) async throws -> APIKey? {
        guard plaintext.hasPrefix(Self.keyPrefix), plaintext.count < 200 else { return nil }
        let hash = Self.hash(plaintext)
        let now = Timestamp.millis(Date())
        return try await database.withConnection { db in
            guard
                var key = try await db.select().columns(Self.columns.map { SQLIdentifier($0) }).from("api_keys")
                    .where("hash", .equal, hash)
                    .where("revoked_at", .is, SQLLiteral.null)
                    .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?.key
            else { return nil }
            try await db.update("api_keys").set("last_used_at", to: now).where("id", .equal, key.id).run()
            key.lastUsedAt = Timestamp.date(now) as Date
            return key
        }
    }

    public func list(tenantID: String?) async throws -> [APIKey] {
        try await database.withConnection { db in
            let query = db.select().columns(Self.columns.map { SQLIdentifier($0) }).from("api_keys")
            if let tenantID {
                query.where("tenant_id", .equal, tenantID)
            } else {
                query.where("tenant_id", .is, SQLLiteral.null)
            }
            return try await query.orderBy("id")
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
                .map(\.key)
        }
    }

    public func revoke(id: String, tenantID: String?) async throws {
        let now = Timestamp.millis(Date())
        let found = try await database.withConnection { db in
            let query = db.update("api_keys").set("revoked_at", to: now).where("id", .equal, id)
            if let tenantID {
                query.where("tenant_id", .equal, tenantID)
            } else {
                query.where("tenant_id", .is, SQLLiteral.null)
            }
            return try await query.returning("id").first() != nil
        }
        guard found else { throw StoreError(.notFound, "API key \(id) does not exist") }
    }

    /// Hex SHA-256 of the whole key: keys are long and random, so no salt or slow hash is needed.
    static func hash(_ plaintext: String) -> String {
        SHA256.hash(data: Data(plaintext.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
