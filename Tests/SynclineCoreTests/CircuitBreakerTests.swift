import Foundation
import SynclineCore
import Testing

// The breaker's methods are mutating, so each call is bound to a constant before `#expect` looks at it.
@Suite("Circuit breaker")
struct CircuitBreakerTests {
    private let start = Date(timeIntervalSince1970: 1_800_000_000)

    private func at(minutes: Double) -> Date { start.addingTimeInterval(minutes * 60) }

    /// A default breaker opened by three failures at `start`.
    private func opened() -> CircuitBreaker {
        var breaker = CircuitBreaker()
        for _ in 0..<3 { breaker.recordFailure(at: start) }
        return breaker
    }

    @Test("a new breaker is closed with the documented defaults and allows runs")
    func defaults() {
        var breaker = CircuitBreaker()
        #expect(breaker.state == .closed)
        #expect(breaker.failureThreshold == 3)
        #expect(breaker.coolDown == .seconds(900))
        #expect(breaker.coolDownEndsAt == nil)
        let first = breaker.requestRun(at: start)
        let second = breaker.requestRun(at: start)
        #expect(first == CircuitBreaker.RunDecision(allowed: true, transition: nil))
        #expect(second == first)
    }

    @Test("failures below the threshold are counted without a transition")
    func belowThreshold() {
        var breaker = CircuitBreaker()
        let first = breaker.recordFailure(at: start)
        let second = breaker.record(success: false, at: start)
        let allowed = breaker.allowsRun(at: start)
        #expect(first == nil)
        #expect(second == nil)
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 2)
        #expect(allowed)
    }

    @Test("the threshold-th consecutive failure opens it")
    func opens() {
        var breaker = CircuitBreaker()
        breaker.recordFailure(at: at(minutes: 0))
        breaker.recordFailure(at: at(minutes: 1))
        let transition = breaker.recordFailure(at: at(minutes: 2))
        #expect(transition == .init(from: .closed, to: .open(since: at(minutes: 2)), consecutiveFailures: 3))
        #expect(breaker.state == .open(since: at(minutes: 2)))
        #expect(breaker.coolDownEndsAt == at(minutes: 17))
    }

    @Test("a success clears the count, so only consecutive failures open it")
    func successResetsCount() {
        var breaker = CircuitBreaker()
        breaker.recordFailure(at: start)
        breaker.recordFailure(at: start)
        let transition = breaker.recordSuccess(at: start)
        #expect(transition == nil)
        #expect(breaker.consecutiveFailures == 0)
        breaker.recordFailure(at: start)
        breaker.record(success: false, at: start)
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 2)
    }

    @Test("open refuses runs until the cool-down has passed")
    func openBlocks() {
        var breaker = opened()
        let atOnce = breaker.allowsRun(at: start)
        let justBefore = breaker.requestRun(at: at(minutes: 14.99))
        #expect(!atOnce)
        #expect(justBefore == .init(allowed: false, transition: nil))
        #expect(breaker.state == .open(since: start))
    }

    @Test("after the cool-down it turns half-open and lets exactly one probe through")
    func halfOpenProbe() {
        var breaker = opened()
        let probe = breaker.requestRun(at: at(minutes: 15))
        #expect(probe.allowed)
        #expect(probe.transition == .init(from: .open(since: start), to: .halfOpen, consecutiveFailures: 3))
        #expect(breaker.state == .halfOpen)
        #expect(breaker.probeStartedAt == at(minutes: 15))
        let second = breaker.allowsRun(at: at(minutes: 15))
        let later = breaker.requestRun(at: at(minutes: 20))
        #expect(!second)
        #expect(later == .init(allowed: false, transition: nil))
    }

    @Test("a successful probe closes it")
    func probeSuccessCloses() {
        var breaker = opened()
        let probe = breaker.allowsRun(at: at(minutes: 16))
        let transition = breaker.recordSuccess(at: at(minutes: 17))
        let afterwards = breaker.allowsRun(at: at(minutes: 17))
        #expect(probe)
        #expect(transition == .init(from: .halfOpen, to: .closed, consecutiveFailures: 0))
        #expect(breaker.state == .closed)
        #expect(breaker.consecutiveFailures == 0)
        #expect(breaker.probeStartedAt == nil)
        #expect(afterwards)
    }

    @Test("a failed probe opens it again for a fresh cool-down")
    func probeFailureReopens() {
        var breaker = opened()
        let probe = breaker.allowsRun(at: at(minutes: 16))
        let transition = breaker.record(success: false, at: at(minutes: 17))
        #expect(probe)
        #expect(transition == .init(from: .halfOpen, to: .open(since: at(minutes: 17)), consecutiveFailures: 4))
        #expect(breaker.probeStartedAt == nil)
        let tooSoon = breaker.allowsRun(at: at(minutes: 31))
        let nextProbe = breaker.allowsRun(at: at(minutes: 32))
        #expect(!tooSoon)
        #expect(nextProbe)
        #expect(breaker.state == .halfOpen)
    }

    @Test("a probe never reported is presumed lost after a cool-down, and another is allowed")
    func lostProbe() {
        var breaker = opened()
        let probe = breaker.allowsRun(at: at(minutes: 15))
        let stillOut = breaker.allowsRun(at: at(minutes: 29.9))
        let replacement = breaker.requestRun(at: at(minutes: 30))
        #expect(probe)
        #expect(!stillOut)
        #expect(replacement == .init(allowed: true, transition: nil))
        #expect(breaker.probeStartedAt == at(minutes: 30))
        let afterReplacement = breaker.allowsRun(at: at(minutes: 31))
        #expect(!afterReplacement)
    }

    @Test("a success while open (a run begun before it opened) closes it")
    func successWhileOpen() {
        var breaker = opened()
        let transition = breaker.recordSuccess(at: at(minutes: 1))
        let allowed = breaker.allowsRun(at: at(minutes: 1))
        #expect(transition == .init(from: .open(since: start), to: .closed, consecutiveFailures: 0))
        #expect(allowed)
    }

    @Test("a failure while open only counts and keeps the cool-down")
    func failureWhileOpen() {
        var breaker = opened()
        let transition = breaker.recordFailure(at: at(minutes: 5))
        #expect(transition == nil)
        #expect(breaker.state == .open(since: start))
        #expect(breaker.consecutiveFailures == 4)
        let probe = breaker.allowsRun(at: at(minutes: 15))
        #expect(probe)
    }

    @Test("reset resumes from open")
    func resetFromOpen() {
        var breaker = opened()
        let transition = breaker.reset()
        let allowed = breaker.allowsRun(at: start)
        #expect(transition == .init(from: .open(since: start), to: .closed, consecutiveFailures: 0))
        #expect(allowed)
    }

    @Test("reset resumes from half-open and forgets the probe")
    func resetFromHalfOpen() {
        var breaker = opened()
        let probe = breaker.allowsRun(at: at(minutes: 15))
        let transition = breaker.reset()
        #expect(probe)
        #expect(transition == .init(from: .halfOpen, to: .closed, consecutiveFailures: 0))
        #expect(breaker.probeStartedAt == nil)
    }

    @Test("reset of a closed breaker clears the count and is no transition")
    func resetWhenClosed() {
        var breaker = CircuitBreaker()
        breaker.recordFailure(at: start)
        let transition = breaker.reset()
        #expect(transition == nil)
        #expect(breaker.consecutiveFailures == 0)
    }

    @Test("threshold and cool-down are configurable")
    func configuration() {
        var breaker = CircuitBreaker(failureThreshold: 1, coolDown: .seconds(60))
        let transition = breaker.recordFailure(at: start)
        let tooSoon = breaker.allowsRun(at: at(minutes: 0.5))
        let probe = breaker.allowsRun(at: at(minutes: 1))
        #expect(transition?.to == .open(since: start))
        #expect(!tooSoon)
        #expect(probe)
    }

    @Test("a threshold below 1 and a negative cool-down are clamped")
    func clamping() {
        let breaker = CircuitBreaker(failureThreshold: 0, coolDown: .seconds(-5))
        #expect(breaker.failureThreshold == 1)
        #expect(breaker.coolDown == .zero)
    }

    @Test("every state round-trips through its stored JSON")
    func codableRoundTrip() throws {
        var halfOpen = opened()
        _ = halfOpen.allowsRun(at: at(minutes: 15))
        var counting = CircuitBreaker(failureThreshold: 5, coolDown: .milliseconds(90_500))
        counting.recordFailure(at: start)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        for breaker in [CircuitBreaker(), counting, opened(), halfOpen] {
            #expect(try decoder.decode(CircuitBreaker.self, from: encoder.encode(breaker)) == breaker)
        }
    }

    @Test("the stored shape is flat and readable")
    func storedShape() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .iso8601
        let json = String(decoding: try encoder.encode(opened()), as: UTF8.self)
        #expect(
            json == """
                {"consecutive_failures":3,"cool_down_seconds":900,"failure_threshold":3,\
                "open_since":"2027-01-15T08:00:00Z","state":"open"}
                """
        )
    }

    @Test(
        "bad stored JSON is refused",
        arguments: [
            #"{"state":"ajar","consecutive_failures":0,"failure_threshold":3,"cool_down_seconds":900}"#,
            #"{"state":"open","consecutive_failures":3,"failure_threshold":3,"cool_down_seconds":900}"#,
            #"{"state":"closed","consecutive_failures":0,"failure_threshold":3,"cool_down_seconds":-1}"#,
            #"{"state":"closed","failure_threshold":3,"cool_down_seconds":900}"#,
        ]
    )
    func badStoredJSON(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(CircuitBreaker.self, from: Data(json.utf8))
        }
    }
}
