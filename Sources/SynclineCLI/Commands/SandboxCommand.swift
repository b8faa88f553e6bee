import ArgumentParser
import SynclineApp

/// `syncline sandbox`: the emulated providers on their own, to point a Syncline (or anything else) at.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve the emulated HaloPSA at http://HOST:PORT/halopsa (client id and secret: demo / demo).",
        discussion: """
            The token endpoint is /halopsa/auth/token and the API /halopsa/api/...; the data is generated from a \
            fixed seed. `syncline serve` mounts the same emulator under /sandbox/halopsa unless --no-sandbox.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Port to listen on (default 8099; 0 picks a free one).")
    var port: Int = 8099

    @Option(help: "Address to listen on.")
    var host: String = "127.0.0.1"

    @Option(help: "The emulated API application's client id (SYNCLINE_SANDBOX_CLIENT_ID, default demo).")
    var clientId: String?

    @Option(help: "The emulated API application's client secret (SYNCLINE_SANDBOX_CLIENT_SECRET, default demo).")
    var clientSecret: String?

    @Option(help: "How many HaloPSA clients (companies) to serve (default 25).")
    var clients: Int?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        if let clients, clients < 0 { throw ValidationError("--clients must be 0 or more") }
    }

    func run() async throws {
        let configuration = try await options.configuration(
            extra: ["sandboxClientId": clientId, "sandboxClientSecret": clientSecret]
        )
        try await Syncline.runSandbox(
            configuration,
            host: host,
            port: port,
            clients: clients,
            logger: options.logger(configuration)
        )
    }
}
