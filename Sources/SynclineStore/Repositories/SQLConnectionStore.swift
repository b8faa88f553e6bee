import Foundation
import SQLKit
import SynclineCore

/// Connections in `connections`; every query is filtered by the tenant it is given.
public struct SQLConnectionStore: ConnectionStore {
    let database: Database

    private struct Row: Decodable {
        var id: String
        var tenantId: String
        var provider: String
        var name: String
        var config: String
        var status: String
        var setupStep: String
        var userId: String?
        var credentialExpiresAt: Int64?
        var createdAt: Int64
        var updatedAt: Int64

        func connection() throws -> Connection {
            guard let status = ConnectionStatus(rawValue: status), let step = SetupStep(rawValue: setupStep) else {
                throw StoreError(.invalidConfiguration, "connection \(id) has an unknown status or setup step")
            }
            return Connection(
                id: id,
                tenantID: tenantId,
                provider: provider,
                name: name,
                config: try JSONValue.parse(config).objectValue ?? [:],
                status: status,
                setupStep: step,
                userID: userId,
                credentialExpiresAt: Timestamp.date(credentialExpiresAt),
                createdAt: Timestamp.date(createdAt),
                updatedAt: Timestamp.date(updatedAt)
            )
        }
    }

    private static let columns = [
        "id", "tenant_id", "provider", "name", "config", "status", "setup_step", "user_id",
        "credential_expires_at", "created_at", "updated_at",
    ].map { SQLIdentifier($0) }

    public func create(_ connection: Connection) async throws {
        let config = try JSONValue.object(connection.config).jsonString()
        do {
            try await database.withConnection { db in
                try await db.insert(into: "connections")
                    .columns(Self.columns)
                    .values(
                        SQLBind(connection.id),
                        SQLBind(connection.tenantID),
                        SQLBind(connection.provider),
                        SQLBind(connection.name),
                        SQLBind(config),
                        SQLBind(connection.status.rawValue),
                        SQLBind(connection.setupStep.rawValue),
                        SQLBind(connection.userID),
                        SQLBind(Timestamp.millis(connection.credentialExpiresAt)),
                        SQLBind(Timestamp.millis(connection.createdAt)),
                        SQLBind(Timestamp.millis(connection.updatedAt))
                    )
                    .run()
            }
        } catch  where database.dialect.isUniqueViolation(error) {
            throw StoreError(
                .conflict,
                "a \(connection.provider) connection named \(connection.name) already exists for this tenant"
            )
        }
    }

    public func find(id: String, tenantID: String) async throws -> Connection? {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("connections")
                .where("id", .equal, id)
                .where("tenant_id", .equal, tenantID)
                .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?
                .connection()
        }
    }

    public func list(tenantID: String, userID: String?) async throws -> [Connection] {
        try await database.withConnection { db in
            let query = db.select().columns(Self.columns).from("connections").where("tenant_id", .equal, tenantID)
            if let userID { query.where("user_id", .equal, userID) }
            return try await query.orderBy("id")
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
                .map { try $0.connection() }
        }
    }

    public func update(_ connection: Connection) async throws {
        let config = try JSONValue.object(connection.config).jsonString()
        let updated: Bool
        do {
            updated = try await database.withConnection { db in
                try await db.update("connections")
                    .set("name", to: connection.name)
                    .set("config", to: config)
                    .set("status", to: connection.status.rawValue)
                    .set("setup_step", to: connection.setupStep.rawValue)
                    .set("user_id", to: connection.userID)
                    .set("credential_expires_at", to: Timestamp.millis(connection.credentialExpiresAt))
                    .set("updated_at", to: Timestamp.millis(connection.updatedAt))
                    .where("id", .equal, connection.id)
                    .where("tenant_id", .equal, connection.tenantID)
                    .returning("id")
                    .first() != nil
            }
        } catch  where database.dialect.isUniqueViolation(error) {
            throw StoreError(
                .conflict,
                "a \(connection.provider) connection named \(connection.name) already exists for this tenant"
            )
        }
        guard updated else { throw StoreError(.notFound, "connection \(connection.id) does not exist") }
    }

    public func delete(id: String, tenantID: String) async throws {
        let deleted = try await database.withConnection { db in
            try await db.delete(from: "connections")
                .where("id", .equal, id)
                .where("tenant_id", .equal, tenantID)
                .returning("id")
                .first() != nil
        }
        guard deleted else { throw StoreError(.notFound, "connection \(id) does not exist") }
    }

    public func expiring(before date: Date) async throws -> [Connection] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("connections")
                .where("credential_expires_at", .lessThan, Timestamp.millis(date))
                .orderBy("credential_expires_at")
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
                .map { try $0.connection() }
        }
    }
}
