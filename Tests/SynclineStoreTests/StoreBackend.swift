import Foundation
import Logging
import SynclineStore
import SynclineTestSupport
import Testing

/// The real databases the store is tested on. Every conformance check runs on each of them.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqliteMemory = "SQLite in memory"
    case sqliteFile = "SQLite on disk"
    case postgres = "PostgreSQL"

    var testDescription: String { rawValue }

    static let logger: Logger = {
        var logger = Logger(label: "syncline.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// A fresh, migrated store on this backend, closed (and its files removed) after `body`.
    func withStore<T: Sendable>(
        cipher: CredentialCipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate())),
        migrate: Bool = true,
        _ body: (SQLStore, DatabaseLocation) async throws -> T
    ) async throws -> T {
        try await withLocation { location in
            try await SQLStore.with(location, cipher: cipher, logger: Self.logger) { store in
                if migrate { try await store.migrator.migrate() }
                return try await body(store, location)
            }
        }
    }

    /// A fresh location on this backend: a new in-memory database, a file in a temporary directory, or a
    /// new database on the shared PostgreSQL test cluster.
    func withLocation<T: Sendable>(_ body: (DatabaseLocation) async throws -> T) async throws -> T {
        switch self {
        case .sqliteMemory:
            return try await body(.sqliteMemory)
        case .sqliteFile:
            return try await withTemporaryDirectory { directory in
                try await body(.sqliteFile(path: directory.appendingPathComponent("syncline.sqlite").path))
            }
        case .postgres:
            return try await body(.postgres(url: try await PostgresTestCluster.makeDatabase()))
        }
    }
}

/// Enables a test only where PostgreSQL can run, and says why when it cannot.
let postgresAvailable = Testing.ConditionTrait.enabled(
    if: PostgresTestCluster.isAvailable,
    Comment(
        rawValue: {
            if case .unavailable(let reason) = PostgresTestCluster.availability { return reason }
            return "PostgreSQL available"
        }()
    )
)

@Suite("PostgreSQL for tests")
struct PostgresPresenceTests {
    @Test("PostgreSQL is present when SYNCLINE_REQUIRE_POSTGRES=1")
    func requiredPostgresIsPresent() {
        if PostgresTestCluster.isRequired {
            #expect(PostgresTestCluster.isAvailable, "SYNCLINE_REQUIRE_POSTGRES=1 but PostgreSQL cannot run here")
        }
    }
}

/// The PostgreSQL availability as the tests report it.
enum PostgresTestClusterAvailability {
    static var isAvailable: Bool { PostgresTestCluster.isAvailable }
    static var reason: String {
        if case .unavailable(let reason) = PostgresTestCluster.availability { return reason }
        return ""
    }
}
