import Foundation
import SQLKit
import SynclineCore
import SynclineStore
import Testing

@Suite("Migrations")
struct MigratorTests {
    @Test("migrating twice applies everything once, then nothing", arguments: StoreBackend.allCases)
    func migrateTwice(_ backend: StoreBackend) async throws {
        try await skipUnlessAvailable(backend)
        try await backend.withStore(migrate: false) { store, _ in
            #expect(try await store.migrator.level() == 0)
            let first = try await store.migrator.migrate()
            #expect(first.applied == Migration.all.map(\.version))
            #expect(first.level == Migration.latestVersion)
            let tablesBefore = try await tableNames(store)

            let second = try await store.migrator.migrate()
            #expect(second.applied.isEmpty)
            #expect(second.level == Migration.latestVersion)
            #expect(try await tableNames(store) == tablesBefore)
            let recorded = try await store.database.withConnection { db in
                try await db.raw("SELECT version FROM syncline_migrations").all().count
            }
            #expect(recorded == Migration.all.count)
        }
    }

    @Test("a database migrated by a newer Syncline is refused", arguments: StoreBackend.allCases)
    func newerSchemaRefused(_ backend: StoreBackend) async throws {
        try await skipUnlessAvailable(backend)
        try await backend.withStore { store, _ in
            try await store.database.withConnection { db in
                try await db.raw(
                    "INSERT INTO syncline_migrations (version, name, applied_at) VALUES (999, 'future', 0)"
                )
                .run()
            }
            let error = await #expect(throws: StoreError.self) { try await store.migrator.migrate() }
            #expect(error?.code == .schemaTooNew)
            #expect(error?.message.contains("schema version 999") == true)
            #expect(error?.message.contains("newer Syncline") == true)
            await #expect(throws: StoreError.self) { try await store.health() }
        }
    }

    @Test("migrators in parallel on PostgreSQL apply each migration once", postgresAvailable)
    func parallelMigrators() async throws {
        try await StoreBackend.postgres.withLocation { location in
            let cipher = CredentialCipher(ring: KeyRing(active: MasterKey.generate()))
            let reports = try await withThrowingTaskGroup(of: Migrator.Report.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await SQLStore.with(location, cipher: cipher, logger: StoreBackend.logger) { store in
                            try await store.migrator.migrate()
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(reports.flatMap(\.applied).sorted() == Migration.all.map(\.version))
        }
    }

    @Test("health reports the dialect and schema level", arguments: StoreBackend.allCases)
    func health(_ backend: StoreBackend) async throws {
        try await skipUnlessAvailable(backend)
        try await backend.withStore { store, _ in
            let report = try await store.health()
            #expect(report.database == (backend == .postgres ? "postgresql" : "sqlite"))
            #expect(report.migrationLevel == Migration.latestVersion)
        }
    }

    @Test(
        "records keep only the indexes their queries read, since each one costs every imported record an insertion",
        arguments: StoreBackend.allCases
    )
    func recordIndexes(_ backend: StoreBackend) async throws {
        try await skipUnlessAvailable(backend)
        try await backend.withStore { store, _ in
            let sql: SQLQueryString =
                store.database.dialect == .sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name"
                : "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'records' ORDER BY indexname"
            let names = try await store.database.withConnection { db in
                try await db.raw(sql).all().map { try $0.decode(column: "name", as: String.self) }
            }
            // The primary key (page lookups, upserts), the change feed, and reads by model (whose leading tenant
            // column also serves the tenant's cascade on delete).
            let primaryKey = store.database.dialect == .sqlite ? "sqlite_autoindex_records_1" : "records_pkey"
            #expect(names == [primaryKey, "records_feed", "records_model"].sorted())
        }
    }

    private func tableNames(_ store: SQLStore) async throws -> [String] {
        let sql: SQLQueryString =
            store.database.dialect == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            : "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        return try await store.database.withConnection { db in
            try await db.raw(sql).all().map { try $0.decode(column: "name", as: String.self) }
        }
    }
}

/// Parameterised tests over every backend skip the PostgreSQL case, visibly, where it cannot run.
func skipUnlessAvailable(_ backend: StoreBackend) async throws {
    if backend == .postgres && !PostgresTestClusterAvailability.isAvailable {
        try Test.cancel(Comment(rawValue: PostgresTestClusterAvailability.reason))
    }
}
