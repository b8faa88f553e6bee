import Foundation
import HTTPTypes
import SynclineCore

/// The wire form of a connection. Credentials never leave: only which fields are set and a masked hint.
enum ConnectionRepresentation {
    static func connection(_ connection: Connection, secrets: CredentialSecrets?) -> JSONValue {
        var hints: [String: JSONValue] = [:]
        for name in secrets?.fieldNames ?? [] {
            hints[name] = .string(hint(secrets?[name] ?? ""))
        }
        return .object([
            "id": .string(connection.id),
            "provider": .string(connection.provider),
            "name": .string(connection.name),
            "config": .object(connection.config),
            "status": .string(connection.status.rawValue),
            "setup_step": .string(connection.setupStep.rawValue),
            "user_id": connection.userID.map { .string($0) } ?? .null,
            "credential_expires_at": isoTime(connection.credentialExpiresAt),
            "credentials": .object([
                "set": .array((secrets?.fieldNames ?? []).map { .string($0) }),
                "hints": .object(hints),
            ]),
            "created_at": isoTime(connection.createdAt),
            "updated_at": isoTime(connection.updatedAt),
        ])
    }

    /// `••••1a2b` for a value long enough that four characters say nothing useful about it; `••••` otherwise.
    static func hint(_ value: String) -> String {
        value.count >= 12 ? "••••" + value.suffix(4) : "••••"
    }

    static func activity(_ entry: ActivityEntry) -> JSONValue {
        .object([
            "id": .string(entry.id),
            "connection_id": entry.connectionID.map { .string($0) } ?? .null,
            "actor": .string(entry.actor),
            "action": .string(entry.action),
            "details": .object(entry.details),
            "created_at": isoTime(entry.createdAt),
        ])
    }
}
