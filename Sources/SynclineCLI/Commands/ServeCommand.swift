import ArgumentParser
import Foundation
import SynclineApp

/// `syncline serve`: migrate, then serve the API until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Syncline server (migrates the database first)."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Port to listen on (SYNCLINE_PORT, default 8080; 0 picks a free one).")
    var port: Int?

    @Option(help: "Address to listen on (SYNCLINE_HOST, default 127.0.0.1).")
    var host: String?

    @Flag(help: "Do not mount the emulated HaloPSA under /sandbox/halopsa (SYNCLINE_SANDBOX=false).")
    var noSandbox = false

    @Option(help: "Jobs run at the same time by this process (SYNCLINE_WORKERS, default 4).")
    var workers: Int?

    func validate() throws {
        if let port, !(0...65535).contains(port) {
            throw ValidationError("--port must be from 0 to 65535")
        }
        if let workers, !(1...256).contains(workers) {
            throw ValidationError("--workers must be from 1 to 256")
        }
    }

    func run() async throws {
        let configuration = try await options.configuration(extra: [
            "port": port.map(String.init), "host": host, "sandbox": noSandbox ? "false" : nil,
            "workers": workers.map(String.init),
        ])
        // With port 0 the bound port is only known later; the notice then shows a placeholder.
        let baseURL =
            configuration.port == 0 && configuration.publicURL == nil
            ? "http://HOST:PORT" : configuration.publicBaseURL(boundPort: configuration.port)
        try await Syncline.serve(
            configuration,
            logger: options.logger(configuration),
            onOperatorKey: { key in Self.notices.line(Self.operatorKeyNotice(key, baseURL: baseURL)) }
        )
    }

    /// Standard error, for what must reach the operator's terminal but never a log collector.
    static let notices = Console { text in FileHandle.standardError.write(Data(text.utf8)) }

    /// The first start's operator key, shown once (not logged: log pipelines keep what they see).
    static func operatorKeyNotice(_ key: String, baseURL: String) -> String {
        """

        ================================================================================
        Operator API key (shown only this once; store it now):

            \(key)

        It manages tenants and providers. Make a tenant and a key for it with:

            curl -X POST -H "Authorization: Bearer $OPERATOR_KEY" \\
                -d '{"name": "Acme"}' \(baseURL)/api/v1/tenants
            curl -X POST -H "Authorization: Bearer $OPERATOR_KEY" \\
                \(baseURL)/api/v1/tenants/TENANT_ID/keys

        or: syncline tenants create Acme && syncline keys create --tenant Acme
        Set SYNCLINE_ADMIN_KEY to use a key of your own instead.
        ================================================================================

        """
    }
}
