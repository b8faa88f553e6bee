import Foundation

/// One line of the audit trail: who or what did what to a connection, and when. Never holds secrets.
public struct ActivityEntry: Sendable, Hashable, Codable {
    public var id: String
    public var tenantID: String
    public var connectionID: String?
    /// Who acted: `system`, `cli`, or `key:<prefix>` for an API key.
    public var actor: String
    /// What happened, as a dotted verb (`connection.created`, `credentials.rotated`).
    public var action: String
    public var details: [String: JSONValue]
    public var createdAt: Date

    public init(
        id: String,
        tenantID: String,
        connectionID: String?,
        actor: String,
        action: String,
        details: [String: JSONValue] = [:],
        createdAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.connectionID = connectionID
        self.actor = actor
        self.action = action
        self.details = details
        self.createdAt = createdAt
    }
}
