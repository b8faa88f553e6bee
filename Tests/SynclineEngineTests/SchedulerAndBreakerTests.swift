import Foundation
import Synchronization
import SynclineCore
import SynclineEngine
import SynclineStore
import Testing

/// A record source factory over scripted sources: the upstream as the engine's port sees it.
struct ScriptedSources: RecordSourceFactory {
    let make: @Sendable (Connection, String) throws -> any RecordSource

    func source(for connection: Connection, entityType: String) async throws -> any RecordSource {
        try make(connection, entityType)
    }
}

@Suite("Scheduler and circuit breaker")
struct SchedulerAndBreakerTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    static func scheduler(_ store: SQLStore) -> SyncScheduler {
        SyncScheduler(syncs: store.syncs, queue: store.jobs, circuits: store.circuits, logger: EngineBackend.logger)
    }

    @Test(
        "a due sync is enqueued once, its next run moves on, and a second scheduler enqueues nothing more",
        arguments: EngineBackend.available
    )
    func enqueuesOnce(_ backend: EngineBackend) async throws {
        try await backend.withStore { store, connection in
            let syncs = try await store.syncs.ensure(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                defaults: [
                    SyncDefault(entityType: "clients", schedule: .interval(minutes: 60)),
                    SyncDefault(entityType: "tickets", schedule: .interval(minutes: 15)),
                    SyncDefault(entityType: "agents", schedule: .manual),
                ],
                jitterSeconds: 0,
                now: Self.t0
            )
            #expect(syncs.map(\.entityType) == ["agents", "clients", "tickets"])
            #expect(syncs.first?.nextRunAt == nil)

            // Two schedulers tick at the same moment against one database.
            let one = Self.scheduler(store)
            let two = Self.scheduler(store)
            async let first = one.runOnce(now: Self.t0)
            async let second = two.runOnce(now: Self.t0)
            let total = try await first + second
            #expect(total == 2)
            let jobs = try await store.jobs.list(tenantID: connection.tenantID, filter: JobFilter())
            #expect(Set(jobs.compactMap { $0.payload["entity_type"] }) == [.string("clients"), .string("tickets")])
            let clients = try await store.syncs.find(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                entityType: "clients"
            )
            #expect(clients?.nextRunAt == Self.t0.addingTimeInterval(3600))
            #expect(try await one.runOnce(now: Self.t0.addingTimeInterval(60)) == 0)

            // Ensuring again keeps settings a person changed.
            var changed = try #require(clients)
            changed.schedule = .interval(minutes: 5)
            try await store.syncs.update(changed)
            _ = try await store.syncs.ensure(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                defaults: [SyncDefault(entityType: "clients", schedule: .interval(minutes: 60))],
                jitterSeconds: 0,
                now: Self.t0
            )
            #expect(
                try await store.syncs.find(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: "clients"
                )?
                .schedule == .interval(minutes: 5)
            )
        }
    }

    @Test(
        "a connection that became active gets every entity type scheduled at its default, due now",
        arguments: EngineBackend.available
    )
    func schedulesActivatedConnections(_ backend: EngineBackend) async throws {
        try await backend.withStore { store, connection in
            let scheduler = SyncScheduler(
                syncs: store.syncs,
                queue: store.jobs,
                circuits: store.circuits,
                defaults: { provider in
                    provider == "halopsa"
                        ? [
                            SyncDefault(entityType: "clients", schedule: .interval(minutes: 60)),
                            SyncDefault(entityType: "tickets", schedule: .interval(minutes: 15)),
                        ] : []
                },
                logger: EngineBackend.logger
            )
            #expect(try await scheduler.runOnce(now: Self.t0) == 2)
            let syncs = try await store.syncs.list(tenantID: connection.tenantID, connectionID: connection.id)
            #expect(syncs.map(\.schedule) == [.interval(minutes: 60), .interval(minutes: 15)])
            #expect(try await store.syncs.unscheduledActiveConnections(limit: 10).isEmpty)

            // A paused connection is left alone until it is active.
            var paused = connection
            paused.id = Identifier.make(prefix: "con")
            paused.name = "Paused"
            paused.status = .paused
            try await store.connections.create(paused)
            #expect(try await store.syncs.unscheduledActiveConnections(limit: 10).isEmpty)
            paused.status = .active
            try await store.connections.update(paused)
            #expect(try await store.syncs.unscheduledActiveConnections(limit: 10).map(\.id) == [paused.id])
        }
    }

    @Test("intervals keep their rhythm and skip what was missed; cron takes the next match plus stable jitter")
    func nextRuns() throws {
        var sync = SyncDefinition(
            id: "syn_1",
            tenantID: "ten_1",
            connectionID: "con_1",
            entityType: "clients",
            schedule: .interval(minutes: 60),
            nextRunAt: Self.t0
        )
        #expect(SyncScheduler.nextRun(of: sync, now: Self.t0.addingTimeInterval(5)) == Self.t0.addingTimeInterval(3600))
        // Down for three and a half hours: the next run is the next slot of the old rhythm, not four catch-ups.
        #expect(
            SyncScheduler.nextRun(of: sync, now: Self.t0.addingTimeInterval(3.5 * 3600))
                == Self.t0.addingTimeInterval(4 * 3600)
        )
        sync.schedule = try Schedule(cron: "0 * * * *", timeZone: "UTC")
        sync.jitterSeconds = 600
        let next = try #require(SyncScheduler.nextRun(of: sync, now: Self.t0))
        let hour = Self.t0.addingTimeInterval(
            3600 - Self.t0.timeIntervalSince1970.truncatingRemainder(dividingBy: 3600)
        )
        #expect(next >= hour && next < hour.addingTimeInterval(600))
        #expect(SyncScheduler.nextRun(of: sync, now: Self.t0) == next)
        sync.schedule = .manual
        #expect(SyncScheduler.nextRun(of: sync, now: Self.t0) == nil)
    }

    @Test(
        "three failed runs open the circuit: the connection goes to error, the scheduler skips it, a probe closes it",
        arguments: EngineBackend.available
    )
    func circuitBreaker(_ backend: EngineBackend) async throws {
        try await backend.withStore { store, connection in
            let failing = Mutex(true)
            let sources = ScriptedSources { _, _ in
                ScriptedSource(pages: clientPages(1...3, size: 3), failAfterPage: failing.withLock { $0 } ? 0 : nil)
            }
            let clock = Mutex(Self.t0)
            let handler = ImportSyncHandler(
                connections: store.connections,
                sources: sources,
                runner: ImportRunner(store: store),
                syncs: store.syncs,
                circuits: store.circuits,
                activity: store.activity,
                wallClock: { clock.withLock { $0 } },
                makeBreaker: { CircuitBreaker(failureThreshold: 3, coolDown: .seconds(900)) }
            )
            _ = try await store.syncs.ensure(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                defaults: [SyncDefault(entityType: "clients", schedule: .interval(minutes: 5))],
                jitterSeconds: 0,
                now: Self.t0
            )
            let job = Job(
                id: "job_x",
                tenantID: connection.tenantID,
                connectionID: connection.id,
                kind: SyncJobs.importKind,
                payload: SyncJobs.importJob(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: "clients",
                    trigger: .schedule
                ).payload,
                priority: 0,
                status: .running,
                attempts: 1,
                maxAttempts: 5,
                runAt: Self.t0,
                leaseToken: 1,
                leaseOwner: "w",
                leaseExpiresAt: nil,
                uniqueKey: nil,
                lastError: nil,
                createdAt: Self.t0,
                updatedAt: Self.t0,
                finishedAt: nil
            )
            for attempt in 1...3 {
                clock.withLock { $0 = Self.t0.addingTimeInterval(Double(attempt) * 60) }
                let error = await #expect(throws: JobError.self) {
                    try await handler.handle(job, logger: EngineBackend.logger)
                }
                #expect(error?.disposition == .retryable)
                let status = try await store.connections.find(id: connection.id, tenantID: connection.tenantID)?.status
                #expect(status == (attempt < 3 ? .active : .error), "after \(attempt) failures")
            }
            let opened = try await store.activity.list(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                limit: 10
            )
            #expect(opened.map(\.action) == ["connection.circuit_opened"])
            #expect(opened.first?.details["consecutive_failures"] == .number(3))
            #expect(
                try await store.syncs.find(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: "clients"
                )?.consecutiveFailures == 3
            )

            // During the cool-down the scheduler sends nothing, and a retried job waits for its end.
            let scheduler = Self.scheduler(store)
            #expect(try await scheduler.runOnce(now: Self.t0.addingTimeInterval(600)) == 0)
            clock.withLock { $0 = Self.t0.addingTimeInterval(600) }
            let waiting = await #expect(throws: JobError.self) {
                try await handler.handle(job, logger: EngineBackend.logger)
            }
            #expect(waiting?.retryAfter == .seconds(480))

            // After it, one probe; it succeeds and the connection is active again.
            #expect(try await scheduler.runOnce(now: Self.t0.addingTimeInterval(1200)) == 1)
            #expect(try await scheduler.runOnce(now: Self.t0.addingTimeInterval(1600)) == 0)
            failing.withLock { $0 = false }
            clock.withLock { $0 = Self.t0.addingTimeInterval(1201) }
            try await handler.handle(job, logger: EngineBackend.logger)
            #expect(
                try await store.connections.find(id: connection.id, tenantID: connection.tenantID)?.status == .active
            )
            let closed = try await store.activity.list(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                limit: 10
            )
            #expect(closed.first?.action == "connection.circuit_closed")
        }
    }

    @Test("credentials refused put the connection in error with the message, and the job is not retried")
    func authFailure() async throws {
        try await EngineBackend.sqlite.withStore { store, connection in
            let sources = ScriptedSources { _, _ in throw JobError(.auth, "HaloPSA refused the client id or secret") }
            let handler = ImportSyncHandler(
                connections: store.connections,
                sources: sources,
                runner: ImportRunner(store: store),
                syncs: store.syncs,
                circuits: store.circuits,
                activity: store.activity
            )
            let queued = try await store.jobs.enqueue(
                SyncJobs.importJob(
                    tenantID: connection.tenantID,
                    connectionID: connection.id,
                    entityType: "clients",
                    trigger: .manual
                ),
                now: Date()
            ).job
            let error = await #expect(throws: JobError.self) {
                try await handler.handle(queued, logger: EngineBackend.logger)
            }
            #expect(error?.disposition == .auth)
            #expect(
                try await store.connections.find(id: connection.id, tenantID: connection.tenantID)?.status == .error
            )
            let entries = try await store.activity.list(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                limit: 5
            )
            #expect(entries.first?.action == "connection.auth_failed")
            #expect(entries.first?.details["error"] == .string("HaloPSA refused the client id or secret"))
            // The connection now waits for a person: a further job is refused at once.
            let refused = await #expect(throws: JobError.self) {
                try await handler.handle(queued, logger: EngineBackend.logger)
            }
            #expect(refused?.disposition == .permanent)
        }
    }
}
