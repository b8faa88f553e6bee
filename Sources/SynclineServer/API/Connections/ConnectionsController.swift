import Foundation
import Hummingbird
import SynclineCore
import SynclineEngine

/// A tenant's connections: create (testing submitted credentials first), list, read, change config and
/// credentials (re-tested), test without saving, disconnect, delete, and the activity trail. Another tenant's
/// connection is a 404, never a 403; credentials never appear in a response.
struct ConnectionsController: Sendable {
    let api: APIDependencies
    let access: AccessDependencies
    let now: @Sendable () -> Date

    func register(on group: RouterGroup<SynclineRequestContext>) {
        group.post("connections") { request, context in try await create(request, context) }
        group.get("connections") { request, context in try await list(request, context) }
        group.get("connections/{id}") { _, context in try await show(context) }
        group.patch("connections/{id}") { request, context in try await change(request, context) }
        group.delete("connections/{id}") { request, context in try await delete(request, context) }
        group.put("connections/{id}/credentials") { request, context in try await replaceCredentials(request, context) }
        group.post("connections/{id}/test") { request, context in try await test(request, context) }
        group.post("connections/{id}/disconnect") { _, context in try await disconnect(context) }
        group.get("connections/{id}/activity") { request, context in try await activity(request, context) }
    }

    // MARK: reading

    func connection(_ context: SynclineRequestContext) async throws -> Connection {
        try await api.connection(context)
    }

    private func provider(of connection: Connection) throws -> ProviderInfo {
        guard let provider = access.providers.provider(slug: connection.provider) else {
            throw APIError(
                .conflict,
                "unknown_provider",
                "the provider '\(connection.provider)' is no longer in the catalog"
            )
        }
        return provider
    }

    private func represent(_ connection: Connection) async throws -> JSONValue {
        let secrets = try await access.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
        return ConnectionRepresentation.connection(connection, secrets: secrets)
    }

    func show(_ context: SynclineRequestContext) async throws -> JSONResponse {
        JSONResponse(try await represent(try await connection(context)))
    }

