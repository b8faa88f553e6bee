import Foundation
import SQLKit
import SynclineCore
import Testing

@testable import SynclineStore

/// PostgreSQL's plans for the queue's statements while its statistics are out of date, as they are for the jobs
/// of the moment: ANALYZE saw only waiting jobs, and a thousand are now running.
@Suite("Queue plans on PostgreSQL")
struct QueuePlanTests {
    @Test(
        "running jobs named by id are found through the primary key, not by reading a partial index",
        postgresAvailable
    )
    func runningByID() async throws {
        try await StoreBackend.postgres.withStore { store, _ in
            let tenant = try await store.tenants.create(name: "Plans")
            try await store.database.withConnection { db in
                try await db.raw(
                    """
                    INSERT INTO jobs (id, tenant_id, kind, payload, priority, status, max_attempts, run_at,
                        created_at, updated_at)
                    SELECT 'job_' || lpad(g::text, 6, '0'), \(bind: tenant.id), 'noop', '{}', 0, 'pending', 3, g, g, g
                    FROM generate_series(1, 3000) g
                    """
                ).run()
                try await db.raw("ANALYZE jobs").run()
            }
            let leases = try await store.jobs.claim(
                owner: "w1",
                limit: 1000,
                lease: .seconds(60),
                now: Date(timeIntervalSince1970: 1_800_000_000)
            )
            #expect(leases.count == 1000)
            let ids = leases.prefix(200).map { "'\($0.id)'" }.joined(separator: ", ")
            let plan = try await store.database.withConnection { db in
                try await db.raw(
                    """
                    EXPLAIN UPDATE jobs SET updated_at = 1
                    WHERE \(unsafeRaw: SQLJobQueue.runningByID) AND lease_token = 1 AND id IN (\(unsafeRaw: ids))
                    """
                ).all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }.joined(separator: "\n")
            }
            #expect(plan.contains("jobs_pkey"), "\(plan)")
            // Finishing them through the queue changes exactly those jobs.
            let done = try await store.jobs.complete(
                Array(leases.prefix(200)),
                now: Date(timeIntervalSince1970: 1_800_000_001)
            )
            #expect(done.count == 200)
        }
    }
}
