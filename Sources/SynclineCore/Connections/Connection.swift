import Foundation

/// A tenant's configured link to one provider: non-secret config here, secrets apart in the credential store.
public struct Connection: Sendable, Hashable, Codable {
    public var id: String
    public var tenantID: String
    /// The provider's slug (`halopsa`).
    public var provider: String
    public var name: String
    /// Non-secret settings the provider asks for (HaloPSA `url`, `tenant`).
    public var config: [String: JSONValue]
    public var status: ConnectionStatus
    public var setupStep: SetupStep
    /// Set when the connection belongs to one user of the tenant (a mailbox) rather than the whole tenant.
    public var userID: String?
    public var credentialExpiresAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String,
        tenantID: String,
        provider: String,
        name: String,
        config: [String: JSONValue] = [:],
        status: ConnectionStatus = .setupIncomplete,
        setupStep: SetupStep = .notStarted,
        userID: String? = nil,
        credentialExpiresAt: Date? = nil,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.provider = provider
        self.name = name
        self.config = config
        self.status = status
        self.setupStep = setupStep
        self.userID = userID
        self.credentialExpiresAt = credentialExpiresAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// Where a connection stands; the scheduler only runs `active` ones.
public enum ConnectionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case setupIncomplete = "setup_incomplete"
    case active
    case paused
    case error
    case disconnected
}

/// How far the setup wizard has come for a connection.
public enum SetupStep: String, Sendable, Hashable, Codable, CaseIterable {
    case notStarted = "not_started"
    case connection
    case mapping
    case syncConfig = "sync_config"
    case completed
}
