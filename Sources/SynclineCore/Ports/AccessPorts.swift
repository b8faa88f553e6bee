import Foundation

/// The operator's per-provider settings: hidden from tenants or not, and the OAuth app credentials
/// (the secret encrypted like any credential).
public protocol ProviderSettingsStore: Sendable {
    func all() async throws -> [ProviderSettings]
    func setHidden(_ hidden: Bool, slug: String) async throws
    /// Registers (or with nil, forgets) the operator's OAuth app at a provider.
    func setOAuthClient(_ client: OAuthClientCredentials?, slug: String) async throws
    func oauthClient(slug: String) async throws -> OAuthClientCredentials?
}

/// What the operator set for one provider; never the client secret itself.
public struct ProviderSettings: Sendable, Hashable {
    public var slug: String
    public var hidden: Bool
    public var oauthClientID: String?
    public var updatedAt: Date

    public init(slug: String, hidden: Bool, oauthClientID: String?, updatedAt: Date) {
        self.slug = slug
        self.hidden = hidden
        self.oauthClientID = oauthClientID
        self.updatedAt = updatedAt
    }
}

/// OAuth `state` values: signed, single-use, expiring after 10 minutes, each carrying the PKCE verifier that
/// only this server can derive.
public protocol OAuthStateStore: Sendable {
    func begin(tenantID: String, connectionID: String, redirectURI: String, now: Date) async throws
        -> OAuthAuthorization
    /// Spends a state: the grant it stood for, or why it is refused (forged, expired, reused).
    func consume(_ state: String, now: Date) async throws -> Result<OAuthPendingGrant, OAuthStateRejection>
}
