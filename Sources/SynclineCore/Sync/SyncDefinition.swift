import Foundation

/// One entity type of one connection kept in step: which way, how often, with which parameters, and where its
/// schedule stands. The scheduler reads these; the API changes them.
public struct SyncDefinition: Sendable, Hashable {
    public var id: String
    public var tenantID: String
    public var connectionID: String
    public var entityType: String
    public var direction: SyncDirection
    public var enabled: Bool
    public var schedule: Schedule
    /// Spreads the start of many syncs on one schedule over this many seconds (stable per sync).
    public var jitterSeconds: Int
    /// Listing parameters every scheduled run passes (a window such as `last_n_days`, evaluated at run time).
    public var parameters: [String: String]
    /// When the scheduler next enqueues it; nil for manual syncs.
    public var nextRunAt: Date?
    public var lastRunAt: Date?
    public var lastStatus: RunStatus?
    public var consecutiveFailures: Int

    public init(
        id: String,
        tenantID: String,
        connectionID: String,
        entityType: String,
        direction: SyncDirection = .import,
        enabled: Bool = true,
        schedule: Schedule,
        jitterSeconds: Int = 0,
        parameters: [String: String] = [:],
        nextRunAt: Date? = nil,
        lastRunAt: Date? = nil,
        lastStatus: RunStatus? = nil,
        consecutiveFailures: Int = 0
    ) {
        self.id = id
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.entityType = entityType
        self.direction = direction
        self.enabled = enabled
        self.schedule = schedule
        self.jitterSeconds = jitterSeconds
        self.parameters = parameters
        self.nextRunAt = nextRunAt
        self.lastRunAt = lastRunAt
        self.lastStatus = lastStatus
        self.consecutiveFailures = consecutiveFailures
    }

    /// The seed of this sync's jitter: stable across restarts, different per sync.
    public var jitterSeed: String { "\(connectionID):\(entityType)" }
}

/// An entity type to keep in step when a connection becomes active, at its provider's default frequency.
public struct SyncDefault: Sendable, Hashable {
    public var entityType: String
    public var schedule: Schedule

    public init(entityType: String, schedule: Schedule) {
        self.entityType = entityType
        self.schedule = schedule
    }
}