    func list(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let tenant = try context.requireTenant()
        let query = request.uri.queryParameters
        var connections = try await api.connections.list(
            tenantID: tenant,
            userID: query.get("user_id").flatMap { $0.isEmpty ? nil : $0 }
        )
        if let provider = query.get("provider"), !provider.isEmpty {
            connections = connections.filter { $0.provider == provider }
        }
        if let text = query.get("status"), !text.isEmpty {
            guard let status = ConnectionStatus(rawValue: text) else {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "status must be one of: \(ConnectionStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "status"
                )
            }
            connections = connections.filter { $0.status == status }
        }
        if let text = query.get("expiring_within") {
            let limit = now().addingTimeInterval(try ConnectionInput.window(text, field: "expiring_within"))
            connections = connections.filter { ($0.credentialExpiresAt.map { $0 <= limit }) ?? false }
                .sorted { ($0.credentialExpiresAt ?? .distantFuture) < ($1.credentialExpiresAt ?? .distantFuture) }
        }
        var items: [JSONValue] = []
        for connection in connections { items.append(try await represent(connection)) }
        return .list(items)
    }

    func activity(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await connection(context)
        let entries = try await api.activity.list(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            limit: try SyncsController.limit(request)
        )
        return .list(entries.map(ConnectionRepresentation.activity))
    }

    // MARK: creating and changing

    func create(_ request: Request, _ context: SynclineRequestContext) async throws -> Response {
        let tenant = try context.requireTenant()
        let body = try await request.jsonObject()
        try ConnectionInput.onlyKnown(
            body,
            ["provider", "name", "config", "credentials", "user_id", "credential_expires_at", "activate"],
            in: "a connection"
        )
        let slug = try ConnectionInput.requiredString(body, "provider")
        guard let provider = try await access.visibleProvider(slug: slug) else {
            throw APIError(
                .badRequest,
                "unknown_provider",
                "there is no provider '\(slug)'; GET /api/v1/providers lists them",
                field: "provider"
            )
        }
        let name = try ConnectionInput.requiredString(body, "name")
        let config = try ConnectionInput.config(body["config"], provider: provider)
        let userID = try ConnectionInput.optionalString(body, "user_id") ?? nil
        let expiresAt = try ConnectionInput.optionalTime(body, "credential_expires_at") ?? nil
        var activate = true
        if let value = body["activate"] {
            guard case .bool(let flag) = value else {
                throw APIError(.badRequest, "invalid", "activate must be true or false", field: "activate")
            }
            activate = flag
        }
        let created = now()
        var connection = Connection(
            id: Identifier.make(prefix: "con", now: created),
            tenantID: tenant,
            provider: provider.slug,
            name: name,
            config: config,
            status: .setupIncomplete,
            setupStep: activate ? .notStarted : .connection,
            userID: userID,
            credentialExpiresAt: expiresAt,
            createdAt: created,
            updatedAt: created
        )
        var secrets: CredentialSecrets?
        if let value = body["credentials"], value != .null {
            let submitted = try ConnectionInput.credentials(value, provider: provider, over: nil)
            try await requirePassingTest(connection, submitted)
            secrets = submitted
            connection = Self.accepted(connection)
        }
        do {
            try await api.connections.create(connection)
        } catch let error as StoreError {
            throw error.code == .conflict
                ? APIError(
                    .conflict,
                    "conflict",
                    "this tenant already has a \(provider.name) connection named '\(name)'",
                    field: "name"
                ) : error.apiError
        }
        if let secrets {
            do {
                try await access.credentials.save(secrets, connectionID: connection.id, tenantID: tenant)
            } catch {
                // Nothing half-made stays behind: without its credentials the connection is removed again.
                try? await api.connections.delete(id: connection.id, tenantID: tenant)
                throw error
            }
        }
        let actor = context.actor
        try await api.record(
            connection,
            actor: actor,
            "connection.created",
            ["provider": .string(provider.slug), "name": .string(name), "status": .string(connection.status.rawValue)],
            now: created
        )
        if let secrets {
            try await api.record(
                connection,
                actor: actor,
                "credentials.set",
                ["fields": .array(secrets.fieldNames.map { .string($0) }), "tested": .bool(true)],
                now: created
            )
        }
        return try JSONResponse(try await represent(connection), status: .created)
            .response(from: request, context: context)
    }

    func change(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        var connection = try await connection(context)
        let before = connection
        let provider = try provider(of: connection)
        let body = try await request.jsonObject()
        try ConnectionInput.onlyKnown(
            body,
            ["name", "config", "user_id", "credential_expires_at", "setup_step"],
            in: "a connection (credentials change through PUT .../credentials, status through pause, resume and "
                + "disconnect)"
        )
        if body["name"] != nil { connection.name = try ConnectionInput.requiredString(body, "name") }
        if let userID = try ConnectionInput.optionalString(body, "user_id") { connection.userID = userID }
        if let expiry = try ConnectionInput.optionalTime(body, "credential_expires_at") {
            connection.credentialExpiresAt = expiry
        }
        let secrets = try await access.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
        if let value = body["config"] {
            connection.config = try ConnectionInput.config(value, provider: provider, base: connection.config)
            if connection.config != before.config, let secrets, !provider.usesAuthorizationCode {
                try await requirePassingTest(connection, secrets)
            }
        }
        if let value = body["setup_step"] {
            guard case .string(let text) = value, let step = SetupStep(rawValue: text) else {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "setup_step must be one of: \(SetupStep.allCases.map(\.rawValue).joined(separator: ", "))",
                    field: "setup_step"
                )
            }
            guard connection.setupStep.canMove(to: step) else {
                throw APIError(
                    .conflict,
                    "invalid_transition",
                    ConnectionTransitionError(from: connection.setupStep, to: step).message,
                    field: "setup_step"
                )
            }
            if step == .completed && connection.status == .setupIncomplete {
                guard secrets != nil else {
                    throw APIError(
                        .conflict,
                        "credentials_missing",
                        "the connection cannot be activated before its credentials are set",
                        field: "setup_step"
                    )
                }
                connection.status = .active
            }
            connection.setupStep = step
        }
        connection.updatedAt = now()
        do {
            try await api.connections.update(connection)
        } catch let error as StoreError {
            throw error.apiError
        }
        var changed: [JSONValue] = []
        if connection.name != before.name { changed.append("name") }
        if connection.config != before.config { changed.append("config") }
        if connection.userID != before.userID { changed.append("user_id") }
        if connection.credentialExpiresAt != before.credentialExpiresAt { changed.append("credential_expires_at") }
        if connection.setupStep != before.setupStep { changed.append("setup_step") }
        if !changed.isEmpty {
            try await api.record(
                connection,
                actor: context.actor,
                "connection.updated",
                ["fields": .array(changed)],
                now: now()
            )
        }
        try await recordStatusChange(from: before, to: connection, context)
        return JSONResponse(try await represent(connection))
    }

    func replaceCredentials(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        var connection = try await connection(context)
        let before = connection
        let provider = try provider(of: connection)
        let body = try await request.jsonObject()
        try ConnectionInput.onlyKnown(body, ["credentials", "credential_expires_at"], in: "a credentials change")
        guard let value = body["credentials"] else {
            throw APIError(.badRequest, "missing_field", "credentials is required", field: "credentials")
        }
        let stored = try await access.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
        let secrets = try ConnectionInput.credentials(value, provider: provider, over: stored)
        try await requirePassingTest(connection, secrets)
        try await access.credentials.save(secrets, connectionID: connection.id, tenantID: connection.tenantID)
        if let expiry = try ConnectionInput.optionalTime(body, "credential_expires_at") {
            connection.credentialExpiresAt = expiry
        }
        connection = Self.accepted(connection)
        connection.updatedAt = now()
        if connection.status == .active && before.status == .error {
            // New credentials cure what opened the breaker: start counting failures afresh.
            try await api.circuits.save(
                CircuitBreaker(),
                status: .active,
                probeAt: nil,
                tenantID: connection.tenantID,
                connectionID: connection.id,
                now: now()
            )
        }
        try await api.connections.update(connection)
        try await api.record(
            connection,
            actor: context.actor,
            stored == nil ? "credentials.set" : "credentials.updated",
            ["fields": .array(secrets.fieldNames.map { .string($0) }), "tested": .bool(true)],
            now: now()
        )
        try await recordStatusChange(from: before, to: connection, context)
        return JSONResponse(try await represent(connection))
    }

    /// What accepted credentials (a passing test, an OAuth grant) do to a connection: one created through the API
    /// becomes active at once; one in the setup wizard moves on to the mapping step.
    static func accepted(_ connection: Connection) -> Connection {
        var connection = connection
        switch connection.setupStep {
        case .notStarted, .completed:
            connection.setupStep = .completed
            if connection.status.canMove(to: .active) { connection.status = .active }
        case .connection:
            connection.setupStep = .mapping
            if connection.status == .disconnected { connection.status = .setupIncomplete }
        case .mapping, .syncConfig:
            if connection.status == .disconnected { connection.status = .setupIncomplete }
        }
        return connection
    }

    private func recordStatusChange(from before: Connection, to after: Connection, _ context: SynclineRequestContext)
        async throws
    {
        guard before.status != after.status else { return }
        try await api.record(
            after,
            actor: context.actor,
            "status.changed",
            ["from": .string(before.status.rawValue), "to": .string(after.status.rawValue)],
            now: now()
        )
    }

    // MARK: testing

    /// Runs the provider's connection test; a failure is a 422 with the provider's words and nothing is saved.
    private func requirePassingTest(_ connection: Connection, _ secrets: CredentialSecrets) async throws {
        do {
            try await access.providers.testConnection(connection, credentials: secrets)
        } catch let error as ProviderError {
            throw APIError(
                .unprocessableContent,
                "connection_test_failed",
                "the connection test failed, nothing was saved: \(error.message)",
                field: error.code == .configuration ? "config" : "credentials"
            )
        }
    }

    func test(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        var connection = try await connection(context)
        let provider = try provider(of: connection)
        let body = try await request.jsonObject()
        try ConnectionInput.onlyKnown(body, ["credentials", "config"], in: "a connection test")
        if let value = body["config"] {
            connection.config = try ConnectionInput.config(value, provider: provider, base: connection.config)
        }
        var secrets: CredentialSecrets?
        if let value = body["credentials"], value != .null {
            let stored = try await access.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
            secrets = try ConnectionInput.credentials(value, provider: provider, over: stored)
        }
        let started = ContinuousClock.now
        var result: [String: JSONValue] = ["submitted": .bool(secrets != nil || body["config"] != nil)]
        do {
            let credentials: CredentialSecrets
            if let secrets {
                credentials = secrets
            } else if provider.usesAuthorizationCode {
                credentials = try await access.refresher.credentials(for: connection)
            } else {
                guard
                    let stored = try await access.credentials.load(
                        connectionID: connection.id,
                        tenantID: connection.tenantID
                    )
                else {
                    throw APIError(
                        .conflict,
                        "credentials_missing",
                        "the connection has no stored credentials: send some in the body to test them",
                        field: "credentials"
                    )
                }
                credentials = stored
            }
            try await access.providers.testConnection(connection, credentials: credentials)
            result["ok"] = .bool(true)
        } catch let error as ProviderError {
            result["ok"] = .bool(false)
            result["error"] = .object(["code": .string(error.code.description), "message": .string(error.message)])
        } catch let error as JobError {
            result["ok"] = .bool(false)
            result["error"] = .object(["code": .string("auth"), "message": .string(error.message)])
        }
        let elapsed = ContinuousClock.now - started
        result["duration_ms"] = .number(
            Double(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        )
        try await api.record(
            connection,
            actor: context.actor,
            "connection.tested",
            result.filter { $0.key != "duration_ms" },
            now: now()
        )
        return JSONResponse(.object(result))
    }

    // MARK: ending

    func disconnect(_ context: SynclineRequestContext) async throws -> JSONResponse {
        var connection = try await connection(context)
        let before = connection
        let provider = try provider(of: connection)
        let secrets = try await access.credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
        var details: [String: JSONValue] = ["from": .string(before.status.rawValue)]
        var revoked = false
        if let secrets, provider.revokesTokens, let token = secrets["refresh_token"] ?? secrets["access_token"] {
            do {
                if let app = try await access.oauthClient(provider.slug) {
                    revoked = try await access.providers.revokeToken(token, connection: connection, client: app)
                }
            } catch let error as ProviderError {
                details["revoke_error"] = .string(error.message)
            }
        }
        details["revoked"] = .bool(revoked)
        try await access.credentials.delete(connectionID: connection.id, tenantID: connection.tenantID)
        let cancelled = try await api.jobs.cancelWaiting(
            connectionID: connection.id,
            tenantID: connection.tenantID,
            now: now()
        )
        details["cancelled_jobs"] = .number(Double(cancelled))
        connection.status = .disconnected
        connection.credentialExpiresAt = nil
        connection.updatedAt = now()
        try await api.connections.update(connection)
        try await api.record(connection, actor: context.actor, "connection.disconnected", details, now: now())
        var body = try await represent(connection).objectValue ?? [:]
        body["revoked"] = .bool(revoked)
        body["cancelled_jobs"] = .number(Double(cancelled))
        return JSONResponse(.object(body))
    }

    /// Deleting is final (syncs, jobs, runs and records go with it), so it must name the connection:
    /// `DELETE /connections/{id}?confirm=<name>`; without it the answer says what would be deleted.
    func delete(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await connection(context)
        guard request.uri.queryParameters.get("confirm") == connection.name else {
            let syncs = try await api.syncs.list(tenantID: connection.tenantID, connectionID: connection.id)
            throw APIError(
                .conflict,
                "confirmation_required",
                "deleting removes connection '\(connection.name)' with its \(syncs.count) syncs, its jobs, runs, "
                    + "records and credentials, and cannot be undone; repeat with ?confirm=\(connection.name)",
                field: "confirm"
            )
        }
        let provider = access.providers.provider(slug: connection.provider)
        var details: [String: JSONValue] = ["name": .string(connection.name), "provider": .string(connection.provider)]
        if let provider, provider.revokesTokens,
            let secrets = try await access.credentials.load(connectionID: connection.id, tenantID: connection.tenantID),
            let token = secrets["refresh_token"] ?? secrets["access_token"],
            let app = try await access.oauthClient(provider.slug)
        {
            details["revoked"] = .bool(
                (try? await access.providers.revokeToken(token, connection: connection, client: app)) ?? false
            )
        }
        try await api.connections.delete(id: connection.id, tenantID: connection.tenantID)
        try await api.record(connection, actor: context.actor, "connection.deleted", details, now: now())
        return JSONResponse(.object(["id": .string(connection.id), "deleted": .bool(true)]))
    }
}
