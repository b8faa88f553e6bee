import Foundation
import Logging
import Metrics
import ServiceLifecycle
import SynclineCore

/// Runs queued jobs: `concurrency` worker loops share the leases this process holds; a loop with nothing to run
/// acknowledges the finished jobs and claims the next batch. One heartbeat extends every held lease (running,
/// waiting their turn, done but not yet acknowledged) in a single statement. On graceful shutdown it stops
/// claiming, lets running jobs finish within `shutdownTimeout`, and gives back every lease it still holds, so
/// nothing waits for a lease to expire. Several pools (several `syncline worker` processes) can share one
/// PostgreSQL queue.
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
        let book = LeaseBook()
        let gate = ClaimGate()
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withTaskGroup(of: Void.self) { beating in
                    beating.addTask { await heartbeatLoop(book) }
                    beating.addTask { await acknowledgeLoop(book) }
                    await withDiscardingTaskGroup { loops in
                        for slot in 0..<max(1, settings.concurrency) {
                            loops.addTask { await workerLoop(slot: slot, book: book, gate: gate) }
                        }
                    }
                    beating.cancelAll()
                }
                // Shielded: after the shutdown timeout this task is cancelled, and the acknowledgements and
                // releases must reach the database all the same.
                let done = book.takeDone()
                let unstarted = book.takeWaiting()
                await Self.shielded { [queue, logger, wallClock] in
                    await Self.settle(done: done, unstarted: unstarted, queue: queue, now: wallClock(), logger: logger)
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

    /// Runs the next held job; with none held, acknowledges what this process finished and claims a batch
    /// (never more than `claimBatch`, nor more than `concurrency + claimBatch` held in all), one loop at a time.
    private func workerLoop(slot: Int, book: LeaseBook, gate: ClaimGate) async {
        let name = "\(owner)/\(slot)"
        var idle = false
        while !stopping {
            if idle {
                // Cancelled at once by a graceful shutdown, so an idle pool stops without waiting.
                try? await cancelWhenGracefulShutdown { try await clock.sleep(for: settings.pollInterval) }
                if stopping { break }
            }
            if let lease = book.start() {
                idle = false
                await run(lease, book: book)
                if book.doneCount >= settings.ackBatch { await acknowledge(book) }
                continue
            }
            await acknowledge(book)
            let room = max(1, settings.concurrency) + max(1, settings.claimBatch) - book.held
            guard room > 0 else {
                idle = true
                continue
            }
            // Another loop's claim in flight: wait for it, then run what it brought (or rest if it found nothing).
            if let added = await gate.enter() {
                idle = added == 0
                continue
            }
            var added = 0
            do {
                let leases = try await queue.claim(
                    owner: name,
                    limit: min(max(1, settings.claimBatch), room),
                    lease: settings.lease,
                    now: wallClock()
                )
                book.add(leases)
                added = leases.count
            } catch {
                logger.warning("Claiming jobs failed", metadata: ["error": "\(error)", "syncline.worker": "\(name)"])
            }
            gate.end(added: added)
            idle = added == 0
        }
    }

    /// Runs one job and settles its outcome: a success waits for the next acknowledgement, a failure is recorded
    /// at once, an interrupted job goes back without using an attempt.
    private func run(_ lease: JobLease, book: LeaseBook) async {
        switch await execute(lease, book: book) {
        case .succeeded:
            break
        case .failed(let error):
            await recordFailure(lease, error)
        case .interrupted:
            // Shut down (or cancelled) while running: the job goes back without using up an attempt.
            _ = try? await Self.shielded { try await queue.release(lease, now: wallClock()) }
        case .leaseLost:
            logger.info("Job lease lost; another worker or a person took it over", metadata: metadata(lease))
        }
    }

    private func acknowledge(_ book: LeaseBook) async {
        let done = book.takeDone()
        guard !done.isEmpty else { return }
        let now = wallClock()
        await Self.shielded { [queue, logger] in
            await Self.settle(done: done, unstarted: [], queue: queue, now: now, logger: logger)
        }
    }

    /// Acknowledges finished jobs within `ackDelay` of their end, so a job that finished before a long one in
    /// the same batch does not stay `running` (and keep its connection busy) until that one ends. Under a
    /// stream of short jobs, everything finished within the delay goes in one statement.
    private func acknowledgeLoop(_ book: LeaseBook) async {
        while true {
            do { try await clock.sleep(for: settings.ackDelay) } catch { return }
            if book.doneCount > 0 { await acknowledge(book) }
        }
    }

    /// Extends every held lease each `heartbeatInterval`; a lease the queue no longer gives us is dropped, and
    /// its handler stopped if it runs.
    private func heartbeatLoop(_ book: LeaseBook) async {
        while true {
            do { try await clock.sleep(for: settings.heartbeatInterval) } catch { return }
            let held = book.all()
            guard !held.isEmpty else { continue }
            let now = wallClock()
            do {
                let alive = try await queue.heartbeat(
                    held,
                    until: now.addingTimeInterval(Self.seconds(settings.lease)),
                    now: now
                )
                book.lose(held.filter { !alive.contains($0.id) })
            } catch {
                if Task.isCancelled { return }
                logger.warning(
                    "Extending job leases failed",
                    metadata: ["error": "\(error)", "syncline.worker": "\(owner)"]
                )
            }
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

    /// Runs the handler in a task of its own, so the heartbeat can stop it when the lease is lost; the pool's
    /// cancellation (the shutdown timeout) is passed on to it.
    private func execute(_ lease: JobLease, book: LeaseBook) async -> Outcome {
        guard let handler = handlers[lease.job.kind] else {
            _ = book.finish(lease, succeeded: false)
            return .failed(JobError(.permanent, "no handler for jobs of kind '\(lease.job.kind)'"))
        }
        let jobLogger = logger.with(metadata(lease))
        jobLogger.debug("Job started")
        let work = Task { try await handler.handle(lease.job, logger: jobLogger) }
        book.onLoss(lease.id) { work.cancel() }
        let result = await withTaskCancellationHandler {
            await work.result
        } onCancel: {
            work.cancel()
        }
        let outcome: Outcome
        switch result {
        case .success:
            outcome = book.finish(lease, succeeded: true) ? .leaseLost : .succeeded
        case .failure(let error):
            if book.finish(lease, succeeded: false) {
                outcome = .leaseLost
            } else if error is CancellationError || Task.isCancelled {
                outcome = .interrupted
            } else {
                outcome = .failed(error)
            }
        }
        Self.count(lease.job.kind, await provider(lease.job) ?? "none", outcome)
        return outcome
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
        // One read and one write of the handler's metadata, not one of each per key.
        copy.handler.metadata.merge(metadata) { _, new in new }
        return copy
    }
}
