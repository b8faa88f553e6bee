extension SandboxScenario {
    /// A burst of server errors: API requests numbered `requests` are answered with `status` (503 by default),
    /// before authentication, as a failing gateway would; the request after the burst succeeds.
    public struct FailurePlan: Sendable, Equatable {
        public var requests: ClosedRange<Int>
        public var status: Int
        /// Sent as `Retry-After` with the error when set.
        public var retryAfterSeconds: Int?

        public init(requests: ClosedRange<Int>, status: Int = 503, retryAfterSeconds: Int? = nil) {
            self.requests = requests
            self.status = status
            self.retryAfterSeconds = retryAfterSeconds
        }
    }

    /// The first plan that fails API request `number`.
    func failure(forRequest number: Int) -> FailurePlan? {
        failures.first { $0.requests.contains(number) }
    }
}
