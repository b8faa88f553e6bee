import SynclineCore
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
    @Test("delays double from the base and stop at the cap")
    func exponential() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(16), jitter: 0)
        #expect(
            (1...7).map { policy.delay(beforeRetry: $0, random: 0.5) }
                == [1, 2, 4, 8, 16, 16, 16].map { Duration.seconds($0) }
        )
    }

    @Test("jitter stays within its fraction either side")
    func jitter() {
        let policy = RetryPolicy(baseDelay: .seconds(4), maxDelay: .seconds(100), jitter: 0.25)
        #expect(policy.delay(beforeRetry: 1, random: 0) == .seconds(3))
        #expect(policy.delay(beforeRetry: 1, random: 0.5) == .seconds(4))
        #expect(policy.delay(beforeRetry: 1, random: 0.999_999) < .seconds(5))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let delay = policy.delay(beforeRetry: 2, using: &generator)
            #expect(delay >= .seconds(6) && delay <= .seconds(10))
        }
    }

    @Test("attempts are bounded")
    func bounded() {
        let policy = RetryPolicy(maxAttempts: 3)
        #expect(policy.allowsRetry(after: 2))
        #expect(!policy.allowsRetry(after: 3))
    }
}

@Suite("Token bucket")
struct TokenBucketTests {
    @Test("a full bucket lets its capacity through, then spaces requests at the refill rate")
    func spacing() {
        var bucket = TokenBucket(requests: 3, per: .seconds(3), now: .zero)
        for _ in 0..<3 {
            #expect(bucket.delay(now: .zero) == .zero)
            bucket.take(now: .zero)
        }
        #expect(bucket.delay(now: .zero) == .seconds(1))
        #expect(bucket.delay(now: .milliseconds(500)) == .milliseconds(500))
        #expect(bucket.delay(now: .seconds(1)) == .zero)
    }

    @Test("the provider's remaining count lowers the budget")
    func observeRemaining() {
        var bucket = TokenBucket(requests: 300, per: .seconds(300), now: .zero)
        bucket.observe(remaining: 0, now: .zero)
        #expect(bucket.delay(now: .zero) == .seconds(1))
    }

    @Test("a block holds every request until its time")
    func block() {
        var bucket = TokenBucket(requests: 100, per: .seconds(1), now: .zero)
        bucket.block(until: .seconds(30))
        #expect(bucket.delay(now: .seconds(10)) == .seconds(20))
        #expect(bucket.delay(now: .seconds(30)) == .zero)
        bucket.take(now: .seconds(30))
        #expect(bucket.delay(now: .seconds(30)) == .zero)
    }
}
