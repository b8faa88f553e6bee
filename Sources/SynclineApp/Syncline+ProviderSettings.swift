import Foundation
import Logging
import SynclineCore
import SynclineProviders
import SynclineStore

/// The operator's provider settings from the CLI (`syncline providers configure`), with the same checks as
/// `PUT /api/v1/providers/{slug}/settings`.
extension Syncline {
    /// What to change; nil leaves a setting as it is.
    public struct ProviderSettingsChange: Sendable {
        /// Registers the operator's OAuth app at the provider, or forgets it.
        public enum OAuthApp: Sendable {
            case set(OAuthClientCredentials)
            case forget
        }

        public var hidden: Bool?
        public var oauthApp: OAuthApp?

        public init(hidden: Bool? = nil, oauthApp: OAuthApp? = nil) {
            self.hidden = hidden
            self.oauthApp = oauthApp
        }
    }

    /// A provider's settings as the CLI shows them: never the client secret.
    public struct ProviderSettingsSummary: Sendable, Hashable {
        /// Where the OAuth app in use comes from: the environment wins over the stored one.
        public enum OAuthSource: String, Sendable, Hashable {
            case environment
            case stored
        }

        public var slug: String
        public var hidden: Bool
        public var oauthClientID: String?
        public var oauthSource: OAuthSource?
    }

    /// Applies `change` to a provider of the catalog and answers its settings afterwards. An OAuth app is refused
    /// for a provider that does not use the authorization-code flow, and when the environment sets that app.
    public static func configureProvider(
        slug: String,
        _ change: ProviderSettingsChange,
        _ configuration: SynclineConfiguration,
        logger: Logger
    ) async throws -> ProviderSettingsSummary {
        let catalog = try providerCatalog(configuration)
        guard let definition = catalog.provider(slug: slug) else {
            let known = catalog.providers.map(\.slug).joined(separator: ", ")
            throw ConfigurationError("no provider '\(slug)'; known providers: \(known)")
        }
        if let app = change.oauthApp {
            if case .set = app, definition.auth.kind != "oauth2" {
                throw ConfigurationError(
                    "\(slug) authenticates with \(definition.auth.kind), not oauth2: it takes no operator OAuth app"
                )
            }
            if configuration.environmentOAuthClient(slug: slug) != nil {
                throw ConfigurationError(
                    "the environment sets the OAuth app of \(slug) (SYNCLINE_OAUTH_<SLUG>_CLIENT_ID and "
                        + "_CLIENT_SECRET): change it there"
                )
            }
        }
        return try await withMigratedStore(configuration, logger: logger) { store in
            if let hidden = change.hidden { try await store.providerSettings.setHidden(hidden, slug: slug) }
            switch change.oauthApp {
            case .set(let client): try await store.providerSettings.setOAuthClient(client, slug: slug)
            case .forget: try await store.providerSettings.setOAuthClient(nil, slug: slug)
            case nil: break
            }
            let stored = try await store.providerSettings.all().first { $0.slug == slug }
            var summary = ProviderSettingsSummary(
                slug: slug,
                hidden: stored?.hidden ?? false,
                oauthClientID: stored?.oauthClientID,
                oauthSource: stored?.oauthClientID == nil ? nil : .stored
            )
            if let environment = configuration.environmentOAuthClient(slug: slug) {
                summary.oauthClientID = environment.clientID
                summary.oauthSource = .environment
            }
            return summary
        }
    }
}
