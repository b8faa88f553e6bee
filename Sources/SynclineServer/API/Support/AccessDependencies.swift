import Foundation
import SynclineCore
import SynclineEngine

/// What the tenant, key, provider-catalog, connection and OAuth routes need, as ports. Optional in
/// `APIDependencies` so the sync-operation routes can be served (and tested) without a provider runtime.
public struct AccessDependencies: Sendable {
    public var tenants: any TenantStore
    public var credentials: any CredentialStore
    public var providers: any ProviderGateway
    public var providerSettings: any ProviderSettingsStore
    public var oauthStates: any OAuthStateStore
    /// The operator's OAuth app for a provider: the environment's, else the one registered through the API.
    public var oauthClient: @Sendable (String) async throws -> OAuthClientCredentials?
    /// Whether an operator OAuth app comes from the environment (it cannot then be changed through the API).
    public var oauthClientFromEnvironment: @Sendable (String) -> Bool
    /// `SYNCLINE_PUBLIC_URL`, the base of the OAuth redirect URI and of webhook URLs, without a trailing slash
    /// (a closure: unset, it is the address the server bound, known only once it listens).
    public var publicURL: @Sendable () -> String
    /// Refreshes authorization-code tokens, serialised per connection.
    public var refresher: CredentialRefresher

    public init(
        tenants: any TenantStore,
        credentials: any CredentialStore,
        providers: any ProviderGateway,
        providerSettings: any ProviderSettingsStore,
        oauthStates: any OAuthStateStore,
        oauthClient: @escaping @Sendable (String) async throws -> OAuthClientCredentials?,
        oauthClientFromEnvironment: @escaping @Sendable (String) -> Bool,
        publicURL: @escaping @Sendable () -> String,
        refresher: CredentialRefresher
    ) {
        self.tenants = tenants
        self.credentials = credentials
        self.providers = providers
        self.providerSettings = providerSettings
        self.oauthStates = oauthStates
        self.oauthClient = oauthClient
        self.oauthClientFromEnvironment = oauthClientFromEnvironment
        self.publicURL = publicURL
        self.refresher = refresher
    }

    /// The one redirect URI of every provider: `{public_url}/oauth/callback`.
    public var redirectURI: String { publicURL() + "/oauth/callback" }

    /// The providers a tenant may see and use: the catalog minus those the operator hid.
    func visibleProviders() async throws -> [ProviderInfo] {
        let hidden = Set(try await providerSettings.all().filter(\.hidden).map(\.slug))
        return providers.providers().filter { !hidden.contains($0.slug) }
    }

    func visibleProvider(slug: String) async throws -> ProviderInfo? {
        guard let info = providers.provider(slug: slug) else { return nil }
        let hidden = try await providerSettings.all().contains { $0.slug == slug && $0.hidden }
        return hidden ? nil : info
    }
}
