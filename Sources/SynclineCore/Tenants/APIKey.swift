import Foundation

/// What is kept of an API key: a short prefix to recognise it and the SHA-256 of the whole key, never the key.
public struct APIKey: Sendable, Hashable, Codable {
    public var id: String
    /// The tenant the key acts for; `nil` for an operator (admin) key.
    public var tenantID: String?
    public var name: String
    /// The first characters of the key, shown in lists and the activity log to tell keys apart.
    public var prefix: String
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
        id: String,
        tenantID: String?,
        name: String,
        prefix: String,
        createdAt: Date,
        lastUsedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.prefix = prefix
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// A freshly created key: the only moment the plain key exists, to be shown once and then forgotten.
public struct IssuedAPIKey: Sendable {
    public var key: APIKey
    public var plaintext: String

    public init(key: APIKey, plaintext: String) {
        self.key = key
        self.plaintext = plaintext
    }
}
