import Foundation
import Logging
import ServiceLifecycle
import Synchronization
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
        /// Refreshes authorization-code tokens before they expire.
        public let tokenRefresher: TokenRefresher
        let runner: ImportRunner
        let sources: ConnectionRecordSources
        /// The provider runtime as the API uses it (catalog, connection test, OAuth endpoints).
        let gateway: CatalogProviderGateway
        public let refresher: CredentialRefresher
        /// The mappings in force (saved, else the provider's default).
        let mappings: StoredMappingCatalog
    }

    /// Builds the engine over `store` with one shared provider HTTP client, closed after `body`. `sandboxPort`
    /// answers the port `serve` bound (nil before it binds, and always outside `serve`): requests to the sandbox
    /// mounted there are exempt from the outbound address policy.
    public static func withEngine<T: Sendable>(
        store: SQLStore,
        _ configuration: SynclineConfiguration,
        logger: Logger,
        workerSettings: WorkerPoolSettings? = nil,
        sandboxPort: @escaping @Sendable () -> Int? = { nil },
        _ body: (EngineServices) async throws -> T
    ) async throws -> T {
        let catalog = try providerCatalog(configuration)
        var providerSettings = ProviderClientSettings()
        providerSettings.outbound = outboundPolicy(configuration, sandboxPort: sandboxPort)
        return try await ProviderClient.with(settings: providerSettings, logger: logger) { client in
            let gateway = CatalogProviderGateway(catalog: catalog, client: client)
            let refresher = credentialRefresher(store: store, gateway: gateway, configuration, logger: logger)
            let mappings = StoredMappingCatalog(store: store.mappings, catalog: catalog)
            let sources = ConnectionRecordSources(
                catalog: catalog,
                credentials: store.credentials,
                client: client,
                refresher: refresher,
                mappings: mappings
            )
            let runner = ImportRunner(records: store.records, progress: store.records, runs: store.runs, logger: logger)
            let handler = ImportSyncHandler(
                connections: store.connections,
                sources: sources,
                runner: runner,
                syncs: store.syncs,
                circuits: store.circuits,
                activity: store.activity,
                tenants: store.tenants
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
                handlers: [
                    SyncJobs.importKind: handler,
                    ReapplyMappingHandler.kind: ReapplyMappingHandler(
                        connections: store.connections,
                        records: store.records,
                        mappings: mappings,
                        queue: store.jobs,
                        activity: store.activity
                    ),
                ],
                settings: settings,
                provider: { [providers = ConnectionProviders(connections: store.connections)] job in
                    await providers.provider(of: job)
                },
                logger: logger
            )
            let scheduler = SyncScheduler(
                syncs: store.syncs,
                queue: store.jobs,
                circuits: store.circuits,
                defaults: { slug in defaultSyncs(catalog.provider(slug: slug)) },
                logger: logger
            )
            let tokenRefresher = TokenRefresher(
                connections: store.connections,
                refresher: refresher,
                refreshable: { slug in gateway.provider(slug: slug)?.usesAuthorizationCode ?? false },
                logger: logger
            )
            return try await body(
                EngineServices(
                    workers: workers,
                    scheduler: scheduler,
                    tokenRefresher: tokenRefresher,
                    runner: runner,
                    sources: sources,
                    gateway: gateway,
                    refresher: refresher,
                    mappings: mappings
                )
            )
        }
    }

    /// Refuses non-public addresses unless `allowPrivateNetworks`; exempts this server's own sandbox (loopback, the
    /// bound port, under `sandboxMountPath`) when it is mounted and reachable on loopback.
    static func outboundPolicy(
        _ configuration: SynclineConfiguration,
        sandboxPort: @escaping @Sendable () -> Int?
    ) -> OutboundAddressPolicy {
        let host = configuration.host.lowercased()
        let listensOnLoopback =
            host == "localhost" || host.isEmpty
            || IPAddress(host).map { [.loopback, .unspecified].contains($0.addressClass) } == true
        guard configuration.sandboxEnabled, listensOnLoopback else {
            return OutboundAddressPolicy(allowPrivateNetworks: configuration.allowPrivateNetworks)
        }
        let ownSandbox = OutboundAddressPolicy.Exemption.loopback(
            "the sandbox mounted by serve",
            port: sandboxPort,
            pathPrefix: sandboxMountPath
        )
        return OutboundAddressPolicy(allowPrivateNetworks: configuration.allowPrivateNetworks, exemptions: [ownSandbox])
    }

    /// The port `serve` bound, learnt after the engine is built: written once by the server's start, read by the
    /// outbound policy's sandbox exemption at every request.
    final class BoundPort: Sendable {
        private let port: Mutex<Int?>

        /// `configured` is the port asked for; 0 (any port) is known only once bound.
        init(configured: Int) { port = Mutex(configured == 0 ? nil : configured) }

        func set(_ bound: Int) { port.withLock { $0 = bound } }

        var value: Int? { port.withLock { $0 } }
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

    /// The operator's OAuth app for a provider: the environment's first, else the one registered through the API.
    static func oauthClient(
        slug: String,
        store: SQLStore,
        _ configuration: SynclineConfiguration
    ) async throws -> OAuthClientCredentials? {
        if let client = configuration.environmentOAuthClient(slug: slug) { return client }
        return try await store.providerSettings.oauthClient(slug: slug)
    }

    /// Token refreshes through the store's per-connection lock and the provider's token endpoint.
    static func credentialRefresher(
        store: SQLStore,
        gateway: CatalogProviderGateway,
        _ configuration: SynclineConfiguration,
        logger: Logger
    ) -> CredentialRefresher {
        CredentialRefresher(
            connections: store.connections,
            credentials: store.credentials,
            activity: store.activity,
            logger: logger
        ) { connection, stored in
            guard let app = try await oauthClient(slug: connection.provider, store: store, configuration) else {
                throw ProviderError(
                    .configuration,
                    "no OAuth app is registered for \(connection.provider): the operator sets one with "
                        + "`syncline providers configure` or SYNCLINE_OAUTH_<SLUG>_CLIENT_ID"
                )
            }
            return try await gateway.refreshToken(stored["refresh_token"] ?? "", connection: connection, client: app)
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
