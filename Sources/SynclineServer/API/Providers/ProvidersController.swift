import Foundation
import Hummingbird
import SynclineCore

/// The provider catalog as a caller may see it (a tenant never sees what the operator hid), and the operator's
/// per-provider settings: hidden or not, and the OAuth app, whose secret is written here but never answered.
struct ProvidersController: Sendable {
    let access: AccessDependencies

    func register(on group: RouterGroup<SynclineRequestContext>) {
        group.get("providers") { request, context in try await list(request, context) }
        group.get("providers/{slug}") { _, context in try await show(context) }
        group.get("providers/{slug}/settings") { _, context in try await settings(context) }
        group.put("providers/{slug}/settings") { request, context in try await change(request, context) }
    }

    func list(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        let query = request.uri.queryParameters
        let category = query.get("category").map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        let search = query.get("q").map { $0.lowercased() }.flatMap { $0.isEmpty ? nil : $0 }
        let matches = { (info: ProviderInfo) -> Bool in
            if let category, !info.categories.contains(where: { $0.lowercased() == category }) { return false }
            if let search {
                return [info.slug, info.name, info.description].contains { $0.lowercased().contains(search) }
            }
            return true
        }
        guard context.tenantID == nil else {
            return .list(try await access.visibleProviders().filter(matches).map { .object(Self.summary($0)) })
        }
        let hidden = try await hiddenSlugs()
        return .list(
            access.providers.providers().filter(matches).map { info in
                var members = Self.summary(info)
                members["hidden"] = .bool(hidden.contains(info.slug))
                return .object(members)
            }
        )
    }

    func show(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let slug = context.parameters.get("slug") ?? ""
        var members: [String: JSONValue]
        let info: ProviderInfo
        if context.tenantID == nil {
            info = try provider(slug)
            members = Self.summary(info)
            members["hidden"] = .bool(try await hiddenSlugs().contains(slug))
        } else {
            guard let visible = try await access.visibleProvider(slug: slug) else {
                throw APIError.notFound("provider \(slug)")
            }
            info = visible
            members = Self.summary(info)
        }
        members["config_fields"] = .array(info.configFields.map(Self.field))
        members["credential_fields"] = .array(info.credentialFields.map(Self.field))
        members["entity_types"] = .array(info.entityTypes.map(Self.entityType))
        if info.usesAuthorizationCode {
            members["oauth"] = .object([
                "redirect_uri": .string(access.redirectURI),
                "app_configured": .bool(try await access.oauthClient(slug) != nil),
            ])
        }
        return JSONResponse(.object(members))
    }

    func settings(_ context: SynclineRequestContext) async throws -> JSONResponse {
        try context.requireOperator()
        let info = try provider(context.parameters.get("slug") ?? "")
        return JSONResponse(try await settingsValue(info.slug))
    }

