import Foundation
import Synchronization

/// A clock the test moves by hand, so token expiry and rate-limit windows need no sleeping.
final class TestClock: Sendable {
    /// 2025-07-01T09:00:00Z, the morning after the emulator's default data end.
    static let start = Date(timeIntervalSince1970: 1_751_360_400)

    private let current: Mutex<Date>

    init(_ start: Date = TestClock.start) {
        current = Mutex(start)
    }

    var now: Date {
        current.withLock { $0 }
    }

    func advance(seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// The closure to hand to `HaloPSAEmulator.Configuration.now`.
    var function: @Sendable () -> Date {
        { [self] in self.now }
    }
}
