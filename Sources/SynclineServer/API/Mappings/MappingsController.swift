import Foundation
import HTTPTypes
import Hummingbird
import SynclineCore
import SynclineEngine

/// A connection's mappings: read (the tenant's, else the provider's default), replace after validation, go back
/// to the default, preview a draft on live or stored samples without saving anything, and re-apply to stored
/// records as a job. Also the tenant's models (unified plus its own).
struct MappingsController: Sendable {
    let api: APIDependencies
    let access: AccessDependencies
    let mappings: MappingDependencies
    let now: @Sendable () -> Date

    /// Says where a mapping came from: `tenant` (saved) or `default` (the provider file's).
    static let sourceHeader = HTTPField.Name("Syncline-Mapping-Source")

    func register(on group: RouterGroup<SynclineRequestContext>) {
        group.get("connections/{id}/mappings/{entity}") { _, context in try await show(context) }
        group.put("connections/{id}/mappings/{entity}") { request, context in try await replace(request, context) }
        group.delete("connections/{id}/mappings/{entity}") { _, context in try await reset(context) }
        group.post("connections/{id}/mappings/{entity}/preview") { request, context in
            try await preview(request, context)
        }
        group.post("connections/{id}/mappings/{entity}/reapply") { request, context in
            try await reapply(request, context)
        }
        group.get("models") { _, context in try await listModels(context) }
        group.post("models") { request, context in try await createModel(request, context) }
        group.delete("models/{name}") { _, context in try await deleteModel(context) }
    }

    /// The caller's connection and one of its provider's entity types, or a 404.
    private func target(_ context: SynclineRequestContext) async throws -> (Connection, String) {
        let connection = try await api.connection(context)
        let entity = context.parameters.get("entity") ?? ""
        guard api.entityTypes(connection.provider)?.contains(entity) == true else {
            throw APIError.notFound("entity type \(entity) of \(connection.provider)")
        }
        return (connection, entity)
    }

