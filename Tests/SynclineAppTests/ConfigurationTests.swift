import Foundation
import Logging
import SynclineApp
import SynclineStore
import SynclineTestSupport
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("defaults need nothing set")
    func defaults() async throws {
        let configuration = try await SynclineConfiguration.load(environment: [:])
        #expect(configuration.dataDirectory == ".syncline")
        #expect(configuration.port == 8080)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.databaseURL == nil)
        #expect(configuration.masterKey == nil)
        #expect(configuration.logLevel == .info)
        #expect(
            try configuration.databaseLocation()
                == .sqliteFile(path: URL(fileURLWithPath: ".syncline/syncline.sqlite").path)
        )
    }

    @Test("flags win over the environment, which wins over the config file")
    func precedence() async throws {
        try await withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("syncline.yaml").path
            try """
            dataDir: /from/file
            port: 7000
            host: 0.0.0.0
            logLevel: debug
            """.write(toFile: file, atomically: true, encoding: .utf8)
            let environment = ["SYNCLINE_PORT": "7100", "SYNCLINE_DATA_DIR": "/from/env", "SYNCLINE_CONFIG_FILE": file]

            let fileOnly = try await SynclineConfiguration.load(environment: ["SYNCLINE_CONFIG_FILE": file])
            #expect(fileOnly.dataDirectory == "/from/file")
            #expect(fileOnly.port == 7000)
            #expect(fileOnly.host == "0.0.0.0")
            #expect(fileOnly.logLevel == .debug)

            let withEnvironment = try await SynclineConfiguration.load(environment: environment)
            #expect(withEnvironment.dataDirectory == "/from/env")
            #expect(withEnvironment.port == 7100)
            #expect(withEnvironment.host == "0.0.0.0")

            let withFlags = try await SynclineConfiguration.load(
                flags: ["dataDir": "/from/flag", "port": "7200"],
                environment: environment
            )
            #expect(withFlags.dataDirectory == "/from/flag")
            #expect(withFlags.port == 7200)
        }
    }

    @Test("the database URL and master keys come from the environment")
    func secretsFromEnvironment() async throws {
        let key = Data(repeating: 3, count: 32).base64EncodedString()
        let old = Data(repeating: 4, count: 32).base64EncodedString()
        let configuration = try await SynclineConfiguration.load(environment: [
            "SYNCLINE_DATABASE_URL": "postgres://u:p@db.internal:5432/syncline",
            "SYNCLINE_MASTER_KEY": key,
            "SYNCLINE_PREVIOUS_MASTER_KEYS": "\(old), ",
        ])
        #expect(try configuration.databaseLocation() == .postgres(url: "postgres://u:p@db.internal:5432/syncline"))
        #expect(configuration.masterKey == key)
        #expect(configuration.previousMasterKeys == [old])
        let cipher = try Syncline.makeCipher(configuration)
        #expect(cipher.ring.active.id == (try MasterKey(base64: key, source: "test")).id)
        #expect(cipher.ring.ids.count == 2)
    }

    @Test("bad values are errors that name the setting")
    func badValues() async throws {
        let port = await #expect(throws: ConfigurationError.self) {
            try await SynclineConfiguration.load(environment: ["SYNCLINE_PORT": "eighty"])
        }
        #expect(port?.description.contains("port") == true)
        let level = await #expect(throws: ConfigurationError.self) {
            try await SynclineConfiguration.load(flags: ["logLevel": "loud"], environment: [:])
        }
        #expect(level?.description.contains("logLevel") == true)
        let file = await #expect(throws: ConfigurationError.self) {
            try await SynclineConfiguration.load(environment: [:], configFile: "/nonexistent/syncline.yaml")
        }
        #expect(file?.description.contains("/nonexistent/syncline.yaml") == true)
        let url = await #expect(throws: (any Error).self) {
            try await SynclineConfiguration.load(environment: ["SYNCLINE_DATABASE_URL": "mysql://x"]).databaseLocation()
        }
        #expect(String(describing: url.map { $0 }).contains("not a PostgreSQL URL"))
        let key = await #expect(throws: (any Error).self) {
            try Syncline.makeCipher(
                try await SynclineConfiguration.load(environment: ["SYNCLINE_MASTER_KEY": "c2hvcnQ="])
            )
        }
        #expect(String(describing: key.map { $0 }).contains("SYNCLINE_MASTER_KEY"))
    }

    @Test("the database URL's password is masked wherever the location is shown")
    func passwordMasked() throws {
        let location = try DatabaseLocation.parse(databaseURL: "postgres://syncline:hunter2@db:5432/syncline")
        #expect(!location.description.contains("hunter2"))
        #expect(location.description.contains("****"))
    }
}
