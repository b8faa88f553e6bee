extension SandboxScenario {
    /// Latency: the emulator really waits `delay` before answering the API requests numbered `requests`
    /// (every API request when `nil`). Keep delays short in tests; use them for client timeouts.
    public struct SlowResponses: Sendable, Equatable {
        public var delay: Duration
        public var requests: ClosedRange<Int>?

        public init(delay: Duration, requests: ClosedRange<Int>? = nil) {
            self.delay = delay
            self.requests = requests
        }

        func applies(to number: Int) -> Bool {
            requests?.contains(number) ?? true
        }
    }
}
