/// A request budget (`requests` per `window`) as a pure value: ask it when the next request may go, and tell
/// it what the provider's headers say is really left. The HTTP client around it does the waiting.
public struct TokenBucket: Sendable, Hashable {
    public let capacity: Double
    /// Tokens regained per second.
    public let refillRate: Double
    private(set) var tokens: Double
    private var updatedAt: Duration
    /// When the provider said the budget is spent until a reset time, nothing goes before it.
    private var blockedUntil: Duration?

    /// A full bucket at time `now` (durations since any fixed origin, as an injected clock measures).
    public init(requests: Int, per window: Duration, now: Duration) {
        capacity = Double(max(requests, 1))
        refillRate = capacity / max(Self.seconds(window), 0.001)
        tokens = capacity
        updatedAt = now
    }

    /// How long to wait before the next request may go: zero when a token is available now.
    public func delay(now: Duration) -> Duration {
        if let blockedUntil, blockedUntil > now { return blockedUntil - now }
        let available = refilled(now: now)
        if available >= 1 { return .zero }
        return .seconds((1 - available) / refillRate)
    }

    /// Takes a token for a request sent at `now`. Call after waiting `delay(now:)`.
    public mutating func take(now: Duration) {
        tokens = max(refilled(now: now) - 1, -capacity)
        updatedAt = now
        if let blockedUntil, blockedUntil <= now { self.blockedUntil = nil }
    }

    /// Corrects the budget from the provider's own count (a remaining-requests header).
    public mutating func observe(remaining: Int, now: Duration) {
        tokens = min(refilled(now: now), Double(max(remaining, 0)))
        updatedAt = now
    }

    /// Holds every request until `until` (a 429's Retry-After, or a reset header with nothing remaining).
    public mutating func block(until: Duration) {
        blockedUntil = max(blockedUntil ?? until, until)
    }

    private func refilled(now: Duration) -> Double {
        let elapsed = max(Self.seconds(now - updatedAt), 0)
        return min(capacity, tokens + elapsed * refillRate)
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
