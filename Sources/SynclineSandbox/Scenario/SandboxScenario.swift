/// The faults an emulated provider injects, as a plain value: tests and demos say which failure a client must
/// survive (throttling, 5xx bursts, slowness, broken pages, tokens that die mid-sync) instead of hoping for it.
///
/// Requests are numbered from 1 over the API routes only (token requests are not counted), in order of arrival,
/// and every API request counts, including the ones the emulator rejects.
public struct SandboxScenario: Sendable, Equatable {
    /// Throttling: at most `requests` API requests per window, then 429 with `Retry-After`.
    public var rateLimit: RateLimit?
    /// Bursts of server errors by request number.
    public var failures: [FailurePlan]
    /// Responses that take longer.
    public var slowResponses: SlowResponses?
    /// Pages whose body is not valid JSON.
    public var malformedPages: [MalformedPage]
    /// After this many API requests with one token, that token is rejected as expired (401) whatever its
    /// `expires_in` said; a new token gets a new allowance.
    public var expireTokensAfterRequests: Int?

    public init(
        rateLimit: RateLimit? = nil,
        failures: [FailurePlan] = [],
        slowResponses: SlowResponses? = nil,
        malformedPages: [MalformedPage] = [],
        expireTokensAfterRequests: Int? = nil
    ) {
        self.rateLimit = rateLimit
        self.failures = failures
        self.slowResponses = slowResponses
        self.malformedPages = malformedPages
        self.expireTokensAfterRequests = expireTokensAfterRequests
    }

    /// No faults: every request is answered promptly and correctly.
    public static var none: SandboxScenario { SandboxScenario() }
}
