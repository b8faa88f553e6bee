import Foundation
import Logging
import ServiceLifecycle
import SynclineCore
import SynclineEngine
import SynclineProviders
import SynclineStore
import UnixSignals

/// The engine wired to the store and the provider runtime: the worker pool, the scheduler, activation of a
/// connection's syncs, and one sync run in the foreground.
extension Syncline {
    /// The long-running parts of the engine, ready to join a `ServiceGroup`.
    public struct EngineServices: Sendable {
        public let workers: WorkerPool
        public let scheduler: SyncScheduler
        let runner: ImportRunner
        let sources: ConnectionRecordSources
    }

    /// Builds the engine over `store` with one shared provider HTTP client, closed after `body`.
    public static func withEngine<T: Sendable>(
        store: SQLStore,
        _ configuration: SynclineConfiguration,
        logger: Logger,
        workerSettings: WorkerPoolSettings? = nil,
        _ body: (EngineServices) async throws -> T
    ) async throws -> T {
        let catalog = try providerCatalog(configuration)
        return try await ProviderClient.with(logger: logger) { client in
            let sources = ConnectionRecordSources(catalog: catalog, credentials: store.credentials, client: client)
            let runner = ImportRunner(records: store.records, progress: store.records, runs: store.runs, logger: logger)
            let handler = ImportSyncHandler(
                connections: store.connections,
                sources: sources,
                runner: runner,
                syncs: store.syncs,
                circuits: store.circuits,
                activity: store.activity
            )
            var settings = workerSettings ?? WorkerPoolSettings()
            if workerSettings == nil {
                settings.concurrency = configuration.workers
                settings.lease = .seconds(configuration.jobLeaseSeconds)
                // Four heartbeats per lease: a slow database round trip never lets a live job's lease lapse.
                settings.heartbeatInterval = .milliseconds(configuration.jobLeaseSeconds * 250)
            }
            let workers = WorkerPool(
                queue: store.jobs,
                handlers: [SyncJobs.importKind: handler],
                settings: settings,
                logger: logger
            )
            let scheduler = SyncScheduler(
                syncs: store.syncs,
                queue: store.jobs,
                circuits: store.circuits,
                defaults: { slug in defaultSyncs(catalog.provider(slug: slug)) },
                logger: logger
            )
            return try await body(
                EngineServices(workers: workers, scheduler: scheduler, runner: runner, sources: sources)
            )
        }
    }

    /// `syncline worker`: runs queued jobs until SIGINT or SIGTERM, with no API and no scheduler, so many
    /// processes on many machines can share one PostgreSQL queue.
    public static func worker(
        _ configuration: SynclineConfiguration,
        logger: Logger,
        workerSettings: WorkerPoolSettings? = nil
    ) async throws {
        _ = SynclineMetrics.registry
        try await withStore(configuration, logger: logger) { store in
            try await store.migrator.migrate()
            try await withEngine(store: store, configuration, logger: logger, workerSettings: workerSettings) {
                engine in
                logger.info(
                    "Syncline worker is running",
                    metadata: [
                        "database": "\(store.database.dialect.rawValue)", "concurrency": "\(configuration.workers)",
                    ]
                )
                let group = ServiceGroup(
                    configuration: .init(
                        services: [.init(service: engine.workers)],
                        gracefulShutdownSignals: [.sigterm, .sigint],
                        logger: logger
                    )
                )
                try await group.run()
            }
        }
    }

    /// Every entity type of a provider at its declared default frequency.
    static func defaultSyncs(_ definition: ProviderDefinition?) -> [SyncDefault] {
        (definition?.entityTypes ?? []).map { entity in
            SyncDefault(entityType: entity.name, schedule: .interval(minutes: max(1, entity.defaultFrequencyMinutes)))
        }
    }

    /// `syncline sync run`: one import in the foreground, reporting after every page; the run is recorded
    /// like any other.
    public static func runSync(
        tenant: String,
        connection: String,
        entityType: String,
        full: Bool,
        _ configuration: SynclineConfiguration,
        logger: Logger,
        progress: @escaping @Sendable (SyncRun) async -> Void
    ) async throws -> SyncRun {
        try await withMigratedStore(configuration, logger: logger) { store in
            var found = try await store.tenants.find(name: tenant)
            if found == nil { found = try await store.tenants.find(id: tenant) }
            guard let owner = found else { throw StoreError(.notFound, "no tenant named or with id \(tenant)") }
            let connections = try await store.connections.list(tenantID: owner.id, userID: nil)
            guard let target = connections.first(where: { $0.id == connection || $0.name == connection }) else {
                throw StoreError(.notFound, "tenant \(owner.name) has no connection named or with id \(connection)")
            }
            return try await withEngine(store: store, configuration, logger: logger) { engine in
                let source = try await engine.sources.source(for: target, entityType: entityType)
                let job = ImportJob(
                    tenantID: owner.id,
                    connectionID: target.id,
                    entityType: entityType,
                    trigger: .manual,
                    forceFull: full
                )
                do {
                    return try await engine.runner.run(job, from: source, onPage: progress)
                } catch let failure as ImportFailure {
                    return failure.run
                }
            }
        }
    }
}
