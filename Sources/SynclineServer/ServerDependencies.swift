import SynclineCore

/// What the HTTP layer needs from the rest of Syncline, as ports: the composition root fills it in.
public struct ServerDependencies: Sendable {
    public var health: any StoreHealth
    /// The metrics in Prometheus text format, for `GET /metrics`; nil serves no such route.
    public var metrics: (@Sendable () async -> String)?
    /// The stores behind `/api/v1`; nil serves no API (health and metrics only).
    public var api: APIDependencies?

    public init(
        health: any StoreHealth,
        metrics: (@Sendable () async -> String)? = nil,
        api: APIDependencies? = nil
    ) {
        self.health = health
        self.metrics = metrics
        self.api = api
    }
}
