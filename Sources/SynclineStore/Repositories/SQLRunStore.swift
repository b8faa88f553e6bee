import Foundation
import SQLKit
import SynclineCore

/// The runs history in `runs`, with up to 100 failed records per run in `run_failures`.
public struct SQLRunStore: RunStore {
    let database: Database

    /// How many failed records a run keeps; the count is exact, the list is a sample.
    public static let failureLimit = 100

    private struct Row: Decodable {
        var id: String
        var tenantId: String
        var connectionId: String
        var entityType: String
        var direction: String
        var trigger: String
        var parameters: String
        var jobId: String?
        var status: String
        var startedAt: Int64
        var finishedAt: Int64?
        var pages: Int
        var requests: Int
        var retries: Int
        var rateLimitWaitMs: Int64
        var recordsSeen: Int
        var recordsCreated: Int
        var recordsUpdated: Int
        var recordsUnchanged: Int
        var recordsDeleted: Int
        var recordsFailed: Int
        var warnings: Int
        var error: String?
        var errorClass: String?
        var resumed: Int

        func run() throws -> SyncRun {
            guard let direction = SyncDirection(rawValue: direction), let trigger = SyncTrigger(rawValue: trigger),
                let status = RunStatus(rawValue: status)
            else {
                throw StoreError(.invalidConfiguration, "run \(id) has an unknown direction, trigger or status")
            }
            var run = SyncRun(
                id: id,
                tenantID: tenantId,
                connectionID: connectionId,
                entityType: entityType,
                direction: direction,
                trigger: trigger,
                parameters: try JSONValue.parse(parameters).objectValue ?? [:],
                jobID: jobId,
                status: status,
                startedAt: Timestamp.date(startedAt)
            )
            run.finishedAt = Timestamp.date(finishedAt)
            run.pages = pages
            run.requests = requests
            run.retries = retries
            run.rateLimitWaitMilliseconds = rateLimitWaitMs
            run.counts = RecordCounts(
                seen: recordsSeen,
                created: recordsCreated,
                updated: recordsUpdated,
                unchanged: recordsUnchanged,
                deleted: recordsDeleted,
                failed: recordsFailed,
                warnings: warnings
            )
            run.error = error
            run.errorClass = errorClass
            run.resumed = resumed != 0
            return run
        }
    }

    public func start(_ run: SyncRun) async throws {
        let parameters = try JSONValue.object(run.parameters).jsonString()
        try await database.withConnection { db in
            try await db.insert(into: "runs")
                .columns(
                    "id",
                    "tenant_id",
                    "connection_id",
                    "entity_type",
                    "direction",
                    "trigger",
                    "parameters",
                    "job_id",
                    "status",
                    "started_at",
                    "resumed"
                )
                .values(
                    SQLBind(run.id),
                    SQLBind(run.tenantID),
                    SQLBind(run.connectionID),
                    SQLBind(run.entityType),
                    SQLBind(run.direction.rawValue),
                    SQLBind(run.trigger.rawValue),
                    SQLBind(parameters),
                    SQLBind(run.jobID),
                    SQLBind(run.status.rawValue),
                    SQLBind(Timestamp.millis(run.startedAt)),
                    SQLBind(run.resumed ? 1 : 0)
                )
                .run()
        }
    }

    public func abandonRunning(
        tenantID: String,
        connectionID: String,
        entityType: String,
        reason: String,
        at: Date
    ) async throws -> Int {
        struct Abandoned: Decodable { var id: String }
        return try await database.withConnection { db in
            try await db.update("runs")
                .set("status", to: RunStatus.failed.rawValue)
                .set("error", to: reason)
                .set("error_class", to: "retryable")
                .set("finished_at", to: Timestamp.millis(at))
                .where("tenant_id", .equal, tenantID)
                .where("connection_id", .equal, connectionID)
                .where("entity_type", .equal, entityType)
                .where("status", .equal, RunStatus.running.rawValue)
                .returning("id")
                .all(decoding: Abandoned.self)
                .count
        }
    }

    public func finish(_ run: SyncRun, failures: [RecordFailure]) async throws {
        try await database.transaction { db in
            try await db.update("runs")
                .set("status", to: run.status.rawValue)
                .set("finished_at", to: Timestamp.millis(run.finishedAt))
                .set("pages", to: run.pages)
                .set("requests", to: run.requests)
                .set("retries", to: run.retries)
                .set("rate_limit_wait_ms", to: run.rateLimitWaitMilliseconds)
                .set("records_seen", to: run.counts.seen)
                .set("records_created", to: run.counts.created)
                .set("records_updated", to: run.counts.updated)
                .set("records_unchanged", to: run.counts.unchanged)
                .set("records_deleted", to: run.counts.deleted)
                .set("records_failed", to: run.counts.failed)
                .set("warnings", to: run.counts.warnings)
                .set("error", to: run.error)
                .set("error_class", to: run.errorClass)
                .set("resumed", to: run.resumed ? 1 : 0)
                .where("id", .equal, run.id)
                .where("tenant_id", .equal, run.tenantID)
                .run()
            let kept = failures.prefix(Self.failureLimit)
            guard !kept.isEmpty else { return }
            let insert = db.insert(into: "run_failures").columns("run_id", "position", "external_id", "error")
            for (position, failure) in kept.enumerated() {
                insert.values(SQLBind(run.id), SQLBind(position), SQLBind(failure.externalID), SQLBind(failure.error))
            }
            try await insert.run()
        }
    }

    public func list(tenantID: String, connectionID: String, limit: Int) async throws -> [SyncRun] {
        try await database.withConnection { db in
            try await db.select().column(SQLLiteral.all).from("runs")
                .where("tenant_id", .equal, tenantID)
                .where("connection_id", .equal, connectionID)
                .orderBy("started_at", .descending)
                .orderBy("id", .descending)
                .limit(max(1, min(limit, 1000)))
                .all(decoding: Row.self, with: SQLRecordStore.decoder)
        }.map { try $0.run() }
    }

    public func failures(tenantID: String, runID: String) async throws -> [RecordFailure] {
        struct Failure: Decodable {
            var externalId: String
            var error: String
        }
        return try await database.withConnection { db in
            try await db.raw(
                """
                SELECT f.external_id, f.error FROM run_failures f JOIN runs r ON r.id = f.run_id
                WHERE r.tenant_id = \(bind: tenantID) AND f.run_id = \(bind: runID)
                ORDER BY f.position
                """
            ).all(decoding: Failure.self, with: SQLRecordStore.decoder)
        }.map { RecordFailure(externalID: $0.externalId, error: $0.error) }
    }
}
