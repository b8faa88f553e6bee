/// Time as Syncline's state machines see it: a monotonic instant to measure waits and a way to wait.
/// Production uses `SystemClock`; tests pass a clock whose sleeps return at once and are recorded.
public protocol SynclineClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    var now: Duration { get }
    func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemClock: SynclineClock {
    private let origin = ContinuousClock.now

    public init() {}

    public var now: Duration { ContinuousClock.now - origin }

    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await Task.sleep(for: duration)
    }
}
