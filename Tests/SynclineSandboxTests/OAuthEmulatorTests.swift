import Foundation
import Hummingbird
import HummingbirdTesting
import SynclineSandbox
import Testing

@Suite("OAuth emulator: authorization code with PKCE, refresh rotation, revocation, protected API")
struct OAuthEmulatorTests {
    @Test("the code flow with PKCE redirects with a code and the state, and the token it buys opens the API")
    func codeFlowWithPKCE() async throws {
        try await withOAuth { _, client in
            let authorization = try await client.authorize(state: "xyz-state")
            #expect(authorization.status == .found)
            let location = try #require(authorization.headers[.location])
            #expect(location.hasPrefix(callback + "?code="))
            #expect(queryValue("state", in: location) == "xyz-state")
            let code = try #require(queryValue("code", in: location))

            let response = try await client.exchange(code)
            #expect(response.status == .ok)
            #expect(response.headers[.cacheControl] == "no-store")
            let body = try json(response)
            #expect(body["token_type"] == .string("Bearer"))
            #expect(body["expires_in"] == .int(3600))
            #expect(body["scope"] == .string("contacts.read"))
            #expect(body["refresh_token"]?.string?.isEmpty == false)
            let access = try #require(body["access_token"]?.string)

            let me = try await client.api("/me", token: access)
            #expect(me.status == .ok)
            let user = try json(me)
            #expect(user["id"] == .string("user-1"))
            #expect(user["email"] == .string("sandbox.user@example.com"))
            #expect(user["name"] == .string("Sandbox User"))
        }
    }

