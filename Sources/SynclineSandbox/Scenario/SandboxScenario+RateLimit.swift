extension SandboxScenario {
    /// A fixed-window request budget, like HaloPSA's "300 Requests per rolling 5 minute window".
    ///
    /// The window opens with the first API request; once `requests` were admitted in it, further requests get
    /// 429 with `Retry-After` set to the seconds until the window closes (when `sendsRetryAfter`). Admitted
    /// responses carry `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`.
    public struct RateLimit: Sendable, Equatable {
        public var requests: Int
        public var windowSeconds: Int
        /// HaloPSA's `Retry-After` is unverified: turn it off to test a client that must back off on its own.
        public var sendsRetryAfter: Bool

        public init(requests: Int, windowSeconds: Int = 300, sendsRetryAfter: Bool = true) {
            self.requests = requests
            self.windowSeconds = windowSeconds
            self.sendsRetryAfter = sendsRetryAfter
        }
    }
}
