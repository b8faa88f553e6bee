import SynclineCore

/// What the HTTP layer needs from the rest of Syncline, as ports: the composition root fills it in.
public struct ServerDependencies: Sendable {
    public var health: any StoreHealth
    /// The metrics in Prometheus text format, for `GET /metrics`; nil serves no such route.
    public var metrics: (@Sendable () async -> String)?
    /// The stores behind `/api/v1`; nil serves no API (health and metrics only).
    public var api: APIDependencies?
    /// `SYNCLINE_ADMIN_KEY`: accepted as the operator key beside the stored operator keys.
    public var adminKey: String?

    public init(
        health: any StoreHealth,
        metrics: (@Sendable () async -> String)? = nil,
        api: APIDependencies? = nil,
        adminKey: String? = nil
    ) {
        self.health = health
        self.adminKey = adminKey
        self.metrics = metrics
        self.api = api
    }
}
