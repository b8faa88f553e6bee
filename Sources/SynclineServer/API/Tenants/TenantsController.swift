import Foundation
import Hummingbird
import SynclineCore

/// The operator's tenants and their API keys, plus `GET /keys` for a tenant's own keys. A key's plaintext is
/// answered once, when it is made; lists carry only its prefix, never the key or its hash.
struct TenantsController: Sendable {
    let api: APIDependencies
    let access: AccessDependencies
    let now: @Sendable () -> Date

    /// Longest tenant or key name accepted, so a name fits every list and log line.
    static let maximumNameLength = 200

    func register(on group: RouterGroup<SynclineRequestContext>) {
        group.post("tenants") { request, context in try await create(request, context) }
        group.get("tenants") { _, context in try await list(context) }
        group.get("tenants/{id}") { _, context in try await show(context) }
        group.patch("tenants/{id}") { request, context in try await change(request, context) }
        group.post("tenants/{id}/keys") { request, context in try await createKey(request, context) }
        group.get("tenants/{id}/keys") { _, context in try await keys(context) }
        group.delete("tenants/{id}/keys/{key_id}") { _, context in try await revokeKey(context) }
        group.get("keys") { _, context in try await ownKeys(context) }
    }

    func create(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        try context.requireOperator()
        let body = try await request.jsonObject()
        try Self.rejectUnknown(body, allowed: ["name"], what: "a tenant")
        guard let name = try Self.name(body["name"], field: "name") else {
            throw APIError(.badRequest, "invalid", "name is required: the tenant's unique name", field: "name")
        }
        let tenant: Tenant
        do {
            tenant = try await access.tenants.create(name: name)
        } catch let error as StoreError where error.code == .conflict {
            throw APIError(.conflict, "conflict", error.message, field: "name")
        } catch let error as StoreError where error.code == .invalidConfiguration {
            throw APIError(.badRequest, "invalid", error.message, field: "name")
        }
        try await record(tenant.id, context, "tenant.created", ["name": .string(tenant.name)])
        return JSONResponse(Self.tenant(tenant), status: .created)
    }

    func list(_ context: SynclineRequestContext) async throws -> JSONResponse {
        try context.requireOperator()
        return .list(try await access.tenants.list().map(Self.tenant))
    }

    func show(_ context: SynclineRequestContext) async throws -> JSONResponse {
        try context.requireOperator()
        return JSONResponse(Self.tenant(try await tenant(context)))
    }

