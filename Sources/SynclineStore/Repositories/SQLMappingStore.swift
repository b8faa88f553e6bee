import Foundation
import SQLKit
import SynclineCore

/// Saved mappings in `mappings` and custom models in `entity_models`, as JSON documents; every query names
/// the tenant.
public struct SQLMappingStore: MappingStore {
    let database: Database

    private struct MappingRow: Decodable {
        var document: String
        var updatedAt: Int64
    }

    public func mapping(tenantID: String, connectionID: String, entityType: String) async throws -> StoredMapping? {
        let row = try await database.withConnection { db in
            try await db.select().columns("document", "updated_at").from("mappings")
                .where("connection_id", .equal, connectionID)
                .where("entity_type", .equal, entityType)
                .where("tenant_id", .equal, tenantID)
                .first(decoding: MappingRow.self, keyDecodingStrategy: .convertFromSnakeCase)
        }
        guard let row else { return nil }
        return StoredMapping(
            tenantID: tenantID,
            connectionID: connectionID,
            entityType: entityType,
            document: try JSONValue.parse(row.document),
            updatedAt: Timestamp.date(row.updatedAt)
        )
    }

    public func save(_ mapping: StoredMapping) async throws {
        let document = try mapping.document.jsonString()
        let stamp = Timestamp.millis(mapping.updatedAt)
        try await database.transaction { db in
            let owned =
                try await db.select().column("id").from("connections")
                .where("id", .equal, mapping.connectionID)
                .where("tenant_id", .equal, mapping.tenantID)
                .first() != nil
            guard owned else { throw StoreError(.notFound, "connection \(mapping.connectionID) does not exist") }
            try await db.insert(into: "mappings")
                .columns("tenant_id", "connection_id", "entity_type", "document", "created_at", "updated_at")
                .values(
                    SQLBind(mapping.tenantID),
                    SQLBind(mapping.connectionID),
                    SQLBind(mapping.entityType),
                    SQLBind(document),
                    SQLBind(stamp),
                    SQLBind(stamp)
                )
                .onConflict(with: ["connection_id", "entity_type"]) { update in
                    update.set(excludedValueOf: "document").set(excludedValueOf: "updated_at")
                }
                .run()
        }
    }

    public func deleteMapping(tenantID: String, connectionID: String, entityType: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "mappings")
                .where("connection_id", .equal, connectionID)
                .where("entity_type", .equal, entityType)
                .where("tenant_id", .equal, tenantID)
                .run()
        }
    }

    public func customModels(tenantID: String) async throws -> [JSONValue] {
        struct Row: Decodable { var document: String }
        return try await database.withConnection { db in
            try await db.select().column("document").from("entity_models")
                .where("tenant_id", .equal, tenantID)
                .orderBy("name")
                .all(decoding: Row.self)
                .map { try JSONValue.parse($0.document) }
        }
    }

    public func saveCustomModel(tenantID: String, name: String, document: JSONValue) async throws {
        let text = try document.jsonString()
        let stamp = Timestamp.millis(Date())
        try await database.withConnection { db in
            try await db.insert(into: "entity_models")
                .columns("tenant_id", "name", "document", "created_at", "updated_at")
                .values(SQLBind(tenantID), SQLBind(name), SQLBind(text), SQLBind(stamp), SQLBind(stamp))
                .onConflict(with: ["tenant_id", "name"]) { update in
                    update.set(excludedValueOf: "document").set(excludedValueOf: "updated_at")
                }
                .run()
        }
    }

    public func deleteCustomModel(tenantID: String, name: String) async throws {
        let deleted = try await database.withConnection { db in
            try await db.delete(from: "entity_models")
                .where("tenant_id", .equal, tenantID)
                .where("name", .equal, name)
                .returning("name")
                .first() != nil
        }
        guard deleted else { throw StoreError(.notFound, "model \(name) does not exist") }
    }
}
