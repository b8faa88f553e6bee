/// The state behind a scenario's faults as a pure value: each API request is an event with a time, and the
/// answer says what the emulator must do. The emulator keeps one inside a mutex and does only the I/O.
struct SandboxFaultState: Sendable {
    /// What to do with one API request.
    struct Admission: Sendable, Equatable {
        /// The request's number, from 1.
        let number: Int
        /// Wait this long before answering.
        let delay: Duration?
        let outcome: Outcome
    }

    enum Outcome: Sendable, Equatable {
        /// Serve it; `rate` is the budget to report in headers when a rate limit is configured.
        case proceed(rate: RateStatus?)
        /// Answer with the plan's server error.
        case fail(SandboxScenario.FailurePlan)
        /// Answer 429.
        case rateLimited(RateStatus)
    }

    /// The budget of the current rate-limit window.
    struct RateStatus: Sendable, Equatable {
        let limit: Int
        let remaining: Int
        /// Seconds until the window closes, at least 1.
        let resetSeconds: Int
    }

    private(set) var apiRequests = 0
    private var windowStart: Int?
    private var windowUsed = 0
    private var malformedServed: [Int: Int] = [:]

    /// Numbers the request and decides its fate. Failures are decided before the rate limit, and a request
    /// that fails or is throttled does not use up the window's budget.
    mutating func admit(atSecond now: Int, scenario: SandboxScenario) -> Admission {
        apiRequests += 1
        let number = apiRequests
        let delay = scenario.slowResponses.flatMap { $0.applies(to: number) ? $0.delay : nil }
        if let failure = scenario.failure(forRequest: number) {
            return Admission(number: number, delay: delay, outcome: .fail(failure))
        }
        guard let limit = scenario.rateLimit else {
            return Admission(number: number, delay: delay, outcome: .proceed(rate: nil))
        }
        let window = max(1, limit.windowSeconds)
        if let start = windowStart, now < start + window {
            // Still inside the current window.
        } else {
            windowStart = now
            windowUsed = 0
        }
        let start = windowStart ?? now
        let reset = max(1, start + window - now)
        guard windowUsed < limit.requests else {
            let status = RateStatus(limit: limit.requests, remaining: 0, resetSeconds: reset)
            return Admission(number: number, delay: delay, outcome: .rateLimited(status))
        }
        windowUsed += 1
        let status = RateStatus(limit: limit.requests, remaining: limit.requests - windowUsed, resetSeconds: reset)
        return Admission(number: number, delay: delay, outcome: .proceed(rate: status))
    }

    /// Whether this serving of `page` of `entity` must be broken, and how. Counts servings for plans with `times`.
    mutating func malformation(
        entity: String,
        page: Int,
        scenario: SandboxScenario
    ) -> SandboxScenario.MalformedPage.Kind? {
        for (index, plan) in scenario.malformedPages.enumerated() where plan.entity == entity && plan.page == page {
            let served = malformedServed[index, default: 0]
            if let times = plan.times, served >= times { continue }
            malformedServed[index] = served + 1
            return plan.kind
        }
        return nil
    }
}
