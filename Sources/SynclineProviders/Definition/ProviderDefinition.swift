import SynclineCore

/// A provider as its YAML file declares it: everything the runtime needs to authenticate, list, page
/// through and write records of one external system.
public struct ProviderDefinition: Sendable, Hashable {
    public var slug: String
    public var name: String
    public var description: String
    public var categories: [String]
    public var logo: String?
    public var docsURL: String?
    public var auth: AuthScheme
    /// Non-secret settings the tenant fills in (HaloPSA `url`, `tenant`).
    public var config: [FieldSpec]
    /// Secrets the tenant supplies (client id and secret, API key).
    public var credentials: [FieldSpec]
    /// A template over `config.*` and `token.*` (`{{config.url}}/api`).
    public var baseURL: Template
    public var rateLimit: RateLimit?
    /// The cheapest read that proves a connection works.
    public var testRequest: RequestSpec?
    public var entityTypes: [EntityType]
    public var webhook: WebhookVerification?
    /// Where the definition came from (a bundled resource or a file path), for messages.
    public var source: String

    public func entityType(named name: String) -> EntityType? {
        entityTypes.first { $0.name == name }
    }
}

/// How a provider authenticates.
public enum AuthScheme: Sendable, Hashable {
    /// Authorization code, PKCE on unless the provider cannot take it.
    case oauth2(
        authorizationURL: Template,
        tokenURL: Template,
        scopes: [String],
        pkce: Bool,
        clientAuth: ClientAuth,
        revocationURL: Template? = nil
    )
    /// Client credentials: the server-to-server grant HaloPSA uses.
    case oauth2ClientCredentials(tokenURL: Template, scope: Template?, clientAuth: ClientAuth)
    /// A static key in a header or the query, with an optional prefix (`Bearer `).
    case apiKey(placement: KeyPlacement, name: String, prefix: String, credential: String)
    /// HTTP Basic from two credential fields.
    case basic(usernameField: String, passwordField: String)

    /// How client id and secret reach the token endpoint.
    public enum ClientAuth: String, Sendable, Hashable, CaseIterable {
        case body
        case basic
    }

    public enum KeyPlacement: String, Sendable, Hashable, CaseIterable {
        case header
        case query
    }

    /// The name used in the file and the API (`oauth2_client_credentials`).
    public var kind: String {
        switch self {
        case .oauth2: "oauth2"
        case .oauth2ClientCredentials: "oauth2_client_credentials"
        case .apiKey: "api_key"
        case .basic: "basic"
        }
    }
}

/// A field a tenant fills in, with its type and rules.
public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var label: String
    public var type: FieldType
    public var required: Bool
    public var defaultValue: String?
    public var help: String?
    /// Allowed values for `enum` fields.
    public var options: [String]
}

/// The types of configuration and record fields.
public enum FieldType: String, Sendable, Hashable, CaseIterable {
    case string, integer, number, boolean, date, datetime, url, email
    case `enum`, object, array, secret
}

/// A declared request budget, corrected at run time by the headers the provider sends back.
public struct RateLimit: Sendable, Hashable {
    public var requests: Int
    public var perSeconds: Int
    public var remainingHeader: String?
    public var resetHeader: String?
}

/// A request relative to the base URL.
public struct RequestSpec: Sendable, Hashable {
    public var method: String
    public var path: Template
    public var query: [String: Template]
    /// A JSON body template, for APIs that list with POST (Notion).
    public var body: Template?
}

/// One kind of record a provider offers.
public struct EntityType: Sendable, Hashable {
    public var name: String
    public var label: String
    /// The unified model its default mapping targets (`company`).
    public var unifiedModel: String?
    public var fields: [FieldSpec]
    public var list: RequestSpec
    public var pagination: PaginationStyle
    /// Where the records are in a response (`["clients"]`); empty for a bare array.
    public var records: [String]
    public var idField: String
    public var incremental: IncrementalCursor?
    public var defaultFrequencyMinutes: Int
    /// Records listed once per record of another entity type (HaloPSA actions per ticket).
    public var parent: String?
    public var write: WriteOperations
    /// The mapping to `unifiedModel` a new connection starts with (the file's `mapping:` key), checked at load.
    public var defaultMapping: Mapping? = nil
}

/// How to ask only for what changed: the record field holding the change time, and the request parameter.
public struct IncrementalCursor: Sendable, Hashable {
    public var field: String
    public var parameter: String
    /// Extra parameters sent with it (HaloPSA `datesearch=lastactiondate`).
    public var query: [String: Template]
}

/// Create, update and delete for export and write-back.
public struct WriteOperations: Sendable, Hashable {
    public var create: RequestSpec?
    public var update: RequestSpec?
    public var delete: RequestSpec?

    public var isEmpty: Bool { create == nil && update == nil && delete == nil }
}

/// How inbound webhooks of this provider prove where they come from.
public enum WebhookVerification: Sendable, Hashable {
    case none
    /// HTTP Basic with a per-connection secret (HaloPSA).
    case basic
    /// An HMAC-SHA256 of the body in a header, hex or base64, with an optional prefix (`sha256=`).
    case hmacSHA256(header: String, encoding: String, prefix: String)
}