    @Test("credentials in the form body work, a redirect_uri with a query gets &code=, a 128-character verifier passes")
    func bodyCredentialsAndLongVerifier() async throws {
        try await withOAuth { _, client in
            let redirect = "https://app.example.com/oauth/callback?connection=42"
            let authorization = try await client.authorize(challenge: longChallenge, redirectURI: redirect)
            let location = try #require(authorization.headers[.location])
            #expect(location.hasPrefix(redirect + "&code="))
            let code = try #require(queryValue("code", in: location))

            let response = try await client.token(
                [
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect),
                    ("code_verifier", longVerifier), ("client_id", sandboxClientID), ("client_secret", sandboxSecret),
                ],
                basic: nil
            )
            #expect(response.status == .ok)
            #expect(try json(response)["access_token"]?.string != nil)
        }
    }

    @Test("a code_verifier that does not hash to the code_challenge is rejected with invalid_grant")
    func wrongVerifier() async throws {
        try await withOAuth { _, client in
            let code = try await client.code()
            let response = try await client.exchange(code, verifier: longVerifier)
            #expect(response.status == .badRequest)
            let body = try json(response)
            #expect(body["error"] == .string("invalid_grant"))
            #expect(body["error_description"]?.string?.contains("code_verifier") == true)
            #expect(body["access_token"] == nil)
        }
    }

    @Test("a code is single-use: the second exchange is invalid_grant and revokes the tokens of the first")
    func codeReuse() async throws {
        try await withOAuth { _, client in
            let code = try await client.code()
            let first = try await client.exchange(code)
            try #require(first.status == .ok)
            let access = try #require(try json(first)["access_token"]?.string)
            let refresh = try #require(try json(first)["refresh_token"]?.string)
            #expect(try await client.api("/me", token: access).status == .ok)

            let second = try await client.exchange(code)
            #expect(second.status == .badRequest)
            let body = try json(second)
            #expect(body["error"] == .string("invalid_grant"))
            #expect(body["error_description"]?.string?.contains("already used") == true)
            #expect(try await client.api("/me", token: access).status == .unauthorized)
            #expect(try await client.refresh(refresh).status == .badRequest)
        }
    }

    @Test("a redirect_uri other than the authorization request's is rejected with invalid_grant")
    func wrongRedirectURI() async throws {
        try await withOAuth { _, client in
            let code = try await client.code()
            let response = try await client.exchange(code, redirectURI: "http://127.0.0.1:9/elsewhere")
            #expect(response.status == .badRequest)
            let body = try json(response)
            #expect(body["error"] == .string("invalid_grant"))
            #expect(body["error_description"]?.string?.contains("redirect_uri") == true)
        }
    }

    @Test("a wrong or missing client secret answers 401 invalid_client and does not spend the code")
    func badClientSecret() async throws {
        try await withOAuth { _, client in
            let code = try await client.code()
            let exchange: [(String, String)] = [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", callback),
                ("code_verifier", rfcVerifier),
            ]
            let basic = try await client.token(exchange, basic: (sandboxClientID, "wrong"))
            #expect(basic.status == .unauthorized)
            #expect(try json(basic)["error"] == .string("invalid_client"))
            #expect(basic.headers[.wwwAuthenticate]?.hasPrefix("Basic") == true)

            let inBody = try await client.token(
                exchange + [("client_id", sandboxClientID), ("client_secret", "wrong")],
                basic: nil
            )
            #expect(inBody.status == .unauthorized)
            #expect(try json(inBody)["error"] == .string("invalid_client"))

            let anonymous = try await client.token(exchange, basic: nil)
            #expect(anonymous.status == .unauthorized)
            #expect(try json(anonymous)["error"] == .string("invalid_client"))

            #expect(try await client.token(exchange).status == .ok)
        }
    }

    @Test("refresh rotates both tokens; the spent refresh token is refused and its reuse revokes the whole family")
    func refreshRotation() async throws {
        try await withOAuth { emulator, client in
            let first = try await client.tokens()
            let rotated = try await client.refresh(first.refresh)
            #expect(rotated.status == .ok)
            #expect(rotated.headers[.cacheControl] == "no-store")
            let body = try json(rotated)
            let access = try #require(body["access_token"]?.string)
            let refresh = try #require(body["refresh_token"]?.string)
            #expect(access != first.access)
            #expect(refresh != first.refresh)
            #expect(body["scope"] == .string("contacts.read"))
            #expect(emulator.refreshGrantCount == 1)
            #expect(try await client.api("/me", token: access).status == .ok)

            let reuse = try await client.refresh(first.refresh)
            #expect(reuse.status == .badRequest)
            #expect(try json(reuse)["error"] == .string("invalid_grant"))
            #expect(try await client.api("/me", token: access).status == .unauthorized)
            #expect(try await client.api("/me", token: first.access).status == .unauthorized)
            let descendant = try await client.refresh(refresh)
            #expect(descendant.status == .badRequest)
            #expect(try json(descendant)["error"] == .string("invalid_grant"))
            #expect(emulator.refreshGrantCount == 1)
        }
    }

    @Test("an access token answers 401 invalid_token once its lifetime has passed on the injected clock")
    func accessTokenExpiresByClock() async throws {
        let clock = TestClock()
        try await withOAuth(.init(accessTokenLifetime: .seconds(600), now: clock.function)) { _, client in
            let code = try await client.code()
            let response = try await client.exchange(code)
            #expect(try json(response)["expires_in"] == .int(600))
            let tokens = try tokenPair(response)
            clock.advance(seconds: 599)
            #expect(try await client.api("/me", token: tokens.access).status == .ok)
            clock.advance(seconds: 1)
            let expired = try await client.api("/me", token: tokens.access)
            #expect(expired.status == .unauthorized)
            #expect(expired.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
            #expect(try json(expired)["error"] == .string("invalid_token"))

            let renewed = try tokenPair(try await client.refresh(tokens.refresh))
            #expect(try await client.api("/me", token: renewed.access).status == .ok)
        }
    }

    @Test("an authorization code cannot be redeemed once ten minutes have passed")
    func codeExpires() async throws {
        let clock = TestClock()
        try await withOAuth(.init(now: clock.function)) { _, client in
            let early = try await client.code()
            let late = try await client.code()
            clock.advance(seconds: 599)
            #expect(try await client.exchange(early).status == .ok)
            clock.advance(seconds: 1)
            let response = try await client.exchange(late)
            #expect(response.status == .badRequest)
            #expect(try json(response)["error"] == .string("invalid_grant"))
            #expect(try json(response)["error_description"]?.string?.contains("expired") == true)
        }
    }

    @Test("expireAccessTokens makes every token issued so far answer 401; refreshing gives one that works")
    func expireAccessTokens() async throws {
        try await withOAuth { emulator, client in
            let first = try await client.tokens()
            let second = try await client.tokens()
            #expect(try await client.api("/me", token: first.access).status == .ok)
            emulator.expireAccessTokens()
            let expired = try await client.api("/me", token: first.access)
            #expect(expired.status == .unauthorized)
            #expect(expired.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
            #expect(try await client.api("/me", token: second.access).status == .unauthorized)

            let renewed = try tokenPair(try await client.refresh(first.refresh))
            #expect(try await client.api("/me", token: renewed.access).status == .ok)
        }
    }

    @Test("denyNextAuthorization redirects once with error=access_denied, its description and the state")
    func denyNextAuthorization() async throws {
        try await withOAuth { emulator, client in
            emulator.denyNextAuthorization()
            let denied = try await client.authorize(state: "s-123")
            #expect(denied.status == .found)
            let location = try #require(denied.headers[.location])
            #expect(
                location == callback + "?error=access_denied&error_description=The+user+denied+access&state=s-123"
            )

            let approved = try #require(try await client.authorize(state: "s-124").headers[.location])
            #expect(queryValue("code", in: approved) != nil)
            #expect(queryValue("error", in: approved) == nil)

            emulator.denyNextAuthorization(error: "temporarily_unavailable")
            let unavailable = try #require(try await client.authorize().headers[.location])
            #expect(queryValue("error", in: unavailable) == "temporarily_unavailable")
        }
    }

    @Test("revoking an access token makes it answer 401, a refresh token ends its family, unknown tokens get 200")
    func revoke() async throws {
        try await withOAuth { emulator, client in
            let first = try await client.tokens()
            let revoked = try await client.revoke(first.access)
            #expect(revoked.status == .ok)
            #expect(try await client.api("/me", token: first.access).status == .unauthorized)
            #expect(emulator.revokedTokenCount == 1)

            #expect(try await client.revoke("never-issued").status == .ok)
            #expect(emulator.revokedTokenCount == 1)

            let second = try await client.tokens()
            #expect(try await client.revoke(second.refresh).status == .ok)
            #expect(emulator.revokedTokenCount == 2)
            #expect(try await client.api("/me", token: second.access).status == .unauthorized)
            #expect(try await client.refresh(second.refresh).status == .badRequest)

            let wrongClient = try await client.revoke(first.refresh, secret: "wrong")
            #expect(wrongClient.status == .unauthorized)
            #expect(try await client.refresh(first.refresh).status == .ok)
        }
    }

    @Test("an unknown client or an unregistered redirect_uri answers 400 without redirecting")
    func authorizeRefusesWithoutRedirect() async throws {
        try await withOAuth(.init(redirectURIs: [callback])) { _, client in
            let unknownClient = try await client.authorize(clientID: "someone-else")
            #expect(unknownClient.status == .badRequest)
            #expect(unknownClient.headers[.location] == nil)
            #expect(try json(unknownClient)["error_description"]?.string?.contains("client_id") == true)

            let unregistered = try await client.authorize(redirectURI: "https://attacker.example/callback")
            #expect(unregistered.status == .badRequest)
            #expect(unregistered.headers[.location] == nil)
            #expect(try json(unregistered)["error_description"]?.string?.contains("redirect_uri") == true)

            #expect(try await client.authorize().status == .found)
        }
    }

    @Test("with no registered redirect URIs, any absolute http(s) URI is accepted and anything else answers 400")
    func authorizeAcceptsAnyHTTPRedirect() async throws {
        try await withOAuth { _, client in
            #expect(try await client.authorize(redirectURI: "https://anywhere.example/cb").status == .found)
            for refused in ["javascript:alert(1)", "/relative/callback", "http://127.0.0.1:9/cb#fragment"] {
                let response = try await client.authorize(redirectURI: refused)
                #expect(response.status == .badRequest, "\(refused)")
                #expect(response.headers[.location] == nil, "\(refused)")
            }
        }
    }

    @Test("a missing PKCE challenge, a plain method or response_type=token redirect back with the error")
    func authorizeRedirectsErrors() async throws {
        try await withOAuth { _, client in
            let noChallenge = try #require(try await client.authorize(challenge: nil, state: "a").headers[.location])
            #expect(queryValue("error", in: noChallenge) == "invalid_request")
            #expect(queryValue("state", in: noChallenge) == "a")
            #expect(queryValue("code", in: noChallenge) == nil)

            let plain = try #require(try await client.authorize(method: "plain").headers[.location])
            #expect(queryValue("error", in: plain) == "invalid_request")
            #expect(queryValue("code", in: plain) == nil)

            let implicit = try #require(try await client.authorize(responseType: "token").headers[.location])
            #expect(queryValue("error", in: implicit) == "unsupported_response_type")
            #expect(queryValue("code", in: implicit) == nil)
        }
    }

    @Test("a missing or unknown bearer token answers 401 with a Bearer challenge and a JSON error")
    func apiRequiresBearerToken() async throws {
        try await withOAuth { _, client in
            let missing = try await client.api("/contacts", token: nil)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(try json(missing)["error"]?.string != nil)

            let unknown = try await client.api("/contacts", token: "at_made-up")
            #expect(unknown.status == .unauthorized)
            #expect(unknown.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
            #expect(try json(unknown)["error"] == .string("invalid_token"))
        }
    }

    @Test("grant types other than authorization_code and refresh_token answer 400 unsupported_grant_type")
    func unsupportedGrantType() async throws {
        try await withOAuth { _, client in
            let response = try await client.token([("grant_type", "client_credentials")])
            #expect(response.status == .badRequest)
            #expect(try json(response)["error"] == .string("unsupported_grant_type"))
        }
    }

    @Test("contacts page from 1 with per_page, report the total, and has_more is false on the last page")
    func contactsPagination() async throws {
        try await withOAuth(.init(contacts: 25)) { _, client in
            let token = try await client.tokens().access
            var ids: [String] = []
            var hasMore: [Bool] = []
            for page in 1...3 {
                let body = try json(try await client.api("/contacts?page=\(page)&per_page=10", token: token))
                #expect(body["page"] == .int(page))
                #expect(body["per_page"] == .int(10))
                #expect(body["total"] == .int(25))
                let more = body["has_more"]?.bool
                hasMore.append(try #require(more as Bool?))
                ids += (body["data"]?.array ?? []).compactMap { $0["id"]?.string }
            }
            #expect(hasMore == [true, true, false])
            #expect(ids == (1...25).map { "c-\($0)" })

            let exact = try json(try await client.api("/contacts?page=5&per_page=5", token: token))
            #expect(exact["data"]?.array?.count == 5)
            #expect(exact["has_more"] == .bool(false))
            let beyond = try json(try await client.api("/contacts?page=4&per_page=10", token: token))
            #expect(beyond["data"]?.array?.isEmpty == true)
            #expect(beyond["has_more"] == .bool(false))

            let whole = try json(try await client.api("/contacts", token: token))
            #expect(whole["per_page"] == .int(100))
            #expect(whole["data"]?.array?.count == 25)
            #expect(whole["has_more"] == .bool(false))
            let capped = try json(try await client.api("/contacts?per_page=1000", token: token))
            #expect(capped["per_page"] == .int(500))
            #expect(try await client.api("/contacts?page=0", token: token).status == .badRequest)

            let contact = try #require(whole["data"]?.array?.first)
            #expect(contact.keys == ["id", "name", "email", "updated_at"])
            #expect(contact["email"]?.string?.hasSuffix("@example.com") == true)
            let updated = try #require(contact["updated_at"]?.string)
            #expect(ISO8601DateFormatter().date(from: updated) != nil)
        }
        let again = try await withOAuth(.init(contacts: 25)) { _, client in
            let token = try await client.tokens().access
            return try json(try await client.api("/contacts", token: token))
        }
        let first = try await withOAuth(.init(contacts: 25)) { _, client in
            let token = try await client.tokens().access
            return try json(try await client.api("/contacts", token: token))
        }
        #expect(again == first)
    }

    @Test("the request log records method, path, status and the grant type, and never a secret or token")
    func requestLog() async throws {
        try await withOAuth { emulator, client in
            let tokens = try await client.tokens()
            _ = try await client.refresh(tokens.refresh)
            _ = try await client.api("/me", token: tokens.access)

            let log = emulator.requestLog.all
            #expect(log.map(\.method) == ["GET", "POST", "POST", "GET"])
            #expect(log.map(\.path) == ["/oauth/authorize", "/oauth/token", "/oauth/token", "/oauth/api/me"])
            #expect(log.map(\.status) == [302, 200, 200, 200])
            let grantTypes = log.map { $0.headers[OAuthEmulator.grantTypeLogHeader] }
            #expect(grantTypes == [nil, "authorization_code", "refresh_token", nil])
            #expect(log[1].headers["authorization"] == "Basic [redacted]")
            #expect(log[3].headers["authorization"] == "Bearer [redacted]")
            let recorded = log.flatMap { [$0.path, $0.query ?? ""] + Array($0.headers.values) }
            for secret in [sandboxSecret, tokens.access, tokens.refresh, rfcVerifier] {
                #expect(!recorded.contains { $0.contains(secret) })
            }
        }
    }
}

