import Configuration
import Foundation
import Logging
import SynclineCore
import SystemPackage

/// The one place configuration keys are read. Each key has three spellings:
///
/// | key (config file) | environment | flag | default |
/// | --- | --- | --- | --- |
/// | `dataDir` | `SYNCLINE_DATA_DIR` | `--data-dir` | `./.syncline` |
/// | `databaseUrl` | `SYNCLINE_DATABASE_URL` | `--database-url` | none: SQLite in the data directory |
/// | `masterKey` | `SYNCLINE_MASTER_KEY` | none (a secret) | none: `master.key` in the data directory |
/// | `previousMasterKeys` | `SYNCLINE_PREVIOUS_MASTER_KEYS` (comma-separated) | none | none |
/// | `host` | `SYNCLINE_HOST` | `--host` | `127.0.0.1` |
/// | `port` | `SYNCLINE_PORT` | `--port` | `8080` |
/// | `logLevel` | `SYNCLINE_LOG_LEVEL` | `--log-level` | `info` |
/// | `providersDir` | `SYNCLINE_PROVIDERS_DIR` | `--providers-dir` | none: the bundled providers only |
/// | `sandbox` | `SYNCLINE_SANDBOX` (`true`/`false`) | `serve --no-sandbox` | `true`: emulated HaloPSA at `/sandbox/halopsa` |
/// | `sandboxClientId` | `SYNCLINE_SANDBOX_CLIENT_ID` | `sandbox --client-id` | `demo` |
/// | `sandboxClientSecret` | `SYNCLINE_SANDBOX_CLIENT_SECRET` | `sandbox --client-secret` | `demo` |
/// | `workers` | `SYNCLINE_WORKERS` | `serve --workers`, `worker --workers` | `4` jobs at a time per process |
/// | `jobLeaseSeconds` | `SYNCLINE_JOB_LEASE_SECONDS` | none | `60`: a dead worker's job is taken over after this |
/// | `allowPrivateNetworks` | `SYNCLINE_ALLOW_PRIVATE_NETWORKS` (`true`/`false`, `1`/`0`) | none | `false`: provider URLs on loopback, private, link-local or metadata addresses are refused (the sandbox `serve` mounts excepted) |
/// | `publicUrl` | `SYNCLINE_PUBLIC_URL` | none | `http://HOST:PORT` as bound; OAuth redirect URI base |
/// | `adminKey` | `SYNCLINE_ADMIN_KEY` | none (a secret) | none: generated on first start, shown once |
/// | none | `SYNCLINE_OAUTH_<SLUG>_CLIENT_ID`, `SYNCLINE_OAUTH_<SLUG>_CLIENT_SECRET` | none | an operator OAuth app |
///
/// The config file (YAML, flat keys as in the first column) is named by `--config` or `SYNCLINE_CONFIG_FILE`.
/// Flags win over the environment, which wins over the file.
extension SynclineConfiguration {
    /// Reads the configuration; `flags` holds the command-line values that were given, by key.
    public static func load(
        flags: [String: String] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String? = nil
    ) async throws -> SynclineConfiguration {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "flags",
                values: Dictionary(
                    uniqueKeysWithValues: flags.map { key, value in
                        let content: ConfigContent = Int(value).map { .int($0) } ?? .string(value)
                        return (AbsoluteConfigKey(ConfigKey(key)), ConfigValue(content, isSecret: false))
                    }
                )
            ),
            EnvironmentVariablesProvider(
                environmentVariables: environment.filter { $0.key.hasPrefix("SYNCLINE_") },
                secretsSpecifier: .specific([
                    "SYNCLINE_MASTER_KEY", "SYNCLINE_PREVIOUS_MASTER_KEYS", "SYNCLINE_DATABASE_URL",
                    "SYNCLINE_ADMIN_KEY",
                ])
            ).prefixKeys(with: "syncline"),
        ]
        if let path = configFile ?? environment["SYNCLINE_CONFIG_FILE"], !path.isEmpty {
            guard FileManager.default.fileExists(atPath: path) else {
                throw ConfigurationError("the config file \(path) does not exist")
            }
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(path)))
            } catch {
                throw ConfigurationError("the config file \(path) is not valid YAML with flat keys: \(error)")
            }
        }
        var configuration = try SynclineConfiguration(reader: ConfigReader(providers: providers))
        configuration.oauthClients = try oauthClients(environment)
        return configuration
    }

    /// `SYNCLINE_OAUTH_<SLUG>_CLIENT_ID` / `_CLIENT_SECRET` pairs; half a pair is an error naming the other half.
    static func oauthClients(_ environment: [String: String]) throws -> [String: OAuthClientCredentials] {
        var clients: [String: OAuthClientCredentials] = [:]
        let prefix = "SYNCLINE_OAUTH_"
        for (name, id) in environment where name.hasPrefix(prefix) && name.hasSuffix("_CLIENT_ID") {
            let slugPart = name.dropFirst(prefix.count).dropLast("_CLIENT_ID".count)
            guard !slugPart.isEmpty else { continue }
            let secretName = "\(prefix)\(slugPart)_CLIENT_SECRET"
            guard let secret = environment[secretName], !secret.isEmpty, !id.isEmpty else {
                throw ConfigurationError("\(name) is set but \(secretName) is not: set both or neither")
            }
            clients[slugPart.lowercased()] = OAuthClientCredentials(
                clientID: id,
                clientSecret: secret
            )
        }
        return clients
    }

    /// Reads every key from `reader`, validating as it goes.
    public init(reader: ConfigReader) throws {
        self.init()
        dataDirectory = reader.string(forKey: "dataDir", default: dataDirectory)
        databaseURL = reader.string(forKey: "databaseUrl", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        masterKey = reader.string(forKey: "masterKey", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        previousMasterKeys = (reader.string(forKey: "previousMasterKeys", isSecret: true) ?? "")
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        host = reader.string(forKey: "host", default: host)
        publicURL = reader.string(forKey: "publicUrl").flatMap { $0.isEmpty ? nil : $0 }
        adminKey = reader.string(forKey: "adminKey", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ConfigurationError(
                    "publicUrl must be an http(s) URL such as https://sync.example.com, got \(publicURL)"
                )
            }
        }
        providersDirectory = reader.string(forKey: "providersDir").flatMap { $0.isEmpty ? nil : $0 }
        if let value = reader.int(forKey: "port"), (0...65535).contains(value) {
            port = value
        } else if let text = reader.string(forKey: "port") ?? reader.int(forKey: "port").map(String.init) {
            guard let value = Int(text), (0...65535).contains(value) else {
                throw ConfigurationError("port must be a number from 0 to 65535, got \(text)")
            }
            port = value
        }
        if let text = reader.string(forKey: "sandbox") ?? reader.bool(forKey: "sandbox").map({ String($0) }) {
            switch text.lowercased() {
            case "true", "1", "yes", "on": sandboxEnabled = true
            case "false", "0", "no", "off": sandboxEnabled = false
            default: throw ConfigurationError("sandbox must be true or false, got \(text)")
            }
        }
        sandboxClientID = reader.string(forKey: "sandboxClientId", default: sandboxClientID)
        sandboxClientSecret = reader.string(forKey: "sandboxClientSecret", default: sandboxClientSecret)
        if let text = reader.string(forKey: "workers") ?? reader.int(forKey: "workers").map(String.init) {
            guard let count = Int(text), (1...256).contains(count) else {
                throw ConfigurationError("workers must be a whole number from 1 to 256, got \(text)")
            }
            workers = count
        }
        if let text = reader.string(forKey: "jobLeaseSeconds") ?? reader.int(forKey: "jobLeaseSeconds").map(String.init)
        {
            guard let seconds = Int(text), (2...3600).contains(seconds) else {
                throw ConfigurationError("jobLeaseSeconds must be a whole number from 2 to 3600, got \(text)")
            }
            jobLeaseSeconds = seconds
        }
        if let text = reader.string(forKey: "allowPrivateNetworks")
            ?? reader.bool(forKey: "allowPrivateNetworks").map({ String($0) })
        {
            switch text.lowercased() {
            case "true", "1", "yes", "on": allowPrivateNetworks = true
            case "false", "0", "no", "off": allowPrivateNetworks = false
            default: throw ConfigurationError("allowPrivateNetworks must be true or false, got \(text)")
            }
        }
        if let text = reader.string(forKey: "logLevel") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError(
                    "logLevel must be one of trace, debug, info, notice, warning, error, critical; got \(text)"
                )
            }
            logLevel = level
        }
    }
}

/// A configuration value a user got wrong; the message names the key.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