    func change(_ request: Request, _ context: SynclineRequestContext) async throws -> JSONResponse {
        try context.requireOperator()
        let info = try provider(context.parameters.get("slug") ?? "")
        let body = try await request.jsonObject()
        let allowed: Set<String> = ["hidden", "oauth_client_id", "oauth_client_secret", "oauth_client"]
        if let unknown = body.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw APIError(.badRequest, "unknown_field", "\(unknown) is not a provider setting", field: unknown)
        }
        var hidden: Bool?
        if let value = body["hidden"] {
            guard case .bool(let flag) = value else {
                throw APIError(.badRequest, "invalid", "hidden must be true or false", field: "hidden")
            }
            hidden = flag
        }
        let app = try Self.oauthAppChange(body)
        if let app {
            if case .set = app, !info.usesAuthorizationCode {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "\(info.slug) authenticates with \(info.authKind), not oauth2: it takes no operator OAuth app",
                    field: "oauth_client_id"
                )
            }
            if access.oauthClientFromEnvironment(info.slug) {
                throw APIError(
                    .conflict,
                    "oauth_client_from_environment",
                    "the environment sets the OAuth app of \(info.slug) (SYNCLINE_OAUTH_<SLUG>_CLIENT_ID and "
                        + "_CLIENT_SECRET): change it there",
                    field: "oauth_client_id"
                )
            }
        }
        if let hidden { try await access.providerSettings.setHidden(hidden, slug: info.slug) }
        switch app {
        case .set(let client): try await access.providerSettings.setOAuthClient(client, slug: info.slug)
        case .forget: try await access.providerSettings.setOAuthClient(nil, slug: info.slug)
        case nil: break
        }
        return JSONResponse(try await settingsValue(info.slug))
    }

    /// What a settings body asks of the OAuth app: nil when it does not mention it.
    enum OAuthAppChange {
        case set(OAuthClientCredentials)
        case forget
    }

    static func oauthAppChange(_ body: [String: JSONValue]) throws -> OAuthAppChange? {
        if let value = body["oauth_client"] {
            guard value == .null else {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "oauth_client may only be null (forget the app); set one with oauth_client_id and "
                        + "oauth_client_secret",
                    field: "oauth_client"
                )
            }
            if let other = ["oauth_client_id", "oauth_client_secret"].first(where: { body[$0] != nil }) {
                throw APIError(
                    .badRequest,
                    "invalid",
                    "\(other) cannot be sent with \"oauth_client\": null",
                    field: other
                )
            }
            return .forget
        }
        let id = body["oauth_client_id"]
        let secret = body["oauth_client_secret"]
        switch (id, secret) {
        case (nil, nil): return nil
        case (.some(.null), .some(.null)): return .forget
        case (.some(.null), _), (nil, _):
            throw APIError(
                .badRequest,
                "invalid",
                "oauth_client_id is missing: send it with oauth_client_secret, or both as null to forget the app",
                field: "oauth_client_id"
            )
        case (_, .some(.null)), (_, nil):
            throw APIError(
                .badRequest,
                "invalid",
                "oauth_client_secret is missing: send it with oauth_client_id, or both as null to forget the app",
                field: "oauth_client_secret"
            )
        case (.some(let idValue), .some(let secretValue)):
            return .set(
                OAuthClientCredentials(
                    clientID: try text(idValue, field: "oauth_client_id"),
                    clientSecret: try text(secretValue, field: "oauth_client_secret")
                )
            )
        }
    }

    private static func text(_ value: JSONValue, field: String) throws -> String {
        guard case .string(let text) = value, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError(.badRequest, "invalid", "\(field) must be a non-empty string", field: field)
        }
        guard text.utf8.count <= 4096 else {
            throw APIError(.badRequest, "invalid", "\(field) must be at most 4096 bytes", field: field)
        }
        return text
    }

    private func provider(_ slug: String) throws -> ProviderInfo {
        guard let info = access.providers.provider(slug: slug) else { throw APIError.notFound("provider \(slug)") }
        return info
    }

    private func hiddenSlugs() async throws -> Set<String> {
        Set(try await access.providerSettings.all().filter(\.hidden).map(\.slug))
    }

    /// The settings as the operator reads them; the secret only as whether one is set.
    private func settingsValue(_ slug: String) async throws -> JSONValue {
        let stored = try await access.providerSettings.all().first { $0.slug == slug }
        var clientID: String?
        var source: String?
        if access.oauthClientFromEnvironment(slug) {
            clientID = try await access.oauthClient(slug)?.clientID
            source = "environment"
        } else if let stored, let id = stored.oauthClientID {
            clientID = id
            source = "api"
        }
        return .object([
            "slug": .string(slug),
            "hidden": .bool(stored?.hidden ?? false),
            "oauth_client_id": clientID.map { .string($0) } ?? .null,
            "oauth_client_secret_set": .bool(source != nil),
            "oauth_source": source.map { .string($0) } ?? .null,
            "updated_at": isoTime(stored?.updatedAt),
        ])
    }

    static func summary(_ info: ProviderInfo) -> [String: JSONValue] {
        [
            "slug": .string(info.slug),
            "name": .string(info.name),
            "description": .string(info.description),
            "categories": .array(info.categories.map { .string($0) }),
            "logo": info.logo.map { .string($0) } ?? .null,
            "docs_url": info.docsURL.map { .string($0) } ?? .null,
            "auth_kind": .string(info.authKind),
        ]
    }

    static func field(_ field: ProviderFieldInfo) -> JSONValue {
        .object([
            "name": .string(field.name),
            "label": .string(field.label),
            "type": .string(field.type),
            "required": .bool(field.required),
            "default": field.defaultValue.map { .string($0) } ?? .null,
            "help": field.help.map { .string($0) } ?? .null,
            "options": .array(field.options.map { .string($0) }),
        ])
    }

    static func entityType(_ entity: ProviderEntityInfo) -> JSONValue {
        .object([
            "name": .string(entity.name),
            "label": .string(entity.label),
            "unified_model": entity.unifiedModel.map { .string($0) } ?? .null,
            "default_frequency_minutes": .number(Double(entity.defaultFrequencyMinutes)),
            "incremental": .bool(entity.incremental),
            "fields": .array(entity.fields.map(field)),
        ])
    }
}
