import Foundation
import Logging
import SynclineCore

/// The store as the rest of Syncline sees it: one database and its repositories, opened with
/// `SQLStore.with(_:cipher:logger:_:)` and closed when the closure returns.
public struct SQLStore: Sendable, StoreHealth {
    public let database: Database
    public let tenants: SQLTenantStore
    public let apiKeys: SQLAPIKeyStore
    public let connections: SQLConnectionStore
    public let credentials: SQLCredentialStore
    public let activity: SQLActivityLog
    /// Imported records, their change feed, and each import's cursor and checkpoint.
    public let records: SQLRecordStore
    public let runs: SQLRunStore
    /// Sync definitions and schedules.
    public let syncs: SQLSyncStore
    /// Each connection's circuit breaker.
    public let circuits: SQLCircuitStore
    /// The durable job queue.
    public let jobs: SQLJobQueue
    /// The operator's per-provider settings and OAuth apps.
    public let providerSettings: SQLProviderSettingsStore
    public let oauthStates: SQLOAuthStateStore
    /// Saved mappings and tenants' own entity models.
    public let mappings: SQLMappingStore

    public init(database: Database, cipher: CredentialCipher) {
        self.database = database
        self.tenants = SQLTenantStore(database: database)
        self.apiKeys = SQLAPIKeyStore(database: database)
        self.connections = SQLConnectionStore(database: database)
        self.credentials = SQLCredentialStore(database: database, cipher: cipher, gate: KeyedGate())
        self.activity = SQLActivityLog(database: database)
        self.records = SQLRecordStore(database: database)
        self.runs = SQLRunStore(database: database)
        self.jobs = SQLJobQueue(database: database)
        self.syncs = SQLSyncStore(database: database)
        self.circuits = SQLCircuitStore(database: database)
        self.providerSettings = SQLProviderSettingsStore(database: database, cipher: cipher)
        self.oauthStates = SQLOAuthStateStore(database: database, cipher: cipher)
        self.mappings = SQLMappingStore(database: database)
    }

    /// Opens the database at `location`, runs `body` with the store, and closes it on every path.
    public static func with<T: Sendable>(
        _ location: DatabaseLocation,
        cipher: CredentialCipher,
        logger: Logger,
        _ body: (SQLStore) async throws -> T
    ) async throws -> T {
        try await Database.with(location, logger: logger) { database in
            try await body(SQLStore(database: database, cipher: cipher))
        }
    }

    public var migrator: Migrator { Migrator(database: database) }

    public func health() async throws -> StoreHealthReport {
        StoreHealthReport(database: database.dialect.rawValue, migrationLevel: try await migrator.level())
    }
}
