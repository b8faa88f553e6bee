import Foundation

/// The sync definitions of every connection. Tenant-scoped calls filter by tenant in the query; `due` and
/// `advance` serve the scheduler, which works for every tenant.
public protocol SyncStore: Sendable {
    /// Creates the syncs a connection lacks (existing ones keep their settings), due at `now`; answers all of them.
    func ensure(
        tenantID: String,
        connectionID: String,
        defaults: [SyncDefault],
        jitterSeconds: Int,
        now: Date
    ) async throws -> [SyncDefinition]
    func list(tenantID: String, connectionID: String) async throws -> [SyncDefinition]
    func find(tenantID: String, connectionID: String, entityType: String) async throws -> SyncDefinition?
    /// Saves direction, enabled, schedule, jitter, parameters and next run of an existing sync.
    func update(_ sync: SyncDefinition) async throws
    /// Enabled, scheduled syncs of active connections whose next run is at or before `now`, oldest first.
    func due(now: Date, limit: Int) async throws -> [SyncDefinition]
    /// Moves a sync's next run from `expected` to `next`; false when another scheduler moved it first.
    func advance(id: String, from expected: Date?, to next: Date?) async throws -> Bool
    /// Active connections that have no configured sync yet (just activated, by whatever route), oldest first.
    func unscheduledActiveConnections(limit: Int) async throws -> [Connection]
    /// Notes a finished run: its time and status, and the count of consecutive failures.
    func recordOutcome(
        tenantID: String,
        connectionID: String,
        entityType: String,
        status: RunStatus,
        at: Date
    ) async throws -> SyncDefinition?
}
