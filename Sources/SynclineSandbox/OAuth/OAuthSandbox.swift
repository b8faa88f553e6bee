import Hummingbird

/// An OAuth emulator listening on loopback for the span of `withOAuthSandbox`: the URLs to configure an OAuth
/// client with, and the emulator to inspect and steer (request log, expiry, denial).
public struct OAuthSandbox: Sendable {
    public let emulator: OAuthEmulator
    public let host: String
    public let port: Int

    /// The mount point, e.g. `http://127.0.0.1:54321/oauth`.
    public var baseURL: String { "http://\(host):\(port)/oauth" }
    public var authorizeURL: String { baseURL + "/authorize" }
    public var tokenURL: String { baseURL + "/token" }
    public var revokeURL: String { baseURL + "/revoke" }
    /// `{baseURL}/api`, the protected resources (`/me`, `/contacts`).
    public var apiURL: String { baseURL + "/api" }
}

/// Runs an OAuth emulator on `host` (127.0.0.1 by default) on a free port, mounted at `/oauth`, calls `body` with
/// it, and stops the server when `body` returns or throws.
public func withOAuthSandbox<Result: Sendable>(
    _ configuration: OAuthEmulator.Configuration = .init(),
    host: String = "127.0.0.1",
    _ body: (OAuthSandbox) async throws -> Result
) async throws -> Result {
    let emulator = OAuthEmulator(configuration)
    let router = Router()
    emulator.register(on: router, at: "/oauth")
    return try await LoopbackServer.withServer(router: router, host: host) { port in
        try await body(OAuthSandbox(emulator: emulator, host: host, port: port))
    }
}
