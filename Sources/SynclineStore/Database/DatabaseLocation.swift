import Foundation
import SynclineCore

/// Where the store lives: chosen once by the composition root from `--data-dir` and `--database-url`.
public enum DatabaseLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite file (created with its directory when missing).
    case sqliteFile(path: String)
    /// A private in-memory SQLite database, gone when closed; for tests.
    case sqliteMemory
    /// A PostgreSQL server, `postgres://user:pass@host:port/db`.
    case postgres(url: String)

    /// Reads `postgres://`/`postgresql://` URLs; anything else is a clear configuration error.
    public static func parse(databaseURL: String) throws -> DatabaseLocation {
        guard let components = URLComponents(string: databaseURL),
            let scheme = components.scheme?.lowercased(),
            ["postgres", "postgresql"].contains(scheme),
            let host = components.host, !host.isEmpty
        else {
            throw StoreError(
                .invalidConfiguration,
                "the database URL \(DatabaseLocation.redacting(databaseURL)) is not a PostgreSQL URL: expected postgres://USER:PASSWORD@HOST:PORT/DATABASE"
            )
        }
        return .postgres(url: databaseURL)
    }

    /// The dialect this location speaks.
    public var dialect: DatabaseDialect {
        switch self {
        case .sqliteFile, .sqliteMemory: .sqlite
        case .postgres: .postgresql
        }
    }

    /// Safe to log: a PostgreSQL password is masked.
    public var description: String {
        switch self {
        case .sqliteFile(let path): "sqlite:\(path)"
        case .sqliteMemory: "sqlite::memory:"
        case .postgres(let url): DatabaseLocation.redacting(url)
        }
    }

    /// A URL with its password replaced, for messages and logs.
    static func redacting(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "****"
        return components.string ?? "<database url>"
    }
}
