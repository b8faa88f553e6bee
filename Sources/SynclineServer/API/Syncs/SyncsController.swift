import Foundation
import Hummingbird
import SynclineCore
import SynclineEngine

/// The operations of a connection's syncs: list and change them, run one now, reset one, pause and resume
/// the connection, and its runs. Another tenant's connection is a 404, never a 403.
struct SyncsController: Sendable {
    let api: APIDependencies
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<SynclineRequestContext>) {
        group.get("connections/{id}/syncs") { _, context in try await list(context) }
        group.patch("connections/{id}/syncs/{entity}") { request, context in try await change(request, context) }
        group.post("connections/{id}/syncs/{entity}/run") { request, context in try await run(request, context) }
        group.post("connections/{id}/syncs/{entity}/reset") { _, context in try await reset(context) }
        group.post("connections/{id}/pause") { _, context in try await pause(context) }
        group.post("connections/{id}/resume") { _, context in try await resume(context) }
        group.get("connections/{id}/runs") { request, context in try await runs(request, context) }
    }

    func connection(_ context: SynclineRequestContext) async throws -> Connection {
        try await api.connection(context)
    }

    func sync(_ connection: Connection, _ context: SynclineRequestContext) async throws -> SyncDefinition {
        let entity = context.parameters.get("entity") ?? ""
        guard
            let sync = try await api.syncs.find(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: entity
            )
        else {
            throw APIError.notFound("sync \(entity) of connection \(connection.id)")
        }
        return sync
    }

    func list(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await connection(context)
        let syncs = try await api.syncs.list(tenantID: connection.tenantID, connectionID: connection.id)
        return .list(syncs.map(APIRepresentation.sync))
    }

    func change(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await connection(context)
        var sync = try await sync(connection, context)
        let body = try await request.jsonObject()
        let allowed: Set<String> = ["schedule", "direction", "enabled", "parameters", "jitter_seconds"]
        if let unknown = body.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError(.badRequest, "unknown_field", "\(unknown) cannot be changed on a sync", field: unknown)
        }
        var rescheduled = false
        if let value = body["schedule"] {
            do {
                sync.schedule = try JSONDecoder().decode(Schedule.self, from: Data(try value.jsonString().utf8))
            } catch {
                throw APIError(
                    .badRequest,
                    "invalid_schedule",
                    "schedule must be {\"interval_minutes\": N}, {\"cron\": \"...\", \"time_zone\": \"Area/City\"} "
                        + "or {\"manual\": true}: \(Self.reason(error))",
                    field: "schedule"
                )
            }
            rescheduled = true
        }
        if let value = body["direction"] {
            guard case .string(let text) = value, let direction = SyncDirection(rawValue: text) else {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "direction must be import, export or bidirectional",
                    field: "direction"
                )
            }
            sync.direction = direction
        }
        if let value = body["enabled"] {
            guard case .bool(let flag) = value else {
                throw APIError(.badRequest, "invalid", "enabled must be true or false", field: "enabled")
            }
            rescheduled = rescheduled || flag != sync.enabled
            sync.enabled = flag
        }
        if let value = body["jitter_seconds"] {
            guard case .number(let number) = value, number >= 0, number <= 86_400, number == number.rounded() else {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "jitter_seconds must be a whole number from 0 to 86400",
                    field: "jitter_seconds"
                )
            }
            sync.jitterSeconds = Int(number)
        }
        if let value = body["parameters"] {
            sync.parameters = try Self.parameters(value, field: "parameters")
        }
        if rescheduled {
            var base = sync
            base.nextRunAt = nil
            sync.nextRunAt = sync.enabled ? SyncScheduler.nextRun(of: base, now: now()) : nil
        }
        try await api.syncs.update(sync)
        try await record(connection, context, "sync.changed", ["entity_type": .string(sync.entityType)])
        return JSONResponse(APIRepresentation.sync(sync))
    }

    func run(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await connection(context)
        let entity = context.parameters.get("entity") ?? ""
        guard let entities = api.entityTypes(connection.provider), entities.contains(entity) else {
            throw APIError.notFound("entity type \(entity) of provider \(connection.provider)")
        }
        guard connection.status == .active else {
            throw APIError(
                .conflict,
                "connection_not_active",
                "the connection is \(connection.status.rawValue); "
                    + (connection.status == .paused ? "resume it first" : "fix it and resume it first")
            )
        }
        let body = try await request.jsonObject()
        if let unknown = body.keys.sorted().first(where: { $0 != "parameters" && $0 != "full" }) {
            throw APIError(.badRequest, "unknown_field", "\(unknown) is not a run option", field: unknown)
        }
        let parameters = try body["parameters"].map { try Self.parameters($0, field: "parameters") } ?? [:]
        var full = false
        if let value = body["full"] {
            guard case .bool(let flag) = value else {
                throw APIError(.badRequest, "invalid", "full must be true or false", field: "full")
            }
            full = flag
        }
        let result = try await api.jobs.enqueue(
            SyncJobs.importJob(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: entity,
                trigger: .manual,
                parameters: parameters,
                forceFull: full
            ),
            now: now()
        )
        try await record(
            connection,
            context,
            "sync.triggered",
            ["entity_type": .string(entity), "job_id": .string(result.job.id)]
        )
        return JSONResponse(APIRepresentation.job(result.job), status: .accepted)
    }

    func reset(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await connection(context)
        let sync = try await sync(connection, context)
        try await api.progress.reset(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            entityType: sync.entityType
        )
        try await record(connection, context, "sync.reset", ["entity_type": .string(sync.entityType)])
        return JSONResponse(APIRepresentation.sync(sync))
    }

    func pause(_ context: SynclineRequestContext) async throws -> JSONResponse {
        var connection = try await connection(context)
        guard connection.status == .active || connection.status == .error else {
            throw APIError(
                .conflict,
                "invalid_transition",
                "a \(connection.status.rawValue) connection cannot be paused"
            )
        }
        let previous = connection.status
        connection.status = .paused
        connection.updatedAt = now()
        try await api.connections.update(connection)
        let cancelled = try await api.jobs.cancelWaiting(
            connectionID: connection.id,
            tenantID: connection.tenantID,
            now: now()
        )
        try await record(
            connection,
            context,
            "connection.paused",
            ["from": .string(previous.rawValue), "cancelled_jobs": .number(Double(cancelled))]
        )
        return JSONResponse(
            .object([
                "id": .string(connection.id), "status": .string("paused"), "cancelled_jobs": .number(Double(cancelled)),
            ])
        )
    }

    func resume(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await connection(context)
        guard connection.status == .paused || connection.status == .error else {
            throw APIError(
                .conflict,
                "invalid_transition",
                "a \(connection.status.rawValue) connection cannot be resumed"
            )
        }
        try await api.circuits.save(
            CircuitBreaker(),
            status: .active,
            probeAt: nil,
            tenantID: connection.tenantID,
            connectionID: connection.id,
            now: now()
        )
        var jobs: [JSONValue] = []
        for entity in api.entityTypes(connection.provider) ?? [] {
            let result = try await api.jobs.enqueue(
                SyncJobs.importJob(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: entity,
                    trigger: .manual
                ),
                now: now()
            )
            jobs.append(.string(result.job.id))
        }
        try await record(connection, context, "connection.resumed", ["from": .string(connection.status.rawValue)])
        return JSONResponse(.object(["id": .string(connection.id), "status": .string("active"), "jobs": .array(jobs)]))
    }

    func runs(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await connection(context)
        let limit = try Self.limit(request)
        let runs = try await api.runs.list(tenantID: connection.tenantID, connectionID: connection.id, limit: limit)
        return .list(runs.map(APIRepresentation.run))
    }

    private func record(
        _ connection: Connection,
        _ context: SynclineRequestContext,
        _ action: String,
        _ details: [String: JSONValue]
    ) async throws {
        try await api.record(connection, actor: context.actor, action, details, now: now())
    }

    static func parameters(_ value: JSONValue, field: String) throws -> [String: String] {
        guard case .object(let members) = value else {
            throw APIError(.badRequest, "invalid", "\(field) must be an object of strings", field: field)
        }
        var parameters: [String: String] = [:]
        for (key, member) in members {
            guard case .string(let text) = member else {
                throw APIError(.badRequest, "invalid", "\(field).\(key) must be a string", field: "\(field).\(key)")
            }
            parameters[key] = text
        }
        // A window is evaluated when the job runs; check now that it can be.
        do {
            _ = try SyncWindow.resolve(parameters, now: Date())
        } catch {
            throw APIError(.badRequest, "invalid", error.message, field: "\(field).\(error.parameter)")
        }
        return parameters
    }

    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return 50 }
        guard let limit = Int(text), (1...500).contains(limit) else {
            throw APIError(.badRequest, "invalid", "limit must be a whole number from 1 to 500", field: "limit")
        }
        return limit
    }

    static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.keyNotFound(let key, _) = error { return "\(key.stringValue) is missing" }
        if case DecodingError.typeMismatch(_, let context) = error { return context.debugDescription }
        return "\(error)"
    }
}
