import Foundation

/// The provider runtime as the server and the engine use it: the catalog, the connection test and the OAuth
/// token endpoints. Implemented in the composition root over SynclineProviders, which neither may import.
public protocol ProviderGateway: Sendable {
    /// Every provider in the catalog, hidden ones included (the caller filters by the operator's settings).
    func providers() -> [ProviderInfo]
    func provider(slug: String) -> ProviderInfo?
    /// Authenticates and makes the provider's cheapest read; throws a `ProviderError` a tenant can act on.
    func testConnection(_ connection: Connection, credentials: CredentialSecrets) async throws
    /// The provider's consent-screen URL for this connection, with PKCE (S256) and `state`.
    func authorizationURL(
        for connection: Connection,
        client: OAuthClientCredentials,
        redirectURI: String,
        state: String,
        codeChallenge: String
    ) throws -> String
    /// Trades an authorization code for tokens at the provider's token endpoint.
    func exchangeCode(
        _ code: String,
        codeVerifier: String,
        redirectURI: String,
        connection: Connection,
        client: OAuthClientCredentials
    ) async throws -> OAuthTokenGrant
    /// Spends a refresh token; a provider that rotates them answers a new one in the grant.
    func refreshToken(
        _ refreshToken: String,
        connection: Connection,
        client: OAuthClientCredentials
    ) async throws -> OAuthTokenGrant
    /// Up to `limit` records of an entity type from the first page of its listing, for a mapping preview.
    func sampleRecords(
        _ connection: Connection,
        credentials: CredentialSecrets,
        entityType: String,
        limit: Int
    ) async throws -> [SampleRecord]
    /// Revokes a token at the provider; false when the provider has no revocation endpoint.
    func revokeToken(_ token: String, connection: Connection, client: OAuthClientCredentials) async throws -> Bool
}

/// A record as the provider lists it, with the external id an import would store it under, so a preview of live
/// samples names each record as a preview of stored ones does.
public struct SampleRecord: Sendable, Hashable {
    /// The value of the entity type's id field as text; nil when the record has none.
    public var externalID: String?
    public var raw: JSONValue

    public init(externalID: String?, raw: JSONValue) {
        self.externalID = externalID
        self.raw = raw
    }
}
