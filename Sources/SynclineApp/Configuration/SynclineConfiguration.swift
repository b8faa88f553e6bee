import Foundation
import Logging
import SynclineCore
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
    /// Whether provider requests may go to loopback, private, link-local and metadata addresses (an on-premises
    /// HaloPSA). Off, they are refused, except the sandbox `serve` itself mounts.
    public var allowPrivateNetworks = false
    /// The address people and providers reach this server at; the OAuth redirect URI is `{publicURL}/oauth/callback`.
    /// Unset: `http://{host}:{port}` as bound.
    public var publicURL: String?
    /// The operator key from `SYNCLINE_ADMIN_KEY`; unset, one is generated on the first start and shown once.
    public var adminKey: String?
    /// Operator OAuth apps from `SYNCLINE_OAUTH_<SLUG>_CLIENT_ID` and `..._CLIENT_SECRET` (the slug in upper case,
    /// `_` for `-`), keyed by the lower-cased slug part; they win over apps registered through the API.
    public var oauthClients: [String: OAuthClientCredentials] = [:]

    /// The environment's OAuth app for a provider slug, if any.
    public func environmentOAuthClient(slug: String) -> OAuthClientCredentials? {
        oauthClients[slug.lowercased().replacingOccurrences(of: "-", with: "_")]
    }

    public init() {}

    /// The public URL as configured, or the bound address.
    public func publicBaseURL(boundPort: Int) -> String {
        if let publicURL, !publicURL.isEmpty {
            return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        }
        let shown = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        return "http://\(shown):\(boundPort)"
    }

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
