import Foundation

/// A tenant's saved mapping of one entity type of one connection, as its JSON document (the one the API reads
/// and writes); the engine compiles it.
public struct StoredMapping: Sendable, Hashable {
    public var tenantID: String
    public var connectionID: String
    public var entityType: String
    public var document: JSONValue
    public var updatedAt: Date

    public init(tenantID: String, connectionID: String, entityType: String, document: JSONValue, updatedAt: Date) {
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.entityType = entityType
        self.document = document
        self.updatedAt = updatedAt
    }
}

/// Saved mappings and a tenant's own entity models.
public protocol MappingStore: Sendable {
    func mapping(tenantID: String, connectionID: String, entityType: String) async throws -> StoredMapping?
    /// Inserts or replaces; the connection must be the tenant's (`StoreError.notFound` otherwise).
    func save(_ mapping: StoredMapping) async throws
    func deleteMapping(tenantID: String, connectionID: String, entityType: String) async throws
    /// The tenant's custom entity models as documents (`{"name", "fields"}`), by name.
    func customModels(tenantID: String) async throws -> [JSONValue]
    func saveCustomModel(tenantID: String, name: String, document: JSONValue) async throws
    func deleteCustomModel(tenantID: String, name: String) async throws
}

/// One step of re-mapping stored records: how many were looked at, how many changed, and where to go on.
public struct RemapBatch: Sendable, Hashable {
    public var processed: Int
    public var changed: Int
    public var failed: Int
    /// The last external id of the batch; nil when there is nothing after it.
    public var next: String?

    public init(processed: Int, changed: Int, failed: Int, next: String?) {
        self.processed = processed
        self.changed = changed
        self.failed = failed
        self.next = next
    }
}

/// What a re-mapping makes of one stored raw record: the mapped form (nil: the mapping failed on it), and the
/// model it is now a record of.
public struct Remapped: Sendable {
    public var mapped: JSONValue?

    public init(mapped: JSONValue?) {
        self.mapped = mapped
    }
}

/// A record of a unified or custom model, from any of the tenant's connections.
public struct ModelRecord: Sendable, Hashable {
    public var connectionID: String
    public var entityType: String
    public var externalID: String
    public var sequence: Int64
    public var mapped: JSONValue?
    public var raw: JSONValue
    public var updatedAt: Date

    public init(
        connectionID: String,
        entityType: String,
        externalID: String,
        sequence: Int64,
        mapped: JSONValue?,
        raw: JSONValue,
        updatedAt: Date
    ) {
        self.connectionID = connectionID
        self.entityType = entityType
        self.externalID = externalID
        self.sequence = sequence
        self.mapped = mapped
        self.raw = raw
        self.updatedAt = updatedAt
    }
}

/// Reads and re-maps of stored records for the mappings and records API.
public protocol RecordQueries: Sendable {
    /// The live records of one entity type of a connection, in change order after `sequence`.
    func records(tenantID: String, connectionID: String, entityType: String, after sequence: Int64, limit: Int)
        async throws -> [RecordChange]
    /// The change feed of one entity type of a connection after `sequence` (created, updated, deleted).
    func changes(tenantID: String, connectionID: String, entityType: String, after sequence: Int64, limit: Int)
        async throws -> [RecordChange]
    /// Live records of `model` across the tenant's connections, ordered by (connection, sequence), after the
    /// cursor position.
    func records(tenantID: String, model: String, after: (connectionID: String, sequence: Int64)?, limit: Int)
        async throws -> [ModelRecord]
    /// Re-maps up to `limit` live records after `externalID` (ordered by external id) with `mapper`; a record
    /// whose mapped form changes gets a new change sequence. One transaction per call.
    func remap(
        tenantID: String,
        connectionID: String,
        entityType: String,
        model: String,
        after externalID: String?,
        limit: Int,
        _ mapper: @Sendable (JSONValue) -> Remapped
    ) async throws -> RemapBatch
}

/// The mappings in force, for the engine and the API: a tenant's models (unified plus its own), a provider's
/// default mapping, and the compiled mapping a connection's entity type goes through.
public protocol MappingCatalog: Sendable {
    func models(tenantID: String) async throws -> ModelCatalog
    /// The provider file's default mapping of an entity type, if it declares one.
    func defaultMapping(provider: String, entityType: String) -> Mapping?
    /// The tenant's saved mapping, else the provider's default, compiled; nil when there is neither. A saved
    /// mapping that no longer compiles (its custom model changed) throws the `MappingError`.
    func mapping(for connection: Connection, entityType: String) async throws -> CompiledMapping?
}
