import SynclineStore
import Testing

/// The conformance checks, once per real backend.
@Suite("Store conformance")
struct StoreConformanceTests {
    @Test("SQLite in memory", arguments: ConformanceCheck.all)
    func sqliteMemory(_ check: ConformanceCheck) async throws {
        try await StoreBackend.sqliteMemory.withStore { store, _ in try await check.run(store) }
    }

    @Test("SQLite on disk", arguments: ConformanceCheck.all)
    func sqliteFile(_ check: ConformanceCheck) async throws {
        try await StoreBackend.sqliteFile.withStore { store, _ in try await check.run(store) }
    }

    @Test("PostgreSQL", postgresAvailable, arguments: ConformanceCheck.all)
    func postgres(_ check: ConformanceCheck) async throws {
        try await StoreBackend.postgres.withStore { store, _ in try await check.run(store) }
    }
}
