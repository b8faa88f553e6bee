import Foundation
import Hummingbird

extension OAuthEmulator {
    /// The largest form body the token and revocation endpoints read.
    static let maximumFormBytes = 64 * 1024

    /// `POST /token`: the `authorization_code` and `refresh_token` grants for the one registered client.
    /// Returns the request's `grant_type` too, for the request log.
    func tokenResponse(_ request: Request, at now: Date) async -> (response: Response, grantType: String?) {
        var form: OAuthParameters?
        var response: Response
        do throws(OAuthError) {
            let parameters = try await Self.form(of: request)
            form = parameters
            let clientID = try authenticateClient(request, parameters)
            let grant: OAuthGrantBook.TokenGrant
            switch try parameters.required("grant_type") {
            case "authorization_code": grant = try redeemCode(parameters, clientID: clientID, at: now)
            case "refresh_token": grant = try refresh(parameters, clientID: clientID, at: now)
            default:
                throw OAuthError.unsupportedGrantType(
                    "Only the authorization_code and refresh_token grants are supported"
                )
            }
            response = OAuthResponses.json(
                .object([
                    "access_token": .string(grant.accessToken),
                    "token_type": .string("Bearer"),
                    "expires_in": .int(Int(configuration.accessTokenLifetime.components.seconds)),
                    "refresh_token": .string(grant.refreshToken),
                    "scope": .string(grant.scope),
                ])
            )
        } catch {
            response = error.response
        }
        response.headers[.cacheControl] = "no-store"
        response.headers.setValue("no-cache", forName: "Pragma")
        return (response, form.flatMap { try? $0.value("grant_type") })
    }

    /// `POST /revoke` (RFC 7009): `200` for any token once the client is authenticated, known or not.
    func revokeResponse(_ request: Request) async -> Response {
        do throws(OAuthError) {
            let form = try await Self.form(of: request)
            let clientID = try authenticateClient(request, form)
            let token = try form.required("token")
            // token_type_hint only speeds up a lookup (section 2.1); both kinds are searched whatever it says.
            _ = try form.value("token_type_hint")
            state.withValues { $0.book.revoke(token, clientID: clientID) }
            return Response(status: .ok)
        } catch {
            return error.response
        }
    }

    private func redeemCode(
        _ form: OAuthParameters,
        clientID: String,
        at now: Date
    ) throws(OAuthError) -> OAuthGrantBook.TokenGrant {
        let code = try form.required("code")
        let redirectURI = try form.required("redirect_uri")
        let verifier = try form.required("code_verifier")
        guard OAuthPKCE.isWellFormedVerifier(verifier) else {
            throw .invalidRequest("code_verifier must be 43 to 128 unreserved characters")
        }
        let minted = Self.mintTokens()
        let lifetime = configuration.accessTokenSeconds
        return try state.withValues { values throws(OAuthError) in
            try values.book.redeemCode(
                code,
                clientID: clientID,
                redirectURI: redirectURI,
                codeVerifier: verifier,
                at: now,
                lifetime: lifetime,
                minting: minted
            )
        }
    }

    private func refresh(
        _ form: OAuthParameters,
        clientID: String,
        at now: Date
    ) throws(OAuthError) -> OAuthGrantBook.TokenGrant {
        let token = try form.required("refresh_token")
        let scope = try form.value("scope")
        let minted = Self.mintTokens()
        let lifetime = configuration.accessTokenSeconds
        return try state.withValues { values throws(OAuthError) in
            try values.book.refresh(
                token,
                clientID: clientID,
                scope: scope,
                at: now,
                lifetime: lifetime,
                minting: minted
            )
        }
    }

    /// Client authentication (RFC 6749 section 2.3.1): HTTP Basic, or `client_id` and `client_secret` in the
    /// body, but not both at once. Returns the authenticated client's id.
    private func authenticateClient(_ request: Request, _ form: OAuthParameters) throws(OAuthError) -> String {
        let bodyID = try form.value("client_id")
        let bodySecret = try form.value("client_secret")
        if let header = request.headers[.authorization], header.lowercased().hasPrefix("basic ") {
            guard bodySecret == nil else {
                throw .invalidRequest("Use one client authentication method: HTTP Basic or the form body, not both")
            }
            guard let basic = Self.basicCredentials(header), bodyID == nil || bodyID == basic.id,
                isRegisteredClient(id: basic.id, secret: basic.secret)
            else {
                throw .invalidClient(sentBasic: true, "Client authentication failed")
            }
            return basic.id
        }
        guard let bodyID, let bodySecret, isRegisteredClient(id: bodyID, secret: bodySecret) else {
            throw .invalidClient(sentBasic: false, "Client authentication failed")
        }
        return bodyID
    }

    private func isRegisteredClient(id: String, secret: String) -> Bool {
        Self.constantTimeEquals(id, configuration.clientID)
            && Self.constantTimeEquals(secret, configuration.clientSecret)
    }

    /// The form body of a POST; `invalid_request` for any other method's or content type's body.
    private static func form(of request: Request) async throws(OAuthError) -> OAuthParameters {
        guard request.method == .post else { throw .methodNotAllowed }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw .invalidRequest("The body must be application/x-www-form-urlencoded")
        }
        var request = request
        guard let body = try? await request.collectBody(upTo: maximumFormBytes) else {
            throw .invalidRequest("The request body could not be read")
        }
        return OAuthParameters(String(buffer: body))
    }

    /// The id and secret of a `Basic` header; each is form-encoded inside (RFC 6749 section 2.3.1).
    private static func basicCredentials(_ header: String) -> (id: String, secret: String)? {
        let encoded = header.dropFirst("basic ".count).trimmingCharacters(in: .whitespaces)
        guard let data = Data(base64Encoded: encoded), let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":")
        else { return nil }
        return (
            FormFields.decode(decoded[..<colon]),
            FormFields.decode(decoded[decoded.index(after: colon)...])
        )
    }

    /// Compares every byte whatever the first difference, so a secret cannot be guessed from response times.
    private static func constantTimeEquals(_ left: String, _ right: String) -> Bool {
        let leftBytes = Array(left.utf8)
        let rightBytes = Array(right.utf8)
        var difference = UInt8(truncatingIfNeeded: leftBytes.count ^ rightBytes.count)
        for index in 0..<max(leftBytes.count, rightBytes.count) {
            let leftByte = index < leftBytes.count ? leftBytes[index] : 0
            let rightByte = index < rightBytes.count ? rightBytes[index] : 0
            difference |= leftByte ^ rightByte
        }
        return difference == 0 && leftBytes.count == rightBytes.count
    }

    private static func mintTokens() -> OAuthGrantBook.MintedTokens {
        OAuthGrantBook.MintedTokens(
            accessToken: "at_" + OAuthPKCE.randomSecret(),
            refreshToken: "rt_" + OAuthPKCE.randomSecret()
        )
    }
}
