import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import SynclineCore

/// The provider runtime's HTTP side: one AsyncHTTPClient with the configured timeouts, shared by the
/// sessions of many connections. Opened and always shut down by `ProviderClient.with`.
public final class ProviderClient: Sendable {
    let http: HTTPClient
    public let settings: ProviderClientSettings
    let clock: any SynclineClock
    let wallClock: @Sendable () -> Date
    let logger: Logger
    /// Client-credentials tokens reused across the sessions (jobs) of this process.
    let tokenCache = ClientTokenCache()

    private init(
        http: HTTPClient,
        settings: ProviderClientSettings,
        clock: any SynclineClock,
        wallClock: @escaping @Sendable () -> Date,
        logger: Logger
    ) {
        self.http = http
        self.settings = settings
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
    }

    /// Runs `body` with a client and shuts the client down afterwards, on every path.
    public static func with<T: Sendable>(
        settings: ProviderClientSettings = ProviderClientSettings(),
        clock: any SynclineClock = SystemClock(),
        wallClock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger,
        _ body: (ProviderClient) async throws -> T
    ) async throws -> T {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(
            connect: .nanoseconds(Self.nanoseconds(settings.connectTimeout)),
            read: .nanoseconds(Self.nanoseconds(settings.readTimeout))
        )
        // The session follows redirects itself, so every hop passes the outbound address policy.
        configuration.redirectConfiguration = .disallow
        // A refused or failed connect fails the request at once; our own retry policy decides what to retry.
        // Left on, AsyncHTTPClient keeps reconnecting until the request's deadline, which turned a refused port
        // into a 60-second "did not answer in time".
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let client = ProviderClient(http: http, settings: settings, clock: clock, wallClock: wallClock, logger: logger)
        do {
            let result = try await body(client)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    /// A session for one connection: its token, its rate-limit budget and its counters.
    public func session(for connection: ProviderConnection) -> ProviderSession {
        ProviderSession(client: self, connection: connection)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
