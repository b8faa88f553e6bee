import Foundation
import NIOHTTP1
import SynclineCore

/// The authorization-code side of OAuth 2.0 (RFC 6749 §4.1 with PKCE, RFC 7636; revocation, RFC 7009). The
/// session's credentials hold the operator's `client_id` and `client_secret`, and tokens once granted.
extension ProviderSession {
    private nonisolated func authorizationCodeEndpoints() throws
        -> (authorize: Template, token: Template, scopes: [String], auth: AuthScheme.ClientAuth, revoke: Template?)
    {
        guard case .oauth2(let authorize, let token, let scopes, _, let auth, let revoke) = connection.definition.auth
        else {
            throw ProviderError(.configuration, "\(connection.definition.name) does not use OAuth authorization codes")
        }
        return (authorize, token, scopes, auth, revoke)
    }

    /// The consent-screen URL: `response_type=code`, the client id, redirect URI, scopes, state and the S256
    /// challenge, added to whatever query the provider's URL already has.
    public nonisolated func authorizationURL(redirectURI: String, state: String, codeChallenge: String) throws -> String
    {
        let endpoints = try authorizationCodeEndpoints()
        let base = try connection.render(endpoints.authorize)
        guard var components = URLComponents(string: base) else {
            throw ProviderError(.configuration, "the authorization URL of \(connection.definition.name) is not valid")
        }
        var items = components.queryItems ?? []
        items += [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: connection.credentials["client_id"] ?? ""),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "code_challenge", value: codeChallenge),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        if !endpoints.scopes.isEmpty {
            items.append(URLQueryItem(name: "scope", value: endpoints.scopes.joined(separator: " ")))
        }
        components.queryItems = items
        // `+` is a space in form encoding; URLComponents leaves it, so encode it for providers that decode forms.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.string else {
            throw ProviderError(.configuration, "the authorization URL of \(connection.definition.name) is not valid")
        }
        return url
    }

    /// Trades the code from the callback for tokens.
    public func exchangeCode(_ code: String, codeVerifier: String, redirectURI: String) async throws
        -> OAuthTokenGrant
    {
        try await tokenRequest(
            [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
                ("code_verifier", codeVerifier),
            ],
            purpose: "the authorization code"
        )
    }

    /// Spends a refresh token for a new access token (and, where the provider rotates them, a new refresh token).
    public func refreshGrant(_ refreshToken: String) async throws -> OAuthTokenGrant {
        try await tokenRequest(
            [("grant_type", "refresh_token"), ("refresh_token", refreshToken)],
            purpose: "the refresh token"
        )
    }

    /// Revokes a token at the provider's revocation endpoint; false when it has none.
    public func revoke(_ token: String) async throws -> Bool {
        let endpoints = try authorizationCodeEndpoints()
        guard let template = endpoints.revoke else { return false }
        var form = [("token", token)]
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        addClientAuthentication(endpoints.auth, form: &form, headers: &headers)
        _ = try await send(
            method: .POST,
            url: try connection.render(template),
            headers: headers,
            body: Data(Self.formBody(form).utf8),
            authenticated: false
        )
        return true
    }

    private func addClientAuthentication(
        _ auth: AuthScheme.ClientAuth,
        form: inout [(String, String)],
        headers: inout [(String, String)]
    ) {
        let clientID = connection.credentials["client_id"] ?? ""
        let clientSecret = connection.credentials["client_secret"] ?? ""
        switch auth {
        case .body:
            form += [("client_id", clientID), ("client_secret", clientSecret)]
        case .basic:
            let pair = "\(Self.formEncode(clientID)):\(Self.formEncode(clientSecret))"
            headers.append(("Authorization", "Basic " + Data(pair.utf8).base64EncodedString()))
        }
    }

    private static func formBody(_ form: [(String, String)]) -> String {
        form.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
    }

    /// Posts to the token endpoint. A refusal (400/401: `invalid_grant`, `invalid_client`) is `.unauthorized`
    /// with the provider's words, which callers treat as permanent; transport failures and 5xx stay retryable.
    private func tokenRequest(_ grant: [(String, String)], purpose: String) async throws -> OAuthTokenGrant {
        let endpoints = try authorizationCodeEndpoints()
        var form = grant
        var headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        addClientAuthentication(endpoints.auth, form: &form, headers: &headers)
        let response: ProviderResponse
        do {
            response = try await send(
                method: .POST,
                url: try connection.render(endpoints.token),
                headers: headers,
                body: Data(Self.formBody(form).utf8),
                authenticated: false
            )
        } catch let error as ProviderError where [.unauthorized, .badRequest, .forbidden].contains(error.code) {
            let detail = error.message.split(separator: ":", maxSplits: 1).dropFirst().first.map { ":" + $0 } ?? ""
            throw ProviderError(
                .unauthorized,
                "\(connection.definition.name) refused \(purpose) (\(error.status.map(String.init) ?? "error"))\(detail)",
                status: error.status
            )
        }
        let json = try response.json("the token response")
        guard case .object(let members) = json, let access = members["access_token"]?.stringValue, !access.isEmpty
        else {
            throw ProviderError(.badResponse, "the token response of \(connection.definition.name) has no access_token")
        }
        let lifetime = members["expires_in"]?.scalarText.flatMap { Double($0) }
        return OAuthTokenGrant(
            accessToken: access,
            refreshToken: members["refresh_token"]?.stringValue,
            expiresAt: lifetime.map { client.wallClock().addingTimeInterval($0) },
            scope: members["scope"]?.stringValue
        )
    }
}
