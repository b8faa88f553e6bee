import Foundation
import SynclineCore
import SynclineProviders

/// The `ProviderGateway` port over the provider catalog and the process's shared HTTP client. It lives in the
/// composition root because the server and the engine must not import the provider runtime.
struct CatalogProviderGateway: ProviderGateway {
    let catalog: ProviderCatalog
    let client: ProviderClient

    func providers() -> [ProviderInfo] { catalog.providers.map(Self.info) }

    func provider(slug: String) -> ProviderInfo? { catalog.provider(slug: slug).map(Self.info) }

    func testConnection(_ connection: Connection, credentials: CredentialSecrets) async throws {
        try await session(connection, credentials).testConnection()
    }

    func authorizationURL(
        for connection: Connection,
        client oauth: OAuthClientCredentials,
        redirectURI: String,
        state: String,
        codeChallenge: String
    ) throws -> String {
        try session(connection, Self.appCredentials(oauth))
            .authorizationURL(redirectURI: redirectURI, state: state, codeChallenge: codeChallenge)
    }

    func exchangeCode(
        _ code: String,
        codeVerifier: String,
        redirectURI: String,
        connection: Connection,
        client oauth: OAuthClientCredentials
    ) async throws -> OAuthTokenGrant {
        try await session(connection, Self.appCredentials(oauth))
            .exchangeCode(code, codeVerifier: codeVerifier, redirectURI: redirectURI)
    }

    func refreshToken(
        _ refreshToken: String,
        connection: Connection,
        client oauth: OAuthClientCredentials
    ) async throws -> OAuthTokenGrant {
        try await session(connection, Self.appCredentials(oauth)).refreshGrant(refreshToken)
    }

    func revokeToken(_ token: String, connection: Connection, client oauth: OAuthClientCredentials) async throws
        -> Bool
    {
        try await session(connection, Self.appCredentials(oauth)).revoke(token)
    }

    func sampleRecords(
        _ connection: Connection,
        credentials: CredentialSecrets,
        entityType: String,
        limit: Int
    ) async throws -> [SampleRecord] {
        let session = try session(connection, credentials)
        // `pages(of:)` below refuses an entity type the provider does not have, so the fallback is never used.
        let idField = session.connection.definition.entityType(named: entityType)?.idField ?? "id"
        var samples: [SampleRecord] = []
        for try await page in try session.pages(of: entityType) {
            for record in page.records.prefix(limit - samples.count) {
                samples.append(SampleRecord(externalID: record.memberText(idField), raw: record))
            }
            if samples.count >= limit { break }
        }
        return samples
    }

    private static func appCredentials(_ oauth: OAuthClientCredentials) -> CredentialSecrets {
        ["client_id": oauth.clientID, "client_secret": oauth.clientSecret]
    }

    private func session(_ connection: Connection, _ credentials: CredentialSecrets) throws -> ProviderSession {
        guard let definition = catalog.provider(slug: connection.provider) else {
            throw ProviderError(.configuration, "the provider '\(connection.provider)' is not in the catalog")
        }
        return client.session(
            for: try ProviderConnection(
                definition: definition,
                config: connection.stringConfig,
                credentials: credentials
            )
        )
    }

    static func info(_ definition: ProviderDefinition) -> ProviderInfo {
        var revokes = false
        if case .oauth2(_, _, _, _, _, let revocation) = definition.auth { revokes = revocation != nil }
        return ProviderInfo(
            slug: definition.slug,
            name: definition.name,
            description: definition.description,
            categories: definition.categories,
            logo: definition.logo,
            docsURL: definition.docsURL,
            authKind: definition.auth.kind,
            configFields: definition.config.map(field),
            credentialFields: definition.credentials.map(field),
            entityTypes: definition.entityTypes.map { entity in
                ProviderEntityInfo(
                    name: entity.name,
                    label: entity.label,
                    unifiedModel: entity.unifiedModel,
                    fields: entity.fields.map(field),
                    defaultFrequencyMinutes: entity.defaultFrequencyMinutes,
                    incremental: entity.incremental != nil
                )
            },
            revokesTokens: revokes
        )
    }

    private static func field(_ spec: FieldSpec) -> ProviderFieldInfo {
        ProviderFieldInfo(
            name: spec.name,
            label: spec.label,
            type: spec.type.rawValue,
            required: spec.required,
            defaultValue: spec.defaultValue,
            help: spec.help,
            options: spec.options
        )
    }
}

extension Connection {
    /// The config as the provider runtime's templates take it: strings, with numbers and flags written out.
    var stringConfig: [String: String] {
        var config: [String: String] = [:]
        for (key, value) in self.config {
            switch value {
            case .string(let text): config[key] = text
            case .number(let number): config[key] = number == number.rounded() ? String(Int64(number)) : "\(number)"
            case .bool(let flag): config[key] = String(flag)
            default: continue
            }
        }
        return config
    }
}
