import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import SynclineCore
import SynclineEngine
import SynclineStore
import Testing

@Suite("Worker pool")
struct WorkerPoolTests {
    static func settings(concurrency: Int = 3) -> WorkerPoolSettings {
        var settings = WorkerPoolSettings()
        settings.concurrency = concurrency
        settings.claimBatch = 1
        settings.pollInterval = .milliseconds(5)
        settings.heartbeatInterval = .milliseconds(50)
        settings.lease = .seconds(5)
        settings.retry = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: 0)
        return settings
    }

    static func job(_ connection: Connection?, tenantID: String, _ name: String, maxAttempts: Int = 3) -> NewJob {
        NewJob(
            tenantID: tenantID,
            connectionID: connection?.id,
            kind: "test",
            payload: ["name": .string(name)],
            maxAttempts: maxAttempts
        )
    }

    /// Runs `pool` in a service group until `until` holds (checked every few milliseconds, for at most 60 s),
    /// then shuts it down gracefully and waits for it to stop.
    static func run(
        _ pool: WorkerPool,
        until: @escaping @Sendable () async throws -> Bool,
        afterShutdownStarts: @escaping @Sendable () async throws -> Void = {}
    ) async throws {
        let group = ServiceGroup(configuration: .init(services: [.init(service: pool)], logger: EngineBackend.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let deadline = ContinuousClock.now + .seconds(60)
            while try await !until() {
                guard ContinuousClock.now < deadline else {
                    Issue.record("the condition did not hold within 60 s")
                    break
                }
                try await Task.sleep(for: .milliseconds(5))
            }
            await group.triggerGracefulShutdown()
            try await afterShutdownStarts()
            try await tasks.waitForAll()
        }
    }

    @Test("runs every job once, never more than its concurrency at a time", arguments: EngineBackend.available)
    func runsEveryJobOnce(_ backend: EngineBackend) async throws {
        try await backend.withStore { store, connection in
            for index in 0..<30 {
                _ = try await store.jobs.enqueue(Self.job(nil, tenantID: connection.tenantID, "j\(index)"), now: Date())
            }
            let seen = Mutex<(names: [String], running: Int, peak: Int)>(([], 0, 0))
            let handler = ClosureJobHandler { job, _ in
                seen.withLock {
                    $0.running += 1
                    $0.peak = max($0.peak, $0.running)
                }
                try await Task.sleep(for: .milliseconds(5))
                seen.withLock {
                    $0.running -= 1
                    if case .string(let name)? = job.payload["name"] { $0.names.append(name) }
                }
            }
            let pool = WorkerPool(
                queue: store.jobs,
                handlers: ["test": handler],
                settings: Self.settings(concurrency: 3),
                logger: EngineBackend.logger
            )
            try await Self.run(pool) { try await store.jobs.depth()[.succeeded] == 30 }
            let result = seen.withLock { $0 }
            #expect(result.names.count == 30)
            #expect(Set(result.names).count == 30)
            #expect(result.peak <= 3)
        }
    }

    @Test("jobs of different connections run in parallel, up to the concurrency")
    func runsInParallel() async throws {
        try await EngineBackend.sqlite.withStore { store, connection in
            var connections = [connection]
            for index in 1..<3 {
                var other = connection
                other.id = Identifier.make(prefix: "con")
                other.name = "C\(index)"
                try await store.connections.create(other)
                connections.append(other)
            }
            for other in connections {
                _ = try await store.jobs.enqueue(Self.job(other, tenantID: connection.tenantID, other.id), now: Date())
            }
            // Each handler waits until all three run at once; with fewer slots they would never meet.
            let running = Mutex((now: 0, met: 0))
            let handler = ClosureJobHandler { _, _ in
                running.withLock { $0.now += 1 }
                let deadline = ContinuousClock.now + .seconds(30)
                while running.withLock({ $0.now }) < 3, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(2))
                }
                if running.withLock({ $0.now }) >= 3 { running.withLock { $0.met += 1 } }
            }
            let pool = WorkerPool(
                queue: store.jobs,
                handlers: ["test": handler],
                settings: Self.settings(concurrency: 3),
                logger: EngineBackend.logger
            )
            try await Self.run(pool) { try await store.jobs.depth()[.succeeded] == 3 }
            #expect(running.withLock { $0.met } == 3)
        }
    }

    @Test("backs off 1, 2, 4, 8, 16 s, honours a longer Retry-After, and never retries a permanent error")
    func retryDates() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(1), maxDelay: .seconds(300), jitter: 0)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let retryable = JobError(.retryable, "503")
        let waits = (1...6).map { attempt in
            WorkerPool.retryDate(attempt: attempt, error: retryable, policy: policy, now: now, random: 0.5)
                .map { $0.timeIntervalSince(now) }
        }
        #expect(waits == [1, 2, 4, 8, 16, 32])
        let capped = WorkerPool.retryDate(attempt: 20, error: retryable, policy: policy, now: now, random: 0.5)
        #expect(capped == now.addingTimeInterval(300))
        let told = JobError(.retryable, "429", retryAfter: .seconds(30))
        #expect(WorkerPool.retryDate(attempt: 1, error: told, policy: policy, now: now, random: 0.5) == now + 30)
        #expect(WorkerPool.retryDate(attempt: 6, error: told, policy: policy, now: now, random: 0.5) == now + 32)
        #expect(
            WorkerPool.retryDate(attempt: 1, error: JobError(.permanent, "404"), policy: policy, now: now, random: 0.5)
                == nil
        )
        #expect(
            WorkerPool.retryDate(attempt: 1, error: JobError(.auth, "401"), policy: policy, now: now, random: 0.5)
                == nil
        )
        // Jitter spreads a delay by up to ±20 % by default, never below zero.
        let jittered = RetryPolicy(maxAttempts: 10, baseDelay: .seconds(10), maxDelay: .seconds(300))
        let low = WorkerPool.retryDate(attempt: 1, error: retryable, policy: jittered, now: now, random: 0)
        let high = WorkerPool.retryDate(attempt: 1, error: retryable, policy: jittered, now: now, random: 0.999)
        #expect(low.map { $0.timeIntervalSince(now) } == 8)
        #expect((high.map { $0.timeIntervalSince(now) } ?? 0) > 11.9)
    }

    @Test("a failing job is retried after its backoff, then dead after max attempts; a permanent error dies at once")
    func retriesThenDies() async throws {
        try await EngineBackend.sqlite.withStore { store, connection in
            let flaky = try await store.jobs.enqueue(Self.job(nil, tenantID: connection.tenantID, "flaky"), now: Date())
                .job
            let broken = try await store.jobs.enqueue(
                Self.job(nil, tenantID: connection.tenantID, "broken", maxAttempts: 2),
                now: Date()
            ).job
            let permanent = try await store.jobs.enqueue(
                Self.job(nil, tenantID: connection.tenantID, "permanent"),
                now: Date()
            ).job
            let calls = Mutex<[String: [(attempt: Int, runAt: Date, started: Date, failed: Date?)]]>([:])
            let handler = ClosureJobHandler { job, _ in
                guard case .string(let name)? = job.payload["name"] else { return }
                let started = Date()
                let fails = name == "broken" || (name == "flaky" && job.attempts < 3)
                calls.withLock {
                    $0[name, default: []].append((job.attempts, job.runAt, started, fails ? Date() : nil))
                }
                if name == "permanent" { throw JobError(.permanent, "the provider has no such entity type") }
                if fails { throw JobError(.retryable, "the provider answered 503") }
            }
            let pool = WorkerPool(
                queue: store.jobs,
                handlers: ["test": handler],
                settings: Self.settings(),
                logger: EngineBackend.logger
            )
            try await Self.run(pool) {
                let depth = try await store.jobs.depth()
                return depth[.succeeded] == 1 && depth[.dead] == 2
            }
            let record = calls.withLock { $0 }
            let attempts = record["flaky"] ?? []
            #expect(attempts.map(\.attempt) == [1, 2, 3])
            // Each retry waited at least its backoff (100 ms, then 200 ms) after the failure, and not less.
            if attempts.count == 3 {
                let first = try #require(attempts[0].failed)
                let second = try #require(attempts[1].failed)
                #expect(attempts[1].runAt.timeIntervalSince(first) >= 0.099)
                #expect(attempts[2].runAt.timeIntervalSince(second) >= 0.199)
                #expect(attempts[1].started >= attempts[1].runAt.addingTimeInterval(-0.001))
                #expect(attempts[2].started >= attempts[2].runAt.addingTimeInterval(-0.001))
            }
            #expect(try await store.jobs.find(id: flaky.id, tenantID: flaky.tenantID)?.status == .succeeded)
            #expect(record["broken"]?.count == 2)
            let dead = try await store.jobs.find(id: broken.id, tenantID: broken.tenantID)
            #expect(dead?.status == .dead)
            #expect(dead?.lastError == "the provider answered 503")
            #expect(record["permanent"]?.count == 1)
            let gone = try await store.jobs.find(id: permanent.id, tenantID: permanent.tenantID)
            #expect(gone?.status == .dead)
            #expect(gone?.lastError == "the provider has no such entity type")
        }
    }

    @Test("a graceful shutdown lets a running job finish and claims nothing more")
    func shutdownFinishesRunningJob() async throws {
        try await EngineBackend.sqlite.withStore { store, connection in
            let first = try await store.jobs.enqueue(
                Self.job(connection, tenantID: connection.tenantID, "a"),
                now: Date()
            ).job
            let started = Mutex(false)
            let release = Mutex(false)
            let handler = ClosureJobHandler { _, _ in
                started.withLock { $0 = true }
                while !release.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(2)) }
            }
            let pool = WorkerPool(
                queue: store.jobs,
                handlers: ["test": handler],
                settings: Self.settings(concurrency: 1),
                logger: EngineBackend.logger
            )
            try await Self.run(pool, until: { started.withLock { $0 } }) {
                // Work that arrives during the shutdown stays queued for the next process.
                _ = try await store.jobs.enqueue(Self.job(nil, tenantID: connection.tenantID, "late"), now: Date())
                try await Task.sleep(for: .milliseconds(50))
                release.withLock { $0 = true }
            }
            #expect(try await store.jobs.find(id: first.id, tenantID: first.tenantID)?.status == .succeeded)
            #expect(
                try await store.jobs.list(tenantID: connection.tenantID, filter: JobFilter(status: .pending)).count == 1
            )
        }
    }

    @Test("a job still running at the shutdown timeout is cancelled and given back without using an attempt")
    func shutdownTimeoutReleases() async throws {
        try await EngineBackend.sqlite.withStore { store, connection in
            let job = try await store.jobs.enqueue(
                Self.job(connection, tenantID: connection.tenantID, "long"),
                now: Date()
            ).job
            let started = Mutex(false)
            let handler = ClosureJobHandler { _, _ in
                started.withLock { $0 = true }
                try await Task.sleep(for: .seconds(3600))
            }
            var settings = Self.settings(concurrency: 1)
            settings.shutdownTimeout = .milliseconds(100)
            let pool = WorkerPool(
                queue: store.jobs,
                handlers: ["test": handler],
                settings: settings,
                logger: EngineBackend.logger
            )
            try await Self.run(pool, until: { started.withLock { $0 } })
            let after = try await store.jobs.find(id: job.id, tenantID: job.tenantID)
            #expect(after?.status == .pending)
            #expect(after?.attempts == 0)
            #expect(after?.leaseOwner == nil)
        }
    }

    @Test("a job cancelled while it runs loses its lease at the next heartbeat and its handler is stopped")
    func cancelledWhileRunning() async throws {
        try await EngineBackend.sqlite.withStore { store, connection in
            let job = try await store.jobs.enqueue(
                Self.job(connection, tenantID: connection.tenantID, "long"),
                now: Date()
            ).job
            let state = Mutex((started: false, stopped: false))
            let handler = ClosureJobHandler { _, _ in
                state.withLock { $0.started = true }
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch {
                    state.withLock { $0.stopped = true }
                    throw error
                }
            }
            let pool = WorkerPool(
                queue: store.jobs,
                handlers: ["test": handler],
                settings: Self.settings(concurrency: 1),
                logger: EngineBackend.logger
            )
            try await Self.run(pool) {
                if state.withLock({ $0.started }),
                    try await store.jobs.find(id: job.id, tenantID: job.tenantID)?.status == .running
                {
                    _ = try? await store.jobs.cancel(id: job.id, tenantID: job.tenantID, now: Date())
                }
                return state.withLock { $0.stopped }
            }
            #expect(try await store.jobs.find(id: job.id, tenantID: job.tenantID)?.status == .cancelled)
        }
    }

    @Test("jobs claimed ahead in a batch keep their leases while they wait, and are acknowledged together")
    func batchLeasesKeptAlive() async throws {
        try await EngineBackend.sqlite.withStore { store, connection in
            var ids: [String] = []
            for name in ["slow", "b", "c", "d"] {
                ids.append(
                    try await store.jobs.enqueue(Self.job(nil, tenantID: connection.tenantID, name), now: Date()).job.id
                )
            }
            let runs = Mutex<[String]>([])
            let intruder = Mutex<[String]?>(nil)
            let handler = ClosureJobHandler { job, _ in
                let name = job.payload["name"]?.stringValue ?? ""
                if name == "slow" {
                    // Well past the lease of the three jobs waiting behind this one in the same batch.
                    try await Task.sleep(for: .milliseconds(3500))
                    let taken = try await store.jobs.claim(
                        owner: "intruder",
                        limit: 10,
                        lease: .seconds(5),
                        now: Date()
                    )
                    intruder.withLock { $0 = taken.map(\.id) }
                }
                runs.withLock { $0.append(name) }
            }
            var settings = Self.settings(concurrency: 1)
            settings.claimBatch = 10
            // Generous against a loaded machine (a heartbeat that waits behind other statements), yet far shorter
            // than the slow job, so the old per-job heartbeat would let the three waiting leases lapse.
            settings.lease = .milliseconds(1500)
            settings.heartbeatInterval = .milliseconds(100)
            let pool = WorkerPool(
                queue: store.jobs,
                handlers: ["test": handler],
                settings: settings,
                logger: EngineBackend.logger
            )
            try await Self.run(pool) {
                try await store.jobs.list(tenantID: connection.tenantID, filter: JobFilter(status: .succeeded)).count
                    == 4
            }
            #expect(intruder.withLock { $0 } == [])
            // Once each (their order within a millisecond is the ids' random part).
            #expect(runs.withLock { $0 }.sorted() == ["b", "c", "d", "slow"])
            for id in ids {
                let job = try await store.jobs.find(id: id, tenantID: connection.tenantID)
                #expect(job?.status == .succeeded)
                #expect(job?.attempts == 1)
            }
        }
    }

    @Test("a job that finished is acknowledged while a long one claimed with it still runs")
    func acknowledgedBeforeTheBatchEnds() async throws {
        try await EngineBackend.sqlite.withStore { store, connection in
            let quick = try await store.jobs.enqueue(
                NewJob(tenantID: connection.tenantID, connectionID: nil, kind: "test", payload: ["name": "quick"]),
                now: Date().addingTimeInterval(-1)
            ).job
            _ = try await store.jobs.enqueue(
                NewJob(tenantID: connection.tenantID, connectionID: nil, kind: "test", payload: ["name": "long"]),
                now: Date()
            )
            let release = Mutex(false)
            let seenWhileLong = Mutex<JobStatus?>(nil)
            let handler = ClosureJobHandler { job, _ in
                guard job.payload["name"] == "long" else { return }
                // While this one runs, the quick one (same batch, same loop) must already be acknowledged.
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline {
                    let status = try await store.jobs.find(id: quick.id, tenantID: quick.tenantID)?.status
                    seenWhileLong.withLock { $0 = status }
                    if status == .succeeded || release.withLock({ $0 }) { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            var settings = Self.settings(concurrency: 1)
            settings.claimBatch = 2
            settings.heartbeatInterval = .seconds(2)
            let pool = WorkerPool(
                queue: store.jobs,
                handlers: ["test": handler],
                settings: settings,
                logger: EngineBackend.logger
            )
            try await Self.run(pool) {
                try await store.jobs.list(tenantID: connection.tenantID, filter: JobFilter(status: .succeeded)).count
                    == 2
            }
            release.withLock { $0 = true }
            #expect(seenWhileLong.withLock { $0 } == .succeeded)
        }
    }
}
