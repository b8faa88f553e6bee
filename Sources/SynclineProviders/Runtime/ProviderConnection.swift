import SynclineCore

/// One tenant's connection as the runtime needs it: the provider's definition, the config the tenant filled in
/// (defaults applied) and the decrypted credentials. Built per job; never logged (credentials redact themselves).
public struct ProviderConnection: Sendable {
    public var definition: ProviderDefinition
    public var config: [String: String]
    public var credentials: CredentialSecrets
    /// For authorization-code connections: refreshes the stored tokens (the caller serialises and saves) and
    /// answers the credentials to use from now on. Given the access token the provider just refused, or nil.
    public var refreshCredentials: (@Sendable (_ rejectedAccessToken: String?) async throws -> CredentialSecrets)?

    /// Applies the definition's config defaults; a missing required field is a configuration error naming it.
    public init(definition: ProviderDefinition, config: [String: String], credentials: CredentialSecrets) throws {
        var filled = config
        for field in definition.config {
            if filled[field.name] == nil, let value = field.defaultValue { filled[field.name] = value }
            if field.required && (filled[field.name] ?? "").isEmpty {
                throw ProviderError(
                    .configuration,
                    "the \(definition.name) connection needs '\(field.name)' (\(field.label))"
                )
            }
        }
        self.definition = definition
        self.config = filled
        self.credentials = credentials
    }

    /// Fills a template from this connection plus `extra` scopes (`token`, `parent`, `params`, `cursor`).
    /// Config and parameter values that are not set render as empty (optional fields); others must be set.
    func render(_ template: Template, _ extra: [String: [String: String]] = [:]) throws -> String {
        do {
            return try template.render { scope, name in
                switch scope {
                case "config": config[name] ?? ""
                case "credentials": credentials[name]
                case "params": extra[scope]?[name] ?? ""
                default: extra[scope]?[name]
                }
            }
        } catch {
            throw ProviderError(.configuration, "\(definition.name): \(error.message)")
        }
    }
}
