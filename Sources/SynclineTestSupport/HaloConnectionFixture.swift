import Foundation
import SynclineCore
import SynclineStore

/// Tenant Acme with an active HaloPSA connection "Main" at `url`, its credentials stored encrypted: the
/// starting point of the end-to-end tests.
public func makeHaloConnection(
    in store: SQLStore,
    url: String,
    secret: String = "demo"
) async throws -> (Tenant, Connection) {
    let tenant = try await store.tenants.create(name: "Acme")
    let connection = Connection(
        id: Identifier.make(prefix: "con"),
        tenantID: tenant.id,
        provider: "halopsa",
        name: "Main",
        config: ["url": .string(url)],
        status: .active,
        setupStep: .completed,
        createdAt: Date(),
        updatedAt: Date()
    )
    try await store.connections.create(connection)
    try await store.credentials.save(
        CredentialSecrets(["client_id": "demo", "client_secret": secret]),
        connectionID: connection.id,
        tenantID: tenant.id
    )
    return (tenant, connection)
}
