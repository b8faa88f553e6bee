import SynclineCore

/// The limits every provider request runs under. Defaults suit a server syncing many tenants.
public struct ProviderClientSettings: Sendable {
    public var connectTimeout: Duration = .seconds(10)
    public var readTimeout: Duration = .seconds(60)
    /// Responses larger than this are refused, so one bad page cannot exhaust memory.
    public var maxResponseBytes: Int = 32 << 20
    public var retry: RetryPolicy = RetryPolicy(maxAttempts: 5, baseDelay: .seconds(1), maxDelay: .seconds(60))
    /// The longest a 429/503 may ask us to wait before the request fails as rate limited.
    public var maxRateLimitWait: Duration = .seconds(600)
    /// A client-credentials token is renewed this long before it expires.
    public var tokenRenewalMargin: Duration = .seconds(60)
    /// Which addresses may be called, checked before every request and every redirect. Refuses loopback,
    /// private, link-local and metadata addresses unless told otherwise.
    public var outbound = OutboundAddressPolicy()

    public init() {}
}
