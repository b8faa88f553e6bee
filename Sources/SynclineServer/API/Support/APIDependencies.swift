import SynclineCore

/// The stores behind the `/api/v1` routes, as ports; every call the routes make names the caller's tenant.
public struct APIDependencies: Sendable {
    public var apiKeys: any APIKeyStore
    public var connections: any ConnectionStore
    public var syncs: any SyncStore
    public var jobs: any JobQueue
    public var runs: any RunStore
    public var progress: any ImportProgressStore
    public var circuits: any CircuitStore
    public var activity: any ActivityLog
    /// The entity types a provider offers (nil for an unknown provider): the server does not read providers.
    public var entityTypes: @Sendable (String) -> [String]?
    /// Tenants, keys, providers, connections and OAuth; nil serves only the sync operations.
    public var access: AccessDependencies?
    /// Mappings, models and records; needs `access` (previews call the provider).
    public var mappings: MappingDependencies?

    public init(
        apiKeys: any APIKeyStore,
        connections: any ConnectionStore,
        syncs: any SyncStore,
        jobs: any JobQueue,
        runs: any RunStore,
        progress: any ImportProgressStore,
        circuits: any CircuitStore,
        activity: any ActivityLog,
        entityTypes: @escaping @Sendable (String) -> [String]?,
        access: AccessDependencies? = nil,
        mappings: MappingDependencies? = nil
    ) {
        self.access = access
        self.mappings = mappings
        self.apiKeys = apiKeys
        self.connections = connections
        self.syncs = syncs
        self.jobs = jobs
        self.runs = runs
        self.progress = progress
        self.circuits = circuits
        self.activity = activity
        self.entityTypes = entityTypes
    }
}
