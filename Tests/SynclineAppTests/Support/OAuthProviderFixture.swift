import Foundation
import SynclineApp
import SynclineCore
import SynclineSandbox

/// A provider file for the emulated OAuth provider (authorization code + PKCE, rotating refresh tokens,
/// revocation), written into a providers directory so the catalog loads it like any operator-added provider.
enum OAuthProviderFixture {
    static let slug = "sandbox-contacts"
    static let client = OAuthClientCredentials(clientID: "sandbox-oauth-client", clientSecret: "sandbox-oauth-secret")

    static let yaml = """
        slug: sandbox-contacts
        name: Sandbox Contacts
        description: The emulated OAuth provider the tests connect to.
        categories: [crm]
        auth:
          type: oauth2
          authorization_url: "{{config.url}}/authorize"
          token_url: "{{config.url}}/token"
          revocation_url: "{{config.url}}/revoke"
          scopes: [profile, contacts.read]
          client_auth: basic
        config:
          - name: url
            label: Account URL
            type: url
            required: true
        base_url: "{{config.url}}/api"
        test_request: { method: GET, path: /me }
        entity_types:
          contacts:
            label: Contacts
            unified_model: contact
            list: { path: /contacts }
            pagination:
              style: page_number
              page_parameter: page
              size_parameter: per_page
              page_size: 10
              first_page: 1
              total: total
            records: data
            id: id
            frequency_minutes: 60
            fields:
              - { name: id, type: string, required: true }
              - { name: name, type: string }
        """

    /// Writes the provider file into `directory` and points the configuration at it, with the emulator's client
    /// as the operator's OAuth app (from the environment, as `SYNCLINE_OAUTH_SANDBOX_CONTACTS_CLIENT_ID` would).
    static func install(in directory: URL, _ configuration: inout SynclineConfiguration) throws {
        let providers = directory.appendingPathComponent("providers")
        try FileManager.default.createDirectory(at: providers, withIntermediateDirectories: true)
        try yaml.write(to: providers.appendingPathComponent("sandbox-contacts.yaml"), atomically: true, encoding: .utf8)
        configuration.providersDirectory = providers.path
        configuration.oauthClients["sandbox_contacts"] = client
        // The emulator listens on its own loopback port, which only the operator's setting allows.
        configuration.allowPrivateNetworks = true
    }
}
