import Foundation
import SynclineCore
import SynclineProviders

/// The `MappingCatalog` port over the mapping store (a tenant's saved mappings and models) and the provider
/// catalog (default mappings declared in provider files). It lives in the composition root because it reads both.
struct StoredMappingCatalog: MappingCatalog {
    let store: any MappingStore
    let catalog: ProviderCatalog

    func models(tenantID: String) async throws -> ModelCatalog {
        let custom = try await store.customModels(tenantID: tenantID).map { try EntityModel(document: $0) }
        return ModelCatalog.unified.adding(custom)
    }

    func defaultMapping(provider: String, entityType: String) -> Mapping? {
        catalog.provider(slug: provider)?.entityType(named: entityType)?.defaultMapping
    }

    func mapping(for connection: Connection, entityType: String) async throws -> CompiledMapping? {
        let mapping: Mapping
        if let saved = try await store.mapping(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            entityType: entityType
        ) {
            mapping = try Mapping(document: saved.document)
        } else if let fallback = defaultMapping(provider: connection.provider, entityType: entityType) {
            mapping = fallback
        } else {
            return nil
        }
        return try CompiledMapping(mapping, models: try await models(tenantID: connection.tenantID))
    }
}
