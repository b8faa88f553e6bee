import Foundation
import Hummingbird

extension OAuthEmulator {
    /// `GET /authorize`: approves at once and redirects back with a code. A request that names an unknown client
    /// or a redirect URI not allowed is answered `400` here and never redirected (RFC 6749 section 4.1.2.1); any
    /// other fault, or a scripted denial, is redirected back as `?error=...&error_description=...&state=...`.
    func authorizeResponse(_ request: Request, at now: Date) -> Response {
        guard request.method == .get else { return OAuthError.methodNotAllowed.response }
        let query = OAuthParameters(request.uri.query)
        let redirectURI: String
        do throws(OAuthError) {
            redirectURI = try checkedRedirectURI(query)
        } catch {
            return error.response
        }
        // A repeated `state` cannot be echoed faithfully; the resulting `invalid_request` goes back without one.
        let clientState = try? query.value("state")
        do throws(OAuthError) {
            let grant = try codeGrant(query, redirectURI: redirectURI)
            let code = OAuthPKCE.randomSecret()
            let denial = state.withValues { values -> String? in
                if let denial = values.pendingDenial {
                    values.pendingDenial = nil
                    return denial
                }
                values.book.issueCode(code, for: grant, at: now)
                return nil
            }
            if let denial {
                let text = denial == "access_denied" ? "The user denied access" : "The authorization was refused"
                throw OAuthError.refused(error: denial, text)
            }
            return OAuthResponses.redirect(to: redirectURI, ["code": code, "state": clientState])
        } catch {
            return OAuthResponses.redirect(
                to: redirectURI,
                ["error": error.errorCode, "error_description": error.description, "state": clientState]
            )
        }
    }

    /// The client and the redirect URI, the two things that must be right before the user agent can be sent back.
    private func checkedRedirectURI(_ query: OAuthParameters) throws(OAuthError) -> String {
        guard let clientID = try query.value("client_id") else { throw .invalidRequest("client_id is required") }
        guard clientID == configuration.clientID else { throw .invalidRequest("client_id names no registered client") }
        guard let redirectURI = try query.value("redirect_uri") else {
            throw .invalidRequest("redirect_uri is required")
        }
        if configuration.redirectURIs.isEmpty {
            guard Self.isAbsoluteHTTPURI(redirectURI) else {
                throw .invalidRequest("redirect_uri must be an absolute http(s) URI without a fragment")
            }
        } else {
            guard configuration.redirectURIs.contains(redirectURI) else {
                throw .invalidRequest("redirect_uri is not registered for this client")
            }
        }
        return redirectURI
    }

    /// The rest of the request: `response_type=code`, an `S256` PKCE challenge, and the scope.
    private func codeGrant(_ query: OAuthParameters, redirectURI: String) throws(OAuthError) -> OAuthGrantBook.CodeGrant
    {
        let responseType = try query.required("response_type")
        guard responseType == "code" else {
            throw .unsupportedResponseType("Only response_type=code is supported")
        }
        guard let challenge = try query.value("code_challenge") else {
            throw .invalidRequest("code_challenge is required (PKCE)")
        }
        guard try query.value("code_challenge_method") == "S256" else {
            throw .invalidRequest("code_challenge_method must be S256")
        }
        guard OAuthPKCE.isWellFormedChallenge(challenge) else {
            throw .invalidRequest("code_challenge must be 43 base64url characters (SHA-256 of the verifier)")
        }
        return OAuthGrantBook.CodeGrant(
            clientID: configuration.clientID,
            redirectURI: redirectURI,
            codeChallenge: challenge,
            scope: try query.value("scope") ?? Self.defaultScope
        )
    }

    /// An absolute `http` or `https` URI with a host and no fragment (RFC 6749 section 3.1.2).
    static func isAbsoluteHTTPURI(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return components.fragment == nil
    }
}