// MARK: - Support

/// RFC 7636 Appendix B's example pair, so the emulator's S256 is checked against the RFC rather than itself.
private let rfcVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
private let rfcChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
/// A 128-character verifier (its digest spans two SHA-256 blocks) and its challenge, from Python's hashlib.
private let longVerifier = String(
    String(repeating: "abcdefghijklmnopqrstuvwxyz0123456789-._~ABCDEFGHIJKLMNOPQRSTUVWXYZ", count: 2).prefix(128)
)
private let longChallenge = "r0W3j0eBFgmnCIsVTryzFvOwmcULCA0U_RpELvG4BMo"
private let callback = "http://127.0.0.1:9/callback"
private let sandboxClientID = "sandbox-oauth-client"
private let sandboxSecret = "sandbox-oauth-secret"

/// Runs `test` against an OAuth sandbox on a loopback port, through a raw HTTP client that follows no redirect.
private func withOAuth<Result: Sendable>(
    _ configuration: OAuthEmulator.Configuration = .init(),
    _ test: @escaping @Sendable (OAuthEmulator, OAuthTestClient) async throws -> Result
) async throws -> Result {
    try await withOAuthSandbox(configuration) { sandbox in
        try await TestClient.withClient(host: sandbox.host, port: sandbox.port) { client in
            try await test(sandbox.emulator, OAuthTestClient(http: client))
        }
    }
}

