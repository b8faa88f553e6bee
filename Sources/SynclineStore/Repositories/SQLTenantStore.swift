import Foundation
import SQLKit
import SynclineCore

/// Tenants in the `tenants` table.
public struct SQLTenantStore: TenantStore {
    let database: Database

    private struct Row: Decodable {
        var id: String
        var name: String
        var createdAt: Int64

        var tenant: Tenant { Tenant(id: id, name: name, createdAt: Timestamp.date(createdAt)) }
    }

    public func create(name: String) async throws -> Tenant {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw StoreError(.invalidConfiguration, "a tenant name must not be empty") }
        let now = Timestamp.now()
        let tenant = Tenant(id: Identifier.make(prefix: "ten", now: now), name: trimmed, createdAt: now)
        do {
            try await database.withConnection { db in
                try await db.insert(into: "tenants")
                    .columns("id", "name", "created_at")
                    .values(SQLBind(tenant.id), SQLBind(tenant.name), SQLBind(Timestamp.millis(now)))
                    .run()
            }
        } catch  where database.dialect.isUniqueViolation(error) {
            throw StoreError(.conflict, "a tenant named \(trimmed) already exists")
        }
        return tenant
    }

    public func find(id: String) async throws -> Tenant? {
        try await first { $0.where("id", .equal, id) }
    }

    public func find(name: String) async throws -> Tenant? {
        try await first { $0.where("name", .equal, name) }
    }

    public func list() async throws -> [Tenant] {
        try await database.withConnection { db in
            try await db.select().columns("id", "name", "created_at").from("tenants")
                .orderBy("id")
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
                .map(\.tenant)
        }
    }

    private func first(_ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> Tenant? {
        try await database.withConnection { db in
            try await filter(db.select().columns("id", "name", "created_at").from("tenants"))
                .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?
                .tenant
        }
    }
}
