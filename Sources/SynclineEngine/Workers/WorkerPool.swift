import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SynclineCore

/// Runs queued jobs: `concurrency` worker loops, each claiming from the shared queue, running the job's handler
/// while a heartbeat keeps the lease, then acknowledging. On graceful shutdown it stops claiming, lets running
/// jobs finish within `shutdownTimeout`, and gives back every lease it still holds, so nothing waits for a
/// lease to expire. Several pools (several `syncline worker` processes) can share one PostgreSQL queue.
public struct WorkerPool: Service {
    let queue: any JobQueue
    let handlers: [String: any JobHandler]
    let settings: WorkerPoolSettings
    let owner: String
    let clock: any SynclineClock
    let wallClock: @Sendable () -> Date
    /// The provider a job's connection uses, for the `provider` label of the job counters.
    let provider: @Sendable (Job) async -> String?
    let logger: Logger

    public init(
        queue: any JobQueue,
        handlers: [String: any JobHandler],
        settings: WorkerPoolSettings = WorkerPoolSettings(),
        owner: String = WorkerPool.defaultOwner(),
        clock: any SynclineClock = SystemClock(),
        wallClock: @escaping @Sendable () -> Date = { Date() },
        provider: @escaping @Sendable (Job) async -> String? = { _ in nil },
        logger: Logger
    ) {
        self.provider = provider
        self.queue = queue
        self.handlers = handlers
        self.settings = settings
        self.owner = owner
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
    }

    /// `host:pid:random`, so the lease owner in the jobs table tells an operator which process holds a job.
    public static func defaultOwner() -> String {
        let info = ProcessInfo.processInfo
        return "\(info.hostName):\(info.processIdentifier):\(UInt32.random(in: 0...UInt32.max))"
    }

