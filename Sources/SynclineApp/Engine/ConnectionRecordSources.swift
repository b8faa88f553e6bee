import Foundation
import SynclineCore
import SynclineProviders
import SynclineStore

/// The engine's `RecordSourceFactory` over the provider runtime: it decrypts a connection's credentials,
/// finds its provider in the catalog and opens a session on the process's shared HTTP client. It lives in the
/// composition root because the engine must not import the provider runtime (ARCHITECTURE.md, modules).
struct ConnectionRecordSources: RecordSourceFactory {
    let catalog: ProviderCatalog
    let credentials: any CredentialStore
    let client: ProviderClient

    func source(for connection: Connection, entityType: String) async throws -> any RecordSource {
        guard let definition = catalog.provider(slug: connection.provider) else {
            throw JobError(.permanent, "the provider '\(connection.provider)' is not in the catalog")
        }
        guard definition.entityType(named: entityType) != nil else {
            throw JobError(.permanent, "\(definition.name) has no entity type '\(entityType)'")
        }
        guard let secrets = try await credentials.load(connectionID: connection.id, tenantID: connection.tenantID)
        else {
            throw JobError(.auth, "the connection has no stored credentials")
        }
        var config: [String: String] = [:]
        for (key, value) in connection.config {
            switch value {
            case .string(let text): config[key] = text
            case .number(let number): config[key] = number == number.rounded() ? String(Int64(number)) : "\(number)"
            case .bool(let flag): config[key] = String(flag)
            default: continue
            }
        }
        let providerConnection: ProviderConnection
        do {
            providerConnection = try ProviderConnection(definition: definition, config: config, credentials: secrets)
        } catch let error as ProviderError {
            throw JobError(.permanent, error.message)
        }
        return try ProviderRecordSource(session: client.session(for: providerConnection), entityType: entityType)
    }
}
