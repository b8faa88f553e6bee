import Foundation
import Hummingbird
import Logging
import NIOCore

/// Builds the HTTP side of Syncline. The app module runs it as a Service in its ServiceGroup.
public enum SynclineServer {
    /// The router with every route Syncline serves. `extraRoutes` lets the composition root mount routes this
    /// module must not know about (the emulated providers under `/sandbox`).
    public static func makeRouter(
        dependencies: ServerDependencies,
        now: @escaping @Sendable () -> Date = { Date() },
        extraRoutes: (Router<SynclineRequestContext>) -> Void = { _ in }
    ) -> Router<SynclineRequestContext> {
        let router = Router(context: SynclineRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.debug))
        HealthController(health: dependencies.health).register(on: router)
        if let metrics = dependencies.metrics { MetricsController(render: metrics).register(on: router) }
        if let api = dependencies.api {
            let group = router.group("api/v1")
                .add(middleware: APIKeyAuthenticator(apiKeys: api.apiKeys, adminKey: dependencies.adminKey))
            SyncsController(api: api, now: now).register(on: group)
            JobsController(api: api, now: now).register(on: group)
            if let access = api.access {
                ConnectionsController(api: api, access: access, now: now).register(on: group)
                OAuthController(api: api, access: access, now: now).register(api: group, callback: router)
                TenantsController(api: api, access: access, now: now).register(on: group)
                ProvidersController(access: access).register(on: group)
                if let mappings = api.mappings {
                    MappingsController(api: api, access: access, mappings: mappings, now: now).register(on: group)
                    RecordsController(api: api, mappings: mappings).register(on: group)
                }
            }
        }
        extraRoutes(router)
        return router
    }

    /// The application, listening on `host:port`; `onRunning` receives the bound port once it listens.
    public static func makeApplication(
        host: String,
        port: Int,
        dependencies: ServerDependencies,
        logger: Logger,
        extraRoutes: (Router<SynclineRequestContext>) -> Void = { _ in },
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(dependencies: dependencies, extraRoutes: extraRoutes),
            configuration: .init(address: .hostname(host, port: port), serverName: "Syncline"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}