/// The requests an OAuth client makes, with the defaults of a well-behaved one.
private struct OAuthTestClient: Sendable {
    let http: TestClient

    func authorize(
        clientID: String = sandboxClientID,
        challenge: String? = rfcChallenge,
        method: String? = "S256",
        redirectURI: String = callback,
        state: String? = "state-1",
        responseType: String = "code"
    ) async throws -> TestClient.Response {
        var pairs = [("response_type", responseType), ("client_id", clientID), ("redirect_uri", redirectURI)]
        pairs.append(("scope", "contacts.read"))
        if let state { pairs.append(("state", state)) }
        if let challenge { pairs.append(("code_challenge", challenge)) }
        if let method { pairs.append(("code_challenge_method", method)) }
        return try await http.get("/oauth/authorize?" + formEncoded(pairs))
    }

    /// A code from an approved authorization request.
    func code(challenge: String = rfcChallenge) async throws -> String {
        let response = try await authorize(challenge: challenge)
        try #require(response.status == .found)
        let location = try #require(response.headers[.location])
        return try #require(queryValue("code", in: location))
    }

    func token(
        _ pairs: [(String, String)],
        basic: (id: String, secret: String)? = (sandboxClientID, sandboxSecret)
    ) async throws -> TestClient.Response {
        var headers = HTTPFields.form
        if let basic {
            headers[.authorization] = "Basic " + Data("\(basic.id):\(basic.secret)".utf8).base64EncodedString()
        }
        return try await http.post("/oauth/token", headers: headers, body: ByteBuffer(string: formEncoded(pairs)))
    }

