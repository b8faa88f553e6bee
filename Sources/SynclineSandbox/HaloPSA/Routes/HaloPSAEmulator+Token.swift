import Foundation
import Hummingbird

extension HaloPSAEmulator {
    /// `POST /auth/token`: OAuth 2 client credentials, with the client authenticated in the form body or with
    /// HTTP Basic (both are used against HaloPSA in the wild).
    func tokenResponse(_ request: Request) async -> Response {
        guard request.method == .post else { return HaloPSAError.methodNotAllowed.response }
        do {
            return try await issueToken(request)
        } catch let error as HaloPSAError {
            return error.response
        } catch {
            return HaloPSAError.invalidRequest("The request body could not be read").response
        }
    }

    private func issueToken(_ request: Request) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 64 * 1024)
        let form = FormFields(String(buffer: body))
        if let tenant = configuration.tenant, FormFields(request.uri.query)["tenant"] != tenant {
            throw HaloPSAError.invalidRequest("Unknown tenant")
        }
        guard let grant = form.nonEmpty("grant_type") else {
            throw HaloPSAError.invalidRequest("grant_type is required")
        }
        guard grant == "client_credentials" else {
            throw HaloPSAError.unsupportedGrantType("Only the client_credentials grant is supported")
        }
        let basic = Self.basicCredentials(request.headers[.authorization])
        guard let clientID = basic?.id ?? form["client_id"], let secret = basic?.secret ?? form["client_secret"],
            clientID == configuration.clientID, secret == configuration.clientSecret
        else {
            throw HaloPSAError.invalidClient("Client authentication failed")
        }
        let token = Self.newToken()
        let now = SandboxTime.seconds(configuration.now())
        let lifetime = configuration.tokenLifetimeSeconds
        state.withValues { $0.tokens.issue(token, atSecond: now, lifetimeSeconds: lifetime) }
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        headers.setValue("no-cache", forName: "Pragma")
        return HaloPSAResponses.json(
            .object([
                "scope": .string(form.nonEmpty("scope") ?? "all"),
                "token_type": .string("Bearer"),
                "access_token": .string(token),
                "expires_in": .int(lifetime),
            ]),
            headers: headers
        )
    }

    /// The id and secret of a `Basic` header; each is form-encoded inside, per RFC 6749 section 2.3.1.
    static func basicCredentials(_ header: String?) -> (id: String, secret: String)? {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic " else { return nil }
        guard let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
            let decoded = String(data: data, encoding: .utf8),
            let colon = decoded.firstIndex(of: ":")
        else { return nil }
        return (
            FormFields.decode(decoded[..<colon]),
            FormFields.decode(decoded[decoded.index(after: colon)...])
        )
    }

    /// An opaque random token.
    static func newToken() -> String {
        (0..<4).map { _ in
            let hex = String(UInt64.random(in: .min ... .max), radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
