import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SynclineCore
import SynclineProviders
import SynclineSandbox
import SynclineServer
import SynclineStore
import UnixSignals

/// The composition root: opens the configured store with its cipher and wires it into the server.
/// Every command of the executable is one call here.
public enum Syncline {
    /// Opens the store the configuration names (creating the data directory, key file and database as needed)
    /// and closes it when `body` returns.
    public static func withStore<T: Sendable>(
        _ configuration: SynclineConfiguration,
        logger: Logger,
        _ body: (SQLStore) async throws -> T
    ) async throws -> T {
        let location = try configuration.databaseLocation()
        if configuration.masterKey == nil || location.dialect == .sqlite {
            try Database.prepareDirectory(configuration.dataDirectory)
        }
        let cipher = try makeCipher(configuration)
        return try await SQLStore.with(location, cipher: cipher, logger: logger, body)
    }

    /// The cipher over `SYNCLINE_MASTER_KEY` (plus previous keys) or over the key file in the data directory.
    public static func makeCipher(_ configuration: SynclineConfiguration) throws -> CredentialCipher {
        if let masterKey = configuration.masterKey {
            let active = try MasterKey(base64: masterKey, source: "SYNCLINE_MASTER_KEY")
            let previous = try configuration.previousMasterKeys.enumerated().map { index, text in
                try MasterKey(base64: text, source: "SYNCLINE_PREVIOUS_MASTER_KEYS entry \(index + 1)")
            }
            return CredentialCipher(ring: KeyRing(active: active, others: previous))
        }
        return try CredentialCipher(keyFile: KeyFile(path: configuration.keyFilePath))
    }

    /// Applies pending migrations.
    public static func migrate(_ configuration: SynclineConfiguration, logger: Logger) async throws -> Migrator.Report {
        try await withStore(configuration, logger: logger) { store in try await store.migrator.migrate() }
    }

    /// The API's ports over the store and the engine's provider runtime. `publicURL` answers the base of the
    /// OAuth redirect URI (the configured one, or the address the server bound).
    public static func apiDependencies(
        _ store: SQLStore,
        engine: EngineServices,
        _ configuration: SynclineConfiguration,
        publicURL: @escaping @Sendable () -> String
    ) -> APIDependencies {
        let gateway = engine.gateway
        return APIDependencies(
            apiKeys: store.apiKeys,
            connections: store.connections,
            syncs: store.syncs,
            jobs: store.jobs,
            runs: store.runs,
            progress: store.records,
            circuits: store.circuits,
            activity: store.activity,
            entityTypes: { slug in gateway.provider(slug: slug)?.entityTypes.map(\.name) },
            access: AccessDependencies(
                tenants: store.tenants,
                credentials: store.credentials,
                providers: gateway,
                providerSettings: store.providerSettings,
                oauthStates: store.oauthStates,
                oauthClient: { slug in try await oauthClient(slug: slug, store: store, configuration) },
                oauthClientFromEnvironment: { slug in configuration.environmentOAuthClient(slug: slug) != nil },
                publicURL: publicURL,
                refresher: engine.refresher
            ),
            mappings: MappingDependencies(store: store.mappings, catalog: engine.mappings, records: store.records)
        )
    }

    /// The first start's operator key: with no `SYNCLINE_ADMIN_KEY` and no operator key stored yet, one is made
    /// and answered (plaintext) so `serve` can show it once; nil otherwise.
    static func ensureOperatorKey(store: SQLStore, _ configuration: SynclineConfiguration) async throws -> String? {
        if configuration.adminKey != nil { return nil }
        return try await store.apiKeys.issueFirstOperatorKey(name: "first start")?.plaintext
    }

    /// Runs the server until SIGINT or SIGTERM: migrates, then serves; `onRunning` gets the bound port.
    public static func serve(
        _ configuration: SynclineConfiguration,
        logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        onOperatorKey: @escaping @Sendable (String) async -> Void = { _ in }
    ) async throws {
        _ = SynclineMetrics.registry
        try await withStore(configuration, logger: logger) { store in
            try await store.migrator.migrate()
            let host = configuration.host
            let dialect = store.database.dialect.rawValue
            let boundPort = BoundPort(configured: configuration.port)
            let operatorKey = try await ensureOperatorKey(store: store, configuration)
            try await withEngine(store: store, configuration, logger: logger, sandboxPort: { boundPort.value }) {
                engine in
                let application = SynclineServer.makeApplication(
                    host: host,
                    port: configuration.port,
                    dependencies: ServerDependencies(
                        health: store,
                        metrics: { await SynclineMetrics.render(queue: store.jobs) },
                        api: apiDependencies(store, engine: engine, configuration) {
                            configuration.publicBaseURL(boundPort: boundPort.value ?? configuration.port)
                        },
                        adminKey: configuration.adminKey
                    ),
                    logger: logger,
                    extraRoutes: { router in
                        guard configuration.sandboxEnabled else { return }
                        makeSandboxHaloPSA(configuration).register(on: router, at: sandboxMountPath)
                    },
                    onRunning: { port in
                        boundPort.set(port)
                        logger.info(
                            "Syncline is listening",
                            metadata: ["url": "http://\(host):\(port)", "database": "\(dialect)"]
                        )
                        if configuration.sandboxEnabled {
                            logger.info(
                                "Sandbox HaloPSA to try without an account",
                                metadata: [
                                    "url": "http://\(host):\(port)\(sandboxMountPath)",
                                    "client_id": "\(configuration.sandboxClientID)",
                                ]
                            )
                        }
                        if let operatorKey { await onOperatorKey(operatorKey) }
                        await onRunning(port)
                    }
                )
                // Services stop in reverse order: the workers and the scheduler first, the HTTP server last.
                var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: application)]
                if configuration.runWorkers {
                    services += [
                        .init(service: engine.tokenRefresher), .init(service: engine.scheduler),
                        .init(service: engine.workers),
                    ]
                }
                let group = ServiceGroup(
                    configuration: .init(
                        services: services,
                        gracefulShutdownSignals: [.sigterm, .sigint],
                        logger: logger
                    )
                )
                do {
                    try await group.run()
                } catch {
                    throw StartupError.describing(error, host: host, port: configuration.port)
                }
            }
        }
    }
}