    func exchange(
        _ code: String,
        verifier: String = rfcVerifier,
        redirectURI: String = callback
    ) async throws -> TestClient.Response {
        try await token([
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("code_verifier", verifier),
        ])
    }

    func refresh(_ token: String) async throws -> TestClient.Response {
        try await self.token([("grant_type", "refresh_token"), ("refresh_token", token)])
    }

    /// A fresh token pair from the whole code flow.
    func tokens() async throws -> (access: String, refresh: String) {
        try tokenPair(try await exchange(try await code()))
    }

    func revoke(_ token: String, secret: String = sandboxSecret) async throws -> TestClient.Response {
        var headers = HTTPFields.form
        headers[.authorization] = "Basic " + Data("\(sandboxClientID):\(secret)".utf8).base64EncodedString()
        let body = formEncoded([("token", token), ("token_type_hint", "access_token")])
        return try await http.post("/oauth/revoke", headers: headers, body: ByteBuffer(string: body))
    }

    func api(_ path: String, token: String?) async throws -> TestClient.Response {
        try await http.get("/oauth/api" + path, headers: token.map { .bearer($0) } ?? [:])
    }
}

private func json(_ response: TestClient.Response) throws -> TestJSON {
    try TestJSON.parse(try #require(response.body))
}

/// The access and refresh token of a successful token response.
private func tokenPair(_ response: TestClient.Response) throws -> (access: String, refresh: String) {
    try #require(response.status == .ok)
    let body = try json(response)
    return (try #require(body["access_token"]?.string), try #require(body["refresh_token"]?.string))
}

private func queryValue(_ name: String, in location: String) -> String? {
    URLComponents(string: location)?.queryItems?.first { $0.name == name }?.value
}

private func formEncoded(_ pairs: [(String, String)]) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return pairs.map { name, value in
        "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
    }.joined(separator: "&")
}
