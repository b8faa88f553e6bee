import Foundation
import Logging
import ServiceLifecycle
import SynclineCore

/// Refreshes authorization-code tokens before they expire, so a sync never starts on a dead token and a
/// rarely used connection's refresh token does not lapse. Transient failures back off per connection.
public struct TokenRefresher: Service {
    let connections: any ConnectionStore
    let refresher: CredentialRefresher
    /// Whether a provider's tokens come from an authorization code (only those are refreshed here).
    let refreshable: @Sendable (String) -> Bool
    /// Tokens expiring within this window are refreshed on the next tick.
    let window: TimeInterval
    let tick: Duration
    let clock: any SynclineClock
    let logger: Logger

    public init(
        connections: any ConnectionStore,
        refresher: CredentialRefresher,
        refreshable: @escaping @Sendable (String) -> Bool,
        window: TimeInterval = 600,
        tick: Duration = .seconds(60),
        clock: any SynclineClock = SystemClock(),
        logger: Logger
    ) {
        self.connections = connections
        self.refresher = refresher
        self.refreshable = refreshable
        self.window = window
        self.tick = tick
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        var backoff = RefreshBackoff()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await runOnce(backoff: &backoff)
            } catch {
                logger.warning("Scanning for expiring tokens failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: tick) }
        }
    }

    /// One scan: refreshes every due connection not backing off; answers how many were refreshed.
    @discardableResult
    public func runOnce(backoff: inout RefreshBackoff) async throws -> Int {
        let now = refresher.now()
        var refreshedCount = 0
        for connection in try await connections.expiring(before: now.addingTimeInterval(window))
        where refreshable(connection.provider) && connection.status != .disconnected && connection.status != .error {
            guard backoff.allows(connection.id, now: now) else { continue }
            do {
                let outcome = try await refresher.refreshIfNeeded(connection, rejectedAccessToken: nil, within: window)
                if outcome.refreshed { refreshedCount += 1 }
                backoff.succeeded(connection.id)
            } catch let error as JobError where error.disposition == .retryable {
                backoff.failed(connection.id, now: now)
            } catch {
                backoff.succeeded(connection.id)
            }
        }
        return refreshedCount
    }
}

/// Per-connection exponential backoff for transient refresh failures: 1, 2, 4 ... minutes, capped at an hour.
public struct RefreshBackoff: Sendable {
    private var next: [String: (at: Date, failures: Int)] = [:]

    public init() {}

    func allows(_ id: String, now: Date) -> Bool { (next[id]?.at ?? .distantPast) <= now }

    mutating func failed(_ id: String, now: Date) {
        let failures = (next[id]?.failures ?? 0) + 1
        next[id] = (now.addingTimeInterval(min(3600, 60 * pow(2, Double(failures - 1)))), failures)
    }

    mutating func succeeded(_ id: String) { next[id] = nil }
}
