import Foundation
import Logging
import SQLKit
import SynclineCore

/// Applies pending migrations and reports the schema level. Safe to run from several processes at once:
/// migrators queue on a lock, and the second finds nothing left to do.
public struct Migrator: Sendable {
    public let database: Database
    let migrations: [Migration]

    public init(database: Database, migrations: [Migration] = Migration.all) {
        self.database = database
        self.migrations = migrations
    }

    /// What one `migrate` call did.
    public struct Report: Sendable, Hashable {
        public var applied: [Int]
        public var level: Int
    }

    private var latest: Int { migrations.last?.version ?? 0 }

    /// Applies every migration above the current level in one transaction. Refuses a database that a
    /// newer Syncline has migrated further than this build knows.
    @discardableResult
    public func migrate(now: Date = Date()) async throws -> Report {
        let dialect = database.dialect
        let report = try await database.transaction { db in
            if let lock = dialect.transactionLock(.migrations) {
                try await db.raw(SQLQueryString(lock)).run()
            }
            try await db.raw(
                """
                CREATE TABLE IF NOT EXISTS syncline_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at BIGINT NOT NULL
                )
                """
            ).run()
            let current = try await Self.level(db)
            try checkNotTooNew(current)
            var applied: [Int] = []
            for migration in migrations where migration.version > current {
                for statement in migration.statements(dialect) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.insert(into: "syncline_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(Timestamp.millis(now)))
                    .run()
                applied.append(migration.version)
            }
            return Report(applied: applied, level: max(current, applied.last ?? current))
        }
        if !report.applied.isEmpty {
            database.logger.info(
                "Applied migrations",
                metadata: [
                    "syncline.migrations": "\(report.applied.map(String.init).joined(separator: ","))",
                    "syncline.schema_level": "\(report.level)",
                ]
            )
        }
        return report
    }

    /// The current schema level (0 for an empty database), refusing one that is newer than this build.
    public func level() async throws -> Int {
        let dialect = database.dialect
        let current = try await database.withConnection { db -> Int in
            let exists = try await db.raw(dialect.tableExists("syncline_migrations")).first()
            guard exists != nil else { return 0 }
            return try await Self.level(db)
        }
        try checkNotTooNew(current)
        return current
    }

    private static func level(_ db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw("SELECT MAX(version) AS level FROM syncline_migrations").first()
        return try row?.decode(column: "level", as: Int?.self) ?? 0
    }

    private func checkNotTooNew(_ current: Int) throws {
        guard current <= latest else {
            throw StoreError(
                .schemaTooNew,
                "the database \(database.location) is at schema version \(current), but this Syncline "
                    + "(\(SynclineVersion.current)) knows versions up to \(latest): it was written by a newer "
                    + "Syncline; upgrade Syncline or point it at another database"
            )
        }
    }
}
