import Foundation

/// The operator's OAuth app at a provider (client id and secret): needed to send tenants to an
/// authorization-code provider's consent screen and to exchange and refresh their tokens.
public struct OAuthClientCredentials: Sendable, Hashable {
    public var clientID: String
    public var clientSecret: String

    public init(clientID: String, clientSecret: String) {
        self.clientID = clientID
        self.clientSecret = clientSecret
    }
}

extension OAuthClientCredentials: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "OAuthClientCredentials(client_id: \(clientID), client_secret: <redacted>)" }
    public var debugDescription: String { description }
}

/// Tokens a provider's token endpoint granted. The refresh token is nil when the provider kept the old one.
public struct OAuthTokenGrant: Sendable {
    public var accessToken: String
    public var refreshToken: String?
    public var expiresAt: Date?
    public var scope: String?

    public init(accessToken: String, refreshToken: String?, expiresAt: Date?, scope: String?) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.scope = scope
    }

    /// The stored credential after this grant: new tokens over the old ones, a rotated refresh token replacing
    /// the spent one, and the expiry in `expires_at` (Unix seconds) so a refresher can read it back.
    public func applied(to old: CredentialSecrets) -> CredentialSecrets {
        var secrets = old
        secrets["access_token"] = accessToken
        if let refreshToken { secrets["refresh_token"] = refreshToken }
        secrets["expires_at"] = expiresAt.map { String(Int64($0.timeIntervalSince1970)) }
        if let scope { secrets["scope"] = scope }
        return secrets
    }
}

extension OAuthTokenGrant: CustomStringConvertible {
    public var description: String { "OAuthTokenGrant(expires_at: \(expiresAt.map { "\($0)" } ?? "none"))" }
}

/// A started authorization: the signed state to send and the PKCE verifier kept for the callback.
public struct OAuthAuthorization: Sendable {
    public var state: String
    public var codeVerifier: String
    public var expiresAt: Date

    public init(state: String, codeVerifier: String, expiresAt: Date) {
        self.state = state
        self.codeVerifier = codeVerifier
        self.expiresAt = expiresAt
    }
}

/// What a valid callback state stood for.
public struct OAuthPendingGrant: Sendable, Hashable {
    public var tenantID: String
    public var connectionID: String
    public var codeVerifier: String
    public var redirectURI: String

    public init(tenantID: String, connectionID: String, codeVerifier: String, redirectURI: String) {
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.codeVerifier = codeVerifier
        self.redirectURI = redirectURI
    }
}

/// Why a callback's state was refused; each is a CSRF or replay signal, answered plainly.
public enum OAuthStateRejection: String, Error, Sendable, Hashable {
    /// Not made by this server, or altered.
    case forged
    case expired
    /// Already spent by an earlier callback.
    case reused

    public var message: String {
        switch self {
        case .forged: "the state parameter was not issued by this server or was altered"
        case .expired: "the authorization took longer than 10 minutes; start it again"
        case .reused: "this authorization response was already used; start the authorization again"
        }
    }
}
