import Foundation
import Logging
import SynclineCore
import SynclineEngine
import SynclineStore
import SynclineTestSupport
import Testing

/// The databases the engine is tested on: the real store, never a stand-in.
enum EngineBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite = "SQLite"
    case postgres = "PostgreSQL"

    var testDescription: String { rawValue }

    /// The backends that can run here; PostgreSQL when a cluster can be started (required in CI).
    static var available: [EngineBackend] {
        PostgresTestCluster.isAvailable || PostgresTestCluster.isRequired ? allCases : [.sqlite]
    }

    static let logger: Logger = {
        var logger = Logger(label: "syncline.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A fresh, migrated store with one tenant and one HaloPSA connection.
    func withStore<T: Sendable>(_ body: (SQLStore, Connection) async throws -> T) async throws -> T {
        let location: DatabaseLocation
        switch self {
        case .sqlite: location = .sqliteMemory
        case .postgres: location = .postgres(url: try await PostgresTestCluster.makeDatabase())
        }
        let cipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
        return try await SQLStore.with(location, cipher: cipher, logger: Self.logger) { store in
            try await store.migrator.migrate()
            let tenant = try await store.tenants.create(name: "Acme")
            let now = Date()
            let connection = Connection(
                id: Identifier.make(prefix: "con"),
                tenantID: tenant.id,
                provider: "halopsa",
                name: "Main",
                status: .active,
                createdAt: now,
                updatedAt: now
            )
            try await store.connections.create(connection)
            return try await body(store, connection)
        }
    }
}

extension ImportRunner {
    init(store: SQLStore) {
        self.init(records: store.records, progress: store.records, runs: store.runs, logger: EngineBackend.logger)
    }
}
