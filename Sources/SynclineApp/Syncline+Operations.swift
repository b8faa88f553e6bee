import Foundation
import Logging
import SynclineCore
import SynclineStore

/// The operator's one-shot tasks behind the CLI. Each opens the store, migrates it, acts, and closes it.
extension Syncline {
    /// What `migrate` did, for the CLI to print.
    public struct MigrationSummary: Sendable {
        public var applied: [Int]
        public var level: Int
    }

    /// Applies pending migrations and says what it did.
    public static func migrateSummary(_ configuration: SynclineConfiguration, logger: Logger) async throws
        -> MigrationSummary
    {
        let report = try await migrate(configuration, logger: logger)
        return MigrationSummary(applied: report.applied, level: report.level)
    }

    public static func createTenant(name: String, _ configuration: SynclineConfiguration, logger: Logger)
        async throws -> Tenant
    {
        try await withMigratedStore(configuration, logger: logger) { try await $0.tenants.create(name: name) }
    }

    public static func listTenants(_ configuration: SynclineConfiguration, logger: Logger) async throws -> [Tenant] {
        try await withMigratedStore(configuration, logger: logger) { try await $0.tenants.list() }
    }

    /// Issues an API key for the tenant with this name (or id).
    public static func issueAPIKey(
        tenant: String,
        name: String,
        _ configuration: SynclineConfiguration,
        logger: Logger
    ) async throws -> IssuedAPIKey {
        try await withMigratedStore(configuration, logger: logger) { store in
            var found = try await store.tenants.find(name: tenant)
            if found == nil { found = try await store.tenants.find(id: tenant) }
            guard let found else {
                throw StoreError(
                    .notFound,
                    "no tenant named \(tenant); create it with `syncline tenants create \(tenant)`"
                )
            }
            return try await store.apiKeys.issue(tenantID: found.id, name: name)
        }
    }

    /// A new operator (admin) key, for `syncline keys create --operator`: shown once, stored as a hash.
    public static func issueOperatorKey(
        name: String,
        _ configuration: SynclineConfiguration,
        logger: Logger
    ) async throws -> IssuedAPIKey {
        try await withMigratedStore(configuration, logger: logger) { store in
            try await store.apiKeys.issue(tenantID: nil, name: name)
        }
    }

    /// What a master-key rotation did.
    public struct RotationSummary: Sendable {
        /// The key added to the key file, when the key file is in use.
        public var addedKeyID: String?
        public var activeKeyID: String
        public var reencrypted: Int
        public var alreadyCurrent: Int
    }

    /// With the key file: adds a new active key, then re-encrypts every credential under it. With
    /// `SYNCLINE_MASTER_KEY`: re-encrypts everything not yet under that key.
    public static func rotateMasterKey(_ configuration: SynclineConfiguration, logger: Logger) async throws
        -> RotationSummary
    {
        var added: String?
        if configuration.masterKey == nil {
            let keyFile = KeyFile(path: configuration.keyFilePath)
            _ = try keyFile.loadOrCreate()
            added = try keyFile.addActiveKey().active.id
            logger.notice("Added a new active master key", metadata: ["syncline.key_id": "\(added ?? "")"])
        }
        let report = try await withMigratedStore(configuration, logger: logger) { store in
            try await store.credentials.reencryptAll()
        }
        return RotationSummary(
            addedKeyID: added,
            activeKeyID: report.activeKeyID,
            reencrypted: report.reencrypted,
            alreadyCurrent: report.alreadyCurrent
        )
    }

    static func withMigratedStore<T: Sendable>(
        _ configuration: SynclineConfiguration,
        logger: Logger,
        _ body: (SQLStore) async throws -> T
    ) async throws -> T {
        try await withStore(configuration, logger: logger) { store in
            try await store.migrator.migrate()
            return try await body(store)
        }
    }
}
