import AsyncHTTPClient
import Foundation
import NIOHTTP1
import SynclineCore

extension ProviderSession {
    /// Whether a 401 can be cured by asking for a new token.
    var canRefresh: Bool {
        switch connection.definition.auth {
        case .oauth2ClientCredentials: true
        case .oauth2: connection.refreshCredentials != nil
        default: false
        }
    }

    /// After a 401: forgets the cached client-credentials token, or refreshes the authorization-code tokens
    /// through the connection's refresher (which re-reads the stored tokens first, so a refresh another worker
    /// just made is used rather than repeated).
    func dropAuthorization() async throws {
        if let refused = token {
            client.tokenCache.evict(try tokenCacheKey(), value: refused.value)
        }
        token = nil
        guard case .oauth2 = connection.definition.auth, let refresh = connection.refreshCredentials else { return }
        grantedCredentials = try await refresh(grantedCredentials["access_token"])
    }

    /// The headers that carry this connection's credentials, removed when a redirect leaves the origin.
    var credentialHeaderNames: [String] {
        if case .apiKey(.header, let name, _, _) = connection.definition.auth {
            return ProviderRedirect.credentialHeaders + [name]
        }
        return ProviderRedirect.credentialHeaders
    }

    /// Adds the connection's credentials to a request as its auth scheme says.
    func authorize(_ request: inout HTTPClientRequest) async throws {
        switch connection.definition.auth {
        case .oauth2ClientCredentials:
            request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(try await currentToken().value)")
        case .oauth2:
            guard let token = grantedCredentials["access_token"] else {
                throw ProviderError(
                    .unauthorized,
                    "the \(connection.definition.name) connection has not been authorized yet"
                )
            }
            request.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(token)")
        case .apiKey(let placement, let name, let prefix, let credential):
            guard let key = connection.credentials[credential], !key.isEmpty else {
                throw ProviderError(
                    .configuration,
                    "the \(connection.definition.name) connection has no '\(credential)'"
                )
            }
            switch placement {
            case .header:
                request.headers.replaceOrAdd(name: name, value: prefix + key)
            case .query:
                guard var components = URLComponents(string: request.url) else { return }
                components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: name, value: prefix + key)]
                request.url = components.string ?? request.url
            }
        case .basic(let usernameField, let passwordField):
            let user = connection.credentials[usernameField] ?? ""
            let password = connection.credentials[passwordField] ?? ""
            request.headers.replaceOrAdd(
                name: "Authorization",
                value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
            )
        }
    }

    /// The cached client-credentials token, renewed shortly before it expires.
    func currentToken() async throws -> AccessToken {
        let margin = client.settings.tokenRenewalMargin
        if let token, token.expiresAt - margin > client.clock.now { return token }
        let key = try tokenCacheKey()
        if let cached = client.tokenCache.token(for: key), cached.expiresAt - margin > client.clock.now {
            token = cached
            return cached
        }
        let fresh = try await fetchToken()
        token = fresh
        client.tokenCache.store(fresh, for: key, now: client.clock.now)
        return fresh
    }

    /// Where this connection's client-credentials token is cached: its token URL and client id and secret.
    func tokenCacheKey() throws -> String {
        guard case .oauth2ClientCredentials(let tokenURL, _, _) = connection.definition.auth else { return "" }
        return ClientTokenCache.key(
            tokenURL: try connection.render(tokenURL),
            clientID: connection.credentials["client_id"] ?? "",
            clientSecret: connection.credentials["client_secret"] ?? ""
        )
    }

    private func fetchToken() async throws -> AccessToken {
        guard
            case .oauth2ClientCredentials(let tokenURLTemplate, let scopeTemplate, let clientAuth) = connection
                .definition.auth
        else {
            throw ProviderError(.configuration, "\(connection.definition.name) does not use client credentials")
        }
        let tokenURL = Self.droppingEmptyQueryItems(try connection.render(tokenURLTemplate))
        let clientID = connection.credentials["client_id"] ?? ""
        let clientSecret = connection.credentials["client_secret"] ?? ""
        var form: [(String, String)] = [("grant_type", "client_credentials")]
        if let scopeTemplate, case let scope = try connection.render(scopeTemplate), !scope.isEmpty {
            form.append(("scope", scope))
        }
        var headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        switch clientAuth {
        case .body:
            form += [("client_id", clientID), ("client_secret", clientSecret)]
        case .basic:
            headers.append(("Authorization", "Basic " + Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()))
        }
        let body = form.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        noteTokenRequest()
        let response: ProviderResponse
        do {
            response = try await send(
                method: .POST,
                url: tokenURL,
                headers: headers,
                body: Data(body.utf8),
                authenticated: false
            )
        } catch let error as ProviderError where [.unauthorized, .badRequest, .forbidden].contains(error.code) {
            throw ProviderError(
                .unauthorized,
                "\(connection.definition.name) refused the client id or secret at its token endpoint "
                    + "(\(error.status.map(String.init) ?? "error")\(error.message.split(separator: ":", maxSplits: 1).dropFirst().first.map { ":" + $0 } ?? ""))",
                status: error.status
            )
        }
        let json = try response.json("the token response")
        guard case .object(let members) = json, let value = members["access_token"]?.stringValue, !value.isEmpty else {
            throw ProviderError(.badResponse, "the token response of \(connection.definition.name) has no access_token")
        }
        let lifetime = members["expires_in"]?.scalarText.flatMap { Double($0) } ?? 3600
        var fields: [String: String] = [:]
        for (key, member) in members where key != "access_token" && key != "refresh_token" {
            if let text = member.scalarText { fields[key] = text }
        }
        return AccessToken(
            value: value,
            expiresAt: client.clock.now + .milliseconds(Int64(lifetime * 1000)),
            fields: fields
        )
    }

    private func noteTokenRequest() { stats.tokenRequests += 1 }

    /// `https://h/auth/token?tenant=` → `https://h/auth/token`: optional query values that are not set vanish.
    static func droppingEmptyQueryItems(_ url: String) -> String {
        guard var components = URLComponents(string: url), let items = components.queryItems else { return url }
        let kept = items.filter { !($0.value ?? "").isEmpty }
        components.queryItems = kept.isEmpty ? nil : kept
        return components.string ?? url
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
