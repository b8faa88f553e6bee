import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SynclineCore
import SynclineEngine

/// OAuth 2.0 authorization code with PKCE (S256): `GET /api/v1/connections/{id}/oauth/authorize` answers the
/// provider's consent URL with a signed, single-use state; the provider sends the person back to
/// `GET /oauth/callback` (one redirect URI for every provider), which checks the state, trades the code for
/// tokens, stores them encrypted and activates the connection.
struct OAuthController: Sendable {
    let api: APIDependencies
    let access: AccessDependencies
    let now: @Sendable () -> Date

    func register(api group: RouterGroup<SynclineRequestContext>, callback router: Router<SynclineRequestContext>) {
        group.get("connections/{id}/oauth/authorize") { _, context in try await authorize(context) }
        router.get("oauth/callback") { request, context in try await callback(request, context) }
    }

    func authorize(_ context: SynclineRequestContext) async throws -> JSONResponse {
        let connection = try await api.connection(context)
        guard let provider = access.providers.provider(slug: connection.provider), provider.usesAuthorizationCode
        else {
            throw APIError(
                .conflict,
                "oauth_not_supported",
                "\(connection.provider) does not connect through an OAuth authorization: send its credentials with "
                    + "PUT /api/v1/connections/\(connection.id)/credentials"
            )
        }
        guard let app = try await access.oauthClient(provider.slug) else {
            throw APIError(
                .conflict,
                "oauth_app_missing",
                "the operator has not registered an OAuth app for \(provider.name) yet "
                    + "(PUT /api/v1/providers/\(provider.slug)/settings or SYNCLINE_OAUTH_<SLUG>_CLIENT_ID)"
            )
        }
        let redirectURI = access.redirectURI
        let authorization = try await access.oauthStates.begin(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            redirectURI: redirectURI,
            now: now()
        )
        let url: String
        do {
            url = try access.providers.authorizationURL(
                for: connection,
                client: app,
                redirectURI: redirectURI,
                state: authorization.state,
                codeChallenge: PKCE.challenge(for: authorization.codeVerifier)
            )
        } catch let error as ProviderError {
            throw APIError(.conflict, "oauth_not_supported", error.message)
        }
        try await api.record(connection, actor: context.actor, "oauth.started", [:], now: now())
        return JSONResponse(
            .object([
                "authorization_url": .string(url),
                "redirect_uri": .string(redirectURI),
                "expires_at": isoTime(authorization.expiresAt),
            ])
        )
    }

    func callback(_ request: Request, _ context: SynclineRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let state = query.get("state"), !state.isEmpty else {
            return Self.page(.badRequest, "Authorization failed", "The provider's answer has no state parameter.")
        }
        let pending: OAuthPendingGrant
        switch try await access.oauthStates.consume(state, now: now()) {
        case .failure(let rejection):
            return Self.page(
                .badRequest,
                "Authorization refused",
                "Syncline refused this answer: \(rejection.message)."
            )
        case .success(let grant):
            pending = grant
        }
        guard var connection = try await api.connections.find(id: pending.connectionID, tenantID: pending.tenantID),
            let provider = access.providers.provider(slug: connection.provider)
        else {
            return Self.page(.notFound, "Authorization failed", "The connection no longer exists.")
        }
        if let error = query.get("error") {
            let description = query.get("error_description") ?? ""
            try await api.record(
                connection,
                actor: "provider",
                "oauth.denied",
                ["error": .string(error), "description": .string(description)],
                now: now()
            )
            let said = description.isEmpty ? error : "\(error) (\(description))"
            return Self.page(
                .badRequest,
                "\(provider.name) did not grant access",
                "\(provider.name) answered: \(said). The connection is unchanged; start the authorization again to retry."
            )
        }
        guard let code = query.get("code"), !code.isEmpty else {
            return Self.page(
                .badRequest,
                "Authorization failed",
                "The provider's answer has neither a code nor an error."
            )
        }
        guard let app = try await access.oauthClient(provider.slug) else {
            return Self.page(
                .conflict,
                "Authorization failed",
                "The OAuth app for \(provider.name) was removed meanwhile."
            )
        }
        let grant: OAuthTokenGrant
        do {
            grant = try await access.providers.exchangeCode(
                code,
                codeVerifier: pending.codeVerifier,
                redirectURI: pending.redirectURI,
                connection: connection,
                client: app
            )
        } catch let error as ProviderError {
            try await api.record(
                connection,
                actor: "system",
                "oauth.failed",
                ["error": .string(error.message)],
                now: now()
            )
            return Self.page(
                error.isRetryable ? .badGateway : .badRequest,
                "Authorization failed",
                "\(error.message). Start the authorization again."
            )
        }
        _ = try await access.credentials.withExclusiveAccess(
            connectionID: connection.id,
            tenantID: connection.tenantID
        ) { stored in
            // Tokens from a new grant replace every earlier token, but keep nothing else stale either.
            var fresh = grant.applied(to: CredentialSecrets([:]))
            if fresh["refresh_token"] == nil, let old = stored?["refresh_token"] { fresh["refresh_token"] = old }
            return fresh
        }
        let before = connection
        connection.credentialExpiresAt = grant.expiresAt
        connection = ConnectionsController.accepted(connection)
        connection.updatedAt = now()
        try await api.connections.update(connection)
        try await api.record(
            connection,
            actor: "provider",
            "oauth.granted",
            ["expires_at": isoTime(grant.expiresAt), "scope": grant.scope.map { .string($0) } ?? .null],
            now: now()
        )
        if before.status != connection.status {
            try await api.record(
                connection,
                actor: "system",
                "status.changed",
                ["from": .string(before.status.rawValue), "to": .string(connection.status.rawValue)],
                now: now()
            )
        }
        return Self.page(
            .ok,
            "Connected to \(provider.name)",
            "The connection '\(connection.name)' is authorized (status \(connection.status.rawValue)). You can close this window."
        )
    }

    /// A small HTML page for the person in the browser; the text is escaped.
    static func page(_ status: HTTPResponse.Status, _ title: String, _ message: String) -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>\(escape(title)) · Syncline</title></head>
            <body><h1>\(escape(title))</h1><p>\(escape(message))</p></body></html>
            """
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
