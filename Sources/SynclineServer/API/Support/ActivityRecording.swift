import Foundation
import SynclineCore

extension APIDependencies {
    /// Writes one activity entry for a connection, naming the caller (`key:<prefix>`) as the actor.
    func record(
        _ connection: Connection,
        actor: String,
        _ action: String,
        _ details: [String: JSONValue] = [:],
        now: Date
    ) async throws {
        try await activity.record(
            ActivityEntry(
                id: Identifier.make(prefix: "act"),
                tenantID: connection.tenantID,
                connectionID: connection.id,
                actor: actor,
                action: action,
                details: details,
                createdAt: now
            )
        )
    }
}
