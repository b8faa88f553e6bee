import Foundation
import Synchronization
import SynclineCore
import SynclineEngine
import SynclineStore
import Testing

/// The store's queue with each claim held open for a while and counted, so claims that overlap show; every call
/// goes to the real queue.
struct SlowClaimQueue: JobQueue {
    final class Counts: Sendable {
        let state = Mutex<(inFlight: Int, peak: Int, calls: Int)>((0, 0, 0))
    }

    let base: any JobQueue
    let counts = Counts()

    func claim(owner: String, limit: Int, lease: Duration, now: Date) async throws -> [JobLease] {
        counts.state.withLock {
            $0.inFlight += 1
            $0.calls += 1
            $0.peak = max($0.peak, $0.inFlight)
        }
        defer { counts.state.withLock { $0.inFlight -= 1 } }
        try await Task.sleep(for: .milliseconds(20))
        return try await base.claim(owner: owner, limit: limit, lease: lease, now: now)
    }

    func enqueue(_ job: NewJob, now: Date) async throws -> EnqueueResult { try await base.enqueue(job, now: now) }
    func heartbeat(_ lease: JobLease, until: Date, now: Date) async throws -> Bool {
        try await base.heartbeat(lease, until: until, now: now)
    }
    func heartbeat(_ leases: [JobLease], until: Date, now: Date) async throws -> Set<String> {
        try await base.heartbeat(leases, until: until, now: now)
    }
    func reportProgress(_ lease: JobLease, _ progress: [String: JSONValue], now: Date) async throws -> Bool {
        try await base.reportProgress(lease, progress, now: now)
    }
    func complete(_ leases: [JobLease], now: Date) async throws -> Set<String> {
        try await base.complete(leases, now: now)
    }
    func fail(_ lease: JobLease, error: String, retryAt: Date?, now: Date) async throws -> JobStatus? {
        try await base.fail(lease, error: error, retryAt: retryAt, now: now)
    }
    func release(_ lease: JobLease, now: Date) async throws -> Bool { try await base.release(lease, now: now) }
    func cancel(id: String, tenantID: String, now: Date) async throws -> Job {
        try await base.cancel(id: id, tenantID: tenantID, now: now)
    }
    func retry(id: String, tenantID: String, now: Date) async throws -> Job {
        try await base.retry(id: id, tenantID: tenantID, now: now)
    }
    func cancelWaiting(connectionID: String, tenantID: String, now: Date) async throws -> Int {
        try await base.cancelWaiting(connectionID: connectionID, tenantID: tenantID, now: now)
    }
    func find(id: String, tenantID: String) async throws -> Job? { try await base.find(id: id, tenantID: tenantID) }
    func list(tenantID: String, filter: JobFilter) async throws -> [Job] {
        try await base.list(tenantID: tenantID, filter: filter)
    }
    func depth() async throws -> [JobStatus: Int] { try await base.depth() }
}

@Suite("Worker pool claims")
struct WorkerPoolClaimTests {
    @Test(
        "one loop of a pool claims at a time; the others run what it brought; at most concurrency + batch held",
        arguments: EngineBackend.available
    )
    func oneClaimAtATime(_ backend: EngineBackend) async throws {
        try await backend.withStore { store, connection in
            for index in 0..<40 {
                _ = try await store.jobs.enqueue(
                    WorkerPoolTests.job(nil, tenantID: connection.tenantID, "j\(index)"),
                    now: Date()
                )
            }
            let queue = SlowClaimQueue(base: store.jobs)
            let ran = Mutex<Set<String>>([])
            let handler = ClosureJobHandler { job, _ in
                try await Task.sleep(for: .milliseconds(2))
                if case .string(let name)? = job.payload["name"] { ran.withLock { _ = $0.insert(name) } }
            }
            var settings = WorkerPoolTests.settings(concurrency: 4)
            settings.claimBatch = 2
            let pool = WorkerPool(
                queue: queue,
                handlers: ["test": handler],
                settings: settings,
                logger: EngineBackend.logger
            )
            let mostRunning = Mutex(0)
            try await WorkerPoolTests.run(pool) {
                let depth = try await store.jobs.depth()
                mostRunning.withLock { $0 = max($0, depth[.running] ?? 0) }
                return depth[.succeeded] == 40
            }
            let counts = queue.counts.state.withLock { $0 }
            // Four idle loops at the start, each claim held open 20 ms: without the gate they all claim at once.
            #expect(counts.peak == 1)
            #expect(counts.calls >= 20)
            #expect(ran.withLock { $0.count } == 40)
            #expect(mostRunning.withLock { $0 } <= 4 + 2)
        }
    }
}
