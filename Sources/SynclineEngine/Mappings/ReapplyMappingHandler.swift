import Foundation
import Logging
import SynclineCore

/// Re-maps a connection's stored raw records of one entity type after its mapping changed, without calling
/// the provider: batch by batch (each one transaction), reporting progress on the job, resuming after the last
/// batch if the job runs again. Records whose mapped form changes get a new change sequence, so the host app
/// reads them from the change feed.
public struct ReapplyMappingHandler: JobHandler {
    /// The job kind.
    public static let kind = "mapping.reapply"

    let connections: any ConnectionStore
    let records: any RecordQueries
    let mappings: any MappingCatalog
    let queue: any JobQueue
    let activity: any ActivityLog
    let batchSize: Int
    let now: @Sendable () -> Date

    public init(
        connections: any ConnectionStore,
        records: any RecordQueries,
        mappings: any MappingCatalog,
        queue: any JobQueue,
        activity: any ActivityLog,
        batchSize: Int = 500,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.connections = connections
        self.records = records
        self.mappings = mappings
        self.queue = queue
        self.activity = activity
        self.batchSize = batchSize
        self.now = now
    }

    /// The job for one entity type of a connection; one waiting per (connection, entity type).
    public static func job(tenantID: String, connectionID: String, entityType: String) -> NewJob {
        NewJob(
            tenantID: tenantID,
            connectionID: connectionID,
            kind: kind,
            payload: ["entity_type": .string(entityType)],
            priority: .manual,
            uniqueKey: "\(kind):\(connectionID):\(entityType)"
        )
    }

    public func handle(_ job: Job, logger: Logger) async throws {
        guard let connectionID = job.connectionID, let entityType = job.payload["entity_type"]?.stringValue else {
            throw JobError(.permanent, "a mapping.reapply job needs a connection and an entity_type")
        }
        guard let connection = try await connections.find(id: connectionID, tenantID: job.tenantID) else {
            throw JobError(.permanent, "connection \(connectionID) no longer exists")
        }
        let compiled: CompiledMapping
        do {
            guard let found = try await mappings.mapping(for: connection, entityType: entityType) else {
                throw JobError(.permanent, "\(entityType) of connection \(connectionID) has no mapping")
            }
            compiled = found
        } catch let error as MappingError {
            throw JobError(.permanent, "the mapping of \(entityType) is not valid: \(error)")
        }
        var totals = (processed: 0, changed: 0, failed: 0)
        var after = job.progress?["after"]?.stringValue
        if let previous = job.progress {
            totals.processed = Int(previous["processed"]?.numberValue ?? 0)
            totals.changed = Int(previous["changed"]?.numberValue ?? 0)
            totals.failed = Int(previous["failed"]?.numberValue ?? 0)
        }
        let lease = JobLease(job: job)
        repeat {
            try Task.checkCancellation()
            let batch = try await records.remap(
                tenantID: job.tenantID,
                connectionID: connectionID,
                entityType: entityType,
                model: compiled.mapping.model,
                after: after,
                limit: batchSize
            ) { raw in
                let result = compiled.apply(raw)
                return Remapped(mapped: result.failed ? nil : .object(result.value))
            }
            totals.processed += batch.processed
            totals.changed += batch.changed
            totals.failed += batch.failed
            after = batch.next
            var progress: [String: JSONValue] = [
                "entity_type": .string(entityType), "processed": .number(Double(totals.processed)),
                "changed": .number(Double(totals.changed)), "failed": .number(Double(totals.failed)),
                "done": .bool(after == nil),
            ]
            if let after { progress["after"] = .string(after) }
            guard try await queue.reportProgress(lease, progress, now: now()) else {
                throw JobError(.retryable, "the job's lease was taken over")
            }
        } while after != nil
        try await activity.record(
            "mapping.reapplied",
            for: connection,
            details: [
                "entity_type": .string(entityType), "processed": .number(Double(totals.processed)),
                "changed": .number(Double(totals.changed)), "failed": .number(Double(totals.failed)),
            ],
            at: now()
        )
        logger.info(
            "Re-applied a mapping to stored records",
            metadata: [
                "syncline.connection": "\(connectionID)", "syncline.entity": "\(entityType)",
                "processed": "\(totals.processed)", "changed": "\(totals.changed)",
            ]
        )
    }
}
