import Foundation
import SynclineCore
import SynclineStore
import Testing

/// The job queue: the same checks on every backend. Time is passed in, so leases and backoff are exact.
extension ConformanceCheck {
    static let jobs: [ConformanceCheck] = [
        .init(name: "jobs: one waiting job per unique key; a manual request promotes it", run: jobsUniqueKey),
        .init(name: "jobs: manual before scheduled, nothing before its time", run: jobsPriorityOrder),
        .init(name: "jobs: one running job per connection, others in parallel", run: jobsConnectionExclusive),
        .init(name: "jobs: an expired lease is claimable again and fences the old holder", run: jobsLeaseExpiry),
        .init(name: "jobs: failures back off, die after max attempts, and retry by hand", run: jobsFailAndRetry),
        .init(name: "jobs: released, cancelled and paused jobs", run: jobsReleaseCancel),
        .init(name: "jobs: another tenant's jobs are invisible and unchangeable", run: jobsIsolated),
        .init(name: "jobs: concurrent claimers never get the same job", run: jobsConcurrentClaims),
        .init(name: "jobs: a free job behind hundreds of blocked ones is still claimed", run: jobsDeepBacklog),
        .init(name: "jobs: one claim takes every idle connection's first job", run: jobsClaimAcrossConnections),
        .init(name: "jobs: a batch acknowledgement fences each lease by its own token", run: jobsBatchAckTokens),
    ]

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func at(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    static func queueFixture(_ store: SQLStore, connections: Int = 2) async throws -> (Tenant, [Connection]) {
        let tenant = try await store.tenants.create(name: "Acme")
        var made: [Connection] = []
        for index in 0..<connections {
            let connection = makeConnection(tenant: tenant, name: "C\(index)")
            try await store.connections.create(connection)
            made.append(connection)
        }
        return (tenant, made)
    }

    static func sync(_ connection: Connection, _ entity: String, priority: JobPriority = .scheduled, runAt: Date? = nil)
        -> NewJob
    {
        NewJob(
            tenantID: connection.tenantID,
            connectionID: connection.id,
            kind: "sync.import",
            payload: ["entity_type": .string(entity)],
            priority: priority,
            runAt: runAt,
            maxAttempts: 3,
            uniqueKey: "sync:\(connection.id):\(entity)"
        )
    }

    static func jobsUniqueKey(_ store: SQLStore) async throws {
        let (_, connections) = try await queueFixture(store)
        let queue = store.jobs
        let first = try await queue.enqueue(sync(connections[0], "clients", runAt: at(60)), now: at(0))
        #expect(first.created)
        #expect(first.job.status == .pending)
        #expect(first.job.payload["entity_type"] == .string("clients"))
        let again = try await queue.enqueue(sync(connections[0], "clients", runAt: at(60)), now: at(1))
        #expect(!again.created)
        #expect(again.job.id == first.job.id)

        // "Sync now" on a scheduled job waiting for later: the same job, now manual and due.
        let manual = try await queue.enqueue(sync(connections[0], "clients", priority: .manual), now: at(2))
        #expect(manual.job.id == first.job.id)
        #expect(manual.job.priority == JobPriority.manual.rawValue)
        #expect(manual.job.runAt == at(2))

        let other = try await queue.enqueue(sync(connections[0], "sites"), now: at(3))
        #expect(other.created)

        // Once it ran, the key is free for the next one.
        let lease = try #require(try await queue.claim(owner: "w1", limit: 1, lease: .seconds(30), now: at(4)).first)
        #expect(lease.id == first.job.id)
        #expect(try await !queue.enqueue(sync(connections[0], "clients"), now: at(5)).created)
        #expect(try await queue.complete([lease], now: at(6)) == [lease.id])
        #expect(try await queue.enqueue(sync(connections[0], "clients"), now: at(7)).created)
    }

    static func jobsPriorityOrder(_ store: SQLStore) async throws {
        let (_, connections) = try await queueFixture(store, connections: 4)
        let queue = store.jobs
        let scheduled = try await queue.enqueue(sync(connections[0], "clients"), now: at(0)).job
        let later = try await queue.enqueue(sync(connections[1], "clients", runAt: at(100)), now: at(0)).job
        let manual = try await queue.enqueue(sync(connections[2], "clients", priority: .manual), now: at(5)).job
        let older = try await queue.enqueue(sync(connections[3], "clients", runAt: at(-10)), now: at(0)).job

        let claimed = try await queue.claim(owner: "w1", limit: 10, lease: .seconds(300), now: at(10))
        #expect(claimed.map(\.id) == [manual.id, older.id, scheduled.id])
        #expect(claimed.allSatisfy { $0.job.status == .running && $0.job.attempts == 1 && $0.job.leaseOwner == "w1" })
        // A claim fills in the columns it set without reading them back: what it answers is what was stored.
        for lease in claimed {
            let stored = try #require(try await queue.find(id: lease.id, tenantID: lease.job.tenantID))
            #expect(stored == lease.job)
            #expect(stored.leaseExpiresAt == at(310))
            #expect(stored.updatedAt == at(10))
        }
        #expect(try await queue.claim(owner: "w1", limit: 10, lease: .seconds(30), now: at(99)).isEmpty)
        #expect(
            try await queue.claim(owner: "w1", limit: 10, lease: .seconds(30), now: at(100)).map(\.id) == [later.id]
        )
    }

