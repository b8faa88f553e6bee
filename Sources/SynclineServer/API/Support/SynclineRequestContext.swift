import Hummingbird

/// The request context of every route: who the API key authenticated (`tenantID` nil for the operator).
public struct SynclineRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The tenant the caller acts for, set by `APIKeyAuthenticator`.
    public var tenantID: String?
    /// How the activity log names the caller: `key:<prefix>`.
    public var actor = "anonymous"

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The caller's tenant; an operator key on a tenant route is refused.
    func requireTenant() throws -> String {
        guard let tenantID else {
            throw APIError(.forbidden, "tenant_key_required", "this route acts for one tenant: use a tenant API key")
        }
        return tenantID
    }

    /// Refuses a tenant key on an operator route (tenants, keys of any tenant, provider settings).
    func requireOperator() throws {
        guard tenantID == nil else {
            throw APIError(
                .forbidden,
                "operator_key_required",
                "this route is for the operator: use the operator API key"
            )
        }
    }
}
