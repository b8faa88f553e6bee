import Logging
import SQLiteNIO

/// Copies SQLite's write-ahead log into the database file from a connection of its own, beside the writer.
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, so every fifth page of an
/// import waited about 54 ms for it (a fifth of the import's time in the store); a passive checkpoint from
/// another connection runs while the writer goes on. The writer keeps an automatic checkpoint at a higher
/// threshold as a backstop, so the log stays bounded even if this one falls behind.
final class WALCheckpointer: Sendable {
    /// How often at most a checkpoint runs while writes keep coming (each one syncs the database file).
    static let interval = Duration.milliseconds(100)
    /// The writer's own threshold, in pages (SQLite's default is 1,000): reached only if this one lags.
    static let writerThreshold = 10_000

    private let connection: SQLiteConnection
    private let requests: AsyncStream<Void>.Continuation
    private let loop: Task<Void, Never>

    private init(connection: SQLiteConnection, logger: Logger) {
        self.connection = connection
        let (stream, requests) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        self.requests = requests
        // A task of its own, joined by `close()`, which `Database.with` always calls: it lives exactly as long
        // as the database is open.
        loop = Task {
            for await _ in stream {
                do {
                    try await connection.query("PRAGMA wal_checkpoint(PASSIVE)", []) { _ in }
                } catch {
                    // The writer's own checkpoint still bounds the log; a failure here costs only speed.
                    logger.debug("A background WAL checkpoint failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: Self.interval)
            }
        }
    }

    /// Opens the second connection to the database file at `path`.
    static func open(path: String, logger: Logger) async throws -> WALCheckpointer {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        do {
            try await connection.query("PRAGMA busy_timeout = 5000", []) { _ in }
        } catch {
            try? await connection.close().get()
            throw error
        }
        return WALCheckpointer(connection: connection, logger: logger)
    }

    /// Asks for a checkpoint after a write; requests made while one runs or waits are one request.
    func request() {
        requests.yield(())
    }

    /// Lets a checkpoint in progress finish, skips any that waits, and closes the connection. The writer's
    /// connection, closed last, checkpoints what is left. Closed through the future, which a cancelled task
    /// (a server stopping) still waits for: the async `close()` gave up, and an open connection traps at deinit.
    func close() async {
        requests.finish()
        loop.cancel()
        await loop.value
        try? await connection.close().get()
    }
}
