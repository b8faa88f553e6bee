import Foundation
import Hummingbird

/// An emulated OAuth 2.0 authorization server (authorization code with PKCE, rotating refresh tokens,
/// revocation) in front of a small protected API, so Syncline's OAuth connections can be tested end to end
/// without a real provider's account.
///
/// Mount it on any router with `register(on:at:)`, or run it on its own loopback port with `withOAuthSandbox`.
/// `/authorize` approves at once (there is no login page) unless `denyNextAuthorization` scripted a refusal.
/// Copies share state: the request log, codes and tokens. In the request log, a `/token` request carries the
/// form body's `grant_type` as the pseudo-header `x-sandbox-grant-type`; bodies and secrets are never recorded.
public struct OAuthEmulator: Sendable {
    /// The name of the request-log header that holds a `/token` request's `grant_type`.
    public static let grantTypeLogHeader = "x-sandbox-grant-type"
    /// The scope granted when the authorization request names none (RFC 6749 section 3.3).
    public static let defaultScope = "profile contacts.read"

    public let configuration: Configuration
    /// Every request served, with its status.
    public let requestLog: SandboxRequestLog
    let state: OAuthState

    public init(_ configuration: Configuration = .init()) {
        self.configuration = configuration
        self.requestLog = SandboxRequestLog()
        self.state = OAuthState()
    }

    /// Mounts the emulator under `path`: `{path}/authorize`, `{path}/token`, `{path}/revoke`, `{path}/api/me`
    /// and `{path}/api/contacts`.
    public func register(on router: Router<some RequestContext>, at path: String = "/oauth") {
        let group = router.group(RouterPath(path))
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            group.on("**", method: method) { request, context in
                await self.respond(to: request, path: context.parameters.getCatchAll())
            }
        }
    }

    /// Ends every access token issued so far: each now answers 401 `invalid_token`, as after a provider-side
    /// expiry, while refresh tokens keep working. Tokens issued afterwards are unaffected.
    public func expireAccessTokens() {
        state.withValues { $0.book.expireAccessTokens() }
    }

    /// The next authorization request redirects back with `error` (and no code), as when the user clicks "Deny".
    public func denyNextAuthorization(error: String = "access_denied") {
        state.withValues { $0.pendingDenial = error }
    }

    /// Successful `refresh_token` grants so far.
    public var refreshGrantCount: Int {
        state.withValues { $0.book.refreshGrantCount }
    }

    /// Revocation requests that revoked a live token so far: one per request, whether it named an access token
    /// or a refresh token (which takes its whole family along). Revocations by reuse detection do not count.
    public var revokedTokenCount: Int {
        state.withValues { $0.book.revokedTokenCount }
    }

    /// Answers one request below the mount point and records it.
    func respond(to request: Request, path: [Substring]) async -> Response {
        let received = configuration.now()
        let segments = path.map(String.init)
        var grantType: String?
        let response: Response
        switch segments {
        case ["authorize"]:
            response = authorizeResponse(request, at: received)
        case ["token"]:
            let outcome = await tokenResponse(request, at: received)
            response = outcome.response
            grantType = outcome.grantType
        case ["revoke"]:
            response = await revokeResponse(request)
        case _ where segments.first == "api":
            response = apiResponse(request, route: Array(segments.dropFirst()), at: received)
        default:
            response = OAuthError.notFound.response
        }
        requestLog.record(Self.logged(request, grantType: grantType), receivedAt: received, status: response.status)
        return response
    }

    /// The request as the log should see it: with the grant type of a token request added as a pseudo-header.
    private static func logged(_ request: Request, grantType: String?) -> Request {
        guard let grantType else { return request }
        var head = request.head
        head.headerFields.setValue(grantType, forName: grantTypeLogHeader)
        return Request(head: head, body: RequestBody(buffer: ByteBuffer()))
    }
}
