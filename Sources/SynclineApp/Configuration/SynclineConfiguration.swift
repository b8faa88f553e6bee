import Foundation
import Logging
import SynclineStore

/// Everything an operator can set, with its default. Read once at start by
/// `SynclineConfiguration.load`, from flags, then `SYNCLINE_*` environment variables, then a config file.
public struct SynclineConfiguration: Sendable {
    /// Where the SQLite file and the key file live (`./.syncline`).
    public var dataDirectory: String = ".syncline"
    /// A `postgres://` URL; when set, PostgreSQL is used instead of the SQLite file.
    public var databaseURL: String?
    /// The active master key, base64 of 32 bytes; when unset, the key file in the data directory is used.
    public var masterKey: String?
    /// Older master keys, still needed to read credentials sealed before a rotation.
    public var previousMasterKeys: [String] = []
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var logLevel: Logger.Level = .info
    /// A directory of extra provider files (`*.yaml`), added to the bundled ones and overriding them by slug.
    public var providersDirectory: String?
    /// Whether `serve` mounts the emulated HaloPSA under `/sandbox/halopsa`, so a newcomer can connect to
    /// something without an account anywhere.
    public var sandboxEnabled = true
    /// The emulated HaloPSA's client id and secret (documented defaults, not secrets of anything real).
    public var sandboxClientID = "demo"
    public var sandboxClientSecret = "demo"
    /// Jobs one process runs at the same time (`serve` and `worker`).
    public var workers = 4
    /// Whether `serve` runs the scheduler and workers beside the API (`--no-workers` for an API-only process).
    public var runWorkers = true
    /// How long a claimed job stays leased without a heartbeat; a worker that dies frees its job after this.
    public var jobLeaseSeconds = 60

    public init() {}

    /// The database this configuration names.
    public func databaseLocation() throws -> DatabaseLocation {
        if let databaseURL, !databaseURL.isEmpty {
            return try DatabaseLocation.parse(databaseURL: databaseURL)
        }
        return .sqliteFile(path: URL(fileURLWithPath: dataDirectory).appendingPathComponent("syncline.sqlite").path)
    }

    /// The key file used when `masterKey` is not set.
    public var keyFilePath: String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent("master.key").path
    }
}
