import Hummingbird

/// A HaloPSA emulator listening on loopback for the span of `withHaloPSASandbox`: where to point a real
/// HTTP client, and the emulator to inspect (request log, touched records).
public struct HaloPSASandbox: Sendable {
    public let emulator: HaloPSAEmulator
    public let host: String
    public let port: Int

    /// The instance URL, e.g. `http://127.0.0.1:54321/halopsa` (what a HaloPSA connection calls its host).
    public var baseURL: String { "http://\(host):\(port)/halopsa" }
    /// `{baseURL}/auth/token`.
    public var tokenURL: String { baseURL + "/auth/token" }
    /// `{baseURL}/api`.
    public var apiURL: String { baseURL + "/api" }
}

/// Runs a HaloPSA emulator on `host` (127.0.0.1 by default) on a free port, mounted at `/halopsa`, calls `body`
/// with it, and stops the server when `body` returns or throws.
public func withHaloPSASandbox<Result: Sendable>(
    _ configuration: HaloPSAEmulator.Configuration = HaloPSAEmulator.Configuration(),
    host: String = "127.0.0.1",
    _ body: (HaloPSASandbox) async throws -> Result
) async throws -> Result {
    let emulator = HaloPSAEmulator(configuration)
    let router = Router()
    emulator.register(on: router, at: "/halopsa")
    return try await LoopbackServer.withServer(router: router, host: host) { port in
        try await body(HaloPSASandbox(emulator: emulator, host: host, port: port))
    }
}
