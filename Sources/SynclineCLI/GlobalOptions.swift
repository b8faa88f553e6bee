import ArgumentParser
import Logging
import SynclineApp

/// Options every command takes: where the data lives and how much to log.
public struct GlobalOptions: ParsableArguments {
    @Option(help: "Directory for the SQLite database and the key file (SYNCLINE_DATA_DIR, default ./.syncline).")
    var dataDir: String?

    @Option(help: "PostgreSQL URL, postgres://USER:PASSWORD@HOST:PORT/DB (SYNCLINE_DATABASE_URL).")
    var databaseUrl: String?

    @Option(name: .customLong("config"), help: "A YAML config file with flat keys (SYNCLINE_CONFIG_FILE).")
    var configFile: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (SYNCLINE_LOG_LEVEL).")
    var logLevel: String?

    @Option(help: "A directory of extra provider files (SYNCLINE_PROVIDERS_DIR).")
    var providersDir: String?

    public init() {}

    /// The configuration from these flags, the environment and the config file; `extra` adds command flags.
    func configuration(extra: [String: String?] = [:]) async throws -> SynclineConfiguration {
        var flags: [String: String] = [:]
        flags["dataDir"] = dataDir
        flags["databaseUrl"] = databaseUrl
        flags["logLevel"] = logLevel
        flags["providersDir"] = providersDir
        for (key, value) in extra {
            if let value { flags[key] = value }
        }
        return try await SynclineConfiguration.load(flags: flags, configFile: configFile)
    }

    /// A logger on standard error at the configured level.
    func logger(_ configuration: SynclineConfiguration) -> Logger {
        var logger = Logger(label: "syncline") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = configuration.logLevel
        return logger
    }
}
