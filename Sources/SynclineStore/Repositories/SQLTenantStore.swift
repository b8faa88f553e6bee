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
        var fiscalYearStartMonth: Int

        var tenant: Tenant {
            Tenant(id: id, name: name, createdAt: Timestamp.date(createdAt), fiscalYearStartMonth: fiscalYearStartMonth)
        }
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

    private static let columns = ["id", "name", "created_at", "fiscal_year_start_month"].map { SQLIdentifier($0) }

    public func setFiscalYearStartMonth(_ month: Int, tenantID: String) async throws {
        guard (1...12).contains(month) else {
            throw StoreError(.invalidConfiguration, "a fiscal year starts in a month from 1 to 12, not \(month)")
        }
        let found = try await database.withConnection { db in
            try await db.update("tenants").set("fiscal_year_start_month", to: month).where("id", .equal, tenantID)
                .returning("id").first() != nil
        }
        guard found else { throw StoreError(.notFound, "tenant \(tenantID) does not exist") }
    }

    public func find(id: String) async throws -> Tenant? {
        try await first { $0.where("id", .equal, id) }
    }

    public func find(name: String) async throws -> Tenant? {
        try await first { $0.where("name", .equal, name) }
    }

    public func list() async throws -> [Tenant] {
        try await database.withConnection { db in
            try await db.select().columns(Self.columns).from("tenants")
                .orderBy("id")
                .all(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)
                .map(\.tenant)
        }
    }

    private func first(_ filter: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> Tenant? {
        try await database.withConnection { db in
            try await filter(db.select().columns(Self.columns).from("tenants"))
                .first(decoding: Row.self, keyDecodingStrategy: .convertFromSnakeCase)?
                .tenant
        }
    }
}