    /// The operator sets where a tenant's fiscal year starts (`current_fiscal_year` sync windows use it).
    func change(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        try context.requireOperator()
        var tenant = try await tenant(context)
        let body = try await request.jsonObject()
        try Self.rejectUnknown(body, allowed: ["fiscal_year_start_month"], what: "a tenant change")
        if let value = body["fiscal_year_start_month"] {
            guard case .number(let number) = value, number == number.rounded(), (1...12).contains(Int(number)) else {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "fiscal_year_start_month must be a month number from 1 (January) to 12",
                    field: "fiscal_year_start_month"
                )
            }
            try await access.tenants.setFiscalYearStartMonth(Int(number), tenantID: tenant.id)
            tenant.fiscalYearStartMonth = Int(number)
            try await record(tenant.id, context, "tenant.updated", ["fiscal_year_start_month": value])
        }
        return JSONResponse(Self.tenant(tenant))
    }

    func createKey(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        try context.requireOperator()
        let tenant = try await tenant(context)
        let body = try await request.jsonObject()
        try Self.rejectUnknown(body, allowed: ["name"], what: "an API key")
        let name = try Self.name(body["name"], field: "name") ?? "api"
        let issued: IssuedAPIKey
        do {
            issued = try await api.apiKeys.issue(tenantID: tenant.id, name: name)
        } catch let error as StoreError {
            throw error.apiError
        }
        try await record(
            tenant.id,
            context,
            "api_key.created",
            ["key_id": .string(issued.key.id), "prefix": .string(issued.key.prefix)]
        )
        var members = Self.keyMembers(issued.key)
        members["key"] = .string(issued.plaintext)
        return JSONResponse(.object(members), status: .created)
    }

    func keys(_ context: SynclineRequestContext) async throws -> JSONResponse {
        try context.requireOperator()
        let tenant = try await tenant(context)
        return .list(try await api.apiKeys.list(tenantID: tenant.id).map(Self.key))
    }

    func revokeKey(_ context: SynclineRequestContext) async throws -> JSONResponse {
        try context.requireOperator()
        let tenant = try await tenant(context)
        let keyID = context.parameters.get("key_id") ?? ""
        guard var key = try await api.apiKeys.list(tenantID: tenant.id).first(where: { $0.id == keyID }) else {
            throw APIError.notFound("API key \(keyID)")
        }
        // Revoking twice answers the key as it is: the first revocation time stays.
        guard key.revokedAt == nil else { return JSONResponse(Self.key(key)) }
        do {
            try await api.apiKeys.revoke(id: key.id, tenantID: tenant.id)
        } catch let error as StoreError {
            throw error.apiError
        }
        key = try await api.apiKeys.list(tenantID: tenant.id).first { $0.id == keyID } ?? key
        try await record(
            tenant.id,
            context,
            "api_key.revoked",
            ["key_id": .string(key.id), "prefix": .string(key.prefix)]
        )
        return JSONResponse(Self.key(key))
    }

    func ownKeys(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let tenantID = try context.requireTenant()
        return .list(try await api.apiKeys.list(tenantID: tenantID).map(Self.key))
    }

    private func tenant(_ context: SynclineRequestContext) async throws -> Tenant {
        let id = context.parameters.get("id") ?? ""
        guard let tenant = try await access.tenants.find(id: id) else { throw APIError.notFound("tenant \(id)") }
        return tenant
    }

    private func record(
        _ tenantID: String,
        _ context: SynclineRequestContext,
        _ action: String,
        _ details: [String: JSONValue]
    ) async throws {
        try await api.activity.record(
            ActivityEntry(
                id: Identifier.make(prefix: "act"),
                tenantID: tenantID,
                connectionID: nil,
                actor: context.actor,
                action: action,
                details: details,
                createdAt: now()
            )
        )
    }

    static func rejectUnknown(_ body: [String: JSONValue], allowed: Set<String>, what: String) throws {
        if let unknown = body.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError(.badRequest, "unknown_field", "\(unknown) is not a field of \(what)", field: unknown)
        }
    }

    /// A name field: absent or null is nil; otherwise a non-empty string of at most 200 characters, trimmed.
    static func name(_ value: JSONValue?, field: String) throws -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value else {
            throw APIError(.badRequest, "invalid", "\(field) must be a string", field: field)
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw APIError(.badRequest, "invalid", "\(field) must not be empty", field: field)
        }
        guard trimmed.count <= maximumNameLength else {
            throw APIError(
                .badRequest,
                "invalid",
                "\(field) must be at most \(maximumNameLength) characters",
                field: field
            )
        }
        return trimmed
    }

    static func tenant(_ tenant: Tenant) -> JSONValue {
        .object([
            "id": .string(tenant.id), "name": .string(tenant.name), "created_at": isoTime(tenant.createdAt),
            "fiscal_year_start_month": .number(Double(tenant.fiscalYearStartMonth)),
        ])
    }

    /// A key as lists show it: never the plaintext or the hash, which the store does not even hand out.
    static func key(_ key: APIKey) -> JSONValue { .object(keyMembers(key)) }

    static func keyMembers(_ key: APIKey) -> [String: JSONValue] {
        [
            "id": .string(key.id),
            "tenant_id": key.tenantID.map { .string($0) } ?? .null,
            "name": .string(key.name),
            "prefix": .string(key.prefix),
            "created_at": isoTime(key.createdAt),
            "last_used_at": isoTime(key.lastUsedAt),
            "revoked_at": isoTime(key.revokedAt),
        ]
    }
}