    private func response(_ document: JSONValue, source: String, status: HTTPResponse.Status = .ok) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let name = Self.sourceHeader { headers[name] = source }
        return Response(
            status: status,
            headers: headers,
            body: .init(byteBuffer: .init(string: try document.jsonString()))
        )
    }

    func show(_ context: SynclineRequestContext) async throws -> Response {
        let (connection, entity) = try await target(context)
        if let saved = try await mappings.store.mapping(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            entityType: entity
        ) {
            return try response(saved.document, source: "tenant")
        }
        guard let fallback = mappings.catalog.defaultMapping(provider: connection.provider, entityType: entity) else {
            throw APIError(
                .notFound,
                "not_found",
                "\(entity) has no mapping yet: PUT one to map its records to a model"
            )
        }
        return try response(fallback.document, source: "default")
    }

    /// Parses and validates a mapping document against the tenant's models: a 400 naming the first problem's
    /// path, with every problem listed.
    private func compile(_ body: JSONValue, tenantID: String) async throws -> CompiledMapping {
        do {
            let mapping = try Mapping(document: body)
            return try CompiledMapping(mapping, models: try await mappings.catalog.models(tenantID: tenantID))
        } catch let error as MappingError {
            throw Self.invalid(error)
        }
    }

    static func invalid(_ error: MappingError) -> APIError {
        let first = error.problems.first
        let listed = error.problems.prefix(20).map { "\($0.path): \($0.message)" }.joined(separator: "; ")
        return APIError(
            .badRequest,
            "invalid_mapping",
            "the mapping is not valid: \(listed)",
            field: first?.path
        )
    }

    func replace(_ request: Request, _ context: SynclineRequestContext) async throws -> Response {
        let (connection, entity) = try await target(context)
        let body = JSONValue.object(try await request.jsonObject())
        let compiled = try await compile(body, tenantID: connection.tenantID)
        let document = compiled.mapping.document
        try await mappings.store.save(
            StoredMapping(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: entity,
                document: document,
                updatedAt: now()
            )
        )
        try await api.record(
            connection,
            actor: context.actor,
            "mapping.updated",
            [
                "entity_type": .string(entity), "model": .string(compiled.mapping.model),
                "rules": .number(Double(compiled.mapping.rules.count)),
            ],
            now: now()
        )
        return try response(document, source: "tenant")
    }

    func reset(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let (connection, entity) = try await target(context)
        try await mappings.store.deleteMapping(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            entityType: entity
        )
        try await api.record(
            connection,
            actor: context.actor,
            "mapping.reset",
            ["entity_type": .string(entity)],
            now: now()
        )
        return JSONResponse(.object(["entity_type": .string(entity), "source": "default"]))
    }

    /// Runs a draft (the body; empty: the mapping in force) on up to `limit` (10) samples: live from the provider,
    /// or `?source=stored` from stored raw records. Saves nothing.
    func preview(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let (connection, entity) = try await target(context)
        let query = request.uri.queryParameters
        var limit = 10
        if let text = query.get("limit") {
            guard let value = Int(text), (1...10).contains(value) else {
                throw APIError(.badRequest, "invalid", "limit must be a whole number from 1 to 10", field: "limit")
            }
            limit = value
        }
        let body = try await request.jsonObject()
        let compiled: CompiledMapping
        if body.isEmpty {
            do {
                guard let current = try await mappings.catalog.mapping(for: connection, entityType: entity) else {
                    throw APIError(
                        .badRequest,
                        "missing_field",
                        "send a draft mapping: \(entity) has none yet",
                        field: "rules"
                    )
                }
                compiled = current
            } catch let error as MappingError {
                throw Self.invalid(error)
            }
        } else {
            compiled = try await compile(.object(body), tenantID: connection.tenantID)
        }
        let source = query.get("source") ?? "live"
        var samples: [(id: String?, raw: JSONValue)] = []
        switch source {
        case "stored":
            samples = try await mappings.records.records(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: entity,
                after: 0,
                limit: limit
            ).map { ($0.externalID, $0.raw ?? .null) }
        case "live":
            let credentials = try await liveCredentials(connection)
            do {
                samples = try await access.providers.sampleRecords(
                    connection,
                    credentials: credentials,
                    entityType: entity,
                    limit: limit
                ).map { ($0.externalID, $0.raw) }
            } catch let error as ProviderError {
                throw APIError(
                    .unprocessableContent,
                    "provider_error",
                    "fetching samples from \(connection.provider) failed: \(error.message)"
                )
            }
        default:
            throw APIError(.badRequest, "invalid", "source must be live or stored", field: "source")
        }
        let items: [JSONValue] = samples.map { sample in
            let result = compiled.apply(sample.raw)
            return .object([
                "external_id": sample.id.map { .string($0) } ?? .null,
                "raw": sample.raw,
                "mapped": result.failed ? .null : .object(result.value),
                "failed": .bool(result.failed),
                "failures": .array(result.failures.map(Self.problem)),
                "warnings": .array(result.warnings.map(Self.problem)),
            ])
        }
        return JSONResponse(
            .object([
                "source": .string(source), "model": .string(compiled.mapping.model), "records": .array(items),
            ])
        )
    }

    private func liveCredentials(_ connection: Connection) async throws -> CredentialSecrets {
        if access.providers.provider(slug: connection.provider)?.usesAuthorizationCode == true {
            do {
                return try await access.refresher.credentials(for: connection)
            } catch let error as JobError {
                throw APIError(.conflict, "credentials_missing", error.message)
            }
        }
        guard
            let stored = try await access.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
        else {
            throw APIError(
                .conflict,
                "credentials_missing",
                "the connection has no credentials: preview with ?source=stored or set them first"
            )
        }
        return stored
    }

    static func problem(_ problem: MappingProblem) -> JSONValue {
        .object(["path": .string(problem.path), "message": .string(problem.message)])
    }

    func reapply(_ request: Request, _ context: SynclineRequestContext) async throws -> Response {
        let (connection, entity) = try await target(context)
        let result = try await api.jobs.enqueue(
            ReapplyMappingHandler.job(tenantID: connection.tenantID, connectionID: connection.id, entityType: entity),
            now: now()
        )
        try await api.record(
            connection,
            actor: context.actor,
            "mapping.reapply_requested",
            ["entity_type": .string(entity), "job_id": .string(result.job.id)],
            now: now()
        )
        return try JSONResponse(APIRepresentation.job(result.job), status: .accepted)
            .response(from: request, context: context)
    }

    // MARK: models

    func listModels(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let tenant = try context.requireTenant()
        let catalog = try await mappings.catalog.models(tenantID: tenant)
        return .list(
            catalog.models.map { model in
                var document = model.document.objectValue ?? [:]
                document["built_in"] = .bool(model.builtIn)
                return .object(document)
            }
        )
    }

    func createModel(_ request: Request, _ context: SynclineRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let body = JSONValue.object(try await request.jsonObject())
        let model: EntityModel
        do {
            model = try EntityModel(document: body)
            try await mappings.catalog.models(tenantID: tenant).checkCustom(model)
        } catch let error as MappingError {
            throw Self.invalid(error)
        }
        try await mappings.store.saveCustomModel(tenantID: tenant, name: model.name, document: model.document)
        return try JSONResponse(model.document, status: .created).response(from: request, context: context)
    }

    func deleteModel(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let tenant = try context.requireTenant()
        let name = context.parameters.get("name") ?? ""
        do {
            try await mappings.store.deleteCustomModel(tenantID: tenant, name: name)
        } catch let error as StoreError where error.code == .notFound {
            throw APIError.notFound("custom model \(name)")
        }
        return JSONResponse(.object(["name": .string(name), "deleted": .bool(true)]))
    }
}