    static func jobsConnectionExclusive(_ store: SQLStore) async throws {
        let (_, connections) = try await queueFixture(store)
        let queue = store.jobs
        for entity in ["clients", "sites", "users"] {
            _ = try await queue.enqueue(sync(connections[0], entity), now: at(0))
        }
        _ = try await queue.enqueue(sync(connections[1], "clients"), now: at(0))

        let first = try await queue.claim(owner: "w1", limit: 10, lease: .seconds(30), now: at(1))
        #expect(first.count == 2)
        #expect(Set(first.compactMap(\.job.connectionID)) == Set(connections.map(\.id)))
        #expect(try await queue.claim(owner: "w2", limit: 10, lease: .seconds(30), now: at(2)).isEmpty)

        let ofFirst = try #require(first.first { $0.job.connectionID == connections[0].id })
        _ = try await queue.complete([ofFirst], now: at(3))
        let next = try await queue.claim(owner: "w2", limit: 10, lease: .seconds(30), now: at(4))
        #expect(next.count == 1)
        #expect(next.first?.job.connectionID == connections[0].id)
    }

    static func jobsLeaseExpiry(_ store: SQLStore) async throws {
        let (_, connections) = try await queueFixture(store)
        let queue = store.jobs
        let job = try await queue.enqueue(sync(connections[0], "clients"), now: at(0)).job
        let stale = try #require(
            try await queue.claim(owner: "dead-worker", limit: 1, lease: .seconds(30), now: at(1)).first
        )
        #expect(try await queue.heartbeat(stale, until: at(40), now: at(10)))
        #expect(try await queue.claim(owner: "w2", limit: 1, lease: .seconds(30), now: at(39)).isEmpty)

        // The worker stops heartbeating; after its lease another worker takes the job over.
        let rescued = try #require(try await queue.claim(owner: "w2", limit: 1, lease: .seconds(30), now: at(41)).first)
        #expect(rescued.id == job.id)
        #expect(rescued.token > stale.token)
        #expect(rescued.job.attempts == 2)
        #expect(rescued.job.leaseOwner == "w2")

        // The old holder wakes up: none of its calls may touch the job now.
        #expect(try await !queue.heartbeat(stale, until: at(100), now: at(42)))
        #expect(try await queue.complete([stale], now: at(42)).isEmpty)
        #expect(try await queue.fail(stale, error: "late", retryAt: at(50), now: at(42)) == nil)
        #expect(try await !queue.release(stale, now: at(42)))
        #expect(try await queue.complete([rescued], now: at(43)) == [rescued.id])
        #expect(try await queue.find(id: job.id, tenantID: job.tenantID)?.status == .succeeded)

