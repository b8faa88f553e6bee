import Foundation

/// Stops scheduling a connection whose runs keep failing and lets a single probe through after a cool-down,
/// so a revoked credential or a provider outage costs one failed run per cool-down, not one per schedule tick.
///
/// A pure value, one per connection: the scheduler asks `allowsRun(at:)` (or `requestRun(at:)`) before it
/// starts a run, reports the outcome with `record(success:at:)`, writes each returned `Transition` to the
/// activity log and stores the breaker. Closed counts consecutive failures; at `failureThreshold` it opens.
/// Open refuses runs until `coolDown` has passed, then turns half-open and allows exactly one probe. The
/// probe's success closes it, its failure opens it again for another cool-down. `reset()` is the operator's
/// "resume".
public struct CircuitBreaker: Sendable, Hashable {
    /// Where the breaker stands.
    public enum State: Sendable, Hashable {
        /// Runs go ahead.
        case closed
        /// Runs are refused until the cool-down after `since` has passed.
        case open(since: Date)
        /// One probe run is allowed; its outcome decides between closed and open.
        case halfOpen
    }

    /// A change of state, for the caller to log.
    public struct Transition: Sendable, Hashable {
        public let from: State
        public let to: State
        /// The consecutive failed runs counted after the change (0 once closed).
        public let consecutiveFailures: Int

        public init(from: State, to: State, consecutiveFailures: Int) {
            self.from = from
            self.to = to
            self.consecutiveFailures = consecutiveFailures
        }
    }

    /// The answer to `requestRun(at:)`.
    public struct RunDecision: Sendable, Hashable {
        public let allowed: Bool
        /// Set when asking moved the breaker (open to half-open once the cool-down has passed).
        public let transition: Transition?

        public init(allowed: Bool, transition: Transition?) {
            self.allowed = allowed
            self.transition = transition
        }
    }

    /// Consecutive failed runs that open the breaker; at least 1.
    public let failureThreshold: Int
    /// How long the breaker stays open before a probe; also how long a probe may go unreported before it is
    /// presumed lost (a crash mid-run) and another is allowed.
    public let coolDown: Duration
    public private(set) var state: State
    public private(set) var consecutiveFailures: Int
    /// When the half-open probe was let through; nil when none is out.
    public private(set) var probeStartedAt: Date?

    public init(failureThreshold: Int = 3, coolDown: Duration = .seconds(15 * 60)) {
        self.failureThreshold = max(failureThreshold, 1)
        self.coolDown = max(coolDown, .zero)
        state = .closed
        consecutiveFailures = 0
        probeStartedAt = nil
    }

    /// When an open breaker will allow its probe; nil unless open.
    public var coolDownEndsAt: Date? {
        guard case .open(let since) = state else { return nil }
        return since.addingTimeInterval(coolDownSeconds)
    }

    /// Whether a run may start at `now`. Past the cool-down an open breaker turns half-open and this returns
    /// true once, for the probe; it returns false to everyone else until the probe's outcome is recorded.
    public mutating func allowsRun(at now: Date) -> Bool {
        requestRun(at: now).allowed
    }

    /// `allowsRun(at:)`, also returning the open to half-open transition so it can be logged.
    public mutating func requestRun(at now: Date) -> RunDecision {
        switch state {
        case .closed:
            return RunDecision(allowed: true, transition: nil)
        case .open(let since):
            guard now >= since.addingTimeInterval(coolDownSeconds) else {
                return RunDecision(allowed: false, transition: nil)
            }
            probeStartedAt = now
            return RunDecision(allowed: true, transition: move(to: .halfOpen))
        case .halfOpen:
            if let probeStartedAt, now < probeStartedAt.addingTimeInterval(coolDownSeconds) {
                return RunDecision(allowed: false, transition: nil)
            }
            probeStartedAt = now
            return RunDecision(allowed: true, transition: nil)
        }
    }

    /// Records the outcome of a run that finished at `now`.
    @discardableResult
    public mutating func record(success: Bool, at now: Date) -> Transition? {
        success ? recordSuccess(at: now) : recordFailure(at: now)
    }

    /// A successful run closes the breaker from any state and clears the failure count.
    @discardableResult
    public mutating func recordSuccess(at now: Date) -> Transition? {
        consecutiveFailures = 0
        probeStartedAt = nil
        guard state != .closed else { return nil }
        return move(to: .closed)
    }

    /// A failed run counts; it opens a closed breaker at the threshold and reopens a half-open one (a failed
    /// probe) with a fresh cool-down. A failure while open (a run started before it opened) only counts.
    @discardableResult
    public mutating func recordFailure(at now: Date) -> Transition? {
        consecutiveFailures += 1
        switch state {
        case .closed:
            guard consecutiveFailures >= failureThreshold else { return nil }
            return move(to: .open(since: now))
        case .halfOpen:
            probeStartedAt = nil
            return move(to: .open(since: now))
        case .open:
            return nil
        }
    }

    /// The operator's "resume": closed, with no failures counted. Returns nil when it was already closed.
    @discardableResult
    public mutating func reset() -> Transition? {
        consecutiveFailures = 0
        probeStartedAt = nil
        guard state != .closed else { return nil }
        return move(to: .closed)
    }

    private mutating func move(to next: State) -> Transition {
        let transition = Transition(from: state, to: next, consecutiveFailures: consecutiveFailures)
        state = next
        return transition
    }

    private var coolDownSeconds: TimeInterval {
        let (seconds, attoseconds) = coolDown.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}

/// The stored shape, flat and readable in a database column: `{"state": "open", "open_since": ...,
/// "consecutive_failures": 3, "failure_threshold": 3, "cool_down_seconds": 900}` (`probe_started_at` when
/// a probe is out). Dates follow the coder's date strategy.
extension CircuitBreaker: Codable {
    private enum CodingKeys: String, CodingKey {
        case state
        case openSince = "open_since"
        case consecutiveFailures = "consecutive_failures"
        case failureThreshold = "failure_threshold"
        case coolDownSeconds = "cool_down_seconds"
        case probeStartedAt = "probe_started_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let seconds = try container.decode(Double.self, forKey: .coolDownSeconds)
        guard seconds.isFinite, seconds >= 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .coolDownSeconds,
                in: container,
                debugDescription: "cool_down_seconds must be a finite number of seconds, 0 or more"
            )
        }
        self.init(
            failureThreshold: try container.decode(Int.self, forKey: .failureThreshold),
            coolDown: .seconds(seconds)
        )
        consecutiveFailures = max(try container.decode(Int.self, forKey: .consecutiveFailures), 0)
        switch try container.decode(String.self, forKey: .state) {
        case "closed":
            state = .closed
        case "open":
            state = .open(since: try container.decode(Date.self, forKey: .openSince))
        case "half_open":
            state = .halfOpen
            probeStartedAt = try container.decodeIfPresent(Date.self, forKey: .probeStartedAt)
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .state,
                in: container,
                debugDescription: "'\(other)' is not a circuit breaker state (closed, open, half_open)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch state {
        case .closed:
            try container.encode("closed", forKey: .state)
        case .open(let since):
            try container.encode("open", forKey: .state)
            try container.encode(since, forKey: .openSince)
        case .halfOpen:
            try container.encode("half_open", forKey: .state)
            try container.encodeIfPresent(probeStartedAt, forKey: .probeStartedAt)
        }
        try container.encode(consecutiveFailures, forKey: .consecutiveFailures)
        try container.encode(failureThreshold, forKey: .failureThreshold)
        try container.encode(coolDownSeconds, forKey: .coolDownSeconds)
    }
}