    public func run() async throws {
        logger.debug(
            "Worker pool started",
            metadata: ["syncline.worker": "\(owner)", "syncline.concurrency": "\(settings.concurrency)"]
        )
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withDiscardingTaskGroup { loops in
                    for slot in 0..<max(1, settings.concurrency) {
                        loops.addTask { await workerLoop(slot: slot) }
                    }
                }
                return true
            }
            // Once a graceful shutdown starts, running jobs get `shutdownTimeout` to finish; then the loops are
            // cancelled, and they give the leases back.
            group.addTask {
                do {
                    try await gracefulShutdown()
                    try await clock.sleep(for: settings.shutdownTimeout)
                } catch {
                    return true  // Cancelled: the loops ended first, or the whole pool is being cancelled.
                }
                return false
            }
            let loopsEnded = await group.next() ?? true
            if !loopsEnded {
                logger.warning(
                    "Jobs still running at the shutdown timeout were cancelled and given back",
                    metadata: ["syncline.worker": "\(owner)"]
                )
            }
            group.cancelAll()
            await group.waitForAll()
        }
        logger.debug("Worker pool stopped", metadata: ["syncline.worker": "\(owner)"])
    }

    private var stopping: Bool { Task.isShuttingDownGracefully || Task.isCancelled }

    private func workerLoop(slot: Int) async {
        let name = "\(owner)/\(slot)"
        var idle = false
        while !stopping {
            if idle {
                // Cancelled at once by a graceful shutdown, so an idle pool stops without waiting.
                try? await cancelWhenGracefulShutdown { try await clock.sleep(for: settings.pollInterval) }
                if stopping { break }
            }
            let leases: [JobLease]
            do {
                leases = try await queue.claim(
                    owner: name,
                    limit: max(1, settings.claimBatch),
                    lease: settings.lease,
                    now: wallClock()
                )
            } catch {
                logger.warning("Claiming jobs failed", metadata: ["error": "\(error)", "syncline.worker": "\(name)"])
                idle = true
                continue
            }
            idle = leases.isEmpty
            await runBatch(leases)
        }
    }

    /// Runs claimed jobs one after another and acknowledges the successes together. Leases not yet started when
    /// the pool stops are given back untouched.
    private func runBatch(_ leases: [JobLease]) async {
        var succeeded: [JobLease] = []
        var index = 0
        while index < leases.count, !stopping {
            let lease = leases[index]
            let outcome = await execute(lease)
            index += 1
            switch outcome {
            case .succeeded:
                succeeded.append(lease)
                if succeeded.count >= settings.ackBatch {
                    await Self.settle(done: succeeded, unstarted: [], queue: queue, now: wallClock(), logger: logger)
                    succeeded = []
                }
            case .failed(let error):
                await recordFailure(lease, error)
            case .interrupted:
                // Shut down (or cancelled) while running: the job goes back without using up an attempt.
                _ = try? await Self.shielded { try await queue.release(lease, now: wallClock()) }
            case .leaseLost:
                logger.info("Job lease lost; another worker or a person took it over", metadata: metadata(lease))
            }
        }
        let unstarted = Array(leases[index...])
        let done = succeeded
        let now = wallClock()
        // Shielded: after the shutdown timeout this task is cancelled, and the acknowledgements and releases
        // must reach the database all the same.
        await Self.shielded { [queue, logger] in
            await Self.settle(done: done, unstarted: unstarted, queue: queue, now: now, logger: logger)
        }
    }

    private static func settle(
        done: [JobLease],
        unstarted: [JobLease],
        queue: any JobQueue,
        now: Date,
        logger: Logger
    ) async {
        do {
            if !done.isEmpty { _ = try await queue.complete(done, now: now) }
            for lease in unstarted { _ = try await queue.release(lease, now: now) }
        } catch {
            logger.warning("Acknowledging jobs failed; their leases will expire", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `body` in an unstructured task, so the caller's cancellation does not reach it (the database driver
    /// refuses to start a query in a cancelled task). The caller still waits for it to finish.
    static func shielded<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await Task { try await body() }.value
    }

    static func shielded(_ body: @escaping @Sendable () async -> Void) async {
        await Task { await body() }.value
    }

    enum Outcome {
        case succeeded
        case failed(any Error)
        case interrupted
        case leaseLost
    }

    /// Runs the handler beside a heartbeat; whichever ends first decides.
    private func execute(_ lease: JobLease) async -> Outcome {
        guard let handler = handlers[lease.job.kind] else {
            return .failed(JobError(.permanent, "no handler for jobs of kind '\(lease.job.kind)'"))
        }
        let jobLogger = logger.with(metadata(lease))
        jobLogger.debug("Job started")
        do {
            let outcome = try await withThrowingTaskGroup(of: Outcome.self) { group in
                group.addTask {
                    do {
                        try await handler.handle(lease.job, logger: jobLogger)
                        return .succeeded
                    } catch is CancellationError {
                        return .interrupted
                    } catch {
                        return Task.isCancelled ? .interrupted : .failed(error)
                    }
                }
                group.addTask {
                    while true {
                        try await clock.sleep(for: settings.heartbeatInterval)
                        let now = wallClock()
                        let until = now.addingTimeInterval(Self.seconds(settings.lease))
                        if try await !queue.heartbeat(lease, until: until, now: now) { return .leaseLost }
                    }
                }
                let first = try await group.next() ?? .interrupted
                group.cancelAll()
                return first
            }
            Self.count(lease.job.kind, await provider(lease.job) ?? "none", outcome)
            return outcome
        } catch {
            return Task.isCancelled ? .interrupted : .failed(error)
        }
    }

    private func recordFailure(_ lease: JobLease, _ error: any Error) async {
        let job = lease.job
        let jobError = error as? JobError ?? JobError(.retryable, "\(error)")
        let now = wallClock()
        let retryAt = Self.retryDate(
            attempt: job.attempts,
            error: jobError,
            policy: settings.retry,
            now: now,
            random: Double.random(in: 0..<1)
        )
        do {
            let status = try await queue.fail(lease, error: jobError.message, retryAt: retryAt, now: now)
            var meta = metadata(lease)
            meta["syncline.job_status"] = "\(status?.rawValue ?? "lease_lost")"
            meta["error"] = "\(jobError.message)"
            if status == .dead {
                logger.warning("Job is dead", metadata: meta)
            } else {
                logger.debug("Job failed; it will be retried", metadata: meta)
            }
        } catch {
            logger.warning("Recording a job failure failed", metadata: ["error": "\(error)"])
        }
    }

    /// When a failed attempt runs again: after the policy's backoff for that attempt (1, 2, 4 ... s), or the
    /// provider's Retry-After when that is longer; nil (dead now) for permanent and auth failures.
    public static func retryDate(
        attempt: Int,
        error: JobError,
        policy: RetryPolicy,
        now: Date,
        random: Double
    ) -> Date? {
        guard error.disposition == .retryable else { return nil }
        var wait = policy.delay(beforeRetry: attempt, random: random)
        if let asked = error.retryAfter, asked > wait { wait = asked }
        return now.addingTimeInterval(seconds(wait))
    }

    private func metadata(_ lease: JobLease) -> Logger.Metadata {
        var meta: Logger.Metadata = [
            "syncline.job_id": "\(lease.id)", "syncline.job_kind": "\(lease.job.kind)",
            "syncline.attempt": "\(lease.job.attempts)",
        ]
        if let connection = lease.job.connectionID { meta["syncline.connection_id"] = "\(connection)" }
        return meta
    }

    private static func count(_ kind: String, _ provider: String, _ outcome: Outcome) {
        switch outcome {
        case .succeeded:
            Counter(label: "syncline_jobs_processed_total", dimensions: [("kind", kind), ("provider", provider)])
                .increment()
        case .failed:
            Counter(label: "syncline_jobs_failed_total", dimensions: [("kind", kind), ("provider", provider)])
                .increment()
        case .interrupted, .leaseLost:
            break
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension Logger {
    /// A copy carrying `metadata` on every line.
    func with(_ metadata: Logger.Metadata) -> Logger {
        var copy = self
        for (key, value) in metadata { copy[metadataKey: key] = value }
        return copy
    }
}
