/// A provider as the API and the engine see it: what a tenant must fill in and what it offers. The server
/// reads the catalog through this, so it never depends on the YAML runtime (ARCHITECTURE.md, modules).
public struct ProviderInfo: Sendable, Hashable {
    public var slug: String
    public var name: String
    public var description: String
    public var categories: [String]
    public var logo: String?
    public var docsURL: String?
    /// `oauth2`, `oauth2_client_credentials`, `api_key` or `basic`.
    public var authKind: String
    /// The connection config a tenant fills in (HaloPSA `url`, `tenant`).
    public var configFields: [ProviderFieldInfo]
    /// The secrets a tenant submits; empty for OAuth authorization-code providers, whose tokens come from the
    /// provider's consent screen.
    public var credentialFields: [ProviderFieldInfo]
    public var entityTypes: [ProviderEntityInfo]
    /// Whether the provider revokes tokens on disconnect.
    public var revokesTokens: Bool

    public init(
        slug: String,
        name: String,
        description: String,
        categories: [String],
        logo: String?,
        docsURL: String?,
        authKind: String,
        configFields: [ProviderFieldInfo],
        credentialFields: [ProviderFieldInfo],
        entityTypes: [ProviderEntityInfo],
        revokesTokens: Bool
    ) {
        self.slug = slug
        self.name = name
        self.description = description
        self.categories = categories
        self.logo = logo
        self.docsURL = docsURL
        self.authKind = authKind
        self.configFields = configFields
        self.credentialFields = credentialFields
        self.entityTypes = entityTypes
        self.revokesTokens = revokesTokens
    }

    /// Authorization code with PKCE: tokens come from `/oauth/callback`, not from the tenant.
    public var usesAuthorizationCode: Bool { authKind == "oauth2" }
}

/// One declared field: a config value, a credential or an entity type's record field.
public struct ProviderFieldInfo: Sendable, Hashable {
    public var name: String
    public var label: String
    /// `string`, `secret`, `url`, `integer`, `boolean`, `enum` ... as the provider file declares it.
    public var type: String
    public var required: Bool
    public var defaultValue: String?
    public var help: String?
    /// The allowed values of an `enum` field.
    public var options: [String]

    public init(
        name: String,
        label: String,
        type: String,
        required: Bool,
        defaultValue: String? = nil,
        help: String? = nil,
        options: [String] = []
    ) {
        self.name = name
        self.label = label
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.help = help
        self.options = options
    }
}

/// One entity type of a provider, as the catalog API lists it.
public struct ProviderEntityInfo: Sendable, Hashable {
    public var name: String
    public var label: String
    public var unifiedModel: String?
    public var fields: [ProviderFieldInfo]
    public var defaultFrequencyMinutes: Int
    /// Whether the provider can list only what changed since a cursor.
    public var incremental: Bool

    public init(
        name: String,
        label: String,
        unifiedModel: String?,
        fields: [ProviderFieldInfo],
        defaultFrequencyMinutes: Int,
        incremental: Bool
    ) {
        self.name = name
        self.label = label
        self.unifiedModel = unifiedModel
        self.fields = fields
        self.defaultFrequencyMinutes = defaultFrequencyMinutes
        self.incremental = incremental
    }
}
