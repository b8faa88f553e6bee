import Synchronization
import SynclineCore

/// A clock whose sleeps return at once and move its time forward, recording each wait, so tests of
/// backoff, rate limits and token expiry run in microseconds and can assert on the waits.
public final class VirtualClock: SynclineClock {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    public init() {}

    public var now: Duration { state.withLock { $0.now } }

    /// Every wait asked for, in order.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    public func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock { state in
            state.sleeps.append(duration)
            state.now += max(duration, .zero)
        }
    }

    /// Moves time forward without a sleep (time passing between calls).
    public func advance(by duration: Duration) {
        state.withLock { $0.now += duration }
    }
}