        // A job whose lease expires on its last attempt is dead, not run a fourth time.
        let last = try await queue.enqueue(sync(connections[1], "clients"), now: at(100)).job
        for step in 0..<3 {
            let start = at(101 + Double(step) * 100)
            #expect(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: start).map(\.id) == [last.id])
        }
        #expect(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: at(500)).isEmpty)
        let dead = try await queue.find(id: last.id, tenantID: last.tenantID)
        #expect(dead?.status == .dead)
        #expect(dead?.lastError?.contains("lease expired") == true)
    }

    static func jobsFailAndRetry(_ store: SQLStore) async throws {
        let (_, connections) = try await queueFixture(store)
        let queue = store.jobs
        let job = try await queue.enqueue(sync(connections[0], "clients"), now: at(0)).job

        let one = try #require(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: at(1)).first)
        #expect(try await queue.fail(one, error: "503 from the provider", retryAt: at(3), now: at(2)) == .retrying)
        #expect(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: at(2.5)).isEmpty)
        let two = try #require(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: at(3)).first)
        #expect(two.job.attempts == 2)
        #expect(two.job.lastError == "503 from the provider")
        #expect(try await queue.fail(two, error: "again", retryAt: at(10), now: at(4)) == .retrying)
        let three = try #require(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: at(10)).first)
        #expect(try await queue.fail(three, error: "still failing", retryAt: at(30), now: at(11)) == .dead)
        #expect(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: at(100)).isEmpty)
        let dead = try #require(try await queue.find(id: job.id, tenantID: job.tenantID))
        #expect(dead.status == .dead)
        #expect(dead.finishedAt == at(11))
        #expect(try await queue.list(tenantID: job.tenantID, filter: JobFilter(status: .dead)).map(\.id) == [job.id])

        // A person retries the dead letter: attempts start again, and it runs first.
        let retried = try await queue.retry(id: job.id, tenantID: job.tenantID, now: at(200))
        #expect(retried.status == .pending)
        #expect(retried.attempts == 0)
        #expect(retried.lastError == nil)
        let four = try #require(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: at(200)).first)
        #expect(four.job.attempts == 1)
        #expect(four.token > three.token)

        // A permanent error is dead at once.
        #expect(try await queue.fail(four, error: "404: no such resource", retryAt: nil, now: at(201)) == .dead)
        _ = try await queue.retry(id: job.id, tenantID: job.tenantID, now: at(202))
        // A job already waiting is not retried twice.
        let twice = await #expect(throws: StoreError.self) {
            try await queue.retry(id: job.id, tenantID: job.tenantID, now: at(203))
        }
        #expect(twice?.code == .conflict)
    }

    static func jobsReleaseCancel(_ store: SQLStore) async throws {
        let (tenant, connections) = try await queueFixture(store)
        let queue = store.jobs
        let job = try await queue.enqueue(sync(connections[0], "clients"), now: at(0)).job
        let lease = try #require(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: at(1)).first)
        #expect(try await queue.release(lease, now: at(2)))
        let released = try #require(try await queue.find(id: job.id, tenantID: tenant.id))
        #expect(released.status == .pending)
        #expect(released.attempts == 0)

        // Cancelling a running job fences its worker out.
        let running = try #require(try await queue.claim(owner: "w", limit: 1, lease: .seconds(30), now: at(3)).first)
        let cancelled = try await queue.cancel(id: job.id, tenantID: tenant.id, now: at(4))
        #expect(cancelled.status == .cancelled)
        #expect(try await !queue.heartbeat(running, until: at(60), now: at(5)))
        #expect(try await queue.complete([running], now: at(5)).isEmpty)
        let again = await #expect(throws: StoreError.self) {
            try await queue.cancel(id: job.id, tenantID: tenant.id, now: at(6))
        }
        #expect(again?.code == .conflict)

        // Pausing a connection cancels what waits for it, and only that.
        for entity in ["clients", "sites", "users"] {
            _ = try await queue.enqueue(sync(connections[0], entity), now: at(10))
        }
        let kept = try await queue.enqueue(sync(connections[1], "clients"), now: at(10)).job
        #expect(try await queue.cancelWaiting(connectionID: connections[0].id, tenantID: tenant.id, now: at(11)) == 3)
        #expect(try await queue.claim(owner: "w", limit: 10, lease: .seconds(30), now: at(12)).map(\.id) == [kept.id])
        let depth = try await queue.depth()
        #expect(depth[.cancelled] == 4)
        #expect(depth[.running] == 1)
    }

    static func jobsIsolated(_ store: SQLStore) async throws {
        let (tenant, connections) = try await queueFixture(store)
        let globex = try await store.tenants.create(name: "Globex")
        let queue = store.jobs
        let job = try await queue.enqueue(sync(connections[0], "clients"), now: at(0)).job

        #expect(try await queue.find(id: job.id, tenantID: globex.id) == nil)
        #expect(try await queue.list(tenantID: globex.id, filter: JobFilter()).isEmpty)
        let cancel = await #expect(throws: StoreError.self) {
            try await queue.cancel(id: job.id, tenantID: globex.id, now: at(1))
        }
        #expect(cancel?.code == .notFound)
        let retry = await #expect(throws: StoreError.self) {
            try await queue.retry(id: job.id, tenantID: globex.id, now: at(1))
        }
        #expect(retry?.code == .notFound)
        #expect(try await queue.cancelWaiting(connectionID: connections[0].id, tenantID: globex.id, now: at(1)) == 0)
        // Another tenant using the same unique key gets a job of its own, not this one.
        var foreign = sync(connections[0], "clients")
        foreign.tenantID = globex.id
        foreign.connectionID = nil
        foreign.uniqueKey = "sync:globex:clients"
        #expect(try await queue.enqueue(foreign, now: at(2)).job.id != job.id)
        #expect(try await queue.find(id: job.id, tenantID: tenant.id)?.status == .pending)
    }

    static func jobsConcurrentClaims(_ store: SQLStore) async throws {
        let (_, connections) = try await queueFixture(store, connections: 40)
        let queue = store.jobs
        for connection in connections { _ = try await queue.enqueue(sync(connection, "clients"), now: at(0)) }
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<6 {
                group.addTask {
                    var mine: [String] = []
                    while true {
                        let batch = try await queue.claim(
                            owner: "w\(worker)",
                            limit: 3,
                            lease: .seconds(30),
                            now: at(1)
                        )
                        if batch.isEmpty { return mine }
                        mine += batch.map(\.id)
                        _ = try await queue.complete(batch, now: at(2))
                    }
                }
            }
            var all: [String] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimed.count == 40)
        #expect(Set(claimed).count == 40)
        #expect(try await queue.depth()[.succeeded] == 40)
    }

    static func jobsDeepBacklog(_ store: SQLStore) async throws {
        let (_, connections) = try await queueFixture(store)
        let queue = store.jobs
        for index in 0..<260 {
            _ = try await queue.enqueue(
                sync(connections[0], "entity\(index)", runAt: at(Double(index) / 1000)),
                now: at(0)
            )
        }
        let free = try await queue.enqueue(sync(connections[1], "clients", runAt: at(5)), now: at(0)).job
        let busy = try #require(try await queue.claim(owner: "w1", limit: 1, lease: .seconds(300), now: at(10)).first)
        #expect(busy.job.connectionID == connections[0].id)
        let next = try await queue.claim(owner: "w2", limit: 1, lease: .seconds(300), now: at(11))
        #expect(next.map(\.id) == [free.id])
        #expect(try await queue.claim(owner: "w3", limit: 1, lease: .seconds(300), now: at(12)).isEmpty)
    }

    static func jobsClaimAcrossConnections(_ store: SQLStore) async throws {
        let (_, connections) = try await queueFixture(store, connections: 3)
        let queue = store.jobs
        // Thirty jobs of the first connection wait ahead of the others; one claim still finds all three.
        for index in 0..<30 {
            _ = try await queue.enqueue(
                sync(connections[0], "entity\(index)", runAt: at(Double(index) / 100)),
                now: at(0)
            )
        }
        let second = try await queue.enqueue(sync(connections[1], "clients", runAt: at(1)), now: at(0)).job
        let third = try await queue.enqueue(
            sync(connections[2], "clients", priority: .manual, runAt: at(2)),
            now: at(0)
        )
        .job
        let claimed = try await queue.claim(owner: "w", limit: 3, lease: .seconds(30), now: at(10))
        #expect(claimed.count == 3)
        #expect(claimed.first?.id == third.id)
        #expect(claimed.map(\.job.connectionID) == [connections[2].id, connections[0].id, connections[1].id])
        #expect(claimed.last?.id == second.id)
        #expect(claimed[1].job.payload["entity_type"] == .string("entity0"))
    }

    static func jobsBatchAckTokens(_ store: SQLStore) async throws {
        let (_, connections) = try await queueFixture(store, connections: 3)
        let queue = store.jobs
        for connection in connections { _ = try await queue.enqueue(sync(connection, "clients"), now: at(0)) }
        // The first connection's job is claimed, its lease runs out, and a second worker takes it over: its token
        // moves on while the other two jobs are on their first lease.
        let stale = try #require(
            try await queue.claim(owner: "w1", limit: 1, lease: .seconds(30), now: at(1)).first
        )
        let batch = try await queue.claim(owner: "w2", limit: 3, lease: .seconds(30), now: at(40))
        #expect(batch.count == 3)
        let rescued = try #require(batch.first { $0.id == stale.id })
        #expect(rescued.token > stale.token)
        #expect(Set(batch.filter { $0.id != stale.id }.map(\.token)).count == 1)

        // The stale lease in the same acknowledgement changes nothing; every current one succeeds.
        #expect(try await queue.complete([stale], now: at(41)).isEmpty)
        let done = try await queue.complete(batch + [stale], now: at(42))
        #expect(done == Set(batch.map(\.id)))
        for lease in batch {
            #expect(try await queue.find(id: lease.id, tenantID: lease.job.tenantID)?.status == .succeeded)
        }
    }
}
