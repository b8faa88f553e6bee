/// Exponential backoff with jitter (1 s, 2 s, 4 s ... capped), shared by the HTTP client and the job queue
/// so every retry in Syncline spaces out the same way.
public struct RetryPolicy: Sendable, Hashable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// The fraction of each delay that is randomised (0.2: the delay varies by up to ±20 %).
    public var jitter: Double

    public init(
        maxAttempts: Int = 5,
        baseDelay: Duration = .seconds(1),
        maxDelay: Duration = .seconds(60),
        jitter: Double = 0.2
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The wait before retry number `retry` (1 for the first retry), with `random` in 0..<1 choosing the jitter.
    public func delay(beforeRetry retry: Int, random: Double) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let base = min(baseDelay * (1 << exponent), maxDelay)
        let factor = 1 + jitter * (2 * random - 1)
        return min(base * factor, maxDelay)
    }

    /// The wait before retry number `retry`, with jitter drawn from `generator`.
    public func delay(beforeRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        delay(beforeRetry: retry, random: Double.random(in: 0..<1, using: &generator))
    }

    /// Whether another attempt is allowed after `attempts` attempts.
    public func allowsRetry(after attempts: Int) -> Bool { attempts < maxAttempts }
}
