import SQLKit

/// The one named place where SQLite and PostgreSQL differ. Everything else is shared SQL.
public enum DatabaseDialect: String, Sendable, Hashable {
    case sqlite
    case postgresql

    /// How a write transaction starts. SQLite takes the write lock up front (`IMMEDIATE`), so two writers
    /// wait on the busy timeout instead of failing when a read lock cannot be upgraded.
    var beginTransaction: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgresql: "BEGIN"
        }
    }

    /// What a cross-process transaction lock serialises. The keys live together here, so two uses cannot share
    /// one by accident (raw values of an enum are unique).
    enum TransactionLock: Int64 {
        /// Migrators.
        case migrations = 7_212_853_064
        /// The first start's operator key, so two servers starting at once make one between them.
        case firstOperatorKey = 7_212_853_065
    }

    /// A statement that keeps transactions taking the same `lock` apart across processes until they end, if
    /// needed: SQLite's `BEGIN IMMEDIATE` already takes the one write lock; PostgreSQL takes a transaction-scoped
    /// advisory lock.
    func transactionLock(_ lock: TransactionLock) -> String? {
        switch self {
        case .sqlite: nil
        case .postgresql: "SELECT pg_advisory_xact_lock(\(lock.rawValue))"
        }
    }

    /// How a claim locks the candidates it reads. PostgreSQL skips rows another worker is claiming, so workers
    /// never wait on each other; SQLite's claim runs under `BEGIN IMMEDIATE` (one writer), so it needs nothing.
    var claimLock: String {
        switch self {
        case .sqlite: ""
        case .postgresql: "FOR UPDATE SKIP LOCKED"
        }
    }

    /// The statements that refresh the planner's statistics of `tables` after a bulk load. PostgreSQL's
    /// autovacuum analyses a grown table too late for the import that grows it; SQLite plans by its indexes
    /// alone and needs nothing.
    func refreshStatistics(_ tables: [String]) -> [String] {
        switch self {
        case .sqlite: []
        case .postgresql: tables.map { "ANALYZE \($0)" }
        }
    }

    /// The text of the placeholder for the `position`th bind (from 1): SQLite's `?N`, PostgreSQL's `$N`. Both
    /// let a statement name one bind many times, which a page's multi-row insert uses for its constant columns.
    func placeholder(_ position: Int) -> String {
        var text = ""
        appendPlaceholder(position, to: &text)
        return text
    }

    /// `placeholder(position)` written onto `sql`: a page's statement names thousands, and interpolating each
    /// into a string of its own showed in the import's profile.
    func appendPlaceholder(_ position: Int, to sql: inout String) {
        switch self {
        case .sqlite: sql.append("?")
        case .postgresql: sql.append("$")
        }
        sql.append(String(position))
    }

    /// A query answering one row when `table` exists.
    func tableExists(_ table: String) -> SQLQueryString {
        switch self {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)"
        case .postgresql:
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = \(bind: table)"
        }
    }

    /// Whether a database error is a unique-constraint violation, so it can become `StoreError.conflict`.
    func isUniqueViolation(_ error: any Error) -> Bool {
        let text = String(reflecting: error)
        switch self {
        case .sqlite: return text.contains("UNIQUE constraint failed")
        case .postgresql: return text.contains("23505") || text.contains("unique_violation")
        }
    }
}
