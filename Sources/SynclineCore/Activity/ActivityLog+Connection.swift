import Foundation

extension ActivityLog {
    /// Records what happened to a connection, with a fresh time-ordered id: the one way every module writes the
    /// audit trail, so entries look alike whoever wrote them.
    public func record(
        _ action: String,
        for connection: Connection,
        actor: String = "system",
        details: [String: JSONValue] = [:],
        at time: Date
    ) async throws {
        try await record(
            ActivityEntry(
                id: Identifier.make(prefix: "act", now: time),
                tenantID: connection.tenantID,
                connectionID: connection.id,
                actor: actor,
                action: action,
                details: details,
                createdAt: time
            )
        )
    }
}
