import Foundation
import Logging
import Metrics
import Synchronization
import SynclineCore

/// Keeps a connection's authorization-code tokens fresh: ahead of expiry and after a 401. Each refresh holds
/// the connection's credential exclusively and re-reads it first, so two workers never spend one single-use
/// refresh token, and a rotated refresh token is saved with the access token it came with.
public struct CredentialRefresher: Sendable {
    let connections: any ConnectionStore
    let credentials: any CredentialStore
    let activity: any ActivityLog
    /// Spends the stored refresh token at the connection's provider (the composition root adds the OAuth app).
    let grant: @Sendable (Connection, CredentialSecrets) async throws -> OAuthTokenGrant
    /// Tokens this close to expiry are refreshed before use.
    let margin: TimeInterval
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        connections: any ConnectionStore,
        credentials: any CredentialStore,
        activity: any ActivityLog,
        margin: TimeInterval = 300,
        now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger,
        grant: @escaping @Sendable (Connection, CredentialSecrets) async throws -> OAuthTokenGrant
    ) {
        self.connections = connections
        self.credentials = credentials
        self.activity = activity
        self.margin = margin
        self.now = now
        self.logger = logger
        self.grant = grant
    }

    /// Why a refresh happened, as the activity log and the metrics name it.
    public enum Reason: String, Sendable {
        /// The token was about to expire.
        case ahead
        /// The provider refused the token (401).
        case unauthorized
    }

    /// The stored tokens, refreshed first when they expire within the margin (or, with `rejectedAccessToken`,
    /// when the stored access token is still the one the provider refused). Throws `JobError(.auth)` when the
    /// provider refused the refresh for good (the connection is then in `error`), `.retryable` otherwise.
    public func credentials(
        for connection: Connection,
        rejectedAccessToken: String? = nil
    ) async throws -> CredentialSecrets {
        try await refreshIfNeeded(connection, rejectedAccessToken: rejectedAccessToken, within: margin).secrets
    }

    /// The refresh itself; `within` is how close to expiry counts as due, and `refreshed` says if one happened.
    func refreshIfNeeded(
        _ connection: Connection,
        rejectedAccessToken: String?,
        within: TimeInterval
    ) async throws -> (secrets: CredentialSecrets, refreshed: Bool) {
        let reason: Reason = rejectedAccessToken == nil ? .ahead : .unauthorized
        let outcome = Mutex<OAuthTokenGrant?>(nil)
        let result: CredentialSecrets?
        do {
            result = try await credentials.withExclusiveAccess(
                connectionID: connection.id,
                tenantID: connection.tenantID
            ) { [self] stored in
                guard let stored else { return nil }
                if let rejectedAccessToken {
                    // Another worker refreshed while we waited for the lock: use its token.
                    guard stored["access_token"] == rejectedAccessToken else { return nil }
                } else if !expiresSoon(stored, within: within) {
                    return nil
                }
                guard !(stored["refresh_token"] ?? "").isEmpty else {
                    throw ProviderError(.unauthorized, "there is no refresh token: authorize the connection again")
                }
                let granted = try await grant(connection, stored)
                outcome.withLock { $0 = granted }
                return granted.applied(to: stored)
            }
        } catch let error as ProviderError {
            try await failed(connection, reason: reason, error: error)
            throw error.isRetryable
                ? JobError(.retryable, "refreshing the token failed: \(error.message)")
                : JobError(.auth, "refreshing the token failed: \(error.message)")
        }
        guard let result else { throw JobError(.auth, "the connection has no stored credentials") }
        guard let granted = outcome.withLock({ $0 }) else { return (result, false) }
        try await refreshed(connection, reason: reason, grant: granted)
        return (result, true)
    }

    /// Whether stored tokens need a refresh before use: they carry `expires_at` (Unix seconds) within the margin.
    public func expiresSoon(_ secrets: CredentialSecrets, within: TimeInterval? = nil) -> Bool {
        guard let text = secrets["expires_at"], let seconds = Double(text) else { return false }
        return Date(timeIntervalSince1970: seconds).timeIntervalSince(now()) <= (within ?? margin)
    }

    private func refreshed(_ connection: Connection, reason: Reason, grant: OAuthTokenGrant) async throws {
        Counter(label: "syncline_token_refreshes_total", dimensions: [("provider", connection.provider)]).increment()
        if var current = try await connections.find(id: connection.id, tenantID: connection.tenantID) {
            current.credentialExpiresAt = grant.expiresAt
            current.updatedAt = now()
            try await connections.update(current)
        }
        try await activity.record(
            "credentials.refreshed",
            for: connection,
            details: [
                "reason": .string(reason.rawValue),
                "expires_at": grant.expiresAt.map { .string(ISO8601DateFormatter().string(from: $0)) } ?? .null,
            ],
            at: now()
        )
        logger.info(
            "Refreshed the connection's token",
            metadata: ["syncline.connection": "\(connection.id)", "reason": "\(reason.rawValue)"]
        )
    }

    /// A refusal puts the connection in `error` with the provider's words; a transient failure only counts.
    private func failed(_ connection: Connection, reason: Reason, error: ProviderError) async throws {
        let permanent = !error.isRetryable
        Counter(
            label: "syncline_token_refresh_failures_total",
            dimensions: [("provider", connection.provider), ("kind", permanent ? "permanent" : "transient")]
        ).increment()
        var details: [String: JSONValue] = [
            "reason": .string(reason.rawValue), "error": .string(error.message),
            "permanent": .bool(permanent),
        ]
        if permanent, var current = try await connections.find(id: connection.id, tenantID: connection.tenantID),
            current.status != .error, current.status.canMove(to: .error)
        {
            details["status"] = .string(ConnectionStatus.error.rawValue)
            current.status = .error
            current.updatedAt = now()
            try await connections.update(current)
        }
        try await activity.record(
            "credentials.refresh_failed",
            for: connection,
            details: details,
            at: now()
        )
        logger.warning(
            "Refreshing the connection's token failed",
            metadata: ["syncline.connection": "\(connection.id)", "error": "\(error.message)"]
        )
    }
}
