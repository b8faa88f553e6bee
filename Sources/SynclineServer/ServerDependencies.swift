import SynclineCore

/// What the HTTP layer needs from the rest of Syncline, as ports: the composition root fills it in.
public struct ServerDependencies: Sendable {
    public var health: any StoreHealth

    public init(health: any StoreHealth) {
        self.health = health
    }
}
