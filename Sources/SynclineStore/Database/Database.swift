@preconcurrency import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit
import SQLiteKit
import SQLiteNIO
import SynclineCore

/// An open SQLite or PostgreSQL database behind one SQLKit code path. Opened and always closed by
/// `Database.with(_:logger:_:)`; repositories borrow a connection per call or per transaction.
public final class Database: Sendable {
    public let dialect: DatabaseDialect
    public let location: DatabaseLocation
    private let backend: Backend
    let logger: Logger

    private enum Backend: Sendable {
        /// The checkpointer exists for a database file (an in-memory database has no write-ahead log).
        case sqlite(SQLiteConnection, SerialGate, WALCheckpointer?)
        case postgres(EventLoopGroupConnectionPool<PostgresConnectionSource>)
    }

    private init(location: DatabaseLocation, backend: Backend, logger: Logger) {
        self.location = location
        self.dialect = location.dialect
        self.backend = backend
        self.logger = logger
    }

    /// Opens the database, runs `body`, and closes it on every path (errors included).
    public static func with<T: Sendable>(
        _ location: DatabaseLocation,
        logger: Logger,
        _ body: (Database) async throws -> T
    ) async throws -> T {
        let database = try await open(location, logger: logger)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    private static func open(_ location: DatabaseLocation, logger: Logger) async throws -> Database {
        switch location {
        case .sqliteMemory:
            return try await openSQLite(location: location, storage: .memory, logger: logger)
        case .sqliteFile(let path):
            try prepareDirectory(forFile: path)
            return try await openSQLite(location: location, storage: .file(path: path), logger: logger)
        case .postgres(let url):
            return try await openPostgres(location: location, url: url, logger: logger)
        }
    }

    /// Runs `body` on a connection of its own (SQLite: the one connection, taken exclusively).
    public func withConnection<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let connection, let gate, let checkpointer):
            // After reads too: telling them from writes here would cost more than a checkpoint with nothing to
            // copy, and the checkpointer runs at most one every 100 ms however often it is asked.
            defer { checkpointer?.request() }
            return try await gate.withGate { try await body(connection.sql(queryLogLevel: .trace)) }
        case .postgres(let pool):
            let connection = try await pool.requestConnection(logger: logger).get()
            defer { pool.releaseConnection(connection, logger: logger) }
            return try await body(connection.sql(queryLogLevel: .trace))
        }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection { db in
            try await db.raw(SQLQueryString(dialect.beginTransaction)).run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Closes the database even when the calling task is cancelled (a server stopping by cancellation), since a
    /// connection left open traps at deinit in debug builds and may lose the SQLite WAL checkpoint.
    private func close() async {
        do {
            switch backend {
            case .sqlite(let connection, _, let checkpointer):
                await checkpointer?.close()
                try await connection.close().get()
            case .postgres(let pool):
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    pool.shutdownGracefully { error in
                        if let error { continuation.resume(throwing: error) } else { continuation.resume() }
                    }
                }
            }
        } catch {
            logger.warning("Closing the database failed", metadata: ["error": "\(error)"])
        }
    }
}

extension Database {
    private static func prepareDirectory(forFile path: String) throws {
        try prepareDirectory(URL(fileURLWithPath: path).deletingLastPathComponent().path)
    }

    /// Creates `directory` if needed and checks it is a writable directory, with an error that says which.
    public static func prepareDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError(.invalidConfiguration, "the data directory \(directory) is a file, not a directory")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(
                    .invalidConfiguration,
                    "cannot create the data directory \(directory): \(Self.reason(error))"
                )
            }
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            throw StoreError(.invalidConfiguration, "the data directory \(directory) is not writable")
        }
    }

    /// The page size a new SQLite file is created with.
    static let sqlitePageSize = 16_384

    private static func openSQLite(
        location: DatabaseLocation,
        storage: SQLiteConnection.Storage,
        logger: Logger
    ) async throws -> Database {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        } catch {
            throw StoreError(.invalidConfiguration, "cannot open the SQLite database \(location): \(error)")
        }
        var checkpointer: WALCheckpointer?
        do {
            try await connection.query("PRAGMA busy_timeout = 5000", []) { _ in }
            if case .sqliteFile(let path) = location {
                // A new file gets 16 KiB pages (SQLite's default is 4 KiB): an import writes fewer, fuller pages
                // (6 % faster here); the job queue measured the same. A file that exists keeps its page size.
                try await connection.query("PRAGMA page_size = \(Self.sqlitePageSize)", []) { _ in }
                try await connection.query("PRAGMA journal_mode = WAL", []) { _ in }
                try await connection.query("PRAGMA synchronous = NORMAL", []) { _ in }
                try await connection.query("PRAGMA wal_autocheckpoint = \(WALCheckpointer.writerThreshold)", []) {
                    _ in
                }
                checkpointer = try await WALCheckpointer.open(path: path, logger: logger)
            }
        } catch {
            try? await connection.close().get()
            throw StoreError(.invalidConfiguration, "cannot use the SQLite database \(location): \(error)")
        }
        let database = Database(
            location: location,
            backend: .sqlite(connection, SerialGate(), checkpointer),
            logger: logger
        )
        do {
            try await database.withConnection { db in
                try await db.raw("PRAGMA foreign_keys = ON").run()
            }
        } catch {
            await database.close()
            throw StoreError(.invalidConfiguration, "cannot use the SQLite database \(location): \(error)")
        }
        return database
    }

    private static func openPostgres(location: DatabaseLocation, url: String, logger: Logger) async throws -> Database {
        var configuration: SQLPostgresConfiguration
        do {
            configuration = try SQLPostgresConfiguration(url: url)
        } catch {
            throw StoreError(
                .invalidConfiguration,
                "the database URL \(location) is not usable: \(reason(error))"
            )
        }
        configuration.coreConfiguration.options.connectTimeout = .seconds(5)
        // Failed connection attempts reach callers as errors; the pool's own log of them is noise unless debugging.
        var poolLogger = logger
        if logger.logLevel > .debug { poolLogger.logLevel = .critical }
        let pool = EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration),
            maxConnectionsPerEventLoop: 8,
            requestTimeout: .seconds(15),
            logger: poolLogger,
            on: MultiThreadedEventLoopGroup.singleton
        )
        let database = Database(location: location, backend: .postgres(pool), logger: logger)
        do {
            try await database.withConnection { db in try await db.raw("SELECT 1").run() }
        } catch {
            await database.close()
            throw StoreError(.unavailable, "cannot connect to PostgreSQL at \(location): \(reason(error))")
        }
        return database
    }

    /// A short human reason for an error from the drivers, whose descriptions are often generic.
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            if let underlying = error.underlying { return reason(underlying) }
            return String(describing: error.code)
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return reason(first.error) }
            if let dnsError = error.dnsAAAAError ?? error.dnsAError { return "host not found (\(dnsError))" }
        }
        if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError {
            if underlying.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(underlying.code))) }
            return underlying.localizedDescription
        }
        return String(describing: error)
    }
}
