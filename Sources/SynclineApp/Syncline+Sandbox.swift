import Hummingbird
import Logging
import ServiceLifecycle
import SynclineSandbox
import UnixSignals

/// The emulated providers, wired for people trying Syncline without any account: mounted inside `serve`, or
/// served on their own by `syncline sandbox`. Tests use SynclineSandbox directly.
extension Syncline {
    /// Where `serve` mounts the emulated HaloPSA, so its URL is `http://HOST:PORT/sandbox/halopsa`.
    public static let sandboxMountPath = "/sandbox/halopsa"

    /// The emulated HaloPSA with the configured demo credentials and a small MSP's worth of data.
    static func makeSandboxHaloPSA(_ configuration: SynclineConfiguration, records: HaloPSARecordCounts? = nil)
        -> HaloPSAEmulator
    {
        HaloPSAEmulator(
            HaloPSAEmulator.Configuration(
                recordCounts: records ?? HaloPSARecordCounts(),
                clientID: configuration.sandboxClientID,
                clientSecret: configuration.sandboxClientSecret
            )
        )
    }

    /// Serves the emulated providers on their own until SIGINT or SIGTERM: HaloPSA at `/halopsa` (token at
    /// `/halopsa/auth/token`, API at `/halopsa/api/...`) and the paging shapes at `/shapes`.
    public static func runSandbox(
        _ configuration: SynclineConfiguration,
        host: String,
        port: Int,
        clients: Int? = nil,
        logger: Logger,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let router = Router()
        var records = HaloPSARecordCounts()
        if let clients { records.clients = clients }
        makeSandboxHaloPSA(configuration, records: records).register(on: router, at: "/halopsa")
        PagingShapesEmulator(count: 250).register(on: router, at: "/shapes")
        let application = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Syncline-Sandbox"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info(
                    "Sandbox HaloPSA is listening",
                    metadata: [
                        "url": "http://\(host):\(bound)/halopsa",
                        "client_id": "\(configuration.sandboxClientID)",
                    ]
                )
                await onRunning(bound)
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: application)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            throw StartupError.describing(error, host: host, port: port)
        }
    }
}
