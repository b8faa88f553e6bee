import Foundation
import Hummingbird
import SynclineCore

/// Stored records for the host application: by model across the tenant's connections, and per connection and
/// entity type with the change feed (`changed_since=SEQ`: created, updated and deleted, in order, gap-free per
/// connection). Pages carry `next_cursor` until the end.
struct RecordsController: Sendable {
    let api: APIDependencies
    let mappings: MappingDependencies

    func register(on group: RouterGroup<SynclineRequestContext>) {
        group.get("records/{model}") { request, context in try await byModel(request, context) }
        group.get("connections/{id}/records/{entity}") { request, context in try await byEntity(request, context) }
    }

    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 100 }
        guard let limit = Int(text), (1...1000).contains(limit) else {
            throw APIError(.badRequest, "invalid", "limit must be a whole number from 1 to 1000", field: "limit")
        }
        return limit
    }

    static func includeRaw(_ request: Request) throws -> Bool {
        guard let text = request.uri.queryParameters.get("include") else { return false }
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let unknown = parts.first(where: { $0 != "raw" }) {
            throw APIError(.badRequest, "invalid", "include takes only raw, got \(unknown)", field: "include")
        }
        return !parts.isEmpty
    }

    static func sequence(_ text: String?, field: String) throws -> Int64? {
        guard let text else { return nil }
        guard let value = Int64(text), value >= 0 else {
            throw APIError(
                .badRequest,
                "invalid",
                "\(field) must be a change sequence number (0 or more)",
                field: field
            )
        }
        return value
    }

    func byModel(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let tenant = try context.requireTenant()
        let model = context.parameters.get("model") ?? ""
        guard try await mappings.catalog.models(tenantID: tenant).model(named: model) != nil else {
            throw APIError.notFound("model \(model)")
        }
        let limit = try Self.limit(request)
        let raw = try Self.includeRaw(request)
        var after: (connectionID: String, sequence: Int64)?
        if let cursor = request.uri.queryParameters.get("cursor") {
            let parts = cursor.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let sequence = Int64(parts[1]) else {
                throw APIError(.badRequest, "invalid", "cursor is not one this API gave out", field: "cursor")
            }
            after = (parts[0], sequence)
        }
        let records = try await mappings.records.records(tenantID: tenant, model: model, after: after, limit: limit)
        let items: [JSONValue] = records.map { record in
            var item: [String: JSONValue] = [
                "connection_id": .string(record.connectionID), "entity_type": .string(record.entityType),
                "external_id": .string(record.externalID), "sequence": .number(Double(record.sequence)),
                "data": record.mapped ?? .null, "updated_at": isoTime(record.updatedAt),
            ]
            if raw { item["raw"] = record.raw }
            return .object(item)
        }
        let next = records.count == limit ? records.last.map { "\($0.connectionID):\($0.sequence)" } : nil
        return .list(items, nextCursor: next)
    }

    func byEntity(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await api.connection(context)
        let entity = context.parameters.get("entity") ?? ""
        guard api.entityTypes(connection.provider)?.contains(entity) == true else {
            throw APIError.notFound("entity type \(entity) of \(connection.provider)")
        }
        let query = request.uri.queryParameters
        let limit = try Self.limit(request)
        let raw = try Self.includeRaw(request)
        let changedSince = try Self.sequence(query.get("changed_since"), field: "changed_since")
        let cursor = try Self.sequence(query.get("cursor"), field: "cursor")
        let after = cursor ?? changedSince ?? 0
        let changes =
            if changedSince != nil {
                try await mappings.records.changes(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: entity,
                    after: after,
                    limit: limit
                )
            } else {
                try await mappings.records.records(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: entity,
                    after: after,
                    limit: limit
                )
            }
        let items: [JSONValue] = changes.map { change in
            var item: [String: JSONValue] = [
                "external_id": .string(change.externalID), "sequence": .number(Double(change.sequence)),
                "change": .string(change.kind.rawValue), "data": change.mapped ?? .null,
                "updated_at": isoTime(change.changedAt),
            ]
            if raw { item["raw"] = change.raw ?? .null }
            return .object(item)
        }
        let next = changes.count == limit ? changes.last.map { String($0.sequence) } : nil
        return .list(items, nextCursor: next)
    }
}
