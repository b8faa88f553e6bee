import Foundation

/// Where each connection's circuit breaker is kept, beside its status, so every worker and scheduler of a
/// shared database sees the same breaker.
public protocol CircuitStore: Sendable {
    func breaker(tenantID: String, connectionID: String) async throws -> CircuitBreaker?
    /// Saves the breaker and the connection status together; `probeAt` is when the scheduler may send a
    /// half-open probe (nil: never by itself).
    func save(
        _ breaker: CircuitBreaker,
        status: ConnectionStatus,
        probeAt: Date?,
        tenantID: String,
        connectionID: String,
        now: Date
    ) async throws
    /// Takes the probe slot of a connection whose breaker waits for one; false when another scheduler took it.
    func takeProbe(connectionID: String, now: Date) async throws -> Bool
}
