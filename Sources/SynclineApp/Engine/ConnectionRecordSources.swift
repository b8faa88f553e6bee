import Foundation
import SynclineCore
import SynclineEngine
import SynclineProviders
import SynclineStore

/// The engine's `RecordSourceFactory` over the provider runtime: it decrypts a connection's credentials,
/// finds its provider in the catalog and opens a session on the process's shared HTTP client. It lives in the
/// composition root because the engine must not import the provider runtime (ARCHITECTURE.md, modules).
struct ConnectionRecordSources: RecordSourceFactory {
    let catalog: ProviderCatalog
    let credentials: any CredentialStore
    let client: ProviderClient
    /// Keeps authorization-code tokens fresh: before the source is made, and again on a 401.
    let refresher: CredentialRefresher
    /// The mapping each entity type's records go through.
    let mappings: any MappingCatalog

    func source(for connection: Connection, entityType: String) async throws -> any RecordSource {
        guard let definition = catalog.provider(slug: connection.provider) else {
            throw JobError(.permanent, "the provider '\(connection.provider)' is not in the catalog")
        }
        guard definition.entityType(named: entityType) != nil else {
            throw JobError(.permanent, "\(definition.name) has no entity type '\(entityType)'")
        }
        let authorizationCode = if case .oauth2 = definition.auth { true } else { false }
        let secrets: CredentialSecrets
        if authorizationCode {
            secrets = try await refresher.credentials(for: connection)
        } else {
            guard let stored = try await credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
            else { throw JobError(.auth, "the connection has no stored credentials") }
            secrets = stored
        }
        var providerConnection: ProviderConnection
        do {
            providerConnection = try ProviderConnection(
                definition: definition,
                config: connection.stringConfig,
                credentials: secrets
            )
        } catch let error as ProviderError {
            throw JobError(.permanent, error.message)
        }
        if authorizationCode {
            providerConnection.refreshCredentials = { [refresher] rejected in
                do {
                    return try await refresher.credentials(for: connection, rejectedAccessToken: rejected ?? "")
                } catch let error as JobError {
                    // The session reports what the provider said; the refresher already logged and recorded it.
                    throw ProviderError(error.disposition == .retryable ? .unreachable : .unauthorized, error.message)
                }
            }
        }
        let mapping: CompiledMapping?
        do {
            mapping = try await mappings.mapping(for: connection, entityType: entityType)
        } catch let error as MappingError {
            throw JobError(.permanent, "the mapping of \(entityType) is not valid: \(error)")
        }
        return try ProviderRecordSource(
            session: client.session(for: providerConnection),
            entityType: entityType,
            mapping: mapping
        )
    }
}
