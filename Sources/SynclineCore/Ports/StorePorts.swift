import Foundation

/// The storage ports: what the engine and the server need from persistence, implemented by SynclineStore.
/// Every tenant-scoped call takes the tenant id, and the implementation filters by it in the query itself,
/// so a handler that forgets a check still cannot read or change another tenant's rows.

/// Tenants: created by the operator, never scoped to a caller.
public protocol TenantStore: Sendable {
    func create(name: String) async throws -> Tenant
    func find(id: String) async throws -> Tenant?
    func find(name: String) async throws -> Tenant?
    func list() async throws -> [Tenant]
    /// Sets the month (1-12) the tenant's fiscal year starts in; an unknown tenant is `StoreError.notFound`.
    func setFiscalYearStartMonth(_ month: Int, tenantID: String) async throws
}

/// API keys, stored only as a prefix and a SHA-256 hash.
public protocol APIKeyStore: Sendable {
    /// Creates a key for a tenant (or an operator key when `tenantID` is nil); the plaintext is in the result only.
    func issue(tenantID: String?, name: String) async throws -> IssuedAPIKey
    /// An operator key, made only when no unrevoked one exists (nil otherwise), in one step that processes
    /// starting at once on one database cannot both take: the first start's key is made and shown once.
    func issueFirstOperatorKey(name: String) async throws -> IssuedAPIKey?
    /// The live (unrevoked) key matching `plaintext`, with its last-used time refreshed; nil when none matches.
    func authenticate(_ plaintext: String) async throws -> APIKey?
    func list(tenantID: String?) async throws -> [APIKey]
    /// Revokes a key of `tenantID`; a key of another tenant is `StoreError.notFound`.
    func revoke(id: String, tenantID: String?) async throws
}

/// Connections of a tenant.
public protocol ConnectionStore: Sendable {
    /// Inserts a connection; a second one with the same (tenant, provider, name) is `StoreError.conflict`.
    func create(_ connection: Connection) async throws
    func find(id: String, tenantID: String) async throws -> Connection?
    /// The tenant's connections, oldest first; `userID` narrows to one user's connections.
    func list(tenantID: String, userID: String?) async throws -> [Connection]
    /// Replaces the stored connection that has this id and tenant; none is `StoreError.notFound`.
    func update(_ connection: Connection) async throws
    func delete(id: String, tenantID: String) async throws
    /// Every tenant's connections whose credentials expire before `date`, soonest first: the token
    /// refresher's scan, the one system-wide read (it acts as `system`, for each connection's own tenant).
    func expiring(before date: Date) async throws -> [Connection]
}

/// Connection secrets, encrypted at rest.
public protocol CredentialStore: Sendable {
    func save(_ secrets: CredentialSecrets, connectionID: String, tenantID: String) async throws
    func load(connectionID: String, tenantID: String) async throws -> CredentialSecrets?
    func delete(connectionID: String, tenantID: String) async throws
    /// Runs `body` holding the connection's credential exclusively (across processes on PostgreSQL), with the
    /// credential as stored once the lock is held; what `body` returns is saved before the lock is let go
    /// (nil saves nothing). Two refreshers therefore never spend the same single-use refresh token.
    func withExclusiveAccess(
        connectionID: String,
        tenantID: String,
        _ body: @Sendable (CredentialSecrets?) async throws -> CredentialSecrets?
    ) async throws -> CredentialSecrets?
}

/// The audit trail.
public protocol ActivityLog: Sendable {
    func record(_ entry: ActivityEntry) async throws
    /// Newest first.
    func list(tenantID: String, connectionID: String?, limit: Int) async throws -> [ActivityEntry]
}

/// What `/health` reports about the database.
public protocol StoreHealth: Sendable {
    func health() async throws -> StoreHealthReport
}

/// The database's kind and schema level, as `/health` shows them.
public struct StoreHealthReport: Sendable, Hashable, Codable {
    /// `sqlite` or `postgresql`.
    public var database: String
    public var migrationLevel: Int

    public init(database: String, migrationLevel: Int) {
        self.database = database
        self.migrationLevel = migrationLevel
    }
}
