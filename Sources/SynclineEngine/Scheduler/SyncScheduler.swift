import Foundation
import Logging
import ServiceLifecycle
import SynclineCore

/// Enqueues syncs when they fall due and moves their next run on. Several schedulers may share a database:
/// a sync's next run moves only if it still holds the value this scheduler read, so one of them wins each
/// occurrence, and the queue's unique key stops a second pending job all the same.
public struct SyncScheduler: Service {
    let syncs: any SyncStore
    let queue: any JobQueue
    let circuits: any CircuitStore
    let tick: Duration
    /// The entity types of a provider and their default schedules, for connections that just became active.
    let defaults: @Sendable (String) -> [SyncDefault]
    let clock: any SynclineClock
    let wallClock: @Sendable () -> Date
    let logger: Logger

    public init(
        syncs: any SyncStore,
        queue: any JobQueue,
        circuits: any CircuitStore,
        tick: Duration = .seconds(5),
        defaults: @escaping @Sendable (String) -> [SyncDefault] = { _ in [] },
        clock: any SynclineClock = SystemClock(),
        wallClock: @escaping @Sendable () -> Date = { Date() },
        logger: Logger
    ) {
        self.syncs = syncs
        self.queue = queue
        self.circuits = circuits
        self.tick = tick
        self.defaults = defaults
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                _ = try await runOnce(now: wallClock())
            } catch {
                logger.warning("Scheduling due syncs failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: tick) }
        }
    }

    /// One pass over what is due at `now`; answers how many jobs it enqueued.
    @discardableResult
    public func runOnce(now: Date) async throws -> Int {
        try await scheduleActivated(now: now)
        var enqueued = 0
        var probed: Set<String> = []
        while true {
            let due = try await syncs.due(now: now, limit: 500)
            if due.isEmpty { break }
            var moved = 0
            for sync in due {
                let next = Self.nextRun(of: sync, now: now)
                guard try await syncs.advance(id: sync.id, from: sync.nextRunAt, to: next) else { continue }
                moved += 1
                if probed.contains(sync.connectionID) { continue }
                // A connection in error reaches here only when its breaker waits for a probe: send one sync.
                if let breaker = try await circuits.breaker(tenantID: sync.tenantID, connectionID: sync.connectionID),
                    breaker.state != .closed
                {
                    guard try await circuits.takeProbe(connectionID: sync.connectionID, now: now) else { continue }
                    probed.insert(sync.connectionID)
                }
                let job = SyncJobs.importJob(
                    tenantID: sync.tenantID,
                    connectionID: sync.connectionID,
                    entityType: sync.entityType,
                    trigger: .schedule,
                    parameters: sync.parameters
                )
                if try await queue.enqueue(job, now: now).created { enqueued += 1 }
            }
            if moved == 0 { break }
        }
        if enqueued > 0 { logger.debug("Scheduled syncs", metadata: ["syncline.enqueued": "\(enqueued)"]) }
        return enqueued
    }

    /// Gives every connection that became active without syncs one sync per entity type of its provider, at
    /// the provider's default frequency, due now: no one has to set anything up for data to start flowing.
    func scheduleActivated(now: Date) async throws {
        for connection in try await syncs.unscheduledActiveConnections(limit: 100) {
            let entities = defaults(connection.provider)
            guard !entities.isEmpty else { continue }
            _ = try await syncs.ensure(
                tenantID: connection.tenantID,
                connectionID: connection.id,
                defaults: entities,
                jitterSeconds: 60,
                now: now
            )
            logger.info(
                "Scheduled the syncs of a newly active connection",
                metadata: ["syncline.connection_id": "\(connection.id)", "syncline.syncs": "\(entities.count)"]
            )
        }
    }

    /// The occurrence after `now`. Intervals keep their rhythm from the previous due time (missed ones are
    /// skipped, not caught up); cron schedules take the next matching time plus the sync's stable jitter.
    public static func nextRun(of sync: SyncDefinition, now: Date) -> Date? {
        switch sync.schedule {
        case .manual:
            return nil
        case .interval(let minutes):
            let period = TimeInterval(max(1, minutes) * 60)
            var next = (sync.nextRunAt ?? now).addingTimeInterval(period)
            if next <= now {
                let missed = (now.timeIntervalSince(next) / period).rounded(.down) + 1
                next = next.addingTimeInterval(missed * period)
            }
            return next
        case .cron:
            return try? sync.schedule.nextRun(after: now, jitterSeconds: sync.jitterSeconds, seed: sync.jitterSeed)
        }
    }
}
