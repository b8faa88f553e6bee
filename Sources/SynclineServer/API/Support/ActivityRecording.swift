import Foundation
import Hummingbird
import SynclineCore

extension APIDependencies {
    /// The caller's connection named by the route's `{id}`; another tenant's (or none) is a 404.
    func connection(_ context: SynclineRequestContext) async throws -> Connection {
        let tenant = try context.requireTenant()
        let id = context.parameters.get("id") ?? ""
        guard let connection = try await connections.find(id: id, tenantID: tenant) else {
            throw APIError.notFound("connection \(id)")
        }
        return connection
    }

    /// Writes one activity entry for a connection, naming the caller (`key:<prefix>`) as the actor.
    func record(
        _ connection: Connection,
        actor: String,
        _ action: String,
        _ details: [String: JSONValue] = [:],
        now: Date
    ) async throws {
        try await activity.record(
            action,
            for: connection,
            actor: actor,
            details: details,
            at: now
        )
    }
}
